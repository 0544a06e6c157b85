using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Index;
using Traceability.Lab.Statistics;
using Traceability.Testing;
using Xunit.Abstractions;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// The totals test of kp stats on the replay's own output (<see cref="ReplayRun"/>): kp index reads the chain the replay
/// anchored, kp stats joins it with the replay's documents folder, and the tables equal what the replay was built from.
/// "Equal within rounding" is half a hundredth of a carat and half a cent (<see cref="TotalsDifference.WithinRounding"/>):
/// the replay splits each producer's public figure into origin parcels of whole hundredths of a carat and whole cents that
/// add up to it exactly at any scale (the scale changes how many parcels, never the totals), so production is compared
/// with the full public figures, not scaled ones. Exports and imports have no public figure of their own in the sample: they
/// are compared with what the replay promises (every origin parcel exported once, less what the registry voided; every
/// confirmation an import).
/// </summary>
[Trait("Category", "Chain")]
[Collection("replay")]
public sealed class ReplayStatsTests(ReplayRun replay, ITestOutputHelper log)
{
    [Fact]
    public async Task On_the_replayed_year_the_totals_equal_the_public_figures_it_was_built_from()
    {
        Assert.True(replay.Result.ExitCode == 0, replay.Result.ToString());
        var dir = replay.Folder("stats");
        var db = Path.Combine(dir, "index.sqlite");
        var indexed = Ok(await new Kp().RunAsync("index", "--db", db, "--rpc", replay.Node.Url, "--deployment", Path.Combine(replay.Output, "deployment.json"), "--json"));
        log.WriteLine($"kp index: {JsonDocument.Parse(indexed.Out).RootElement.GetProperty("seconds")} s");
        var run = Ok(await new Kp().RunAsync("stats", "--db", db, "--documents", replay.Documents, "--year", "2023", "--json"));
        JsonSchemas.AssertValid("stats", run.Out, "kp stats --json");
        var json = JsonDocument.Parse(run.Out).RootElement;
        var lines = json.GetProperty("participants").EnumerateArray()
            .ToDictionary(l => (l.GetProperty("participant").GetString()!, l.GetProperty("period").GetString()!));
        static (decimal Carats, decimal Usd) Of(JsonElement line, string flow) =>
            (line.GetProperty(flow).GetProperty("carats").GetDecimal(), line.GetProperty(flow).GetProperty("valueUsd").GetDecimal());

        // production: every producer's and the world's, against the public figures (read on their own), within rounding
        var published = ReplayRun.PublicProduction(ReplayRun.Year);
        using var store = IndexStore.Open(db, create: false);
        var report = TradeStatistics.Compute(store, replay.Documents, PublicFigures.Read(RepoPaths.Under("samples", "kp-statistics", "kp-statistics.csv")), new(ReplayRun.Year));
        var differences = TotalsCheck.AgainstPublished(report, ReplayRun.Year);
        Assert.Equal(published.Keys.Order(), differences.Select(d => d.Participant).Order());
        Assert.All(differences, d => Assert.True(d.WithinRounding(), d.ToString()));
        foreach (var (code, (carats, usd)) in published)
        {
            var (ct, value) = Of(lines[(code, "2023")], "production");
            Assert.True(Math.Abs(ct - carats) <= 0.005m && Math.Abs(value - usd) <= 0.005m, $"{code}: {ct} ct / US${value}, published {carats} ct / US${usd}");
            var halves = new[] { "2023-H1", "2023-H2" }.Where(h => lines.ContainsKey((code, h))).Select(h => Of(lines[(code, h)], "production")).ToList();
            Assert.Equal((ct, value), (halves.Sum(h => h.Carats), halves.Sum(h => h.Usd))); // the half-years add up to the year
        }
        var world = json.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("period").GetString() == "2023");
        var (worldCarats, worldUsd) = Of(world, "production");
        Assert.True(Math.Abs(worldCarats - published.Values.Sum(p => p.Carats)) <= 0.005m * published.Count, $"world {worldCarats} ct");
        Assert.True(Math.Abs(worldUsd - published.Values.Sum(p => p.Usd)) <= 0.005m * published.Count, $"world US${worldUsd}");

