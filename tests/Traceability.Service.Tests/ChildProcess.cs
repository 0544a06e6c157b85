using System.Diagnostics;
using System.Globalization;

namespace Traceability.Service.Tests;

/// <summary>Signals and waits for the child processes (services, nodes) the fault tests start.</summary>
internal static class ChildProcess
{
    /// <summary>Whether <paramref name="p"/> exits within <paramref name="within"/>.</summary>
    public static async Task<bool> ExitedAsync(Process p, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            await p.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, TERM, STOP, CONT) to <paramref name="p"/> unless it has exited.</summary>
    public static void Signal(Process p, string signal)
    {
        if (!p.HasExited) Signal(p.Id, signal, mustSucceed: false);
    }

    /// <summary>Sends <paramref name="signal"/> to the process <paramref name="pid"/>; with <paramref name="mustSucceed"/>, asserts it was delivered.</summary>
    public static void Signal(int pid, string signal, bool mustSucceed = true)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (mustSucceed) Assert.Equal(0, kill.ExitCode);
    }
}
