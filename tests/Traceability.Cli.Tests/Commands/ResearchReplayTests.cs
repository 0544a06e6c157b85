using System.Text.Json;
using Traceability.Cli.Tests.Research;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp research replay in small (<see cref="ReplayRun"/>: a few hundred certificates with every attack class, on a Hardhat node
/// the collection owns): every attack gets its expected verdict, no genuine certificate is a false alarm, and the origin
/// parcels written add up to the public production figures of samples/kp-statistics (read here on their own, not through
/// the replay's reader). kp stats on the same run: <see cref="ReplayStatsTests"/>.
/// </summary>
[Trait("Category", "Chain")]
[Collection("replay")]
public sealed class ResearchReplayTests(ReplayRun replay)
{
    [Fact]
    public void A_small_replay_detects_every_attack_without_false_alarms_and_its_parcels_add_up_to_the_public_production()
    {
        var output = replay.Output;
        var run = replay.Result;
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Out).RootElement;

        // a few hundred certificates, every attack class present and detected with its expected verdict, no false alarm
        Assert.InRange(result.GetProperty("certificates").GetInt32(), 200, 600);
        var rows = result.GetProperty("confusion").EnumerateArray().ToDictionary(r => r.GetProperty("class").GetString()!);
        Assert.Equal(12, rows.Count);
        foreach (var (name, row) in rows)
        {
            Assert.True(row.GetProperty("total").GetInt32() > 0, $"{name}: no document of the class");
            Assert.True(row.GetProperty("detected").GetInt32() == row.GetProperty("total").GetInt32(), $"{name}: {row}");
            Assert.Equal(row.GetProperty("total").GetInt32(), row.GetProperty("verdicts").GetProperty(row.GetProperty("expected").GetString()!).GetInt32());
        }
        Assert.Equal("brokenLineage", rows["splitInflation"].GetProperty("expected").GetString());
        Assert.Equal("flagged", rows["flaggedAncestor"].GetProperty("expected").GetString());
        Assert.Equal(rows["reusedParcel"].GetProperty("total").GetInt32(), rows["reusedParcel"].GetProperty("refusedByRegistry").GetInt32());
        Assert.Equal(0, result.GetProperty("falseAlarms").GetInt32());
        Assert.True(result.GetProperty("attacksDetected").GetBoolean());

        // the origin parcels written add up, per producer, to the public figures: carats to the hundredth, US$ to the cent
        var written = File.ReadLines(Path.Combine(output, "documents", "origin-parcels.jsonl")).Select(RecordJson.Parse<ParcelRecord>)
            .GroupBy(p => p.Participant.Value).ToDictionary(g => g.Key, g => (Carats: g.Sum(p => (decimal)p.Carats), Cents: g.Sum(p => (decimal)p.ValueUsdCents)));
        var production = ReplayRun.PublicProduction(ReplayRun.Year);
        Assert.Equal(production.Keys.Order(), written.Keys.Order());
        foreach (var (code, (carats, usd)) in production)
        {
            Assert.Equal(carats * 100, written[code].Carats);
            Assert.Equal(usd * 100, written[code].Cents);
        }
        Assert.Equal(result.GetProperty("certificates").GetInt32(), File.ReadLines(Path.Combine(output, "documents", "certificates.jsonl")).Count());
        Assert.True(File.Exists(Path.Combine(output, "replay-state.json")) && File.Exists(Path.Combine(output, "replay.json")));
    }

    /// <summary>
    /// On an Anvil node kp starts itself (the path of the whole year: the head's state only, set-up a block a transaction,
    /// the stages a block a second with every transaction in flight, then a standing chain while verifying): every attack
    /// detected, no false alarm, and the bulk stages packed several transactions a block.
    /// </summary>
    [Fact]
    public async Task On_an_Anvil_node_kp_starts_the_stages_share_blocks_and_every_attack_is_detected()
    {
        var root = replay.Folder("anvil");
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root, ["KP_HOME"] = Path.Combine(root, "home") }) { WorkingDirectory = root };
        var run = await kp.RunAsync("research", "replay", "--year", "2023", "--scale", "0.003", "--attacks-share", "0.05", "--node", "anvil",
            "--out", Path.Combine(root, "out"), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("anvil", result.GetProperty("node").GetString(), ignoreCase: true);
        Assert.Equal(0, result.GetProperty("falseAlarms").GetInt32());
        Assert.True(result.GetProperty("attacksDetected").GetBoolean());
        Assert.All(result.GetProperty("confusion").EnumerateArray(), row => Assert.True(row.GetProperty("total").GetInt32() > 0, row.ToString()));
        var parcels = result.GetProperty("stages").EnumerateArray().First(st => st.GetProperty("name").GetString() == "origin parcels");
        Assert.True(parcels.GetProperty("blocks").GetProperty("mostTransactionsInABlock").GetInt32() > 1,
            $"the origin parcels' transactions were mined a block each: {parcels}");
    }
}
