using System.Numerics;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Core.Participants;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Connection;

/// <summary>How every tool resolves its sending account (fast: no chain).</summary>
[Trait("Category", "Fast")]
public class AccountSourceTests
{
    private const string Phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private static readonly Lazy<string> Keystore = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kp-keystore-").FullName, "account.json");
        var account = Account(BwAuthority); // light scrypt parameters: the rules are under test here, not the key derivation
        File.WriteAllText(path, new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson("s3cret", account.Key.GetPrivateKeyAsBytes(), account.Address,
            new ScryptParams { N = 1024, R = 8, P = 1, Dklen = 32 }));
        return path;
    });

    /// <summary>A chain id that must not be asked for.</summary>
    private static Task<BigInteger> NotAsked() => throw new InvalidOperationException("the chain id was asked for");

    private static Task<BigInteger> ChainOf(long id) => Task.FromResult(new BigInteger(id));

    [Fact]
    public async Task A_keystore_wins_over_the_phrase_and_needs_no_chain()
    {
        var source = new AccountSource { KeystorePath = Keystore.Value, KeystorePassword = "s3cret", Mnemonic = Phrase, Index = 3 };
        Assert.False(source.NeedsChainId);
        Assert.Equal(Account(BwAuthority).Address, (await source.OpenAsync(NotAsked)).Address);
    }

    [Fact]
    public async Task A_keystore_without_its_password_or_with_a_wrong_one_is_refused_without_echoing_it()
    {
        var none = await Assert.ThrowsAsync<AccountUnavailableException>(() => new AccountSource { KeystorePath = Keystore.Value, KeystoreSetting = "--keystore" }.OpenAsync(NotAsked));
        Assert.Equal("--keystore needs the password in $KP_KEYSTORE_PASSWORD", none.Message);
        var wrong = await Assert.ThrowsAsync<AccountUnavailableException>(() =>
            new AccountSource { KeystorePath = Keystore.Value, KeystorePassword = "wrong-one", KeystoreSetting = "KeystorePath" }.OpenAsync(NotAsked));
        Assert.StartsWith("KeystorePath: cannot open the keystore", wrong.Message);
        Assert.DoesNotContain("wrong-one", wrong.Message);
        var missing = Assert.Throws<AccountUnavailableException>(() => new AccountSource { KeystorePath = "/nonexistent/kp.json", KeystorePassword = "x" }.Open(null));
        Assert.Equal("keystore: /nonexistent/kp.json does not exist", missing.Message);
    }

    [Fact]
    public async Task A_phrase_gives_the_account_of_its_index_on_any_chain_without_asking_the_chain()
    {
        var source = new AccountSource { Mnemonic = Phrase, Index = 2 };
        Assert.False(source.NeedsChainId);
        Assert.Equal(Mnemonic.Parse(Phrase).Account(2).Address, (await source.OpenAsync(NotAsked)).Address);
    }

    [Fact]
    public async Task With_no_phrase_the_development_phrase_is_used_on_a_dev_chain_only()
    {
        var source = new AccountSource { Mnemonic = "  ", Index = 6, KeystoreSetting = "--keystore" };
        Assert.True(source.NeedsChainId);
        Assert.Equal(Account(6).Address, (await source.OpenAsync(() => ChainOf(AccountSource.DevChainId))).Address);
        var e = await Assert.ThrowsAsync<AccountUnavailableException>(() => source.OpenAsync(() => ChainOf(1)));
        Assert.Equal("chain 1 is not a dev chain: set KP_MNEMONIC or give --keystore", e.Message);
        Assert.Throws<ArgumentNullException>(() => source.Open(null));
    }

    [Fact]
    public async Task A_bad_phrase_or_index_is_refused_without_echoing_the_phrase()
    {
        var bad = await Assert.ThrowsAsync<AccountUnavailableException>(() => new AccountSource { Mnemonic = "test test test test test test test test test test test jnuk" }.OpenAsync(NotAsked));
        Assert.StartsWith("KP_MNEMONIC: ", bad.Message);
        Assert.DoesNotContain("jnuk", bad.Message);
        var index = await Assert.ThrowsAsync<AccountUnavailableException>(() => new AccountSource { Index = -1, IndexSetting = "--account" }.OpenAsync(NotAsked));
        Assert.Equal("--account must be 0 or more", index.Message);
    }

    [Fact]
    public void Secrets_come_from_the_environment()
    {
        var env = new Dictionary<string, string?> { ["KP_MNEMONIC"] = Phrase, ["KP_KEYSTORE_PASSWORD"] = "s3cret" };
        var source = AccountSource.FromEnvironment(n => env.GetValueOrDefault(n), "k.json", 4, "--keystore", "--account");
        Assert.Equal(new AccountSource { KeystorePath = "k.json", KeystorePassword = "s3cret", Mnemonic = Phrase, Index = 4, KeystoreSetting = "--keystore", IndexSetting = "--account" }, source);
    }

    [Fact]
    public void Where_to_connect_comes_from_the_settings_before_the_deployment_record()
    {
        var folder = Directory.CreateTempSubdirectory("kp-connection-").FullName;
        var path = Path.Combine(folder, "deployment.json");
        var record = new DeploymentRecord
        {
            ChainId = 31337,
            RpcUrl = "http://127.0.0.1:1",
            Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            Governor = Account(0).Address,
            Deployer = Account(0).Address,
            BlockNumber = 7,
            BlockHash = "0x" + new string('1', 64),
            TransactionHash = "0x" + new string('2', 64),
            RuntimeCodeHash = "0x" + new string('3', 64),
        };
        record.Write(path);
        var fromRecord = RegistryConnectionOptions.Resolve(null, null, path);
        Assert.Equal((record.RpcUrl, record.Address, 7UL), (fromRecord.RpcUrl, fromRecord.RegistryAddress, fromRecord.FromBlock));
        var given = RegistryConnectionOptions.Resolve("http://127.0.0.1:2", "0x0000000000000000000000000000000000000001", path);
        Assert.Equal(("http://127.0.0.1:2", 0UL), (given.RpcUrl, given.FromBlock)); // another registry than the record's: events from block 0
        Assert.Throws<InvalidOperationException>(() => RegistryConnectionOptions.Resolve(null, "0x0000000000000000000000000000000000000001", Path.Combine(folder, "none.json")));
        Assert.Throws<InvalidOperationException>(() => RegistryConnectionOptions.Resolve("http://127.0.0.1:2", null, null));
    }
}