        // exports: every origin parcel leaves its producer once, on an export certificate; what the registry voided is not an export
        var certificates = Read<CertificateRecord>("certificates.jsonl");
        var voided = Voided(store);
        Assert.True(voided.Count > 0, "the replay voids certificates (an attack class)");
        var inputs = json.GetProperty("inputs");
        Assert.Equal(voided.Count, inputs.GetProperty("voided").GetInt32());
        Assert.Equal(0, inputs.GetProperty("notOnChain").GetInt32());
        Assert.Equal(0, inputs.GetProperty("altered").GetInt32());
        foreach (var (code, _) in published)
        {
            var shipped = certificates.Where(c => c.Exporter.Value == code).ToList();
            Assert.Equal(Of(lines[(code, "2023")], "production").Carats, shipped.Sum(c => (decimal)c.Details.Carats) / 100); // the replay's promise, checked
            var kept = shipped.Where(c => !voided.Contains((code, c.NumberHash))).ToList();
            Assert.Equal((kept.Sum(c => (decimal)c.Details.Carats) / 100, kept.Sum(c => (decimal)c.Details.ValueUsdCents) / 100), Of(lines[(code, "2023")], "exports"));
        }

        // imports: every confirmation, by its importer (weight as confirmed, value as certified); the hubs' re-exports are exports of theirs
        var confirmations = Read<ImportConfirmationRecord>("confirmations.jsonl");
        var byKey = certificates.ToDictionary(c => (c.Exporter.Value, c.Number));
        foreach (var importer in confirmations.Select(c => c.Importer.Value).Distinct())
        {
            var mine = confirmations.Where(c => c.Importer.Value == importer).ToList();
            Assert.Equal((mine.Sum(c => (decimal)c.Carats) / 100, mine.Sum(c => (decimal)byKey[(c.Exporter.Value, c.CertificateNumber)].Details.ValueUsdCents) / 100),
                Of(lines[(importer, "2023")], "imports"));
        }

        // mirror statistics: a certificate neither confirmed nor voided (the expired attacks) is the only discrepancy the replay makes
        var unconfirmed = certificates.Count - confirmations.Count - voided.Count;
        Assert.True(unconfirmed > 0, "the replay leaves expired certificates unconfirmed");
        var mirror = json.GetProperty("mirror").EnumerateArray().ToList();
        Assert.Equal(unconfirmed, mirror.Sum(m => m.GetProperty("unconfirmed").GetInt32()));
        Assert.All(mirror, m => Assert.Equal(m.GetProperty("unconfirmed").GetInt32() > 0, m.GetProperty("flagged").GetBoolean()));
        // valuation outliers: the replay prices every origin parcel within 15 % of its producer's average, and kp stats judges none an outlier
        Assert.Equal(0, json.GetProperty("outliers").GetArrayLength());
        log.WriteLine($"{published.Count} producers, {certificates.Count} certificates ({voided.Count} voided, {unconfirmed} unconfirmed), "
            + $"{json.GetProperty("outliers").GetArrayLength()} valuation outliers");
    }

    private List<T> Read<T>(string file) where T : KpRecord =>
        [.. File.ReadLines(Path.Combine(replay.Documents, file)).Select(RecordJson.Parse<T>)];

    private static HashSet<(string, Hash32)> Voided(IndexStore store)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT exporter, number_hash FROM voids";
        using var r = cmd.ExecuteReader();
        var set = new HashSet<(string, Hash32)>();
        while (r.Read()) set.Add((r.GetString(0), Hash32.FromBytes((byte[])r[1])));
        return set;
    }
}
