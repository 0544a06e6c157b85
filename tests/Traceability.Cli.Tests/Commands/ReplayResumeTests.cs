using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traceability.Cli.Tests.Research;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// A resumed kp research replay says what its figures are: on the chain that holds the earlier run it sends only what is
/// missing, says "resumed", and projects no year from the little gas it spent itself; when that chain is gone it anchors
/// again from the start and is no resume at all (every figure is its own, the year's projection with them).
/// </summary>
[Trait("Category", "Chain")]
[Collection("replay")]
public sealed class ReplayResumeTests(ReplayRun replay)
{
    [Fact]
    public async Task A_run_stopped_while_verifying_resumes_on_its_chain_sends_nothing_again_and_projects_no_year()
    {
        Assert.True(replay.Result.ExitCode == 0, replay.Result.ToString());
        var folder = replay.Folder("resumed");
        File.Copy(Path.Combine(replay.Output, "deployment.json"), Path.Combine(folder, "deployment.json"));
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(replay.Output, "replay-state.json")))!.AsObject();
        state["finished"] = false; // as a run stopped (Ctrl+C) after anchoring, while verifying, leaves it
        await File.WriteAllTextAsync(Path.Combine(folder, "replay-state.json"), state.ToJsonString());

        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root, ["KP_HOME"] = replay.Folder("home-resumed") }) { WorkingDirectory = folder };
        var run = await kp.RunAsync("research", "replay", "--year", ReplayRun.Year.ToString(CultureInfo.InvariantCulture), "--scale", "0.005", "--attacks-share", "0.05",
            "--out", folder, "--rpc", replay.Node.Url);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("resuming the replay in", run.Err);
        Assert.Contains("0.005 (resumed)", run.Out);
        Assert.Matches(@"records anchored / transactions:\s+[0-9,]+ / 0\n", run.Out); // every batch was on chain already
        Assert.Contains("gas of this run (resumed: only what it sent)", run.Out);
        Assert.DoesNotContain("the whole year (this run / scale)", run.Out);
        Assert.Contains("ms on average, 32 at once)", run.Out);
        Assert.Contains("every attack detected, no false alarm", run.Out);
    }

    [Fact]
    public async Task A_run_whose_chain_is_gone_anchors_again_and_is_not_a_resume()
    {
        var folder = replay.Folder("chain-gone");
        // an unfinished run of the same options whose registry the chain does not have (a node kp started, stopped with it)
        await File.WriteAllTextAsync(Path.Combine(folder, "replay-state.json"), """
            {"year": 2023, "scale": 0.0005, "attacksShare": 0.01, "seed": 2023, "node": "Hardhat", "registry": "0x000000000000000000000000000000000000dEaD",
             "deploymentBlock": 1, "chainNow": 0, "setUp": true, "recordsWritten": 0, "batchesLanded": {"origin parcels": 1}, "nonces": {},
             "anchored": false, "finished": false}
            """);
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root, ["KP_HOME"] = replay.Folder("home-chain-gone") }) { WorkingDirectory = folder };
        var run = await kp.RunAsync("research", "replay", "--scale", "0.0005", "--out", folder, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("anchoring again from the start", run.Err);
        var result = JsonDocument.Parse(run.Out).RootElement;
        JsonSchemas.AssertValid("research-replay", run.Out, "kp research replay --json");
        Assert.False(result.GetProperty("resumed").GetBoolean());
        Assert.True(result.GetProperty("transactions").GetInt64() > 0);
        Assert.Equal(32, result.GetProperty("verifyConcurrency").GetInt32()); // the mean verification time is one among 32 in flight
    }
}
