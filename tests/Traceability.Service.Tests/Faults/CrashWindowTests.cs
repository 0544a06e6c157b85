using System.Text;
using System.Text.Json;
using Traceability.Core.Json;
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
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var good = SampleRecords.OriginParcel("BW");
        await CrashThenRestartAsync(h, "reject-written", () =>
        {
            h.Drop(good);
            h.DropText("truncated.json", RecordJson.Write(SampleRecords.OriginParcel("BW"))[..50]);
        }, 2);

        using var store = h.OpenStore();
        var rejected = store.WithStatus(RecordStage.Rejected, 10).Single();
        Assert.Equal(("format", "truncated.json"), (rejected.Rule, rejected.Source));
        Assert.True(File.Exists(Path.Combine(h.Rejected, $"{rejected.Id:D8}.reason.json")));
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
}
