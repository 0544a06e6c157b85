using System.Text.Json;
using Traceability.Core.Primitives;
using Traceability.Lab.Index;
using Traceability.Lab.Statistics;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// kp stats on a trade year built on a dev chain from the public 2023 figures (<see cref="StatsStory"/>): the
/// production and export totals equal the figures the story was built from; the mirror statistics flag the
/// light confirmation and the unconfirmed certificate; the CSV, charts and HTML report are written.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public sealed class StatsCommandTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task The_totals_equal_the_public_figures_the_trade_was_built_from_and_the_mirror_flags_the_discrepancies()
    {
        using var r = await TestRegistry.DeployAsync(hardhat.Node);
        var dir = Directory.CreateTempSubdirectory("kp-stats-").FullName;
        var story = await StatsStory.PlayAsync(r, Path.Combine(dir, "documents"));
        var db = Path.Combine(dir, "index.sqlite");
        Ok(await new Kp().RunAsync("index", "--db", db, "--rpc", r.Rpc.Url, "--registry", r.Deployment.Address));
        var output = Environment.GetEnvironmentVariable("KP_STATS_CHARTS") is { Length: > 0 } docs ? docs : Path.Combine(dir, "stats"); // the README's charts
        var run = Ok(await new Kp().RunAsync("stats", "--db", db, "--documents", story.Documents, "--year", "2023", "--out", output, "--json"));
        JsonSchemas.AssertValid("stats", run.Out, "kp stats --json");

        // the function the replay's totals test points at: an index and a documents folder
        using (var store = IndexStore.Open(db, create: false))
        {
            var report = TradeStatistics.Compute(store, story.Documents, PublicFigures.Read(RepoPaths.Under("samples", "kp-statistics", "kp-statistics.csv")), new(2023));
            var differences = TotalsCheck.AgainstPublished(report, 2023, story.Producers.Select(p => p.Code));
            Assert.All(differences, d => Assert.True(d.Within(0.005m), d.ToString()));
            Assert.Equal(story.Producers.Count, differences.Count);
            foreach (var p in story.Producers)
            {
                var line = report.Lines.Single(l => l.Participant == p.Code && l.Period == new Period(2023, 0));
                Assert.Equal(p.Carats, line.Production.Carats); // exactly: the parcels split the figure in whole hundredths
                Assert.Equal(p.ValueUsd, line.Production.ValueUsd);
                Assert.Equal(p.Carats, line.Exports.Carats);
                Assert.Equal(p.ValueUsd, line.Exports.ValueUsd);
                Assert.Equal(p.Carats, report.Lines.Where(l => l.Participant == p.Code && l.Period.Half != 0).Sum(l => l.Production.Carats));
            }
            Assert.Equal(story.Producers.Sum(p => p.Carats), report.Totals.Single(t => t.Period == new Period(2023, 0)).Production.Carats);
            var outlier = Assert.Single(report.Outliers); // every other shipment is at its exporter's published average
            Assert.Equal(("CD", "AE"), (outlier.Exporter, outlier.Importer));
            Assert.InRange(outlier.Ratio, 4.99m, 5.01m);
            Assert.Equal(Keccak.Hash("CD2023-000001").ToString(), outlier.NumberHash);
        }

        // for people: every document read is in one of the counts (the sorted lots and the sorting in no table)
        var text = Ok(await new Kp().RunAsync("stats", "--db", db, "--documents", story.Documents, "--year", "2023"));
        Assert.Contains($"{story.Producers.Count * 10 - 1 + 2} counted, 0 not on chain, 0 altered, 0 voided, 3 in no table (transformations, the parcels they made, repeats); 0 files or lines skipped", text.Out);

        var later = Ok(await new Kp().RunAsync("stats", "--db", db, "--documents", story.Documents, "--year", "2030"));
        Assert.Contains($"nothing dated 2030 among the {story.Producers.Count * 10 - 1 + 2} documents counted (without --year, kp stats shows every year it finds)", later.Out);
        Assert.DoesNotContain("nothing dated", text.Out);

        var json = JsonDocument.Parse(run.Out).RootElement;
        var inputs = json.GetProperty("inputs");
        // every producer's 6 parcels, 2 certificates and 2 confirmations but CA's second, and AE's re-export with its confirmation; not the sorted lots nor the sorting
        Assert.Equal(story.Producers.Count * 10 - 1 + 2, inputs.GetProperty("counted").GetInt32());
        Assert.Equal(story.Producers.Count * 10 - 1 + 2 + 3, inputs.GetProperty("documents").GetInt32());
        Assert.Equal(0, inputs.GetProperty("notOnChain").GetInt32());
        var mirror = json.GetProperty("mirror").EnumerateArray().ToDictionary(m => $"{m.GetProperty("exporter").GetString()}>{m.GetProperty("importer").GetString()}");
        Assert.True(mirror["BW>EU"].GetProperty("flagged").GetBoolean()); // confirmed 1 % light
        Assert.True(mirror["CA>EU"].GetProperty("flagged").GetBoolean()); // never confirmed
        Assert.Equal(1, mirror["CA>EU"].GetProperty("unconfirmed").GetInt32());
        Assert.False(mirror["RU>AE"].GetProperty("flagged").GetBoolean());
        Assert.Equal(0m, mirror["RU>AE"].GetProperty("differenceCarats").GetDecimal());
        var india = json.GetProperty("participants").EnumerateArray().Single(l => l.GetProperty("participant").GetString() == "IN" && l.GetProperty("period").GetString() == "2023");
        Assert.Equal(story.ReexportedCarats, india.GetProperty("imports").GetProperty("carats").GetDecimal());
        Assert.Equal(0m, india.GetProperty("production").GetProperty("carats").GetDecimal());
        var imports = json.GetProperty("participants").EnumerateArray().Single(l => l.GetProperty("participant").GetString() == "AE" && l.GetProperty("period").GetString() == "2023");
        var firstHalves = story.Producers.Sum(p => p.Code == "CD" ? p.Carats / 10 : p.Carats / 2); // H1's three parcels of six (the DRC's: a tenth)
        Assert.InRange(Math.Abs(firstHalves - imports.GetProperty("imports").GetProperty("carats").GetDecimal()), 0m, 1m);

        foreach (var file in new[] { "participants.csv", "mirror.csv", "outliers.csv", "production-2023.png", "production-2023.svg", "trade-2023.png", "usd-per-carat-2023.svg", "mirror-2023.png", "report.html" })
        {
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, file);
        }
        var png = File.ReadAllBytes(Path.Combine(output, "production-2023.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Equal(4, html.Split("<svg", StringSplitOptions.None).Length - 1); // the four charts inline: one file to send
        Assert.DoesNotContain("src=\"", html, StringComparison.Ordinal);
        Assert.Contains(" 3 in no table (transformations, the parcels they made, repeats); 0 files or lines skipped (not KP documents).", html, StringComparison.Ordinal);
        Assert.DoesNotContain("BW2023-000001", html, StringComparison.Ordinal); // aggregates only: no certificate number leaves
    }
}
