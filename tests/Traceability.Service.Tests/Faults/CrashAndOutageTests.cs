using Traceability.Chain.Registry;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Service.Tests.ChildProcess;

namespace Traceability.Service.Tests.Faults;

/// <summary>The service as a real child process: killed with SIGKILL mid-run, and its node frozen for a while. Nothing lost, nothing twice.</summary>
[Trait("Category", "Chain")]
public class CrashAndOutageTests
{
    private static async Task<long> ConfirmedAsync(ServiceHarness h)
    {
        using var store = h.OpenStore();
        return store.Counts()[RecordStage.Confirmed];
    }

    /// <summary>Every parcel is on chain, registered once (one ParcelRegistered event each), and the store holds each once, confirmed.</summary>
    private static async Task AssertExactlyOnceAsync(ServiceHarness h, IReadOnlyList<ParcelRecord> parcels)
    {
        var hashes = parcels.Select(p => p.Hash()).ToList();
        Assert.All(await h.Registry.Reader.ParcelsAsync(hashes), s => Assert.True(s.Exists));
        var events = await h.Registry.Reader.LogsAsync<ParcelRegisteredEvent>();
        var counted = events.GroupBy(e => Hash32.FromBytes(e.Event.Parcel)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(hashes, x => Assert.Equal(1, counted[x]));
        using var store = h.OpenStore();
        var counts = store.Counts();
        Assert.Equal(parcels.Count, counts[RecordStage.Confirmed]);
        Assert.Equal(0, counts[RecordStage.Rejected] + counts[RecordStage.Received] + counts[RecordStage.Pending] + counts[RecordStage.Submitted]);
    }

    [Fact]
    public async Task Killed_with_SIGKILL_mid_run_a_restart_anchors_every_record_exactly_once()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        using var h = await ServiceHarness.CreateAsync(node);
        var parcels = Enumerable.Range(0, 3_000).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var settings = h.Settings();
        settings["Anchoring:MaxBatchSize"] = "100";

        var first = h.StartChild(settings);
        // bulk files and single files, arriving while the service works
        for (var i = 0; i < 2_800; i += 200) h.DropLines($"bulk-{i:D5}.jsonl", parcels.Skip(i).Take(200));
        foreach (var p in parcels.Skip(2_800)) h.Drop(p);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ConfirmedAsync(h) < 600 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Signal(first.Id, "KILL");
        await first.WaitForExitAsync();
        var atKill = await ConfirmedAsync(h);
        Assert.InRange(atKill, 1, parcels.Count - 1); // killed in the middle, not before or after

        using var second = h.StartChild(settings);
        try
        {
            await h.WaitSettledAsync(parcels.Count, TimeSpan.FromSeconds(120));
        }
        finally
        {
            Signal(second.Id, "TERM");
            await second.WaitForExitAsync();
        }
        Assert.Equal(0, second.ExitCode); // SIGTERM: a graceful stop
        await AssertExactlyOnceAsync(h, parcels);
    }

    [Fact]
    public async Task A_node_that_stops_answering_for_a_while_loses_nothing()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        using var h = await ServiceHarness.CreateAsync(node);
        var parcels = Enumerable.Range(0, 600).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        using var service = h.StartChild();
        try
        {
            h.DropLines("first.jsonl", parcels.Take(300));
            await h.WaitSettledAsync(300);
            Signal(node.ProcessId, "STOP"); // the node freezes: requests time out
            h.DropLines("second.jsonl", parcels.Skip(300));
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(300, await ConfirmedAsync(h)); // nothing anchored while it is down, nothing lost either
            Signal(node.ProcessId, "CONT");
            await h.WaitSettledAsync(parcels.Count, TimeSpan.FromSeconds(60));
        }
        finally
        {
            Signal(node.ProcessId, "CONT");
            Signal(service.Id, "TERM");
            await service.WaitForExitAsync();
        }
        await AssertExactlyOnceAsync(h, parcels);
    }
}

/// <summary>A transaction that sits in the node's pool without a receipt is replaced (same nonce, higher fee).</summary>
[Trait("Category", "Chain")]
public class StuckTransactionTests
{
    [Fact]
    public async Task A_stuck_batch_transaction_is_replaced_and_its_records_anchored_once()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        using var h = await ServiceHarness.CreateAsync(node);
        var settings = h.Settings();
        settings["Anchoring:ReceiptTimeoutSeconds"] = "2";
        using var host = h.StartInProcess(settings);
        h.Drop(SampleRecords.OriginParcel("BW"));
        await h.WaitSettledAsync(1);

        await h.Registry.Rpc.RequestAsync("evm_setAutomine", false); // nothing gets mined: the batch sticks
        var parcels = Enumerable.Range(0, 50).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        h.DropLines("stuck.jsonl", parcels);
        using var store = h.OpenStore();
        string? first = null, replacement = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (replacement is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var tx = store.SubmittedBatches().Select(b => b.TxHash).FirstOrDefault(t => t is not null);
            if (tx is null) continue;
            first ??= tx;
            if (tx != first) replacement = tx;
        }
        Assert.NotNull(first);
        Assert.NotNull(replacement);
        await h.Registry.Rpc.RequestAsync("evm_setAutomine", true);
        await h.Registry.Rpc.RequestAsync("evm_mine");
        await h.WaitSettledAsync(51);

        Assert.All(parcels, p => Assert.Equal(replacement, store.ByHash(p.Hash().ToString()).Single().TransactionHash));
        Assert.Null((await h.Registry.Rpc.RequestAsync("eth_getTransactionReceipt", first!)).ToObject<object?>());
        var sent = (Newtonsoft.Json.Linq.JObject)(await h.Registry.Rpc.RequestAsync("eth_getTransactionByHash", replacement!))!;
        var original = await h.Registry.Rpc.RequestAsync("eth_getTransactionByHash", first!);
        Assert.True(original.Type == Newtonsoft.Json.Linq.JTokenType.Null || (string?)original["nonce"] == (string?)sent["nonce"]);
        Assert.All(await h.Registry.Reader.ParcelsAsync(TestRegistry.Hashes(parcels)), s => Assert.True(s.Exists));
    }
}
