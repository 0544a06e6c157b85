using System.Text.Json;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp bench anchor --like besu: the service on the Besu-like node (2 s blocks of 60 M gas) and the capacity figures it
/// measures from the run itself: the blocks read back from the node, the latency from drop to confirmation, the share of
/// the network a year's origin parcels need.
/// </summary>
[Trait("Category", "Chain")]
public sealed class BenchAnchorBesuTests
{
    [Fact]
    public async Task On_the_Besu_like_node_the_bench_measures_blocks_latency_and_the_share_of_the_network()
    {
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root });
        var run = await kp.RunAsync("bench", "anchor", "--records", "3000", "--like", "besu", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var r = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("besuLike", r.GetProperty("node").GetString());
        Assert.Equal(3_000, r.GetProperty("confirmed").GetInt64());
        Assert.Equal(120_000_000, r.GetProperty("gasInFlightBudget").GetInt64()); // two blocks of the genesis's 60 M gas

        var blocks = r.GetProperty("blocks");
        var used = blocks.GetProperty("blocksUsed").GetInt64();
        Assert.InRange(used, 2, blocks.GetProperty("blocksSpanned").GetInt64()); // six batches of 500 never fit one block
        // a 60 M block holds at most four full batches (13.8 M gas each); smaller ones (the records of a busy machine's intake, sent
        // once the oldest has waited MaxBatchDelayMs) fit more, each one's gas limit 60,000 + 27,500 a record: never more than the records allow
        var batches = r.GetProperty("batchTransactions").GetInt64();
        var most = blocks.GetProperty("mostTransactionsInABlock").GetInt32();
        Assert.InRange(most, 1, batches);
        if (batches == 6) Assert.InRange(most, 1, 4); // six full batches of 500
        Assert.InRange(blocks.GetProperty("meanFill").GetDouble(), 0.2, 1);
        Assert.True(blocks.GetProperty("spanFill").GetDouble() <= blocks.GetProperty("meanFill").GetDouble());

        var latency = r.GetProperty("latency");
        var (p50, p99, max) = (latency.GetProperty("p50Seconds").GetDouble(), latency.GetProperty("p99Seconds").GetDouble(), latency.GetProperty("maxSeconds").GetDouble());
        Assert.True(p50 > 0 && p50 <= p99 && p99 <= max, latency.ToString());
        Assert.True(max <= r.GetProperty("seconds").GetDouble() + 1, "no record waits longer than the run");

        var network = r.GetProperty("network");
        Assert.Equal(602_000, network.GetProperty("yearRecords").GetDouble());
        Assert.True(network.GetProperty("recordsPerSecond").GetDouble() > 0);
        // blocks taken as the run took them are never fuller than full blocks: the measured share is at least the projected one
        Assert.True(network.GetProperty("measuredShare").GetDouble() >= network.GetProperty("projectedShare").GetDouble(), network.ToString());
    }
}
