using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Index;

namespace Traceability.Cli.Commands;

/// <summary>kp index: the registry's events into an SQLite index, incrementally, reorganisations undone.</summary>
internal static class IndexCommand
{
    /// <summary>The --db option (kp index writes it, kp stats reads it).</summary>
    public static Option<FileInfo?> DbOption() => new("--db") { Description = "the index file (default: index.sqlite in kp's home, index-NETWORK.sqlite for a named network)" };

    public static Command Create(CommandRunner run)
    {
        var db = DbOption();
        var fromBlock = StrictOptions.Text("--from-block", "the first block of a new index (default: the deployment block, else 0)", ParseBlock);
        var range = StrictOptions.Integer("--range", "blocks per eth_getLogs range (1-1000000; halved when the node refuses a range)", 1, 1_000_000, 5_000);
        var command = new Command("index", "read the registry's events (participants, authorities, members, parcels, transformations, anchors, certificates, "
            + "confirmations, voids, flags) into an SQLite index, from where the last run stopped; a reorganisation is found by the stored block hashes and rolled back\n"
            + "Example: kp index --db kp-index.sqlite") { db, fromBlock, range };
        run.Bind(command, async ctx =>
        {
            var path = DbPath(ctx, ctx.Parse.GetValue(db));
            var given = ctx.Parse.GetValue(fromBlock) is { } text ? ulong.Parse(text, CultureInfo.InvariantCulture) : (ulong?)null;
            using var store = OpenIndex(path, create: true);
            var reader = await ctx.ReaderAsync();
            if (given is { } g && store.Meta("fromBlock") is { } stored && stored != g.ToString(CultureInfo.InvariantCulture))
            {
                throw new CliUsageException($"--from-block: {path} was started at block {stored}; give no --from-block, or another --db", "--from-block");
            }
            IndexRun result;
            try
            {
                using var progress = ProgressLine.For(ctx.Err);
                result = await new RegistryIndexer(reader.Rpc, reader.Address) { Work = progress }
                    .RunAsync(store, new IndexOptions(given ?? ctx.FromBlock, (ulong)ctx.Parse.GetValue(range)), ctx.Cancel);
            }
            catch (IndexFileException e)
            {
                throw new CliUsageException($"--db: {e.Message}", "--db");
            }
            catch (Exception e) when (e is ChainMovedException or NodeAnswerException)
            {
                throw new CliEnvironmentException(e.Message);
            }
            var counts = IndexStore.EventTables.Append("blocks").ToDictionary(t => t, store.Count);
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    db = path,
                    chainId = result.ChainId,
                    registry = result.Registry,
                    firstBlock = result.FirstBlock,
                    lastBlock = result.LastBlock,
                    blocksRead = result.BlocksRead,
                    events = result.Events.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value),
                    rounds = result.Rounds,
                    roundTrips = result.RoundTrips,
                    reorganisation = result.Reorganisation is { } r ? new { indexedTo = r.IndexedTo, ancestor = r.Ancestor, rowsDeleted = r.RowsDeleted } : null,
                    rows = counts.ToDictionary(c => CamelCase(c.Key), c => c.Value),
                    seconds = Math.Round(result.Seconds, 3),
                    cpuSeconds = Math.Round(result.CpuSeconds, 3),
                });
                return ExitCodes.Ok;
            }
            static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
            Output.WriteFields(ctx.Out,
            [
                ("index", path),
                ("registry", $"{result.Registry} on chain {result.ChainId}"),
                ("reorganisation", result.Reorganisation is { } reorg
                    ? $"block {N(reorg.IndexedTo)} changed: rolled back to {(reorg.Ancestor is { } a ? "block " + N(a) : "the first block")} ({N(reorg.RowsDeleted)} rows deleted)"
                    : "none"),
                ("blocks read", result.FirstBlock is { } f ? $"{N(f)} to {N(result.LastBlock)} ({N(result.BlocksRead)} blocks, {Plural(result.Rounds, "round")}, {Plural((int)result.RoundTrips, "round trip")})" : $"none new (up to {N(result.LastBlock)})"),
                ("events indexed", result.Events.Count == 0 ? "none" : string.Join(", ", result.Events.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {N(e.Value)}"))),
                ("took", $"{result.Seconds:0.00} s ({result.CpuSeconds:0.00} s CPU)"),
            ]);
            ctx.Out.WriteLine();
            Output.WriteTable(ctx.Out, ["TABLE", "ROWS"], counts.Select(c => (IReadOnlyList<string>)[c.Key, N(c.Value)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The index path: --db, else index.sqlite (index-NAME.sqlite for a named network) in kp's home.</summary>
    public static string DbPath(CliContext ctx, FileInfo? given)
    {
        if (given is not null) return given.FullName;
        var name = ctx.NetworkName is { } n ? $"index-{n.Value}.sqlite" : "index.sqlite";
        return Path.Combine(ctx.Home.Path, name);
    }

    /// <summary>Opens the index: a path that is not a regular file or not a kp index is a usage error naming --db; an absent one (when not creating) an environment error.</summary>
    public static IndexStore OpenIndex(string path, bool create)
    {
        if (Path.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            if (Directory.Exists(path)) throw new CliUsageException($"--db: {path} is a folder: give the index file", "--db");
            try
            {
                InputFiles.RequireRegular(path, long.MaxValue, "index");
            }
            catch (CliUsageException e)
            {
                throw new CliUsageException($"--db: {e.Message}", "--db");
            }
        }
        else if (!create)
        {
            throw new CliEnvironmentException($"no index at {path}: run kp index first (or give --db)");
        }
        try
        {
            return IndexStore.Open(path, create);
        }
        catch (IndexFileException e)
        {
            throw new CliUsageException($"--db: {e.Message}", "--db");
        }
    }

    private static string Plural(int n, string what) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";

    // participant_events -> participantEvents
    private static string CamelCase(string snake) => string.Concat(snake.Split('_').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private static string ParseBlock(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? text : throw new FormatException($"'{text}' is not a block number (0 or more)");
}
