using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Traceability.Chain.Rpc;

namespace Traceability.Cli.Infrastructure;

/// <summary>A local node kp chain up started: its record in kp's home (<c>node-PORT.json</c>).</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Port">Its port on 127.0.0.1.</param>
/// <param name="Url">Its JSON-RPC endpoint.</param>
/// <param name="ChainId">Its chain id.</param>
/// <param name="Log">Its log file.</param>
/// <param name="Like">The network it is timed and priced like ("besu": kp chain up --like besu), or null for Hardhat.</param>
/// <param name="State">A Besu-like node's state file (its chain, kept across kp chain down and up).</param>
public sealed record LocalNodeRecord(int Pid, int Port, string Url, long ChainId, string? Log, string? Like = null, string? State = null);

/// <summary>
/// Starting and stopping the local Hardhat node behind kp chain up/down, wherever kp runs: the dev-chain
/// scripts of the checkout (or the copy shipped with the tool), and Hardhat from the nearest node_modules.
/// </summary>
public static class LocalChain
{
    /// <summary>What to install when no Hardhat is found (one line).</summary>
    public const string InstallHint = "kp chain up needs Hardhat 2.29.1 in a node_modules folder: run `npm install hardhat@2.29.1` here (or in a parent folder), or set KP_REPO to a kp checkout where `npm ci` ran";

    /// <summary>What to install when no Anvil is found for kp chain up --like besu (one line).</summary>
    public const string AnvilHint = "kp chain up --like besu needs Anvil 1.7.1 in a node_modules folder: run `npm install @foundry-rs/anvil@1.7.1` here (or in a parent folder), or set KP_REPO to a kp checkout where `npm ci` ran";

    /// <summary>Runs chain-dev/start.js (or stop.js) with <paramref name="args"/>; returns its exit code and output.</summary>
    /// <param name="ctx">The command's context.</param>
    /// <param name="script">start.js or stop.js.</param>
    /// <param name="args">The script's arguments.</param>
    /// <param name="besuLike">start.js only: the node is the Besu-like Anvil (found as <see cref="AnvilBinary"/>), not Hardhat.</param>
    public static async Task<(int ExitCode, string Out, string Err)> RunScriptAsync(CliContext ctx, string script, IEnumerable<string> args, bool besuLike = false)
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
        if (script == "start.js" && besuLike) psi.Environment["KP_ANVIL"] = AnvilBinary(ctx) ?? throw new CliEnvironmentException(AnvilHint);
        else if (script == "start.js")
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
                // read as kp reads any file it did not write just now: a regular file, its size capped (a FIFO would block, /dev/zero never end)
                if (JsonSerializer.Deserialize<LocalNodeRecord>(InputFiles.ReadText(f, InputFiles.DeploymentBytes, "node record"), Output.JsonOptions) is { Url.Length: > 0 } r) found.Add(r);
            }
            catch (Exception e) when (e is JsonException or CliUsageException)
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

    /// <summary>
    /// Whether process <paramref name="pid"/> runs and is Anvil: the process id of a record whose node died may since
    /// name another program, which must not pass for the Besu-like node kp chain up started.
    /// </summary>
    public static bool IsAnvil(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && p.ProcessName.StartsWith("anvil", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="record"/> names the endpoint kp chain up writes for its port (http://127.0.0.1:PORT), not another host.</summary>
    public static bool IsOwnEndpoint(LocalNodeRecord record) =>
        string.Equals(record.Url, $"http://127.0.0.1:{record.Port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);

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

    /// <summary>The Anvil binary of @foundry-rs/anvil for this platform in the nearest node_modules ($KP_REPO, upwards from here, from kp), or null.</summary>
    public static string? AnvilBinary(CliContext ctx)
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var relative = Path.Combine("node_modules", "@foundry-rs", $"anvil-{os}-{arch}", "bin", OperatingSystem.IsWindows() ? "anvil.exe" : "anvil");
        return Roots(ctx).Select(r => Path.Combine(r, relative)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The Besu-like node kp chain up started that answers at <paramref name="rpc"/>: recorded in kp's home, its process
    /// alive and an Anvil process, its endpoint the one kp writes (127.0.0.1), and the node there says it is Anvil on the record's chain id. On it (and only there) kp may sign with the
    /// public development phrase, whose accounts that node funds, although its chain id is not the dev chain's.
    /// </summary>
    public static async Task<LocalNodeRecord?> BesuLikeNodeAtAsync(CliContext ctx, ChainRpc rpc)
    {
        var url = rpc.Url.TrimEnd('/');
        var record = Recorded(ctx).FirstOrDefault(r => r.Like == "besu" && IsOwnEndpoint(r) && string.Equals(r.Url, url, StringComparison.OrdinalIgnoreCase) && IsAnvil(r.Pid));
        if (record is null) return null;
        try
        {
            var version = (string?)await rpc.RequestAsync(new RpcCall("web3_clientVersion", []), ctx.Cancel) ?? "";
            var chainId = await rpc.ChainIdAsync();
            return version.StartsWith("anvil/", StringComparison.OrdinalIgnoreCase) && chainId == record.ChainId ? record : null;
        }
        catch (Exception e) when (e is ChainRpcException or ChainUnavailableException)
        {
            return null;
        }
    }

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
