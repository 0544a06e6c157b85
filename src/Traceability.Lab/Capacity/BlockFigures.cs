using Traceability.Chain.Rpc;

namespace Traceability.Lab.Capacity;

/// <summary>How a run's transactions took the blocks: as the node reports each block that holds one.</summary>
/// <param name="BlocksUsed">Blocks holding at least one of the run's transactions.</param>
/// <param name="BlocksSpanned">Blocks from the first of them to the last, the empty ones between counted.</param>
/// <param name="MeanFill">Mean gas used over gas limit of the blocks used (0 to 1).</param>
/// <param name="SpanFill">Gas used over the gas limit of every block spanned (0 to 1): the share of the network the run kept busy.</param>
/// <param name="TransactionsPerBlock">Mean transactions (batches) a block used.</param>
/// <param name="MostTransactionsInABlock">The most a block held.</param>
/// <param name="RecordsPerBlock">Records over blocks spanned.</param>
public sealed record BlockFigures(long BlocksUsed, long BlocksSpanned, double MeanFill, double SpanFill, double TransactionsPerBlock,
    int MostTransactionsInABlock, double RecordsPerBlock)
{
    /// <summary>No blocks.</summary>
    public static readonly BlockFigures None = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// Reads from <paramref name="rpc"/> the gas of each block in <paramref name="blocks"/> (its number, the run's
    /// transactions in it and their records) and adds them up. The block's own gas used is taken, so a run alone on
    /// its node measures its own fill.
    /// </summary>
    public static async Task<BlockFigures> MeasureAsync(ChainRpc rpc, IEnumerable<(long Block, int Transactions, long Records)> blocks)
    {
        var list = blocks.GroupBy(b => b.Block).Select(g => (Block: g.Key, Transactions: g.Sum(b => b.Transactions), Records: g.Sum(b => b.Records)))
            .OrderBy(b => b.Block).ToList();
        if (list.Count == 0) return None;
        var gas = new List<BlockGas>();
        foreach (var (block, _, _) in list) gas.Add(await rpc.BlockGasAsync(block).ConfigureAwait(false));
        var spanned = list[^1].Block - list[0].Block + 1;
        var used = gas.Aggregate(0.0, (sum, b) => sum + (double)b.GasUsed);
        var limit = (double)gas[^1].GasLimit;
        return new BlockFigures(list.Count, spanned, Math.Round(gas.Average(b => b.Fill), 3), Math.Round(used / (limit * spanned), 3),
            Math.Round(list.Average(b => b.Transactions), 2), list.Max(b => b.Transactions), Math.Round(list.Sum(b => (double)b.Records) / spanned, 1));
    }
}
