using System.Text.RegularExpressions;
using Traceability.Core.Epcis;
using Traceability.Core.Epcis.Mapping;
using Traceability.Service.Intake;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Intake;

/// <summary>Issue 12: an EPCIS document dropped in the inbox (*.jsonld) is stored event by event and its records anchored as usual; an unmappable event is rejected naming it.</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public sealed class EpcisDropFolderTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task The_parcels_of_a_dropped_EPCIS_document_are_anchored_and_an_unmappable_event_is_rejected_with_its_hash()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        using var host = h.StartInProcess();
        var parcels = new[] { SampleRecords.OriginParcel("BW"), SampleRecords.OriginParcel("BW") };
        var document = EpcisExporter.Export(parcels);
        // both events in kilograms, without their (now wrong) eventIDs
        var broken = Regex.Replace(document, "\"eventID\": \"[^\"]*\",", "").Replace("\"uom\": \"CTM\"", "\"uom\": \"KGM\"", StringComparison.Ordinal);
        h.DropText("mine-output.jsonld", document);
        h.DropText("kilograms.jsonld", broken);
        await h.WaitSettledAsync(4, TimeSpan.FromSeconds(120));
        using var store = h.OpenStore();
        foreach (var p in parcels) Assert.Equal(RecordStage.Confirmed, store.ByHash(p.Hash().ToString()).Single().Stage);
        var rejected = store.WithStatus(RecordStage.Rejected, 10);
        Assert.Equal(2, rejected.Count);
        var hashes = EpcisEventHasher.HashDocument(broken);
        Assert.All(rejected, r =>
        {
            Assert.Equal(EpcisIntake.Rule, r.Rule);
            Assert.EndsWith(".quantityList[0].uom", r.Field, StringComparison.Ordinal);
            Assert.Contains(hashes.Single(x => r.Source.EndsWith($"#event {x.Index}", StringComparison.Ordinal)).HashId, r.Reason, StringComparison.Ordinal);
        });
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.Inbox));
    }
}
