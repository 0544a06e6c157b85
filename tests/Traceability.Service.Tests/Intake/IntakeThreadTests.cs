using Traceability.Service.Hosting;
using Traceability.Service.Intake;
using Traceability.Testing;

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
        // /proc/<tid>/stat: the fields after the command's closing parenthesis; nice is the 19th field of the line
        var stat = File.ReadAllText(Path.Combine(thread, "stat"));
        var nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(BackgroundPriority.Nice, nice);
        await host.StopAsync();
    }
}
