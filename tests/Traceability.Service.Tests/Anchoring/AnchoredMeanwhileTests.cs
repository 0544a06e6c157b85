using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Core.Records;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>
/// A record whose own transaction is still in the node's pool (sent by a service killed before it recorded the hash, so its
/// batch was put back to pending on restart) is anchored, not rejected: the gas estimate, made against the pending block,
/// reverts with AlreadyRegistered of the record's own hash (a certificate: CertificateAlreadyIssued of its own number; an import
/// confirmation: CertificateNotIssued of its own certificate); that record waits and is found on chain once its transaction is mined.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class AnchoredMeanwhileTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task A_parcel_whose_own_transaction_waits_in_the_pool_is_anchored_not_rejected_as_already_registered()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcel = SampleRecords.OriginParcel("BW");
        // the transaction a killed service sent: accepted, in the pool, its hash never recorded
        await WhileAutomineIsOffAsync(h, async () =>
        {
            await h.Registry.As(TestRegistry.BwMiner).Sender.SubmitAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([parcel]), 500_000);
            await AnchoredOnceMinedAsync(h, parcel);
        });
    }

    [Fact]
    public async Task A_certificate_whose_own_transaction_waits_in_the_pool_is_anchored_not_rejected()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var writer = h.Registry.As(TestRegistry.BwMiner);
        var parcel = SampleRecords.OriginParcel("BW", 100_000);
        await writer.Sender.SendAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([parcel]));
        var now = await h.Registry.Reader.BlockTimestampAsync();
        var certificate = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [parcel.Hash()], carats: 100_000, issuedAt: now),
            now + 3600, TestRegistry.Account(TestRegistry.BwAuthority), h.Registry.Domain);
        await WhileAutomineIsOffAsync(h, async () =>
        {
            await writer.Sender.SubmitAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([certificate]), 1_000_000);
            await AnchoredOnceMinedAsync(h, certificate);
        });
    }

    [Fact]
    public async Task A_transformation_whose_own_transaction_waits_in_the_pool_is_anchored_not_rejected()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var writer = h.Registry.As(TestRegistry.BwMiner);
        var mined = new[] { SampleRecords.OriginParcel("BW", 100_000), SampleRecords.OriginParcel("BW", 100_000) };
        await writer.Sender.SendAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([.. mined]));
        var sort = SampleRecords.Transformation("BW", TestRegistry.Hashes(mined), [SampleRecords.DerivedParcel("BW", 200_000, "BW")]);
        await WhileAutomineIsOffAsync(h, async () =>
        {
            await writer.Sender.SubmitAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([sort]), 1_000_000);
            await AnchoredOnceMinedAsync(h, sort);
        });
    }

    [Fact]
    public async Task An_import_confirmation_whose_own_transaction_waits_in_the_pool_is_anchored_not_rejected()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var parcel = SampleRecords.OriginParcel("BW", 100_000);
        await h.Registry.As(TestRegistry.BwMiner).Sender.SendAsync(h.Registry.Deployment.Address, RegistryWriter.BatchCallData([parcel]));
        var now = await h.Registry.Reader.BlockTimestampAsync();
        var certificate = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [parcel.Hash()], carats: 100_000, issuedAt: now),
            now + 3600, TestRegistry.Account(TestRegistry.BwAuthority), h.Registry.Domain);
        var confirmation = SampleRecords.Confirmation(certificate, confirmedAt: now);
        // the importing authority's service: it relays the certificate, then confirms the import
        using var host = h.StartInProcess(h.Settings(TestRegistry.AeAuthority));
        try
        {
            h.Drop(certificate);
            await h.WaitSettledAsync(1, TimeSpan.FromSeconds(60));
            await WhileAutomineIsOffAsync(h, async () =>
            {
                await h.Registry.As(TestRegistry.AeAuthority).Sender.SubmitAsync(h.Registry.Deployment.Address,
                    RegistryWriter.BatchCallData([confirmation], _ => certificate), 1_000_000);
                await NotRejectedWhileItWaitsAsync(h, confirmation);
                await h.Registry.Rpc.RequestAsync("evm_mine");
            });
            AssertAllConfirmed(h, await h.WaitSettledAsync(2, TimeSpan.FromSeconds(60)), 2);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Drops <paramref name="record"/> (its own transaction waiting in the pool), lets the service go round, mines: confirmed, never rejected.</summary>
    private static async Task AnchoredOnceMinedAsync(ServiceHarness h, KpRecord record)
    {
        using var host = h.StartInProcess();
        try
        {
            await NotRejectedWhileItWaitsAsync(h, record);
            await h.Registry.Rpc.RequestAsync("evm_mine");
            AssertAllConfirmed(h, await h.WaitSettledAsync(1, TimeSpan.FromSeconds(60)), 1);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>All <paramref name="expected"/> records confirmed; a rejected one is named with its rule and reason.</summary>
    private static void AssertAllConfirmed(ServiceHarness h, IReadOnlyDictionary<RecordStage, long> counts, int expected)
    {
        using var store = h.OpenStore();
        AssertNoneRejected(store);
        Assert.Equal(expected, counts[RecordStage.Confirmed]);
    }

    /// <summary>Drops <paramref name="record"/> and gives the service several rounds (20 ms apart) to check and estimate it while its transaction waits: none rejects it.</summary>
    private static async Task NotRejectedWhileItWaitsAsync(ServiceHarness h, KpRecord record)
    {
        h.Drop(record);
        using var store = h.OpenStore();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (store.Counts()[RecordStage.Pending] + store.Counts()[RecordStage.Rejected] == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        await Task.Delay(TimeSpan.FromSeconds(5));
        AssertNoneRejected(store);
    }

    private static void AssertNoneRejected(RecordStore store)
    {
        var rejected = store.WithStatus(RecordStage.Rejected, 10, withDocument: false);
        Assert.True(rejected.Count == 0, string.Join("; ", rejected.Select(r => $"{r.Rule} {r.Field} {r.Reason}")));
    }

    /// <summary>Runs <paramref name="work"/> with the node mining only when told (evm_mine), then automining again.</summary>
    private static async Task WhileAutomineIsOffAsync(ServiceHarness h, Func<Task> work)
    {
        await h.Registry.Rpc.RequestAsync("evm_setAutomine", false);
        try
        {
            await work();
        }
        finally
        {
            await h.Registry.Rpc.RequestAsync("evm_setAutomine", true);
        }
    }
}
