using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Index;
using Traceability.Lab.Statistics;

namespace Traceability.Cli.Commands;

/// <summary>kp stats: the KP Working Group on Statistics' tables from the index and the documents a participant holds.</summary>
internal static class StatsCommand
{
    public static Command Create(CommandRunner run)
    {
        var db = IndexCommand.DbOption();
        var documents = new Option<DirectoryInfo?>("--documents") { Description = "the folder of KP documents to count (*.json and *.jsonl, subfolders too; default: the current folder)" };
        var year = StrictOptions.Text("--year", "only this year (default: every year found)", ParseYear);
        var output = new Option<DirectoryInfo?>("--out") { Description = "write the CSV files, the charts (PNG and SVG) and report.html into this folder" };
        var factor = StrictOptions.Fraction("--outlier-factor", "a shipment is an outlier when its US$/ct is more than this many times its exporter's published average, or less than its inverse (1.5 to 100)", 1.5m, 100m, 3m);
        var tolerance = StrictOptions.Fraction("--mirror-tolerance", "a pair is a discrepancy when the carats declared and confirmed differ by more than this share (0 to 1)", 0m, 1m, 0.005m);
        var figures = new Option<FileInfo?>("--public-figures") { Description = "the public KP figures (default: samples/kp-statistics/kp-statistics.csv of this checkout)" };
        var command = new Command("stats", "the tables the KP Working Group on Statistics publishes (production, exports, imports by participant in carats, US$ and US$/ct, by year and half-year), "
            + "mirror statistics and valuation outliers, from the index (kp index) and the documents you hold; only aggregates leave\n"
            + "Example: kp stats --db kp-index.sqlite --documents documents/ --year 2023 --out stats/") { db, documents, year, output, factor, tolerance, figures };
        run.Bind(command, ctx =>
        {
            var path = IndexCommand.DbPath(ctx, ctx.Parse.GetValue(db));
            var folder = ctx.Parse.GetValue(documents)?.FullName ?? ctx.WorkingDirectory;
            if (!Directory.Exists(folder)) throw new CliUsageException($"--documents: {folder} is not a folder", "--documents");
            var options = new StatisticsOptions(ctx.Parse.GetValue(year) is { } y ? int.Parse(y, CultureInfo.InvariantCulture) : null,
                ctx.Parse.GetValue(factor), ctx.Parse.GetValue(tolerance));
            var published = PublicFiguresOf(ctx.Parse.GetValue(figures));
            using var store = IndexCommand.OpenIndex(path, create: false);
            StatisticsReport report;
            try
            {
                report = TradeStatistics.Compute(store, folder, published, options);
            }
            catch (IndexFileException e)
            {
                throw new CliUsageException($"--db: {e.Message}", "--db");
            }
            catch (DocumentFileException e)
            {
                throw new CliUsageException($"--documents: {e.Message}", "--documents");
            }
            IReadOnlyList<string> files = [];
            if (ctx.Parse.GetValue(output) is { } target)
            {
                if (File.Exists(target.FullName)) throw new CliUsageException($"--out: {target.FullName} is a file: give a folder", "--out");
                try
                {
                    files = StatisticsFiles.Write(report, target.FullName);
                }
                catch (FileNotFoundException e) when (e.Message == StatisticsCharts.InstallHint)
                {
                    throw new CliEnvironmentException(e.Message);
                }
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, Json(report, path, folder, files));
            else Write(ctx.Out, report, files);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static PublicFigures PublicFiguresOf(FileInfo? given)
    {
        var path = given?.FullName ?? (Paths.FindRepositoryRoot() is { } root ? Path.Combine(root, "samples", "kp-statistics", "kp-statistics.csv") : null);
        if (path is null || (given is null && !File.Exists(path))) return PublicFigures.None;
        InputFiles.RequireRegular(path, InputFiles.BulkBytes, "public figures");
        try
        {
            return PublicFigures.Read(path);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"--public-figures: {e.Message}", "--public-figures");
        }
    }

    private static object Json(StatisticsReport r, string db, string documents, IReadOnlyList<string> files)
    {
        static object F(Flow f) => new { carats = f.Carats, valueUsd = f.ValueUsd, usdPerCarat = f.UsdPerCarat, count = f.Count };
        static object Line(ParticipantLine l) => new
        {
            participant = l.Participant,
            period = l.Period.ToString(),
            production = F(l.Production),
            exports = F(l.Exports),
            imports = F(l.Imports),
            publicProduction = l.PublishedProduction is { } p ? new { carats = p.Carats, valueUsd = p.ValueUsd, usdPerCarat = p.UsdPerCarat } : null,
        };
        return new
        {
            db,
            documents,
            year = r.Year,
            inputs = r.Inputs,
            thresholds = new { outlierFactor = r.Options.OutlierFactor, mirrorTolerance = r.Options.MirrorTolerance },
            participants = r.Lines.Select(Line),
            totals = r.Totals.Select(Line),
            mirror = r.Mirror.Select(m => new
            {
                exporter = m.Exporter,
                importer = m.Importer,
                year = m.Year,
                exported = F(m.Exported),
                confirmed = F(m.Confirmed),
                unconfirmed = m.Unconfirmed,
                differenceCarats = m.DifferenceCarats,
                flagged = m.Flagged,
            }),
            outliers = r.Outliers,
            files,
        };
    }

    private static void Write(TextWriter w, StatisticsReport r, IReadOnlyList<string> files)
    {
        static string N(decimal v) => v.ToString("N0", CultureInfo.InvariantCulture);
        static string P(decimal v) => v == 0 ? "-" : v.ToString("N2", CultureInfo.InvariantCulture);
        var i = r.Inputs;
        Output.WriteFields(w,
        [
            ("year", r.Year?.ToString(CultureInfo.InvariantCulture) ?? "every year found"),
            ("index", $"up to block {i.IndexedTo:N0}"),
            // every document read is in one of the counts: what is in no table (a transformation, a parcel one made, a repeat) too
            ("documents", $"{i.Documents:N0} read from {i.Files:N0} files: {i.Counted:N0} counted, {i.NotOnChain:N0} not on chain, {i.Altered:N0} altered, {i.Voided:N0} voided, " +
                $"{Math.Max(0, i.Documents - i.Counted - i.NotOnChain - i.Altered - i.Voided):N0} in no table (transformations, the parcels they made, repeats); " +
                $"{i.Skipped:N0} files or lines skipped (not KP documents)"),
            ("thresholds", $"outlier beyond x{r.Options.OutlierFactor.ToString(CultureInfo.InvariantCulture)} or /{r.Options.OutlierFactor.ToString(CultureInfo.InvariantCulture)} of the published US$/ct; mirror discrepancy beyond {(r.Options.MirrorTolerance * 100).ToString("0.###", CultureInfo.InvariantCulture)} %"),
        ]);
        if (r.Year is { } only && r.Lines.Count == 0 && r.Mirror.Count == 0)
        {
            // empty tables alone read like a bug: say why
            w.WriteLine($"nothing dated {only.ToString(CultureInfo.InvariantCulture)} among the {i.Counted:N0} documents counted (without --year, kp stats shows every year it finds)");
        }
        w.WriteLine();
        Output.WriteTable(w, ["PARTICIPANT", "PERIOD", "PRODUCTION CT", "US$", "US$/CT", "EXPORTS CT", "US$", "US$/CT", "IMPORTS CT", "US$", "US$/CT"],
            r.Lines.Concat(r.Totals).Select(l => (IReadOnlyList<string>)[l.Participant, l.Period.ToString(), N(l.Production.Carats), N(l.Production.ValueUsd), P(l.Production.UsdPerCarat),
                N(l.Exports.Carats), N(l.Exports.ValueUsd), P(l.Exports.UsdPerCarat), N(l.Imports.Carats), N(l.Imports.ValueUsd), P(l.Imports.UsdPerCarat)]));
        w.WriteLine();
        Output.WriteTable(w, ["EXPORTER", "IMPORTER", "YEAR", "DECLARED CT", "CONFIRMED CT", "UNCONFIRMED", "DIFFERENCE CT", "FLAG"],
            r.Mirror.Select(m => (IReadOnlyList<string>)[m.Exporter, m.Importer, m.Year.ToString(CultureInfo.InvariantCulture), N(m.Exported.Carats), N(m.Confirmed.Carats),
                m.Unconfirmed.ToString(CultureInfo.InvariantCulture), N(m.DifferenceCarats), m.Flagged ? "discrepancy" : ""]));
        w.WriteLine();
        w.WriteLine(r.Outliers.Count == 0 ? "valuation outliers: none" : $"valuation outliers: {r.Outliers.Count}");
        if (r.Outliers.Count > 0)
        {
            Output.WriteTable(w, ["EXPORTER", "IMPORTER", "NUMBER HASH", "CARATS", "US$/CT", "PUBLIC US$/CT", "RATIO"],
                r.Outliers.Select(o => (IReadOnlyList<string>)[o.Exporter, o.Importer, o.NumberHash, N(o.Carats), P(o.UsdPerCarat), P(o.PublicUsdPerCarat), o.Ratio.ToString("0.00", CultureInfo.InvariantCulture)]));
        }
        if (files.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"wrote {files.Count} files, the report is {files.First(f => f.EndsWith("report.html", StringComparison.Ordinal))}");
        }
    }

    private static string ParseYear(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2100 ? text : throw new FormatException($"'{text}' is not a year (2000-2100)");
}
