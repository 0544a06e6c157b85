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
    /// Lowers the calling thread's priority: its nice value raised by <see cref="Nice"/> (at most 19) on Linux (a process may always
    /// lower its own threads; relative, as <c>nice</c> is, so a thread of a service already started at a lower priority is never
    /// raised, even as root), below normal elsewhere. Returns whether it took.
    /// </summary>
    public static bool LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // who 0 with PRIO_PROCESS: on Linux the calling thread only (a thread has its own nice value); no gettid (glibc 2.30+)
                Marshal.SetLastPInvokeError(0);
                var current = getpriority(PrioProcess, 0);
                if (current == -1 && Marshal.GetLastPInvokeError() != 0) return false;
                return setpriority(PrioProcess, 0, Math.Min(MaxNice, current + Nice)) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false; // a C library without them: the intake runs at the normal priority rather than not at all
            }
        }
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

    private const int PrioProcess = 0; // with who 0: the calling thread (Linux threads have their own nice value)

    private const int MaxNice = 19;

    [DllImport("libc", SetLastError = true)]
    private static extern int getpriority(int which, int who);

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);
}
