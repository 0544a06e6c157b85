using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp research replay over a folder that holds an unfinished run of other options says so before it starts its own
/// (a resume needs the same options; the README's resume example once left them out and started a whole year).
/// </summary>
[Trait("Category", "Fast")]
public sealed class ReplayFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-replay-folder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task An_unfinished_replay_of_other_options_is_named_not_resumed_silently()
    {
        var output = Directory.CreateDirectory(Path.Combine(_root, "r23")).FullName;
        await File.WriteAllTextAsync(Path.Combine(output, "replay-state.json"), """
            {"year": 2023, "scale": 0.02, "attacksShare": 0.01, "seed": 2023, "node": "Hardhat", "registry": null,
             "deploymentBlock": 0, "chainNow": 0, "setUp": false, "recordsWritten": 0, "batchesLanded": {}, "nonces": {},
             "anchored": false, "finished": false}
            """);
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root }) { WorkingDirectory = _root };
        // no node answers on port 1: the run stops at its first read, after it has said what it found in the folder
        var run = await kp.RunAsync("research", "replay", "--rpc", "http://127.0.0.1:1", "--scale", "0.001", "--out", output);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("holds an unfinished replay of other options (year 2023, scale 0.02, attacks share 0.01, seed 2023, Hardhat)", run.Err);
        Assert.DoesNotContain("resuming", run.Err);
    }
}
