using System.Numerics;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Service.Anchoring;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>
/// On the Besu-like node (Anvil, 60 M gas blocks): a last batch smaller than the others, sent behind more batches than a
/// block holds, is mined within a few blocks, not after the receipt timeout. Anvil, sealing a block that the sender's
/// fifth batch does not fit, drops the small one behind it (it fits the block, its nonce does not) and never takes it
/// back; the sender sends the same signed transaction again once a few blocks pass without its receipt.
/// </summary>
[Trait("Category", "Chain")]
public class SmallLastBatchTests
{
    private const int Parcels = 500;
    private const int LastParcels = 36;
    private const int BigBatches = 5; // four fit a 60 M gas block: the fifth waits, and the small one behind it
    private static readonly BigInteger BatchGas = Anchorer.OriginParcelBatchGas(Parcels); // the service's computed limit of an origin-parcel batch
    private static readonly BigInteger LastGas = Anchorer.OriginParcelBatchGas(LastParcels);

    [Fact]
    public async Task A_small_last_batch_behind_a_full_block_is_mined_within_a_few_blocks_of_being_sent()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike);
        // the receipt timeout is long enough that a batch mined only with its "replacement" shows as tens of blocks late
        using var r = await TestRegistry.DeployAsync(node, new TransactionOptions { ReceiptTimeout = TimeSpan.FromSeconds(60) });
        var gasLimit = (await r.Rpc.BlockGasAsync()).GasLimit;
        var pipeline = new TransactionPipeline(r.As(BwMiner, new TransactionOptions { ReceiptTimeout = TimeSpan.FromSeconds(60) }).Sender, depth: 64, gasBudget: 2 * gasLimit);
        var mined = new TaskCompletionSource<SentTransaction>[BigBatches + 1];
        for (var i = 0; i < mined.Length; i++) mined[i] = new TaskCompletionSource<SentTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);

        await r.Rpc.RequestAsync("evm_setIntervalMining", 0); // every batch in the pool before the first block is sealed
        try
        {
            string last = "";
            for (var i = 0; i <= BigBatches; i++)
            {
                var k = i;
                var parcels = k < BigBatches ? Parcels : LastParcels;
                var data = RegistryWriter.RegisterParcelsCallData([.. Enumerable.Range(0, parcels).Select(_ => Salt.New())]);
                last = await pipeline.SubmitAsync(r.Deployment.Address, data, k < BigBatches ? BatchGas : LastGas, _ => { },
                    new TransactionOutcome((_, _) => { }, tx => mined[k].TrySetResult(tx), e => mined[k].TrySetException(e)));
            }
            var sentAt = await r.Rpc.BlockNumberAsync();

            await r.Rpc.RequestAsync("evm_mine"); // four batches fill it; the fifth and the small one wait
            var first = await r.Rpc.BlockGasAsync();
            Assert.Equal(4, first.Transactions);
            // the premise (Anvil's pool): the small batch, which fitted that block but not its nonce, is gone from the pool
            Assert.Null(await r.Rpc.RequestAsync("eth_getTransactionByHash", last) as JObject);

            await r.Rpc.RequestAsync("evm_setIntervalMining", BesuGenesis.Read(RepoPaths.Root).BlockPeriodSeconds);
            var small = await mined[BigBatches].Task.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(small.BlockNumber <= sentAt + 6,
                $"the small last batch, sent at block {sentAt}, was mined in block {small.BlockNumber}: {small.BlockNumber - sentAt} blocks later, not within a few");
            var all = await Task.WhenAll(mined.Select(m => m.Task)).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(all.Select(t => t.BlockNumber).Order(), all.Select(t => t.BlockNumber)); // nonce order
            await pipeline.DrainAsync();
        }
        finally
        {
            await r.Rpc.RequestAsync("evm_setIntervalMining", BesuGenesis.Read(RepoPaths.Root).BlockPeriodSeconds);
        }
    }
}
