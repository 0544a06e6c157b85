using System.Collections.Concurrent;
using System.Numerics;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Service.Anchoring;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>
/// On the Besu-like node (60 M gas blocks): a pipeline whose gas budget is two blocks keeps the next block's worth
/// waiting in the pool, so each block takes as many batches as fit while work waits.
/// </summary>
[Trait("Category", "Chain")]
public class BlockFillingTests
{
    private const int Parcels = 500;
    private static readonly BigInteger BatchGas = Anchorer.OriginParcelBatchGas(Parcels); // the service's computed limit of an origin-parcel batch

    [Fact]
    public async Task With_two_blocks_of_gas_in_flight_every_block_holds_as_many_batches_as_fit_while_work_waits()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike);
        using var r = await TestRegistry.DeployAsync(node);
        var gasLimit = (await r.Rpc.BlockGasAsync()).GasLimit;
        Assert.Equal(BesuGenesis.Read(RepoPaths.Root).GasLimit, (long)gasLimit);
        var pipeline = new TransactionPipeline(r.As(BwMiner).Sender, depth: 64, gasBudget: 2 * gasLimit);
        const int Batches = 12;
        var data = Enumerable.Range(0, Batches).Select(_ => RegistryWriter.RegisterParcelsCallData([.. Enumerable.Range(0, Parcels).Select(_ => Salt.New())])).ToList();
        var sent = new ConcurrentDictionary<int, string>();
        var mined = new ConcurrentDictionary<int, SentTransaction>();

        await r.Rpc.RequestAsync("evm_setIntervalMining", 0); // the test seals each block itself, once the pipeline is waiting
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Batches; i++)
            {
                var k = i;
                await pipeline.SubmitAsync(r.Deployment.Address, data[k], BatchGas, h => sent[k] = h,
                    new TransactionOutcome((_, _) => { }, tx => mined[k] = tx, e => throw new InvalidOperationException($"batch {k} reverted: {e.Message}")));
            }
        });

        var blocks = new List<BlockGas>();
        while (mined.Count < Batches)
        {
            // wait until the pipeline is out of room (or has sent everything): the work that waits is in the pool
            var expected = Math.Min(Batches - mined.Count, (int)(2 * gasLimit / BatchGas));
            await Until(() => pipeline.InFlight >= expected, TimeSpan.FromMinutes(2));
            Assert.True(pipeline.GasInFlight <= 2 * gasLimit, $"{pipeline.GasInFlight:N0} gas in flight, over two blocks");
            var before = mined.Count;
            await r.Rpc.RequestAsync("evm_mine");
            var block = await r.Rpc.BlockGasAsync();
            blocks.Add(block);
            await Until(() => mined.Count == before + block.Transactions, TimeSpan.FromMinutes(2));
        }
        await sending;
        await pipeline.DrainAsync();

        // a block takes batches while the rest of its gas still holds a batch's limit: every block but the last left no room for the next one
        Assert.All(blocks[..^1], b => Assert.True(b.GasLimit - b.GasUsed < BatchGas,
            $"block {b.Number} holds {b.Transactions} batches, {b.GasUsed:N0} of {b.GasLimit:N0} gas: room was left for another while work waited"));
        var perBlock = blocks[0].Transactions;
        Assert.True(perBlock >= 4, $"a 60 M gas block holds four batches of 500 parcels, not {perBlock}");
        Assert.All(blocks[..^1], b => Assert.Equal(perBlock, b.Transactions));
        Assert.Equal(Enumerable.Range(0, Batches).Select(i => mined[i].BlockNumber).Order(), Enumerable.Range(0, Batches).Select(i => mined[i].BlockNumber)); // nonce order
        Assert.True(blocks[0].Fill > 0.8, $"fill {blocks[0].Fill:P0}");
    }

    private static async Task Until(Func<bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException("the pipeline did not get there in time");
            await Task.Delay(50);
        }
    }
}
