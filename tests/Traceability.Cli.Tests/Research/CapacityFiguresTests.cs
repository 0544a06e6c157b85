using Traceability.Lab.Capacity;
using Traceability.Lab.DevChain;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Research;

/// <summary>The capacity figures of kp bench anchor and kp research replay: latency percentiles, blocks and the share of the Besu network.</summary>
[Trait("Category", "Fast")]
public class CapacityFiguresTests
{
    [Fact]
    public void The_capacity_is_the_one_of_the_Besu_genesis_in_chain_dev()
    {
        var genesis = BesuGenesis.Read(RepoPaths.Root);
        Assert.Equal((long)BesuCapacity.BlockGas, genesis.GasLimit);
        Assert.Equal((int)BesuCapacity.BlockSeconds, genesis.BlockPeriodSeconds);
        Assert.Equal(15_778_800, BesuCapacity.BlocksPerYear);
    }

    [Fact]
    public void Latency_percentiles_are_taken_over_records_not_over_samples()
    {
        // 98 records confirmed after 1 s, one after 5 s, one after 60 s: p50 1 s, p99 5 s (the 99th record), max 60 s
        var latency = Latency.Of([(1_000, 98), (60_000, 1), (5_000, 1)]);
        Assert.Equal(new Latency(1, 5, 60), latency);
        // one sample of many records weighs as much as they do
        Assert.Equal(new Latency(2, 2, 9), Latency.Of([(2_000, 1_000), (9_000, 1)]));
        Assert.Equal(new Latency(0, 0, 0), Latency.Of([]));
    }

    [Fact]
    public void The_measured_share_counts_every_block_a_run_spanned_and_the_projected_one_full_blocks_only()
    {
        // 20,000 parcels over 10 blocks of which 8 held batches, half full on average: the network took 1,000 a second
        var blocks = new BlockFigures(8, 10, 0.5, 0.4, 4, 4, 2_000);
        var share = NetworkShare.Of(blocks, 20_000, 20_000 * 25_000.0, 600_000);
        Assert.Equal(1_000, share.RecordsPerSecond);
        Assert.Equal(300 / BesuCapacity.BlocksPerYear, share.MeasuredShare, 12); // 600,000 parcels take 300 such blocks
        Assert.Equal(600_000 * 25_000.0 / (60_000_000 * BesuCapacity.BlocksPerYear), share.ProjectedShare, 12); // 250 full blocks
        Assert.True(share.MeasuredShare > share.ProjectedShare);
        Assert.Equal(0, NetworkShare.Of(BlockFigures.None, 0, 0, 600_000).MeasuredShare);
    }
}
