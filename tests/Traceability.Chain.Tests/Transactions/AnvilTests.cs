using Newtonsoft.Json.Linq;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>The same client on Anvil, a second, independent EVM node; and what differs there.</summary>
[Trait("Category", "Chain")]
public class AnvilTests
{
    [Fact]
    public async Task Pays_zero_fees_on_a_free_gas_chain_chosen_automatically()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil, zeroBaseFee: true);
        using var r = await TestRegistry.DeployAsync(node);
        var tx = await r.As(BwMiner).RegisterParcelDetailsAsync([Salt.New(), Salt.New()]);
        var sent = (JObject)(await r.Rpc.RequestAsync("eth_getTransactionByHash", tx.Hash))!;
        Assert.Equal("0x0", (string?)sent["gasPrice"]);
        Assert.Equal("0x0", (string?)sent["type"]);
    }

    [Fact]
    public async Task A_revert_that_Anvil_mines_is_decoded_from_the_receipt()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node);
        var writer = r.As(Outsider);
        var data = RegistryReader.CallData(new RegisterParcelFunction { Details = Salt.New().ToArray() });
        // no estimate: Anvil accepts the transaction and mines it with status 0 (Hardhat would refuse it)
        var hash = await writer.Sender.SubmitAsync(r.Deployment.Address, data, 200_000);
        // the RPC layer returns the raw revert of the mined transaction; the registry layer decodes it
        var raw = await Assert.ThrowsAsync<RevertException>(() => writer.Sender.WaitAsync(hash, r.Deployment.Address, data));
        Assert.Equal(hash, raw.TransactionHash);
        var e = ContractRevertException.From(raw);
        Assert.Equal("NotAMember", e.ErrorName);
        Assert.Equal(hash, e.TransactionHash);
        // the nonce was consumed by the mined revert, and the next send still goes through
        await r.As(BwMiner).RegisterParcelDetailsAsync([Salt.New()]);
    }

    [Fact]
    public async Task On_the_Besu_like_node_a_zero_fee_transaction_still_in_the_pool_is_replaced_by_itself_not_a_fault()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike);
        using var r = await TestRegistry.DeployAsync(node);
        var sender = r.As(BwMiner).Sender;
        var data = RegistryReader.CallData(new RegisterParcelsFunction { Details = [Salt.New().ToArray()] });
        await r.Rpc.RequestAsync("evm_setIntervalMining", 0); // held in the pool
        try
        {
            var hash = await sender.SubmitAsync(r.Deployment.Address, data, 200_000);
            // zero fees cannot be raised: the replacement is the same signed transaction, which the pool already holds
            // (Anvil: "transaction already imported", Besu: "Known transaction"): the original stands, wait for it
            Assert.Equal(hash, await sender.ReplaceAsync(hash));
            await r.Rpc.RequestAsync("anvil_dropTransaction", hash);
            Assert.Equal(hash, await sender.ReplaceAsync(hash)); // gone from the pool: sent again, the same hash
            Assert.IsType<JObject>(await r.Rpc.RequestAsync("eth_getTransactionByHash", hash));
        }
        finally
        {
            await r.Rpc.RequestAsync("evm_setIntervalMining", BesuGenesis.Read(RepoPaths.Root).BlockPeriodSeconds);
        }
    }

    [Fact]
    public async Task Notices_a_chain_reset_under_a_deployment()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node);
        Assert.Empty(await RegistryDeployer.CheckAsync(r.Rpc, r.Deployment));
        await r.Rpc.RequestAsync("anvil_reset");
        var problems = await RegistryDeployer.CheckAsync(r.Rpc, r.Deployment);
        Assert.Contains(problems, p => p.Contains("no contract", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovers_when_another_client_used_the_accounts_nonce()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node);
        await r.As(BwMiner).RegisterParcelDetailsAsync([Salt.New()]);
        // a second sender for the same account moves the nonce on behind the first one's back
        using var other = await TestRegistry.DeployAsync(node);
        await other.As(BwAuthority).AddMemberAsync(Account(Outsider).Address);
        await r.As(BwAuthority).AddMemberAsync(Account(Relayer).Address);
        Assert.True(await r.Reader.IsMemberAsync(Core.Participants.ParticipantCode.Parse("BW"), Account(Relayer).Address));
    }
}
