using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Traceability.Cli.Infrastructure;

/// <summary>A local node kp chain up started: its record in kp's home (<c>node-PORT.json</c>).</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Port">Its port on 127.0.0.1.</param>
/// <param name="Url">Its JSON-RPC endpoint.</param>
/// <param name="ChainId">Its chain id.</param>
/// <param name="Log">Its log file.</param>
public sealed record LocalNodeRecord(int Pid, int Port, string Url, long ChainId, string? Log);

/// <summary>
/// Starting and stopping the local Hardhat node behind kp chain up/down, wherever kp runs: the dev-chain
/// scripts of the checkout (or the copy shipped with the tool), and Hardhat from the nearest node_modules.
/// </summary>
public static class LocalChain
{
    /// <summary>What to install when no Hardhat is found (one line).</summary>
    public const string InstallHint = "kp chain up needs Hardhat 2.29.1 in a node_modules folder: run `npm install hardhat@2.29.1` here (or in a parent folder), or set KP_REPO to a kp checkout where `npm ci` ran";

    /// <summary>Runs chain-dev/start.js (or stop.js) with <paramref name="args"/>; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunScriptAsync(CliContext ctx, string script, IEnumerable<string> args)
    {
        var scripts = ScriptsFolder(ctx);
        var psi = new ProcessStartInfo(NodeExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ctx.WorkingDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(scripts, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KP_RUN_DIR"] = ctx.Home.Path;
        psi.Environment["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true";
        if (script == "start.js")
        {
            psi.Environment["KP_HARDHAT_DIR"] = HardhatFolder(ctx) ?? throw new CliEnvironmentException(InstallHint);
            psi.Environment["KP_HARDHAT_CONFIG"] = Path.Combine(scripts, "kp-node.config.js");
        }
        Directory.CreateDirectory(ctx.Home.Path);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CliEnvironmentException("kp chain needs Node.js 20 or newer (node on PATH)");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CliEnvironmentException("kp chain needs Node.js 20 or newer: `node` is not on PATH");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ctx.Cancel);
            var stderr = process.StandardError.ReadToEndAsync(ctx.Cancel);
            await process.WaitForExitAsync(ctx.Cancel);
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>The nodes kp chain up started that are recorded in kp's home (alive or not).</summary>
    public static IReadOnlyList<LocalNodeRecord> Recorded(CliContext ctx)
    {
        var home = ctx.Home.Path;
        if (!Directory.Exists(home)) return [];
        var found = new List<LocalNodeRecord>();
        foreach (var f in Directory.EnumerateFiles(home, "node-*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<LocalNodeRecord>(File.ReadAllText(f), Output.JsonOptions) is { Url.Length: > 0 } r) found.Add(r);
            }
            catch (JsonException)
            {
                // not a node record: ignored
            }
        }
        return found.OrderBy(r => r.Port).ToList();
    }

    /// <summary>Whether process <paramref name="pid"/> still runs.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The one running node kp chain up recorded, or null when there is none; several are a usage error asking which.</summary>
    public static LocalNodeRecord? TheRunningNode(CliContext ctx)
    {
        var alive = Recorded(ctx).Where(r => IsAlive(r.Pid)).ToList();
        return alive.Count switch
        {
            0 => null,
            1 => alive[0],
            _ => throw new CliUsageException($"--port: kp chain up runs {alive.Count} nodes (ports {string.Join(", ", alive.Select(a => a.Port.ToString(CultureInfo.InvariantCulture)))}): give --port or --rpc", "--port"),
        };
    }

    // the checkout's chain-dev/ when kp runs in one (or KP_REPO names one), else the copy shipped beside kp
    private static string ScriptsFolder(CliContext ctx)
    {
        foreach (var root in Roots(ctx))
        {
            var candidate = Path.Combine(root, "chain-dev");
            if (File.Exists(Path.Combine(candidate, "start.js")) && File.Exists(Path.Combine(candidate, "kp-node.config.js"))) return candidate;
        }
        var shipped = Path.Combine(AppContext.BaseDirectory, "chain-dev");
        return File.Exists(Path.Combine(shipped, "start.js")) ? shipped : throw new CliEnvironmentException($"kp's dev-chain scripts are missing from {shipped}: reinstall kp");
    }

    /// <summary>The nearest folder whose node_modules holds Hardhat: $KP_REPO, then upwards from here, then upwards from kp itself.</summary>
    public static string? HardhatFolder(CliContext ctx) =>
        Roots(ctx).FirstOrDefault(r => File.Exists(Path.Combine(r, "node_modules", "hardhat", "internal", "cli", "bootstrap.js")));

    private static IEnumerable<string> Roots(CliContext ctx)
    {
        if (ctx.Env("KP_REPO") is { Length: > 0 } repo) yield return Path.GetFullPath(repo, ctx.WorkingDirectory);
        foreach (var start in new[] { ctx.WorkingDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent) yield return dir.FullName;
        }
    }

    private static string NodeExecutable() => "node";
}
