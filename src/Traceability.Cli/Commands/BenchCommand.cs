using System.CommandLine;
using Traceability.Cli.Bench;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Bench;
using Traceability.Lab.DevChain;
using Traceability.Service;

namespace Traceability.Cli.Commands;

/// <summary>kp bench anchor: end-to-end throughput of the anchoring service on a local node (the work is <see cref="AnchoringBench"/>).</summary>
internal static class BenchCommand
{
    public static Command Create(CommandRunner run)
    {
        var records = StrictOptions.Integer("--records", "parcel records to anchor (1-10000000)", 1, 10_000_000, 20_000);
        var batch = StrictOptions.Integer("--max-batch", "most records per transaction (1-600), as kp serve --max-batch", 1, 600, 500);
        var node = LocalNodeChoice.Create();
        // the spellings of earlier versions, still accepted, no longer shown
        var oldBatch = StrictOptions.Integer("--batch", "old spelling of --max-batch", 1, 600, 0);
        oldBatch.Hidden = true;
        var anvil = new Option<bool>("--anvil") { Description = "old spelling of --node anvil", Hidden = true };
        var perFile = StrictOptions.Integer("--per-file", "records per drop-folder file: 1 writes one .json file each; more writes .jsonl files (bulk export); 1-1000000", 1, 1_000_000, 1_000);
        var inFlight = StrictOptions.Integer("--in-flight", "most batch transactions in flight at once (1-64), as the service's MaxInFlightBatches: a ceiling (the gas in flight also stays within two blocks' gas limit)",
            1, 64, new AnchoringOptions().MaxInFlightBatches);
        var rate = StrictOptions.Integer("--rate", "drop the files at this many records a second (a steady flow, for the latency under that load; 1-1000000); 0, the default: all at once (a backlog, for the most the service and the network take)",
            0, 1_000_000, 0);
        var anchor = new Command("anchor", "feed N parcel records through the drop folder to confirmation on a fresh local node; print records/s, kp CPU per record, gas/record, blocks used and their fill, batches per block, latency from drop to confirmation (p50, p99), peak memory; with --like besu also the share of the network a KP year's origin parcels need at the rate measured\nExample: kp bench anchor --records 2000 --node anvil")
            { records, batch, node.Node, node.Like, perFile, inFlight, rate, oldBatch, anvil };
        run.Bind(anchor, async ctx =>
        {
            var n = ctx.Parse.GetValue(records);
            if (n <= 0) throw new CliUsageException("--records must be above zero");
            var per = ctx.Parse.GetValue(perFile);
            if (per <= 0) throw new CliUsageException("--per-file must be above zero");
            var size = ctx.Parse.GetValue(oldBatch) is > 0 and var old ? old : ctx.Parse.GetValue(batch);
            var kind = ctx.Parse.GetValue(anvil) ? LocalNodeKind.Anvil : node.Resolve(ctx.Parse);
            AnchoringBenchResult result;
            using (var progress = ProgressLine.For(ctx.Err))
            {
                result = await AnchoringBench.RunAsync(Paths.RequireRepositoryRoot(), n, size, per, kind, progress.Writer, progress, ctx.Parse.GetValue(inFlight),
                    ctx.Parse.GetValue(rate) is > 0 and var r ? r : null);
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, result);
            else Output.WriteFields(ctx.Out, result.Fields());
            return ExitCodes.Ok;
        });
        var command = new Command("bench", "benchmarks (figures, not tests)\nExample: kp bench anchor --records 2000");
        command.Subcommands.Add(anchor);
        command.Subcommands.Add(Verify(run));
        command.Subcommands.Add(Index(run));
        return command;
    }

    // kp bench index: the index's typical queries at the replay's size, on a generated index (the work is IndexBench)
    private static Command Index(CommandRunner run)
    {
        var parcels = StrictOptions.Integer("--parcels", "origin parcels in the generated index (1-10000000; the replay's: 600000)", 1, 10_000_000, 600_000);
        var certificates = StrictOptions.Integer("--certificates", "certificates of ten parcels in it (1-1000000; the replay's: 60000)", 1, 1_000_000, 60_000);
        var runs = StrictOptions.Integer("--runs", "runs of each query measured, after one that warms the cache (1-1000)", 1, 1_000, 5);
        var command = new Command("index", "kp index's typical queries (flows by pair and quarter, one pair's, origin parcels by participant and quarter, a certificate's parcels) "
            + "on an index generated at a given size in a temporary file; CPU and wall time per query and how SQLite runs each (EXPLAIN QUERY PLAN)\n"
            + "Example: kp bench index --parcels 600000 --certificates 60000") { parcels, certificates, runs };
        run.Bind(command, ctx =>
        {
            IndexBenchResult result;
            using (var progress = ProgressLine.For(ctx.Err))
            {
                result = IndexBench.Run(Path.GetTempPath(), ctx.Parse.GetValue(parcels), ctx.Parse.GetValue(certificates), ctx.Parse.GetValue(runs), progress.Writer);
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, result);
            else Output.WriteFields(ctx.Out, result.Fields());
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    // kp bench verify: the portal's POST /api/v1/verify under load (the work is VerificationBench)
    private static Command Verify(CommandRunner run)
    {
        var requests = StrictOptions.Integer("--requests", "verifications per series (1-1000000)", 1, 1_000_000, 1_000);
        var concurrency = StrictOptions.Integer("--concurrency", "clients at once (1-256)", 1, 256, 8);
        var node = LocalNodeChoice.Create();
        var noCache = new Option<bool>("--no-cache") { Description = "turn the portal's report cache off: every request walks the chain (the cold figures)" };
        var command = new Command("verify", "the portal's POST /api/v1/verify under load on a fresh local node: a depth-3 certificate against the chain alone and with its ancestor documents; "
            + "verifications/s, latency p50/p95/p99, JSON-RPC round trips, CPU per verification\nExample: kp bench verify --requests 2000 --concurrency 8") { requests, concurrency, node.Node, noCache };
        run.Bind(command, async ctx =>
        {
            VerificationBenchResult result;
            using (var progress = ProgressLine.For(ctx.Err))
            {
                result = await VerificationBench.RunAsync(Paths.RequireRepositoryRoot(), ctx.Parse.GetValue(requests), ctx.Parse.GetValue(concurrency), node.Resolve(ctx.Parse), !ctx.Parse.GetValue(noCache), progress.Writer, ctx.Cancel);
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, result);
            else Output.WriteFields(ctx.Out, result.Fields());
            return ExitCodes.Ok;
        });
        return command;
    }
}
