using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>The README's blocks marked <c>&lt;!-- doctest --&gt;</c>: where they are and what they say, read from the repository's README.md.</summary>
internal static class ReadmeBlocks
{
    /// <summary>The line before a fence that marks its block as run by <see cref="ReadmeDocTests"/>.</summary>
    public const string Marker = "<!-- doctest -->";

    /// <summary>The user sections ("Who uses it, and how"): each must hold at least one marked block.</summary>
    public static readonly string[] UserSections =
        ["### Governance", "### Member", "### Authority", "### Importer", "### Anchoring service", "### Researcher"];

    /// <summary>A marked block: the heading it stands under, its README line, its code.</summary>
    public sealed record Block(string Section, int Line, string Code);

    /// <summary>The marked blocks of the README, in order.</summary>
    public static IReadOnlyList<Block> Read() => Parse(File.ReadAllLines(RepoPaths.Under("README.md")));

    /// <summary>The marked blocks of <paramref name="lines"/>; a marker not followed by a ```sh (or ```bash) fence, or a fence never closed, fails.</summary>
    public static IReadOnlyList<Block> Parse(IReadOnlyList<string> lines)
    {
        var blocks = new List<Block>();
        var section = "";
        var inFence = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            else if (!inFence && line.StartsWith('#')) section = line;
            if (inFence || line.Trim() != Marker) continue;
            var fence = i + 1 < lines.Count ? lines[i + 1].Trim() : "";
            Assert.True(fence is "```sh" or "```bash", $"README.md line {i + 1}: {Marker} must be followed by a ```sh fence, found '{fence}'");
            var code = new StringBuilder();
            var end = i + 2;
            for (; end < lines.Count && lines[end].Trim() != "```"; end++) code.Append(lines[end]).Append('\n');
            Assert.True(end < lines.Count, $"README.md line {i + 2}: the doctest block is never closed");
            blocks.Add(new Block(section, i + 3, code.ToString()));
            i = end;
        }
        return blocks;
    }

    /// <summary>
    /// The blocks as one bash script: stderr joined to stdout (so the trace and the output keep their
    /// order), <c>set -euo pipefail</c> and <c>set -x</c>, each block announced by a traced line naming its
    /// section and README line; first, the script writes its process group id to <paramref name="pgidFile"/>.
    /// </summary>
    public static string Script(IEnumerable<Block> blocks, string pgidFile)
    {
        var script = new StringBuilder()
            .Append("echo $$ > ").Append(Quote(pgidFile)).Append('\n')
            .Append("exec 2>&1\nset -euo pipefail\nset -x\n");
        foreach (var b in blocks)
        {
            script.Append(": ").Append(Quote($"README.md line {b.Line.ToString(CultureInfo.InvariantCulture)}, {b.Section.TrimStart('#', ' ')}")).Append('\n');
            script.Append(b.Code);
        }
        return script.ToString();
    }

    /// <summary>A word quoted for sh.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>The README's marked blocks are well formed and every user section has one (no chain needed).</summary>
[Trait("Category", "Fast")]
public class ReadmeDocBlockTests
{
    [Fact]
    public void Every_user_section_has_a_marked_block_and_every_marker_a_fence()
    {
        var blocks = ReadmeBlocks.Read();
        foreach (var section in ReadmeBlocks.UserSections)
        {
            Assert.True(blocks.Any(b => b.Section.StartsWith(section, StringComparison.Ordinal)), $"README.md: no {ReadmeBlocks.Marker} block under '{section}'");
        }
        Assert.All(blocks, b => Assert.False(string.IsNullOrWhiteSpace(b.Code), $"README.md line {b.Line}: an empty doctest block"));
    }

    [Fact]
    public void A_marker_without_its_fence_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => ReadmeBlocks.Parse(["### Member", ReadmeBlocks.Marker, "kp parcel status s1.json"]));
        Assert.ThrowsAny<Exception>(() => ReadmeBlocks.Parse(["### Member", ReadmeBlocks.Marker, "```sh", "kp parcel status s1.json"]));
        var blocks = ReadmeBlocks.Parse(["### Member", "```sh", ReadmeBlocks.Marker, "```", ReadmeBlocks.Marker, "```sh", "# a comment", "kp new parcel", "```"]);
        var only = Assert.Single(blocks); // a marker inside a fence is text, not a marker
        Assert.Equal(new ReadmeBlocks.Block("### Member", 7, "# a comment\nkp new parcel\n"), only);
    }
}

