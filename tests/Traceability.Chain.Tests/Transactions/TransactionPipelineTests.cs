using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>Several batch transactions in flight: ordered nonces, a bounded window, and a revert that spends only its own nonce.</summary>
[Trait("Category", "Chain")]
public class TransactionPipelineTests
{
    [Fact]
    public async Task Batches_in_flight_keep_their_nonce_order_wait_for_room_and_a_revert_leaves_the_later_ones_standing()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node);
        var writer = r.As(BwMiner);
        var pipeline = new TransactionPipeline(writer.Sender, depth: 3);
        var first = Enumerable.Range(0, 3).Select(_ => Salt.New()).ToList();
        // the third batch registers the first batch's parcels again: mined after it, it reverts (AlreadyRegistered)
        string[] data =
        [
            RegistryWriter.RegisterParcelsCallData(first),
            RegistryWriter.RegisterParcelsCallData([Salt.New(), Salt.New()]),
            RegistryWriter.RegisterParcelsCallData(first),
            RegistryWriter.RegisterParcelsCallData([Salt.New()]),
        ];
        var outcomes = new ConcurrentDictionary<int, string>();
        var sent = new ConcurrentDictionary<int, string>();
        TransactionOutcome Track(int i) => new(
            (_, replacement) => outcomes[i] = "replaced",
            tx => outcomes[i] = "mined",
            e => outcomes[i] = "reverted");

        await r.Rpc.RequestAsync("evm_setAutomine", false); // nothing is mined until the test says so
        for (var i = 0; i < 3; i++)
        {
            var k = i;
            await pipeline.SubmitAsync(r.Deployment.Address, data[k], 500_000, h => sent[k] = h, Track(k));
        }
        Assert.Equal(3, pipeline.InFlight);
        var fourth = pipeline.SubmitAsync(r.Deployment.Address, data[3], 500_000, h => sent[3] = h, Track(3));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(fourth.IsCompleted); // the window is full: the fourth waits for the oldest to settle
        Assert.False(sent.ContainsKey(3));

        await r.Rpc.RequestAsync("evm_mine"); // one block: the first three, in nonce order
        await fourth;
        await r.Rpc.RequestAsync("evm_mine");
        await pipeline.DrainAsync();

        Assert.Equal(["mined", "mined", "reverted", "mined"], Enumerable.Range(0, 4).Select(i => outcomes[i]));
        var nonces = new List<long>();
        foreach (var i in Enumerable.Range(0, 4))
        {
            var tx = (JObject)(await r.Rpc.RequestAsync("eth_getTransactionByHash", sent[i]))!;
            nonces.Add((long)ChainRpc.Quantity(tx["nonce"]!));
        }
        Assert.Equal(Enumerable.Range((int)nonces[0], 4).Select(n => (long)n), nonces); // consecutive: the revert spent its own nonce only
        Assert.Equal(0, pipeline.InFlight);
        Assert.All(await r.Reader.ParcelsAsync([.. first.Select(d => Core.Records.ParcelRecord.HashOf(Core.Participants.ParticipantCode.Parse("BW"), d))]), s => Assert.True(s.Exists));
    }

    [Fact]
    public async Task Sends_from_the_background_go_in_order_each_with_its_nonce_and_a_refusal_at_sending_is_told_apart()
    {
        // Hardhat's automine runs a transaction inside eth_sendRawTransaction and reports a revert there
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        using var r = await TestRegistry.DeployAsync(node);
        var writer = r.As(BwMiner);
        var pipeline = new TransactionPipeline(writer.Sender, depth: 8);
        var twice = Enumerable.Range(0, 2).Select(_ => Salt.New()).ToList();
        // the same parcels twice: the second is refused (AlreadyRegistered), the sends going in the order they were handed over
        string[] data =
        [
            RegistryWriter.RegisterParcelsCallData(twice),
            RegistryWriter.RegisterParcelsCallData([Salt.New()]),
            RegistryWriter.RegisterParcelsCallData(twice),
            RegistryWriter.RegisterParcelsCallData([Salt.New(), Salt.New()]),
            RegistryWriter.RegisterParcelsCallData([Salt.New()]),
        ];
        var outcomes = new ConcurrentDictionary<int, string>();
        var sent = new ConcurrentDictionary<int, string>();
        for (var i = 0; i < data.Length; i++)
        {
            var k = i;
            await pipeline.SendAsync(r.Deployment.Address, data[k], 500_000, h => sent[k] = h, e => outcomes[k] = "refused",
                new((_, _) => outcomes[k] = "replaced", _ => outcomes[k] = "mined", _ => outcomes[k] = "reverted"));
        }
        await pipeline.DrainAsync();

        Assert.Equal(["mined", "mined", "refused", "mined", "mined"], Enumerable.Range(0, data.Length).Select(i => outcomes[i]));
        Assert.Equal(4, sent.Count); // the refused one has no hash
        var nonces = new List<long>();
        foreach (var i in new[] { 0, 1, 3, 4 })
        {
            nonces.Add((long)ChainRpc.Quantity((await r.Rpc.RequestAsync("eth_getTransactionByHash", sent[i]))["nonce"]!));
        }
        // in the order handed over; the refused one spent one nonce at most (Hardhat mines a reverting transaction, then reports
        // the revert: the next send, signed with the same nonce, is told "nonce too low" and signed again with the next)
        Assert.Equal(nonces.Order(), nonces);
        Assert.Equal(4, nonces.Distinct().Count());
        Assert.InRange(nonces[^1] - nonces[0], 3, 4);
        Assert.Equal(0, pipeline.InFlight);
    }

    [Fact]
    public async Task A_fault_while_awaiting_surfaces_once_every_batch_in_flight_has_ended()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node, new TransactionOptions { ReceiptTimeout = TimeSpan.FromSeconds(1) });
        var pipeline = new TransactionPipeline(r.As(BwMiner, new TransactionOptions { ReceiptTimeout = TimeSpan.FromSeconds(1) }).Sender, depth: 4);
        var replaced = new ConcurrentBag<string>();
        await r.Rpc.RequestAsync("evm_setAutomine", false);
        for (var i = 0; i < 2; i++)
        {
            await pipeline.SubmitAsync(r.Deployment.Address, RegistryWriter.RegisterParcelsCallData([Salt.New()]), 200_000, _ => { },
                new((old, replacement) => replaced.Add(replacement), _ => { }, _ => { }));
        }
        // no block comes: each is replaced (same nonce, higher fee), then the replacement times out too
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            while (true)
            {
                await pipeline.SettleAsync();
                await Task.Delay(100);
            }
        });
        Assert.Equal(2, replaced.Count);
        Assert.Equal(0, pipeline.InFlight); // settled: nothing of it still runs behind the caller's recovery
        await r.Rpc.RequestAsync("evm_mine");
        foreach (var hash in replaced) Assert.Equal(TransactionState.Mined, (await r.As(BwMiner).Sender.LookupAsync(hash)).State);
    }

    [Fact]
    public async Task A_receipt_read_without_its_logs_agrees_with_the_full_receipt()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var r = await TestRegistry.DeployAsync(node);
        var sender = r.As(BwMiner).Sender;
        var data = RegistryWriter.RegisterParcelsCallData([Salt.New(), Salt.New(), Salt.New()]);
        var hash = await sender.SubmitAsync(r.Deployment.Address, data, 300_000);
        var full = await sender.WaitAsync(hash, r.Deployment.Address, data);
        var light = await sender.WaitAsync(hash, r.Deployment.Address, data, withLogs: false);
        Assert.Equal(3, full.Logs.Count);
        Assert.Empty(light.Logs);
        Assert.Equal((3, 3, 3), (full.LogCount, light.LogCount, (await sender.LookupAsync(hash)).LogCount)); // counted, not read
        Assert.Equal((full.Hash, full.BlockNumber, full.BlockHash, full.GasUsed, full.ContractAddress),
            (light.Hash, light.BlockNumber, light.BlockHash, light.GasUsed, light.ContractAddress));
        Assert.Null(await r.Rpc.ReceiptSummaryAsync("0x" + new string('1', 64))); // unknown to the node: no receipt yet
        await Assert.ThrowsAsync<ArgumentException>(() => r.Rpc.ReceiptSummaryAsync("0x12\"]}"));
    }
}
