using System.Runtime.InteropServices;

namespace Traceability.Service.Hosting;

/// <summary>
/// A lower scheduling priority for bulk work (the drop folder's intake): on a machine it shares with a node, or with the worker's
/// batches, it takes the CPU they leave. Measured with <c>kp bench anchor --records 100000</c> on two cores beside Hardhat: the intake
/// (parsing, validation, hashing, storing) at the same priority as the node took a third of the node's core while the backlog came in,
/// and the node then waited for work; at nice +10, 13,200 -> 14,100 records a second (mean of 5 pairs, side by side).
/// </summary>
public static partial class BackgroundPriority
{
    /// <summary>The nice value (Linux) bulk threads run at: 10, the value <c>nice</c> gives by default.</summary>
    public const int Nice = 10;

    /// <summary>
    /// Lowers the calling thread's priority: nice <see cref="Nice"/> on Linux (a process may always lower its own threads), below
    /// normal elsewhere. Returns whether it took.
    /// </summary>
    public static bool LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux()) return setpriority(PrioProcess, gettid(), Nice) == 0;
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            return true;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or ThreadStateException)
        {
            return false;
        }
    }

    private const int PrioProcess = 0; // with a thread id: that thread (Linux threads have their own nice value)

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
