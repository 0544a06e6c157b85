using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Research;
using Traceability.Lab.Research.Replay;

namespace Traceability.Cli.Commands;

/// <summary>kp research replay: a whole KP trade year at real scale on a local chain, with attacks and a confusion table.</summary>
internal static class ResearchReplayCommand
{
    public static Command Create(CommandRunner run)
    {
        var year = StrictOptions.Integer("--year", "year of the public KP figures to replay (samples/kp-statistics)", 2000, 2100, 2023);
        var scale = StrictOptions.Fraction("--scale", "share of the real number of records (1: about 600,000 origin parcels and 57,000 certificates; carats and US$ keep their totals at any scale; 0.0001 to 1)",
            0.0001m, 1m, 1m);
        var attacks = StrictOptions.Fraction("--attacks-share", "share of the certificates that are attacks, spread over every class the verifier knows (at least one each, at 0 too: the confusion table has every row; 0 to 0.5)", 0m, 0.5m, 0.01m);
        var node = LocalNodeChoice.Create("the local EVM node: hardhat (a block per transaction) or anvil (a block a second while anchoring, with every transaction in flight; a block per transaction while setting up and verifying)");
        var seed = StrictOptions.Integer("--seed", "random seed (same seed, same documents: a run resumes only with its own seed)", 0, int.MaxValue, 2023);
        var concurrency = StrictOptions.Integer("--verify-concurrency", "verifications in flight at once, their reads sent to the node together (1-256)", 1, 256, 32);
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for the documents, the figures (replay.json) and the state a stopped run resumes from (default: replay-<year>)" };
        var command = new Command("replay", "replay a whole KP trade year at real scale on a fresh local chain: origin parcels, certificates signed and relayed in batches, " +
            "confirmations, hub lots and re-exports, attacks of every class; verify every certificate and print gas, time and the confusion table; " +
            "resumes a stopped run in --out (with --rpc on a node that outlives it, such as kp chain up, on the same chain); " +
            "with --like besu, the blocks each record type took, the latency and the share of the network the year needs, measured\n" +
            "Example: kp research replay --year 2023 --scale 0.1 --out replay-2023")
            { year, scale, attacks, node.Node, node.Like, seed, concurrency, output };
        run.Bind(command, async ctx =>
        {
            var y = ctx.Parse.GetValue(year);
            var folder = ctx.Parse.GetValue(output)?.FullName ?? Path.Combine(ctx.WorkingDirectory, $"replay-{y.ToString(CultureInfo.InvariantCulture)}");
            if (File.Exists(folder)) throw new CliUsageException($"--out: {folder} is a file; give a folder", "--out");
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--out: cannot make the folder {folder}: {e.Message}", "--out");
            }
            var plan = new ReplayPlan(y, ctx.Parse.GetValue(scale), ctx.Parse.GetValue(attacks), node.Resolve(ctx.Parse), folder, ctx.Parse.GetValue(seed),
                ctx.Parse.GetValue(concurrency), ctx.Parse.GetValue(GlobalOptions.Rpc));
            if (plan.Scale <= 0) throw new CliUsageException("--scale must be above zero", "--scale");
            var root = Paths.RequireRepositoryRoot();
            var csv = Path.Combine(root, "samples", "kp-statistics", "kp-statistics.csv");
            ReplayResult result;
            try
            {
                using var progress = ProgressLine.For(ctx.Err);
                result = await new YearReplay(root, csv, progress.Writer) { Work = progress }.RunAsync(plan, ctx.Cancel);
            }
            catch (SimulationPlanException e)
            {
                throw new CliUsageException(e.Message);
            }
            await File.WriteAllTextAsync(Path.Combine(folder, "replay.json"), JsonSerializer.Serialize(result, Output.JsonOptions));
            if (ctx.Json) Output.WriteJson(ctx.Out, result);
            else Write(ctx.Out, result);
            return result.AttacksDetected && result.FalseAlarms == 0 ? ExitCodes.Ok : ExitCodes.NotVerified;
        });
        return command;
    }

    private static void Write(TextWriter w, ReplayResult r)
    {
        static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        Output.WriteFields(w,
        [
            ("KP figures of", r.Year.ToString(CultureInfo.InvariantCulture)),
            ("scale", r.Scale.ToString(CultureInfo.InvariantCulture) + (r.Resumed ? " (resumed)" : "")),
            ("node", r.Node.ToString()),
            ("origin parcels", N(r.OriginParcels)),
            ("hub lots (transformations) / their parcels", $"{N(r.Transformations)} / {N(r.OutputParcels)}"),
            ("certificates (of which re-exports)", $"{N(r.Certificates)} ({N(r.ReExports)})"),
            ("import confirmations", N(r.Confirmations)),
            ("records anchored / transactions", $"{N(r.RecordsAnchored)} / {N(r.Transactions)}"),
            // the mean is of one verification's own time, several in flight at once (--verify-concurrency): not the wall time over the count
            ("anchoring / verification / whole run", $"{r.AnchorSeconds:0.0} s / {r.VerifySeconds:0.0} s (one takes {r.VerifyMeanMs:0.0} ms on average, {r.VerifyConcurrency} at once) / {r.Seconds:0.0} s"),
            ("kp CPU / peak memory", $"{r.CpuSeconds:0.0} s / {r.PeakMemoryMb} MB"),
            (r.Resumed ? "gas of this run (resumed: only what it sent)" : "gas of this run",
                $"{N(r.TotalGas)}: {r.BesuBlockSeconds / 60:0.0} min of full 60 M gas blocks every 2 s, {r.BesuShare:P4} of a year of them"),
            // at a scale below 1 the run's own share says little: the whole year is the run divided by the scale
            // (not after a resume: the gas is then that of the transactions this run sent, not the year's share)
            .. r.Scale < 1 && r.Scale > 0 && !r.Resumed
                ? [("the whole year (this run / scale)", $"{N((long)(r.TotalGas / (double)r.Scale))} gas: {r.BesuBlockSeconds / (double)r.Scale / 60:0.0} min of full blocks, {r.BesuShare / (double)r.Scale:P4} of a year of them")]
                : Array.Empty<(string, string)>(),
            ("blocks used / spanned, fill (used / span)", $"{N(r.Blocks.BlocksUsed)} / {N(r.Blocks.BlocksSpanned)}, {r.Blocks.MeanFill:P1} / {r.Blocks.SpanFill:P1}"),
            ("latency handed -> mined p50 / p99 / max", $"{r.Latency.P50Seconds:0.00} s / {r.Latency.P99Seconds:0.00} s / {r.Latency.MaxSeconds:0.00} s"),
            .. r.Network is { } net
                ? [("records per second the network took", N(net.RecordsPerSecond)),
                   ($"the year's {N(net.YearRecords)} records at this rate", $"{N(net.YearBlocks)} blocks ({net.YearHours:0.0} h): {net.MeasuredShare:P4} of the network (full blocks: {net.ProjectedShare:P4})")]
                : Array.Empty<(string, string)>(),
            ("production replayed", string.Join(", ", r.Producers.Select(p => $"{p.Code} {p.Carats:N0} ct / US${p.ValueUsd:N0}"))),
            ("documents", r.OutputFolder),
        ]);
        w.WriteLine();
        Output.WriteTable(w, ["OPERATION", "TRANSACTIONS", "RECORDS", "GAS", "GAS/RECORD"],
            r.Gas.Select(g => (IReadOnlyList<string>)[g.Operation, N(g.Transactions), N(g.Records), N(g.Gas), N(g.GasPerRecord)]));
        w.WriteLine();
        Output.WriteTable(w, ["STAGE", "RECORDS", "TRANSACTIONS", "BLOCKS USED/SPANNED", "FILL", "RECORDS/BLOCK", "LATENCY P50/P99"],
            r.Stages.Select(s => (IReadOnlyList<string>)[s.Name, N(s.Records), N(s.Transactions), $"{N(s.Blocks.BlocksUsed)}/{N(s.Blocks.BlocksSpanned)}",
                s.Blocks.MeanFill.ToString("P1", CultureInfo.InvariantCulture), s.Blocks.RecordsPerBlock.ToString("N1", CultureInfo.InvariantCulture),
                $"{s.Latency.P50Seconds:0.00}/{s.Latency.P99Seconds:0.00} s"]));
        w.WriteLine();
        Output.WriteTable(w, ["CLASS", "EXPECTED", "DETECTED", "VERDICTS", "REFUSED BY REGISTRY"],
            r.Confusion.Select(c => (IReadOnlyList<string>)[c.Class, c.Expected, $"{N(c.Detected)}/{N(c.Total)}" + (c.Total == 0 ? "" : $" ({100.0 * c.Detected / c.Total:0.#} %)"),
                string.Join(", ", c.Verdicts.Select(v => $"{v.Key} {N(v.Value)}")), N(c.RefusedByRegistry)]));
        w.WriteLine();
        w.WriteLine(r.AttacksDetected && r.FalseAlarms == 0
            ? "every attack detected, no false alarm"
            : $"NOT every attack detected or false alarms: {r.FalseAlarms} genuine certificate(s) not Verified");
    }
}
