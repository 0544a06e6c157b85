using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Traceability.Service.Hosting;
using Traceability.Service.Intake;
using Traceability.Service.Tests.Hosting;
using Traceability.Testing;
using static Traceability.Service.Tests.ChildProcess;

namespace Traceability.Service.Tests.Intake;

/// <summary>The drop folder's intake runs on its own thread at a lower priority: bulk work takes the CPU the node and the batches leave.</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class IntakeThreadTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task The_intake_takes_files_in_on_its_own_thread_at_a_lower_priority()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess();
        var parcels = Enumerable.Range(0, 3).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        h.DropLines("bulk.jsonl", parcels);
        await h.WaitSettledAsync(parcels.Count);

        if (!OperatingSystem.IsLinux()) return; // the thread's nice value is read from /proc
        var intake = Directory.EnumerateDirectories("/proc/self/task")
            .Where(t => File.ReadAllText(Path.Combine(t, "comm")).TrimEnd('\n') == DropFolderIntake.ThreadName).ToList();
        var thread = Assert.Single(intake);
        Assert.Equal(Math.Min(19, ProcNice.Of("/proc/self") + BackgroundPriority.Nice), ProcNice.Of(thread)); // relative to the process's
        await host.StopAsync();
    }

    [Fact]
    public async Task No_other_thread_takes_the_intakes_lower_priority()
    {
        // Linux threads inherit the nice value of the thread that creates them: a thread-pool worker the intake's thread starts
        // (waking the deletion loop, a continuation) would run the worker's batches and the API at nice +10 from then on
        if (!OperatingSystem.IsLinux()) return;
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess();
        var all = 0;
        for (var wave = 0; wave < 8; wave++)
        {
            var parcels = Enumerable.Range(0, 15).Select(_ => SampleRecords.OriginParcel("BW")).ToArray();
            h.Drop(parcels);
            all += parcels.Length;
            await h.WaitSettledAsync(all);
        }
        var process = ProcNice.Of("/proc/self");
        var others = Directory.EnumerateDirectories("/proc/self/task")
            .Select(t => (Name: File.ReadAllText(Path.Combine(t, "comm")).TrimEnd('\n'), Nice: ProcNice.Of(t)))
            .Where(t => t.Name != DropFolderIntake.ThreadName && t.Nice != process).ToList();
        await host.StopAsync();
        Assert.True(others.Count == 0, $"threads at another priority than the process's ({process}): " + string.Join(", ", others.Select(o => $"{o.Name} at {o.Nice}")));
    }

    [Fact]
    public async Task An_intake_that_fails_on_its_thread_stops_the_service_rather_than_dying_silently()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess();
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        var intake = host.Services.GetServices<IHostedService>().OfType<DropFolderIntake>().Single();
        // another writer holds the store past its busy timeout (10 s): storing fails with a SqliteException, not an IOException
        using (var db = new SqliteConnection($"Data Source={h.StorePath};Pooling=False"))
        {
            db.Open();
            using var tx = db.BeginTransaction(deferred: false);
            h.Drop(SampleRecords.OriginParcel("BW"));
            var stopped = await Task.WhenAny(stopping.Task, Task.Delay(TimeSpan.FromSeconds(90)));
            Assert.Same(stopping.Task, stopped);
        }
        Assert.True(intake.ExecuteTask!.IsFaulted, $"the intake's task is {intake.ExecuteTask.Status}");
        Assert.IsType<SqliteException>(intake.ExecuteTask.Exception!.InnerException);
        await host.StopAsync();
    }

    [Fact]
    public async Task Stopped_while_its_intake_stores_a_large_file_the_service_exits_cleanly_and_a_restart_stores_the_rest_once()
    {
        // SIGTERM while the intake's thread is inside a bulk file (validated on that one thread, at nice +10): the host waits for it
        // (its shutdown timeout is 15 s), exits 0, and the file, not yet acknowledged, is read again at the next start
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcels = Enumerable.Range(0, 20_000).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var log = new System.Text.StringBuilder();
        using (var first = h.StartChild(log: log))
        {
            h.DropLines("bulk.jsonl", parcels);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Total(h) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Signal(first, "TERM");
            var stopping = DateTime.UtcNow;
            var exited = await ExitedAsync(first, TimeSpan.FromSeconds(60));
            Signal(first, "KILL");
            Assert.True(exited, "the service did not stop within 60 s of SIGTERM: " + log);
            Assert.True(first.ExitCode == 0, $"exit code {first.ExitCode} after {(DateTime.UtcNow - stopping).TotalSeconds:F1} s: {log}");
        }
        using var again = h.StartChild();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (Total(h) < parcels.Count && DateTime.UtcNow < deadline) await Task.Delay(100);
        }
        finally
        {
            Signal(again, "TERM");
            await ExitedAsync(again, TimeSpan.FromSeconds(60));
            Signal(again, "KILL");
        }
        Assert.Equal(parcels.Count, Total(h)); // each line stored once: none lost, none twice
    }

    private static long Total(ServiceHarness h)
    {
        if (!File.Exists(h.StorePath)) return 0;
        using var store = h.OpenStore();
        return store.Counts().Values.Sum();
    }
}
