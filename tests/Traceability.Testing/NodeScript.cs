using System.Diagnostics;

namespace Traceability.Testing;

/// <summary>Runs a Node.js script of the repository with input on stdin and returns its stdout.</summary>
public static class NodeScript
{
    /// <summary>Runs <c>node &lt;script&gt; args</c> from the repository root; throws with stderr if it fails.</summary>
    public static async Task<string> RunAsync(string script, string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(RepoPaths.Under(script.Split('/')));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"node {script} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
