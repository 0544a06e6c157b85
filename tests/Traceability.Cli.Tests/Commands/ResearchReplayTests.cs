using System.Globalization;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp research replay in small: a few hundred certificates with every attack class on a fresh Hardhat node; every attack
/// gets its expected verdict, no genuine certificate is a false alarm, and the origin parcels written add up to the
/// public production figures of samples/kp-statistics (read here on their own, not through the replay's reader).
/// </summary>
[Trait("Category", "Chain")]
public sealed class ResearchReplayTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-replay-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_small_replay_detects_every_attack_without_false_alarms_and_its_parcels_add_up_to_the_public_production()
    {
        var output = Path.Combine(_root, "replay");
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root }) { WorkingDirectory = _root };
        var run = await kp.RunAsync("research", "replay", "--year", "2023", "--scale", "0.005", "--attacks-share", "0.05", "--out", output, "--json");
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
        var production = PublicProduction(2023);
        Assert.Equal(production.Keys.Order(), written.Keys.Order());
        foreach (var (code, (carats, usd)) in production)
        {
            Assert.Equal(carats * 100, written[code].Carats);
            Assert.Equal(usd * 100, written[code].Cents);
        }
        Assert.Equal(result.GetProperty("certificates").GetInt32(), File.ReadLines(Path.Combine(output, "documents", "certificates.jsonl")).Count());
        Assert.True(File.Exists(Path.Combine(output, "replay-state.json")) && File.Exists(Path.Combine(output, "replay.json")));
    }

    /// <summary>Production by participant in a year, carats and US$, straight from the public figures' CSV.</summary>
    private static Dictionary<string, (decimal Carats, decimal Usd)> PublicProduction(int year)
    {
        var figures = new Dictionary<string, (decimal Carats, decimal Usd)>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "samples", "kp-statistics", "kp-statistics.csv")).Skip(1))
        {
            // row_id,category,year,entity,iso2,metric,value,... : the first seven fields of a production row are never quoted
            var f = line.Split(',');
            if (f.Length < 7 || f[1] != "production_by_country" || f[2] != year.ToString(CultureInfo.InvariantCulture) || f[4].Length != 2) continue;
            var value = decimal.Parse(f[6], CultureInfo.InvariantCulture);
            var (carats, usd) = figures.GetValueOrDefault(f[4]);
            if (f[5] == "production_volume") carats = value;
            if (f[5] == "production_value") usd = value;
            figures[f[4]] = (carats, usd);
        }
        return figures.Where(p => p.Value.Carats > 0).ToDictionary();
    }
}
