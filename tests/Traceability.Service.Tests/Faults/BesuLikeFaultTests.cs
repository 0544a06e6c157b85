using System.Globalization;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Faults;

/// <summary>
/// The service on the Besu-like node (a block every 2 s, zero fees, chain id 57831), as on the KP's QBFT network: several
/// batches pending in one block, receipts seconds after sending, a batch mined with status 0, a transaction gone from the
/// pool and sent again. Mining is paused where a test must hold transactions in the pool (on a busy machine a 2 s block
/// may or may not catch them otherwise), then runs at the genesis's block period again. One node for the class.
/// </summary>
[Trait("Category", "Chain")]
public sealed class BesuLikeFaultTests(BesuLikeFixture besu) : IClassFixture<BesuLikeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90); // a busy 2-core machine is slow, not wrong

    private LocalNode Node => besu.Node;

    private static Task PauseMiningAsync(ServiceHarness h) => h.Registry.Rpc.RequestAsync("evm_setIntervalMining", 0);

    private static Task ResumeMiningAsync(ServiceHarness h) => h.Registry.Rpc.RequestAsync("evm_setIntervalMining", BesuGenesis.Read(RepoPaths.Root).BlockPeriodSeconds);

    private static Dictionary<string, string?> Settings(ServiceHarness h, int maxBatch = 200, int receiptTimeoutSeconds = 60)
    {
        var s = h.Settings();
        s["Anchoring:MaxBatchSize"] = maxBatch.ToString(CultureInfo.InvariantCulture);
        s["Anchoring:MaxInFlightBatches"] = "4";
        s["Anchoring:ReceiptTimeoutSeconds"] = receiptTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>Waits until the store holds <paramref name="count"/> submitted batches with a transaction hash; returns the hashes.</summary>
    private static async Task<IReadOnlyList<string>> SubmittedAsync(ServiceHarness h, int count)
    {
        using var store = h.OpenStore();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var sent = store.SubmittedBatches().Where(b => b.TxHash is not null).Select(b => b.TxHash!).ToList();
            if (sent.Count >= count) return sent;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{sent.Count} of {count} batches sent");
            await Task.Delay(50);
        }
    }

    /// <summary>Every parcel is on chain, registered once (one ParcelRegistered event each), and the store holds each once, confirmed.</summary>
    private static async Task AssertExactlyOnceAsync(ServiceHarness h, IReadOnlyList<ParcelRecord> parcels)
    {
        var hashes = parcels.Select(p => p.Hash()).ToList();
        Assert.All(await h.Registry.Reader.ParcelsAsync(hashes), s => Assert.True(s.Exists));
        var events = await h.Registry.Reader.LogsAsync<ParcelRegisteredEvent>();
        var counted = events.GroupBy(e => Hash32.FromBytes(e.Event.Parcel)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(hashes, x => Assert.Equal(1, counted[x]));
        using var store = h.OpenStore();
        Assert.All(parcels, p => Assert.Equal(RecordStage.Confirmed, Assert.Single(store.ByHash(p.Hash().ToString())).Stage));
        Assert.Equal(0, store.Counts()[RecordStage.Rejected]);
    }

    private static async Task<JObject> ReceiptAsync(ServiceHarness h, string hash) =>
        (JObject)(await h.Registry.Rpc.RequestAsync("eth_getTransactionReceipt", hash))!;

    [Fact]
    public async Task Several_batches_wait_in_the_pool_and_are_mined_in_one_block_each_confirmed_by_its_first_transaction()
    {
        using var h = await ServiceHarness.CreateAsync(Node);
        using var host = h.StartInProcess(Settings(h, maxBatch: 2));
        var parcels = Enumerable.Range(0, 6).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        IReadOnlyList<string> sent;
        try
        {
            await PauseMiningAsync(h);
            h.DropLines("three-batches.jsonl", parcels);
            sent = await SubmittedAsync(h, 3); // three batches of two, all in the pool, none mined: the service sends on without receipts
            await Task.Delay(TimeSpan.FromSeconds(3)); // receipts seconds later: the service waits (no timeout, no resend)
        }
        finally
        {
            await ResumeMiningAsync(h);
        }
        await h.WaitSettledAsync(parcels.Count, Patience);
        await AssertExactlyOnceAsync(h, parcels);

        using var store = h.OpenStore();
        var rows = parcels.Select(p => store.ByHash(p.Hash().ToString()).Single()).ToList();
        Assert.All(rows, r => Assert.Contains(r.TransactionHash, sent)); // each batch confirmed by the transaction it sent first: none replaced
        Assert.Equal(3, rows.Select(r => r.TransactionHash).Distinct().Count());
        var blocks = new List<long>();
        foreach (var tx in sent)
        {
            var receipt = await ReceiptAsync(h, tx);
            Assert.Equal("0x1", (string?)receipt["status"]);
            blocks.Add((long)ChainRpc.Quantity(receipt["blockNumber"]!));
        }
        Assert.True(blocks.GroupBy(b => b).Any(g => g.Count() >= 2), $"batches in blocks {string.Join(", ", blocks)}: none shares a block");
    }

    [Fact]
    public async Task A_batch_mined_with_status_0_is_checked_again_its_raced_record_is_on_chain_once_and_the_rest_anchored_once()
    {
        using var h = await ServiceHarness.CreateAsync(Node);
        using var host = h.StartInProcess(Settings(h));
        var parcels = Enumerable.Range(0, 5).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var trader = new TransactionSender(h.Registry.Rpc, TestRegistry.Account(TestRegistry.BwTrader), h.Registry.ChainId,
            new TransactionOptions { Fees = FeeMode.Legacy, GasPrice = 1_000_000_000 }); // a price above the service's zero: mined first in the block
        string direct, reverted;
        ParcelRecord raced;
        try
        {
            await PauseMiningAsync(h);
            h.DropLines("raced.jsonl", parcels);
            reverted = (await SubmittedAsync(h, 1))[0];
            // another member of BW registers one of that batch's parcels, after the service's estimate passed, ahead of it in the block
            using (var sent = h.OpenStore())
            {
                var batch = sent.SubmittedBatches().First(b => b.TxHash == reverted).Id;
                var inBatch = sent.SubmittedIn(batch).Select(id => sent.ById(id)!.Hash!.Value).ToHashSet();
                raced = parcels.First(p => inBatch.Contains(p.Hash()));
            }
            direct = await trader.SubmitAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([raced]), 500_000);
        }
        finally
        {
            await ResumeMiningAsync(h);
        }
        await h.WaitSettledAsync(parcels.Count, Patience);

        var first = await ReceiptAsync(h, reverted);
        var other = await ReceiptAsync(h, direct);
        var both = $"the service's batch: {first}\nthe other member's: {other}";
        Assert.True((string?)first["status"] == "0x0", both); // mined, reverted: AlreadyRegistered
        Assert.True((string?)other["status"] == "0x1", both);
        Assert.Equal(first["blockNumber"]!.ToString(), other["blockNumber"]!.ToString());
        await AssertExactlyOnceAsync(h, parcels);
        using var store = h.OpenStore();
        Assert.Null(store.ByHash(raced.Hash().ToString()).Single().TransactionHash); // confirmed as found on chain, not by a transaction of the service
        Assert.All(parcels.Where(p => p != raced), p =>
        {
            var row = store.ByHash(p.Hash().ToString()).Single();
            Assert.NotNull(row.TransactionHash);
            Assert.NotEqual(reverted, row.TransactionHash);
        });
    }

    [Fact]
    public async Task A_batch_transaction_gone_from_the_pool_is_sent_again_with_its_nonce_and_the_one_behind_it_waits_each_anchored_once()
    {
        using var h = await ServiceHarness.CreateAsync(Node);
        using var host = h.StartInProcess(Settings(h, maxBatch: 2, receiptTimeoutSeconds: 3));
        var parcels = Enumerable.Range(0, 4).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        IReadOnlyList<string> sent;
        JObject? again = null;
        try
        {
            await PauseMiningAsync(h);
            h.DropLines("stuck.jsonl", parcels);
            sent = await SubmittedAsync(h, 2); // two batches, nonces N and N+1
            // "stuck" on a zero-fee chain: no higher fee can outbid it; the first transaction is lost from the pool (a node
            // restarted, the pool evicted it), so the second cannot be mined either: a gap at its nonce
            await h.Registry.Rpc.RequestAsync("anvil_dropTransaction", sent[0]);
            Assert.Equal(JTokenType.Null, (await h.Registry.Rpc.RequestAsync("eth_getTransactionByHash", sent[0])).Type);
            var deadline = DateTime.UtcNow + Patience;
            while (again is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                again = await h.Registry.Rpc.RequestAsync("eth_getTransactionByHash", sent[0]) as JObject; // no receipt in time: sent again
            }
        }
        finally
        {
            await ResumeMiningAsync(h);
        }
        Assert.NotNull(again);
        await h.WaitSettledAsync(parcels.Count, Patience);
        await AssertExactlyOnceAsync(h, parcels);
        foreach (var tx in sent) Assert.Equal("0x1", (string?)(await ReceiptAsync(h, tx))["status"]);
        using var store = h.OpenStore();
        var rows = parcels.Select(p => store.ByHash(p.Hash().ToString()).Single()).ToList();
        Assert.All(rows, r => Assert.Contains(r.TransactionHash, sent)); // zero fees: the same signed transaction, the same hash
        Assert.Equal(2, rows.Select(r => r.TransactionHash).Distinct().Count());
    }
}
