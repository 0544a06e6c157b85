using System.Text;
using System.Text.Json;
using Traceability.Chain.Registry;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Service.Tests.ChildProcess;

namespace Traceability.Service.Tests.Faults;

/// <summary>
/// Issue 7, item 11: the service killed with SIGKILL exactly between two durable steps (the crash
/// points the service exposes to tests through KP_TEST_CRASH_AT) loses nothing: after a restart every
/// document is stored once, every rejection has its reason, and an oversized file's original is kept.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class CrashWindowTests(HardhatFixture hardhat)
{
    /// <summary>Runs the service with the crash point armed until it kills itself, then without, until everything settles and <paramref name="done"/>.</summary>
    private static async Task CrashThenRestartAsync(ServiceHarness h, string point, Action drop, int expected, Func<bool>? done = null)
    {
        var log = new StringBuilder();
        using (var doomed = h.StartChild(environment: new() { ["KP_TEST_CRASH_AT"] = point }, log: log))
        {
            drop();
            var died = await ExitedAsync(doomed, TimeSpan.FromSeconds(90));
            Signal(doomed, "KILL");
            Assert.True(died, $"the service did not reach the crash point {point}: {log}");
            Assert.Equal(137, doomed.ExitCode); // killed by SIGKILL, not a clean exit
        }
        using var again = h.StartChild();
        try
        {
            await h.WaitSettledAsync(expected, TimeSpan.FromSeconds(90));
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (done is not null && !done())
            {
                Assert.True(DateTime.UtcNow < deadline, "the restarted service did not finish what the crash interrupted");
                await Task.Delay(50);
            }
        }
        finally
        {
            Signal(again, "TERM");
            await ExitedAsync(again, TimeSpan.FromSeconds(30));
            Signal(again, "KILL");
        }
    }

    [Fact]
    public async Task Killed_after_an_oversized_file_is_stored_rejected_but_before_it_is_kept_the_original_and_its_reason_survive()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var huge = "{\"schemaVersion\": 1, \"padding\": \"" + new string('y', 1_200_000) + "\"}";
        await CrashThenRestartAsync(h, "intake-stored", () => h.DropText("huge.json", huge), 1,
            () => Directory.Exists(h.Rejected) && Directory.EnumerateFiles(h.Rejected, "*.original").Any() && Directory.EnumerateFiles(h.Rejected, "*.reason.json").Any());

        using var store = h.OpenStore();
        var r = store.WithStatus(RecordStage.Rejected, 10).Single(); // stored once, not again after the restart
        Assert.Equal(("size", "huge.json"), (r.Rule, r.Source));
        Assert.Equal(huge, await File.ReadAllTextAsync(Path.Combine(h.Rejected, $"{r.Id:D8}.original")));
        var reason = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(h.Rejected, $"{r.Id:D8}.reason.json"))).RootElement;
        Assert.Equal("size", reason.GetProperty("rule").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.Inbox));
    }

    [Fact]
    public async Task Killed_after_the_rejected_area_is_written_but_before_the_rejection_is_committed_the_record_is_rejected_once_with_its_reason()
    {
        // refused after it was stored: a transformation of a parcel nobody registered (the pre-check rejects it)
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var good = SampleRecords.OriginParcel("BW");
        var smuggled = SampleRecords.Transformation("BW", [SampleRecords.OriginParcel("BW").Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")]);
        await CrashThenRestartAsync(h, "reject-written", () => h.Drop(good, smuggled), 2);

        using var store = h.OpenStore();
        var rejected = store.WithStatus(RecordStage.Rejected, 10).Single();
        Assert.Equal(("UnknownParcel", smuggled.Hash()), (rejected.Rule, rejected.Hash));
        Assert.True(File.Exists(Path.Combine(h.Rejected, $"{rejected.Id:D8}.reason.json")));
        Assert.True(File.Exists(Path.Combine(h.Rejected, $"{rejected.Id:D8}.json")));
        Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killed_after_an_invalid_document_is_stored_rejected_but_before_its_reason_is_written_the_reason_is_written_on_restart(bool bulk)
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var good = SampleRecords.OriginParcel("BW");
        var truncated = RecordJson.Write(SampleRecords.OriginParcel("BW"))[..50];
        await CrashThenRestartAsync(h, "intake-stored", () =>
        {
            if (bulk) h.DropText("bulk.jsonl", RecordJson.Write(good).ReplaceLineEndings("") + "\n" + truncated.ReplaceLineEndings("") + "\n");
            else
            {
                h.Drop(good);
                h.DropText("truncated.json", truncated);
            }
        }, 2, () => Directory.Exists(h.Rejected) && Directory.EnumerateFiles(h.Rejected, "*.reason.json").Any());

        using var store = h.OpenStore();
        var rejected = store.WithStatus(RecordStage.Rejected, 10).Single(); // stored once, not again after the restart
        Assert.Equal(("format", bulk ? "bulk.jsonl#2" : "truncated.json"), (rejected.Rule, rejected.Source));
        Assert.True(File.Exists(Path.Combine(h.Rejected, $"{rejected.Id:D8}.json")));
        Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
    }

    [Fact]
    public async Task Killed_after_a_file_left_the_inbox_but_before_it_was_stored_its_records_are_anchored_once()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, 20).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        await CrashThenRestartAsync(h, "intake-staged", () =>
        {
            h.DropLines("bulk.jsonl", parcels.Take(15));
            h.Drop([.. parcels.Skip(15)]);
        }, 20);

        using var store = h.OpenStore();
        Assert.Equal(20, store.Counts()[RecordStage.Confirmed]);
        Assert.Equal(0, store.Counts()[RecordStage.Rejected]);
        Assert.All(parcels, p => Assert.Single(store.ByHash(p.Hash().ToString())));
        Assert.All(await h.Registry.Reader.ParcelsAsync(TestRegistry.Hashes(parcels)), s => Assert.True(s.Exists));
    }

    [Fact]
    public async Task Killed_between_two_chunks_of_a_large_drop_file_its_records_are_stored_and_anchored_once()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, RecordStore.ReceiveChunk + 20).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        await CrashThenRestartAsync(h, "intake-chunk-stored", () => h.DropLines("bulk.jsonl", parcels), parcels.Count);

        await AssertAnchoredOnceAsync(h, parcels);
        using var store = h.OpenStore();
        Assert.Equal(0, store.Counts()[RecordStage.Rejected]); // the first chunk, read again, was found stored: not a duplicate
    }

    [Fact]
    public async Task Killed_between_two_chunks_a_twin_across_the_chunks_and_a_bad_line_are_each_rejected_once()
    {
        // line 2 is not JSON (rejected in the first chunk, before the crash), the last line the first one's twin (in the second chunk)
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, RecordStore.ReceiveChunk + 20).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var lines = parcels.Select(p => RecordJson.Write(p).ReplaceLineEndings("")).ToList();
        lines.Insert(1, "{ not json");
        lines.Add(lines[0]);
        await CrashThenRestartAsync(h, "intake-chunk-stored", () => h.DropText("bulk.jsonl", string.Join("\n", lines) + "\n"), lines.Count,
            () => Directory.Exists(h.Rejected) && Directory.EnumerateFiles(h.Rejected, "*.reason.json").Count() >= 2);

        using var store = h.OpenStore();
        var counts = store.Counts();
        Assert.Equal((parcels.Count, 2L), (counts[RecordStage.Confirmed], counts[RecordStage.Rejected]));
        var rejected = store.WithStatus(RecordStage.Rejected, 10);
        Assert.Equal(["bulk.jsonl#150", "bulk.jsonl#2"], rejected.Select(r => r.Source.Split('-', 2)[^1]).Order(StringComparer.Ordinal));
        Assert.Equal("duplicate", rejected.Single(r => r.Source.EndsWith("#150", StringComparison.Ordinal)).Rule);
        Assert.Equal(2, Directory.EnumerateFiles(h.Rejected, "*.reason.json").Count());
        Assert.Equal(2, store.ByHash(parcels[0].Hash().ToString()).Count); // the first copy confirmed, its twin rejected: nothing stored twice
        Assert.All(parcels.Skip(1), p => Assert.Single(store.ByHash(p.Hash().ToString())));
        var events = await h.Registry.Reader.LogsAsync<ParcelRegisteredEvent>();
        Assert.Equal(parcels.Count, events.Count);
    }

    /// <summary>Every parcel is on chain, registered by exactly one ParcelRegistered event, and held once, confirmed, by the store.</summary>
    private static async Task AssertAnchoredOnceAsync(ServiceHarness h, IReadOnlyList<ParcelRecord> parcels)
    {
        var hashes = TestRegistry.Hashes(parcels);
        Assert.All(await h.Registry.Reader.ParcelsAsync(hashes), s => Assert.True(s.Exists));
        var events = await h.Registry.Reader.LogsAsync<ParcelRegisteredEvent>();
        var counted = events.GroupBy(e => Hash32.FromBytes(e.Event.Parcel)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(hashes, x => Assert.Equal(1, counted[x]));
        using var store = h.OpenStore();
        Assert.Equal(parcels.Count, store.Counts()[RecordStage.Confirmed]);
        Assert.All(parcels, p => Assert.Single(store.ByHash(p.Hash().ToString())));
        Assert.Empty(store.SubmittedBatches());
    }

    [Theory]
    [InlineData("batch-started")] // the batch's records are marked submitted, nothing signed or sent
    [InlineData("batch-mined")] // the receipt says mined, the batch is not yet marked confirmed
    public async Task Killed_between_a_batchs_durable_steps_its_records_are_anchored_once(string point)
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, 30).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        await CrashThenRestartAsync(h, point, () => h.DropLines("bulk.jsonl", parcels), parcels.Count);
        await AssertAnchoredOnceAsync(h, parcels);
    }

    [Fact]
    public async Task Killed_with_several_batches_in_flight_each_is_settled_by_its_own_transaction_once()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, 60).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var settings = h.Settings();
        settings["Anchoring:MaxBatchSize"] = "10";
        settings["Anchoring:MaxInFlightBatches"] = "4";
        // blocks every 2 s: batches sent meanwhile wait in the pool, several in flight at once
        await h.Registry.Rpc.RequestAsync("evm_setAutomine", false);
        await h.Registry.Rpc.RequestAsync("evm_setIntervalMining", 2_000);
        try
        {
            var log = new StringBuilder();
            using (var doomed = h.StartChild(settings, new() { ["KP_TEST_CRASH_AT"] = "batch-sent-behind-others" }, log))
            {
                h.DropLines("bulk.jsonl", parcels);
                var died = await ExitedAsync(doomed, TimeSpan.FromSeconds(90));
                Signal(doomed, "KILL");
                Assert.True(died, $"the service never sent a batch behind another: {log}");
                Assert.Equal(137, doomed.ExitCode);
            }
            using (var store = h.OpenStore())
            {
                var inFlight = store.SubmittedBatches();
                // two sent, their hashes recorded; a batch made meanwhile whose send had not yet begun has none (recovery sends it again)
                Assert.True(inFlight.Count(b => b.TxHash is not null) >= 2, $"{inFlight.Count} batch(es) in flight at the kill, {inFlight.Count(b => b.TxHash is not null)} sent");
            }
            using var again = h.StartChild(settings);
            try
            {
                await h.WaitSettledAsync(parcels.Count, TimeSpan.FromSeconds(120));
            }
            finally
            {
                Signal(again, "TERM");
                await ExitedAsync(again, TimeSpan.FromSeconds(30));
                Signal(again, "KILL");
            }
        }
        finally
        {
            await h.Registry.Rpc.RequestAsync("evm_setIntervalMining", 0);
            await h.Registry.Rpc.RequestAsync("evm_setAutomine", true);
        }
        await AssertAnchoredOnceAsync(h, parcels);
    }
}
