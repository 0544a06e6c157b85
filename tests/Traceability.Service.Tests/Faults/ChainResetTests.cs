using Microsoft.Extensions.DependencyInjection;
using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Service.Hosting;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Faults;

/// <summary>
/// The registry vanishes under the service (a chain reset) after a batch was sent: the node mines the call to the now empty
/// address as a success without the registry's events. Its records are not counted anchored, and the service stops with exit code 3.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class ChainResetTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task A_batch_mined_after_the_registry_vanished_is_not_counted_anchored_and_the_service_stops_with_exit_code_3()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var rpc = h.Registry.Rpc;
        var address = h.Registry.Deployment.Address;
        using var host = h.StartInProcess();
        try
        {
            var first = SampleRecords.OriginParcel("BW");
            h.Drop(first);
            await h.WaitSettledAsync(1); // anchored: the deployment was checked and stands

            await rpc.RequestAsync("evm_setAutomine", false);
            var parcels = Enumerable.Range(0, 3).Select(_ => SampleRecords.OriginParcel("BW")).ToArray();
            h.Drop(parcels);
            using var store = h.OpenStore();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!store.SubmittedBatches().Any(b => b.TxHash is not null) && DateTime.UtcNow < until) await Task.Delay(20);
            Assert.Contains(store.SubmittedBatches(), b => b.TxHash is not null); // sent, waiting in the pool

            await rpc.RequestAsync("hardhat_setCode", address, "0x"); // the chain "reset" under the deployment
            await rpc.RequestAsync("evm_mine");

            var state = host.Services.GetRequiredService<ServiceState>();
            until = DateTime.UtcNow.AddSeconds(60);
            while (state.ExitCode == 0 && DateTime.UtcNow < until) await Task.Delay(50);
            Assert.Equal(3, state.ExitCode);
            Assert.Equal(1, store.Counts()[RecordStage.Confirmed]); // the first only
            Assert.All(parcels, p => Assert.NotEqual(RecordStage.Confirmed, store.ByHash(p.Hash().ToString()).Single().Stage));
        }
        finally
        {
            await rpc.RequestAsync("evm_setAutomine", true);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task An_import_confirmation_whose_batch_was_mined_after_the_registry_vanished_is_not_rejected_by_the_check_of_an_empty_address()
    {
        // a view call to an address without code answers nothing, read as a certificate never issued: the records of a batch mined
        // without the registry's events go back to be checked, and that check must not run against the vanished registry
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var rpc = h.Registry.Rpc;
        var address = h.Registry.Deployment.Address;
        var parcel = SampleRecords.OriginParcel("BW", 100_000);
        await h.Registry.As(TestRegistry.BwMiner).Sender.SendAsync(address, RegistryWriter.BatchCallData([parcel]));
        var now = await h.Registry.Reader.BlockTimestampAsync();
        var certificate = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [parcel.Hash()], carats: 100_000, issuedAt: now),
            now + 3600, TestRegistry.Account(TestRegistry.BwAuthority), h.Registry.Domain);
        var confirmation = SampleRecords.Confirmation(certificate, confirmedAt: now);
        var settings = h.Settings(TestRegistry.AeAuthority);
        settings["Anchoring:DeploymentCheckSeconds"] = "3600"; // the periodic check does not stop it first: the guard before anchoring must
        using var host = h.StartInProcess(settings);
        try
        {
            h.Drop(certificate);
            await h.WaitSettledAsync(1, TimeSpan.FromSeconds(60));
            await rpc.RequestAsync("evm_setAutomine", false);
            h.Drop(confirmation);
            using var store = h.OpenStore();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!store.SubmittedBatches().Any(b => b.TxHash is not null) && DateTime.UtcNow < until) await Task.Delay(20);
            Assert.Contains(store.SubmittedBatches(), b => b.TxHash is not null);

            await rpc.RequestAsync("hardhat_setCode", address, "0x");
            await rpc.RequestAsync("evm_mine");

            var state = host.Services.GetRequiredService<ServiceState>();
            until = DateTime.UtcNow.AddSeconds(60);
            while (state.ExitCode == 0 && DateTime.UtcNow < until) await Task.Delay(50);
            var stored = store.ByHash(confirmation.Hash().ToString()).Single();
            Assert.True(stored.Stage == RecordStage.Pending, $"{stored.Stage}: {stored.Rule} {stored.Field} {stored.Reason}");
            Assert.Equal(3, state.ExitCode);
        }
        finally
        {
            await rpc.RequestAsync("evm_setAutomine", true);
            await host.StopAsync();
        }
    }
}