/// <summary>A registry connection against the real contract on a Hardhat node.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RegistryConnectionTests(HardhatFixture fixture)
{
    [Fact]
    public async Task Opens_reads_checks_and_writes_as_the_resolved_account()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        using var connection = new RegistryConnection(RegistryConnectionOptions.ForDeployment(r.Deployment) with { Account = new AccountSource { Index = BwAuthority } });
        Assert.Empty(await connection.CheckDeploymentAsync());
        await connection.EnsureDeploymentAsync();
        Assert.Equal(r.Deployment.BlockNumber, connection.FromBlock);
        Assert.Equal(Account(BwAuthority).Address, (await connection.AccountAsync()).Address);
        var writer = await connection.WriterAsync();
        Assert.Equal(Account(BwAuthority).Address, writer.Sender.Account.Address);
        var newcomer = Account(17).Address;
        await writer.AddMemberAsync(newcomer);
        Assert.True(await connection.Reader.IsMemberAsync(ParticipantCode.Parse("BW"), newcomer));

        using var elsewhere = new RegistryConnection(connection.Rpc, connection.Options with { RegistryAddress = Account(18).Address, Deployment = null });
        Assert.NotEmpty(await elsewhere.CheckDeploymentAsync()); // no registry there
        Assert.Equal(0UL, elsewhere.FromBlock);
    }
}
