using System.CommandLine;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Bench;
using Traceability.Lab.DevChain;

namespace Traceability.Cli.Commands;

/// <summary>kp bench anchor: end-to-end throughput of the anchoring service on a local node (the work is <see cref="AnchoringBench"/>).</summary>
internal static class BenchCommand
{
    public static Command Create(CommandRunner run)
    {
        var records = StrictOptions.Integer("--records", "parcel records to anchor (1-10000000)", 1, 10_000_000, 20_000);
        var batch = StrictOptions.Integer("--batch", "records per transaction (1-600, as the service's MaxBatchSize)", 1, 600, 500);
        var anvil = new Option<bool>("--anvil") { Description = "run on Anvil instead of Hardhat" };
        var perFile = StrictOptions.Integer("--per-file", "records per drop-folder file: 1 writes one .json file each; more writes .jsonl files (bulk export); 1-1000000", 1, 1_000_000, 1_000);
        var anchor = new Command("anchor", "feed N parcel records through the drop folder to confirmation on a fresh local node; print records/s, gas/record, peak memory")
            { records, batch, anvil, perFile };
        run.Bind(anchor, async ctx =>
        {
            var n = ctx.Parse.GetValue(records);
            if (n <= 0) throw new CliUsageException("--records must be above zero");
            var per = ctx.Parse.GetValue(perFile);
            if (per <= 0) throw new CliUsageException("--per-file must be above zero");
            var result = await AnchoringBench.RunAsync(Paths.RequireRepositoryRoot(), n, ctx.Parse.GetValue(batch), per, ctx.Parse.GetValue(anvil) ? LocalNodeKind.Anvil : LocalNodeKind.Hardhat, ctx.Err);
            if (ctx.Json) Output.WriteJson(ctx.Out, result);
            else Output.WriteFields(ctx.Out, result.Fields());
            return ExitCodes.Ok;
        });
        var command = new Command("bench", "benchmarks (figures, not tests)");
        command.Subcommands.Add(anchor);
        return command;
    }
}
