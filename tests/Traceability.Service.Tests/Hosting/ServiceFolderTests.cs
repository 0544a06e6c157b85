using System.Diagnostics;
using System.Globalization;
using System.Text;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Service.Tests.ChildProcess;

namespace Traceability.Service.Tests.Hosting;

/// <summary>
/// Issue 7, items 8 and 9: a service folder belongs to one process (an OS lock the kernel releases
/// however the holder ends) and its store to one deployment.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class ServiceFolderTests(HardhatFixture hardhat)
{
    private static async Task WaitForAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("waited in vain for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_second_service_in_the_same_process_on_a_folder_in_use_refuses_to_start_naming_the_holder()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var first = h.StartInProcess();
        using var second = Service.Hosting.ServiceHost.Build([], h.Settings(), logging: _ => { });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => second.StartAsync());
        Assert.Contains(h.ServiceDirectory, e.Message);
        Assert.Contains($"process {Environment.ProcessId}", e.Message);
        // the first one is unharmed
        var parcel = SampleRecords.OriginParcel("BW");
        h.Drop(parcel);
        await h.WaitSettledAsync(1);
        using var store = h.OpenStore();
        Assert.Equal(RecordStage.Confirmed, store.ByHash(parcel.Hash().ToString()).Single().Stage);
    }

    [Fact]
    public async Task Two_service_processes_on_one_folder_the_second_refuses_naming_the_holder_pid_and_a_SIGKILLed_holder_releases_it()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var firstLog = new StringBuilder();
        using var first = h.StartChild(log: firstLog);
        Process? third = null;
        try
        {
            var parcels = Enumerable.Range(0, 3).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
            h.Drop(parcels[0]);
            await h.WaitSettledAsync(1, TimeSpan.FromSeconds(90)); // the first one holds the folder and works

            var secondLog = new StringBuilder();
            using var second = h.StartChild(log: secondLog);
            var refused = await ExitedAsync(second, TimeSpan.FromSeconds(60));
            Signal(second, "KILL");
            Assert.True(refused, "the second service did not stop by itself");
            Assert.Equal(3, second.ExitCode);
            var said = secondLog.ToString();
            Assert.Contains("in use by process " + first.Id.ToString(CultureInfo.InvariantCulture), said);
            Assert.False(first.HasExited);

            h.Drop(parcels[1]);
            await h.WaitSettledAsync(2, TimeSpan.FromSeconds(90));

            Signal(first, "KILL"); // no cleanup at all: the kernel releases the lock
            Assert.True(await ExitedAsync(first, TimeSpan.FromSeconds(30)));
            third = h.StartChild();
            h.Drop(parcels[2]);
            await h.WaitSettledAsync(3, TimeSpan.FromSeconds(90));
            Assert.False(third.HasExited);
            using var store = h.OpenStore();
            Assert.Equal(3, store.Counts()[RecordStage.Confirmed]);
            Assert.Equal(0, store.Counts()[RecordStage.Rejected]);
        }
        finally
        {
            Signal(first, "KILL");
            if (third is not null)
            {
                Signal(third, "TERM");
                await ExitedAsync(third, TimeSpan.FromSeconds(30));
                third.Dispose();
            }
        }
    }

    [Fact]
    public async Task Sixty_records_dropped_while_a_second_service_tries_the_folder_are_all_anchored_none_rejected_as_its_own_duplicate()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var first = h.StartInProcess();
        var parcels = Enumerable.Range(0, 60).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var drops = Task.Run(() => { foreach (var p in parcels) h.Drop(p); });
        for (var i = 0; i < 5; i++)
        {
            using var other = Service.Hosting.ServiceHost.Build([], h.Settings(), logging: _ => { });
            await Assert.ThrowsAnyAsync<Exception>(() => other.StartAsync());
        }
        await drops;
        await h.WaitSettledAsync(60, TimeSpan.FromSeconds(120));
        using var store = h.OpenStore();
        Assert.Equal(60, store.Counts()[RecordStage.Confirmed]);
        Assert.Equal(0, store.Counts()[RecordStage.Rejected]);
    }

    [Fact]
    public async Task A_store_bound_to_deployment_A_refuses_to_start_against_deployment_B_naming_both()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using (var host = h.StartInProcess())
        {
            h.Drop(SampleRecords.OriginParcel("BW"));
            await h.WaitSettledAsync(1);
            await host.StopAsync();
        }
        using var b = await TestRegistry.DeployAsync(hardhat.Node);
        var bPath = Path.Combine(h.Folder, "deployment-b.json");
        b.Deployment.Write(bPath);
        Assert.NotEqual(h.Registry.Deployment.Address, b.Deployment.Address);
        var settings = h.Settings();
        settings["Anchoring:DeploymentPath"] = bPath;
        using var wrong = Service.Hosting.ServiceHost.Build([], settings, logging: _ => { });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => wrong.StartAsync());
        Assert.Contains(h.Registry.Deployment.Address, e.Message);
        Assert.Contains(b.Deployment.Address, e.Message);

        // nothing of B's got in, and A's own service still starts on it
        using (var store = h.OpenStore()) Assert.Equal(1, store.Counts()[RecordStage.Confirmed]);
        using var right = h.StartInProcess();
        h.Drop(SampleRecords.OriginParcel("BW"));
        await h.WaitSettledAsync(2);
    }

    [Fact]
    public async Task The_service_program_on_a_store_of_another_deployment_exits_3_naming_both()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using (var host = h.StartInProcess())
        {
            h.Drop(SampleRecords.OriginParcel("BW"));
            await h.WaitSettledAsync(1);
        }
        using var b = await TestRegistry.DeployAsync(hardhat.Node);
        var bPath = Path.Combine(h.Folder, "deployment-b.json");
        b.Deployment.Write(bPath);
        var settings = h.Settings();
        settings["Anchoring:DeploymentPath"] = bPath;
        var log = new StringBuilder();
        using var child = h.StartChild(settings, log: log);
        try
        {
            Assert.True(await ExitedAsync(child, TimeSpan.FromSeconds(60)), "the service started on another deployment's store");
        }
        finally
        {
            Signal(child, "KILL");
        }
        Assert.Equal(3, child.ExitCode);
        Assert.Contains(h.Registry.Deployment.Address, log.ToString());
        Assert.Contains(b.Deployment.Address, log.ToString());
    }

    [Fact]
    public async Task The_lock_is_an_OS_lock_released_when_the_host_is_disposed()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using (var first = h.StartInProcess()) await first.StopAsync();
        using var again = h.StartInProcess(); // would throw if the lock were still held
        await WaitForAsync(() => File.Exists(h.Layout.LockFile), "the lock file");
    }
}
