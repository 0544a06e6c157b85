using Traceability.Chain.Registry;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Service.Tests.Hosting;

/// <summary>
/// The service sending through a remote signer (SignerUrl: a stand-in for Clef or Web3Signer holding the
/// BW member's key; no key in the service), and keeping every record while the signer is down.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class RemoteSignerServiceTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task Anchors_through_a_remote_signer_and_keeps_the_records_while_it_is_down()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var d = await TradeDocuments.CreateAsync(h.Registry);
        var signer = await StandInSigner.StartAsync(BwMiner);
        var port = signer.Port;
        var settings = h.Settings();
        settings.Remove("Anchoring:AccountIndex");
        settings["Anchoring:SignerUrl"] = signer.Url;
        settings["Anchoring:SignerTimeoutSeconds"] = "10";
        using var host = h.StartInProcess(settings);
        try
        {
            // up: the first parcel is anchored from the signer's account
            h.Drop(d.Mined[0]);
            var first = await h.WaitSettledAsync(1, TimeSpan.FromMinutes(2));
            Assert.Equal(1, first[RecordStage.Confirmed]);
            Assert.True((await h.Registry.Reader.ParcelAsync(d.Mined[0].Hash())).Exists);

            // down: the rest is taken and kept, nothing is rejected, nothing anchored
            await signer.DisposeAsync();
            // parents first: the service may take in each file in a pass of its own, and a child whose parent is neither on
            // chain nor held here is rejected (a smuggled parcel never waits)
            h.Drop([.. d.Mined.Skip(1)]);
            h.Drop(d.Sort);
            h.Drop(d.Certificate);
            await Task.Delay(TimeSpan.FromSeconds(4));
            using (var store = h.OpenStore())
            {
                var counts = store.Counts();
                Assert.Equal(d.Mined.Count + 2, counts.Values.Sum());
                Assert.Equal(1, counts[RecordStage.Confirmed]);
                Assert.Equal(0, counts[RecordStage.Rejected]);
            }
            Assert.False((await h.Registry.Reader.ParcelAsync(d.Mined[1].Hash())).Exists);

            // back on the same endpoint: everything is anchored, the relayed certificate too
            signer = await StandInSigner.StartAsync(BwMiner, port);
            var all = await h.WaitSettledAsync(d.Mined.Count + 2, TimeSpan.FromMinutes(3));
            Assert.Equal(d.Mined.Count + 2, all[RecordStage.Confirmed]);
            Assert.Equal(0, all[RecordStage.Rejected]);
            var cert = await h.Registry.Reader.CertificateAsync(d.Certificate.Exporter, d.Certificate.NumberHash);
            Assert.Equal(CertificateStatus.Issued, cert.Status);
        }
        finally
        {
            await host.StopAsync();
            await signer.DisposeAsync();
        }
    }
}
