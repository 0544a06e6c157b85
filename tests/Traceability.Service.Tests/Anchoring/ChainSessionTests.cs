using Microsoft.Extensions.Options;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Service.Anchoring;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>The service's sending account from a keystore whose password sits in the variable the settings name (never in the settings).</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class ChainSessionTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task A_keystore_opens_with_the_password_of_the_variable_named_and_a_missing_one_is_named_in_the_error()
    {
        var dir = Directory.CreateTempSubdirectory("kp-session-").FullName;
        try
        {
            var account = Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(TestRegistry.BwMiner);
            var keystore = Path.Combine(dir, "miner.json");
            await File.WriteAllTextAsync(keystore, account.ToKeystore("miner-pw"));
            var options = Options.Create(new AnchoringOptions
            {
                ServiceDirectory = dir,
                RpcUrl = hardhat.Node.Url,
                RegistryAddress = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                KeystorePath = keystore,
                KeystorePasswordVariable = "KP_MINER_PASSWORD",
            });
            using (var session = new ChainSession(options, name => name == "KP_MINER_PASSWORD" ? "miner-pw" : name == "KP_KEYSTORE_PASSWORD" ? "wrong" : null))
            {
                await session.ConnectAsync();
                Assert.Equal(account.Address, session.Writer.Sender.Account.Address);
            }
            using var without = new ChainSession(options, name => name == "KP_KEYSTORE_PASSWORD" ? "miner-pw" : null); // the default variable is not the one named
            var e = await Assert.ThrowsAsync<AccountUnavailableException>(without.ConnectAsync);
            Assert.Contains("$KP_MINER_PASSWORD", e.Message);
            Assert.DoesNotContain("miner-pw", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
