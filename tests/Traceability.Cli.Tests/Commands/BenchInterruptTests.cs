using System.Diagnostics;
using System.Globalization;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// Ctrl+C stops kp bench anchor and kp bench verify, whose anchoring service or portal runs in-process: kp ends at once and
/// its node with it. Their hosts used to take the signal for themselves (stopping the host, keeping the process), so kp, its
/// node gone, waited up to 20 minutes for confirmations that could not come (kp demo the same, without end), or met the
/// portal's 503 and ended on an unhandled exception.
/// </summary>
[Trait("Category", "Chain")]
public sealed class BenchInterruptTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("kp-bench-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("records through", "bench anchor --records 20000")] // while the records go through the in-process service
    [InlineData("portal on", "bench verify --requests 50000 --concurrency 4")] // while the in-process portal is asked
    public async Task Ctrl_C_ends_kp_at_once_and_its_node_with_it(string busy, string command)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in command.Split(' ').Prepend(Path.Combine(AppContext.BaseDirectory, "kp.dll"))) psi.ArgumentList.Add(a);
        psi.Environment["KP_REPO"] = RepoPaths.Root;
        psi.Environment["KP_HOME"] = _home;
        psi.Environment["TMPDIR"] = _home; // the bench's work folder, left behind by an interrupted kp, goes with this test's
        using var kp = Process.Start(psi)!;
        var feeding = new TaskCompletionSource();
        var err = new System.Text.StringBuilder();
        kp.ErrorDataReceived += (_, e) =>
        {
            lock (err) err.AppendLine(e.Data);
            if (e.Data?.Contains(busy, StringComparison.Ordinal) == true) feeding.TrySetResult();
        };
        kp.OutputDataReceived += (_, _) => { };
        kp.BeginErrorReadLine();
        kp.BeginOutputReadLine();
        int? node = null;
        try
        {
            // the service is up and the drop is going through: the node is kp's child
            await feeding.Task.WaitAsync(TimeSpan.FromMinutes(3));
            node = await ChildAsync(kp.Id);
            Assert.True(node is not null, "no node process under kp");
            await SignalAsync("-INT", kp.Id);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await kp.WaitForExitAsync(patience.Token);
        }
        finally
        {
            if (!kp.HasExited) kp.Kill(entireProcessTree: true);
        }
        Assert.NotEqual(0, kp.ExitCode); // interrupted, not a benchmark's figures
        lock (err) Assert.DoesNotContain("Unhandled exception", err.ToString());
        // the node is killed as kp goes; give it a moment to be gone (a busy machine)
        for (var i = 0; i < 100 && node is { } id && IsRunning(id); i++) await Task.Delay(200);
        Assert.False(node is { } pid && IsRunning(pid), $"the node (pid {node}) outlived kp by 20 s; {err}");
    }

    private static async Task<int?> ChildAsync(int parent)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep") { ArgumentList = { "-P", parent.ToString(CultureInfo.InvariantCulture) }, RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (int?)int.Parse(l, CultureInfo.InvariantCulture)).FirstOrDefault();
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    // alive and not a zombie waiting to be reaped (its state is the field after the name in /proc/PID/stat)
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') == false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
