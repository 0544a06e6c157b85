using System.Runtime.InteropServices;
using Traceability.Service.Hosting;

namespace Traceability.Service.Tests.Hosting;

/// <summary>A lower priority for bulk work: it only ever lowers a thread's priority, by <see cref="BackgroundPriority.Nice"/>, never raises it.</summary>
[Trait("Category", "Fast")]
public class BackgroundPriorityTests
{
    [Fact]
    public void A_thread_already_at_a_lower_priority_than_the_bulk_value_is_never_raised()
    {
        // a service started with `nice -n 15` (or a thread already lowered): as root, setting nice 10 outright would raise the intake
        // above the rest of the process, the opposite of what it is for
        if (!OperatingSystem.IsLinux()) return;
        var (before, after, took) = (0, 0, false);
        var thread = new Thread(() =>
        {
            Assert.Equal(0, setpriority(0, 0, 15)); // lowering is always allowed
            before = ThreadNice();
            took = BackgroundPriority.LowerCurrentThread();
            after = ThreadNice();
        });
        thread.Start();
        thread.Join();
        Assert.Equal(15, before);
        Assert.True(after >= before, $"the thread went from nice {before} to {after} (took: {took})");
    }

    [Fact]
    public void A_thread_at_the_normal_priority_is_lowered_by_the_bulk_value()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (before, after, took) = (0, 0, false);
        var thread = new Thread(() =>
        {
            before = ThreadNice();
            took = BackgroundPriority.LowerCurrentThread();
            after = ThreadNice();
        });
        thread.Start();
        thread.Join();
        Assert.True(took);
        Assert.Equal(Math.Min(19, before + BackgroundPriority.Nice), after);
        Assert.Equal(before, ThreadNice()); // the calling thread only: this one is as it was
    }

    /// <summary>The calling thread's nice value.</summary>
    private static int ThreadNice() => ProcNice.Of("/proc/thread-self");

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);
}