/// <summary>
/// The README cannot drift from the tool: its marked blocks run, in order, as one bash script
/// against the built kp, on a fresh Hardhat node, from an empty folder.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", "Chain")]
public class ReadmeDocTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_README_user_sections_run_as_written()
    {
        var blocks = ReadmeBlocks.Read();
        var kpDll = Path.Combine(AppContext.BaseDirectory, "kp.dll");
        Assert.True(File.Exists(kpDll), $"the built kp is not at {kpDll}");

        var root = Directory.CreateTempSubdirectory("kp-readme-").FullName;
        var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        var kp = Path.Combine(bin, "kp");
        await File.WriteAllTextAsync(kp, $"#!/bin/sh\nexec dotnet {ReadmeBlocks.Quote(kpDll)} \"$@\"\n");
        File.SetUnixFileMode(kp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var pgidFile = Path.Combine(root, "script.pgid");
        var scriptFile = Path.Combine(root, "readme.sh");
        await File.WriteAllTextAsync(scriptFile, ReadmeBlocks.Script(blocks, pgidFile));

        // setsid: the script leads its own process group, so whatever it leaves behind (a kp serve
        // started with &) can be found and stopped by the group
        var psi = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "--wait", "bash", scriptFile },
        };
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("KP_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(name);
        psi.Environment["PATH"] = bin + ":" + psi.Environment["PATH"];
        psi.Environment["HOME"] = home;
        var kpHome = Path.Combine(root, "kphome");
        psi.Environment["KP_HOME"] = kpHome; // the README's kp chain up records its node there, kp chain deploy its deployment record
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        psi.Environment["KP_REPO"] = RepoPaths.Root; // Hardhat for kp chain up, and kp research and kp bench, come from the checkout

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
        }
        string Output()
        {
            lock (output) return output.ToString();
        }
        var watch = Stopwatch.StartNew();
        using var script = Process.Start(psi)!;
        script.OutputDataReceived += (_, e) => Append(e.Data);
        script.ErrorDataReceived += (_, e) => Append(e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        var finished = await ExitedAsync(script, HangGuard);
        // after the script's end, anything left in its group is a leftover (and may hold the output pipes
        // open); after a hang, the group is all of it
        var leftovers = StopGroup(pgidFile);
        var nodesLeft = StopNodes(kpHome); // kp chain up detaches its node from the script's group: the README must stop it
        if (!finished && !await ExitedAsync(script, TimeSpan.FromSeconds(30))) Signal(script.Id, "KILL");
        using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await script.WaitForExitAsync(drained.Token); // the rest of the output
            }
            catch (OperationCanceledException)
            {
                // a process outside the group still holds the pipes: the output shown may be cut short
            }
        }
        var shown = $"script {scriptFile}, run in {work} for {watch.Elapsed.TotalSeconds:0} s; its output:\n{Output()}";
        Assert.True(finished, $"the README's blocks did not finish within {HangGuard.TotalMinutes} minutes; {shown}");
        Assert.True(script.ExitCode == 0, $"the README's blocks failed with exit code {script.ExitCode} (the last traced '+' line is the one that failed); {shown}");
        Assert.False(leftovers, $"the README's blocks left processes running (stopped now by their process group); {shown}");
        Assert.False(nodesLeft, $"the README's blocks left the node of kp chain up running (stopped now); {shown}");
        Assert.Contains("VERDICT: Verified", Output());
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Stops the nodes kp chain up recorded in <paramref name="kpHome"/> that still run (by their process group); true if any did.</summary>
    private static bool StopNodes(string kpHome)
    {
        var any = false;
        foreach (var record in Directory.Exists(kpHome) ? Directory.GetFiles(kpHome, "node-*.json") : [])
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(record));
            var pid = doc.RootElement.GetProperty("pid").GetInt32().ToString(CultureInfo.InvariantCulture);
            if (Kill("-0", pid) != 0) continue;
            any = true;
            Kill("-KILL", "-" + pid);
        }
        return any;
    }

    /// <summary>Stops what is left of the script's process group (TERM, then KILL); true if anything was left.</summary>
    private static bool StopGroup(string pgidFile)
    {
        if (!File.Exists(pgidFile) || !int.TryParse(File.ReadAllText(pgidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pgid) || pgid <= 1) return false;
        var group = "-" + pgid.ToString(CultureInfo.InvariantCulture);
        if (Kill("-0", group) != 0) return false;
        Kill("-TERM", group);
        for (var i = 0; i < 100 && Kill("-0", group) == 0; i++) Thread.Sleep(100);
        Kill("-KILL", group);
        return true;
    }

    private static void Signal(int pid, string signal) => Kill("-" + signal, pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Runs kill(1) with a signal and a process (or, negative, a process group); returns its exit code.</summary>
    private static int Kill(string signal, string target)
    {
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true, ArgumentList = { signal, "--", target } };
        using var kill = Process.Start(psi)!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        return kill.ExitCode;
    }

    /// <summary>
    /// Whether <paramref name="p"/> exits within <paramref name="within"/>. It polls the exit itself:
    /// WaitForExitAsync also waits for the end of the redirected output, which never comes while a
    /// process the script left behind holds the pipes.
    /// </summary>
    private static async Task<bool> ExitedAsync(Process p, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!p.HasExited)
        {
            if (deadline.Elapsed > within) return false;
            await Task.Delay(200);
        }
        return true;
    }
}
