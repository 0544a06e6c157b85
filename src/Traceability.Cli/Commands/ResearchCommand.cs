using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Research;

namespace Traceability.Cli.Commands;

/// <summary>kp research simulate (a trade year in miniature on a local chain, measured and projected) and kp research replay.</summary>
internal static class ResearchCommand
{
    public static Command Create(CommandRunner run)
    {
        var year = StrictOptions.Integer("--year", "year of the public KP production figures to draw producers, shares and prices from", 2000, 2100, 2023);
        var certificates = StrictOptions.Integer("--certificates", "export certificates to simulate (1-100000)", 1, 100_000, 40);
        var parcels = StrictOptions.Integer("--parcels", "parcels per certificate (1-300)", 1, 300, 10);
        var producers = StrictOptions.Integer("--producers", "the year's largest producers to include (1-7)", 1, 7, 6);
        var reexport = StrictOptions.Fraction("--reexport-share", "share of hub imports merged, split and re-exported to India (0 to 1, such as 0.5)", 0m, 1m, 0.5m);
        var perYear = StrictOptions.Integer("--certificates-per-year", "the Process's yearly certificates to project to (about 55,000 in 2006; 1-100000000)", 1, 100_000_000, 55_000);
        var seed = StrictOptions.Integer("--seed", "random seed (same seed, same trade)", 0, int.MaxValue, 71_277);
        var node = LocalNodeChoice.Create();
        var output = new Option<FileInfo?>("--out") { Description = "write the figures as JSON to this file" };
        var simulate = new Command("simulate", "simulate a trade year in miniature on a fresh local chain, measure gas and verification, project to the Process's volume\nExample: kp research simulate --year 2023 --certificates 40 --out figures.json")
            { year, certificates, parcels, producers, reexport, perYear, seed, node.Node, output };
        run.Bind(simulate, async ctx =>
        {
            var plan = new SimulationPlan(ctx.Parse.GetValue(year), ctx.Parse.GetValue(certificates), ctx.Parse.GetValue(parcels), ctx.Parse.GetValue(producers),
                ctx.Parse.GetValue(seed), node.Resolve(ctx.Parse), ctx.Parse.GetValue(perYear), ctx.Parse.GetValue(reexport));
            if (plan.Certificates <= 0) throw new CliUsageException("--certificates must be above zero");
            if (plan.ParcelsPerCertificate is <= 0 or > 300) throw new CliUsageException("--parcels must be 1 to 300");
            if (plan.Producers is < 1 or > 7) throw new CliUsageException("--producers must be 1 to 7");
            if (plan.ReexportShare is < 0 or > 1) throw new CliUsageException("--reexport-share must be between 0 and 1");
            if (ctx.Parse.GetValue(output) is { } target) InputFiles.RequireWritable(target);
            var root = Paths.RequireRepositoryRoot();
            var csv = Path.Combine(root, "samples", "kp-statistics", "kp-statistics.csv");
            SimulationResult results;
            try
            {
                using var progress = ProgressLine.For(ctx.Err);
                results = await new TradeSimulation(root, csv, progress.Writer) { Work = progress }.RunAsync(plan);
            }
            catch (SimulationPlanException e)
            {
                throw new CliUsageException(e.Message);
            }
            // verdicts by their JSON names (camelCase, as kp verify --json writes them)
            var figures = results with { Verdicts = results.Verdicts.ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.Key), v => v.Value) };
            if (ctx.Parse.GetValue(output) is { } f)
            {
                f.Directory?.Create();
                await File.WriteAllTextAsync(f.FullName, JsonSerializer.Serialize(figures, Output.JsonOptions));
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, figures);
            else Write(ctx.Out, results);
            return ExitCodes.Ok;
        });
        var command = new Command("research", "researchers: simulate trade on a local chain from the public KP figures and study the costs\nExample: kp research simulate --certificates 10");
        command.Subcommands.Add(simulate);
        command.Subcommands.Add(ResearchReplayCommand.Create(run));
        return command;
    }

    private static void Write(TextWriter w, SimulationResult r)
    {
        static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        Output.WriteFields(w,
        [
            ("KP figures of", r.Year.ToString(CultureInfo.InvariantCulture)),
            ("producers", string.Join(", ", r.Producers.Select(p => $"{p.Code} ({p.Carats / 1_000_000:0.0} Mct at US${p.UsdPerCarat:0}/ct)"))),
            ("their share of the listed producers' output", $"{r.WorldShare:P1}"),
            ("node", r.Node.ToString()),
            ("certificates issued, confirmed, verified", N(r.Certificates)),
            ("carats certified", N((double)r.CaratsCertified)),
            ("verdicts", string.Join(", ", r.Verdicts.Select(v => $"{v.Key} {v.Value}"))),
            ("verification mean / p95", $"{r.VerifyMeanMs:0.0} ms / {r.VerifyP95Ms:0.0} ms, {r.VerifyRoundTrips:0.0} JSON-RPC round trips"),
            ("gas per certificate's life", $"{N(r.GasPerCertificate)} (its parcels, transformations, issue and confirmation)"),
            ($"projected for {N(r.CertificatesPerYear)} certificates a year", $"{N(r.ProjectedGasPerYear)} gas: {r.ChainShare:P4} of a chain of 60 M gas blocks every 2 s"),
            ("took", $"{r.Seconds:0.0} s"),
        ]);
        w.WriteLine();
        Output.WriteTable(w, ["OPERATION", "COUNT", "MEAN GAS", "MAX GAS"],
            r.GasByOperation.Select(o => (IReadOnlyList<string>)[o.Key, N(o.Value.Count), N(o.Value.MeanGas), N(o.Value.MaxGas)]));
    }
}
