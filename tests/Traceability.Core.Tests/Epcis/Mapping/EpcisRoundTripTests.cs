using System.Text.Json;
using Traceability.Core.Epcis;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Core.Tests.Epcis.Mapping;

/// <summary>The demo's trade exported to one EPCIS document and imported back: valid against the GS1 schema, the same record hashes.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisRoundTripTests
{
    private static readonly IReadOnlyList<KpRecord> Trade = TradeRecords.Build();

    private static JsonElement[] Events(string document) =>
        [.. JsonDocument.Parse(document).RootElement.GetProperty("epcisBody").GetProperty("eventList").EnumerateArray()];

    [Fact]
    public void Export_then_import_gives_back_every_record_with_the_same_hash()
    {
        var document = EpcisExporter.Export(Trade);
        var imported = EpcisImporter.Import(System.Text.Encoding.UTF8.GetBytes(document));
        Assert.All(imported, e => Assert.True(e.IsMapped, e.Reason));
        var back = imported.SelectMany(e => e.Records).ToList();
        Assert.Equal(Trade.Select(r => r.Hash()).Order(), back.Select(r => r.Hash()).Order());
        // the documents are equal too (the transformation's output details, the certificate's authorization)
        Assert.Equal(Trade.Select(RecordJson.Write).Order(StringComparer.Ordinal), back.Select(RecordJson.Write).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_export_is_valid_against_the_EPCIS_2_JSON_schema()
    {
        var document = EpcisExporter.Export(Trade);
        Assert.Empty(EpcisSchema.Errors(document));
    }

    [Fact]
    public void Each_event_carries_its_Event_Hash_ID_as_eventID()
    {
        var document = EpcisExporter.Export(Trade);
        var hashes = EpcisEventHasher.HashDocument(document);
        Assert.Equal(13, hashes.Count); // 5 origin parcels, 3 transformations (carrying 6 outputs), 3 certificates, 2 confirmations
        Assert.All(hashes, h => Assert.Equal(h.HashId, h.EventId));
    }

    [Fact]
    public void Each_record_kind_has_its_event_type_bizStep_and_fields()
    {
        var events = Events(EpcisExporter.Export(Trade));
        var mined = events.Single(e => e.TryGetProperty("kp:mine", out var m) && m.GetString() == "Berbérati");
        Assert.Equal(("ObjectEvent", "ADD", "commissioning"), (mined.GetProperty("type").GetString(), mined.GetProperty("action").GetString(), mined.GetProperty("bizStep").GetString()));
        var q = mined.GetProperty("quantityList")[0];
        Assert.Equal((200m, "CTM"), (q.GetProperty("quantity").GetDecimal(), q.GetProperty("uom").GetString()));
        Assert.Equal("urn:kp:mine:CF:Berb%C3%A9rati", mined.GetProperty("readPoint").GetProperty("id").GetString());
        Assert.Equal("urn:kp:participant:CF", mined.GetProperty("bizLocation").GetProperty("id").GetString());

        var merge = events.Single(e => e.TryGetProperty("kp:operation", out var o) && o.GetString() == "merge");
        Assert.Equal("TransformationEvent", merge.GetProperty("type").GetString());
        Assert.Equal(6, merge.GetProperty("inputQuantityList").GetArrayLength());
        Assert.All(merge.GetProperty("inputQuantityList").EnumerateArray(), i => Assert.Equal("CTM", i.GetProperty("uom").GetString())); // every input is held
        Assert.Equal(4200m, merge.GetProperty("outputQuantityList")[0].GetProperty("quantity").GetDecimal());

        var shipping = events.Where(e => e.TryGetProperty("bizStep", out var s) && s.GetString() == "shipping").ToList();
        Assert.Equal(3, shipping.Count);
        var bw = shipping.Single(e => e.GetProperty("sourceList")[0].GetProperty("source").GetString() == "urn:kp:participant:BW");
        Assert.Equal("cert", bw.GetProperty("bizTransactionList")[0].GetProperty("type").GetString());
        Assert.StartsWith("urn:kp:certificate:BW", bw.GetProperty("bizTransactionList")[0].GetProperty("bizTransaction").GetString(), StringComparison.Ordinal);
        Assert.Equal("urn:kp:participant:AE", bw.GetProperty("destinationList")[0].GetProperty("destination").GetString());
        Assert.Equal(JsonValueKind.Object, bw.GetProperty("kp:authorization").ValueKind);
        Assert.Equal(2, events.Count(e => e.TryGetProperty("bizStep", out var s) && s.GetString() == "receiving"));
    }

    [Fact]
    public void The_same_records_in_any_order_give_the_same_document()
    {
        Assert.Equal(EpcisExporter.Export(Trade), EpcisExporter.Export([.. Trade.Reverse()]));
    }

    [Fact]
    public void A_transformation_whose_outputs_are_not_held_carries_their_details_hashes_and_imports_to_the_same_hash()
    {
        var transformations = Trade.OfType<TransformationRecord>().ToList();
        var document = EpcisExporter.Export(transformations);
        Assert.Empty(EpcisSchema.Errors(document));
        var back = EpcisImporter.Import(System.Text.Encoding.UTF8.GetBytes(document)).SelectMany(e => e.Records).ToList();
        Assert.Equal(transformations.Select(t => t.Hash()).Order(), back.Select(r => r.Hash()).Order());
        Assert.All(back.Cast<TransformationRecord>(), t => Assert.True(t.OutputDetailsMatch));
    }

    [Fact]
    public void A_document_with_another_prefix_for_the_KP_namespace_imports_alike()
    {
        var document = EpcisExporter.Export(Trade).Replace("\"kp:", "\"diamonds:", StringComparison.Ordinal).Replace("\"kp\":", "\"diamonds\":", StringComparison.Ordinal);
        var back = EpcisImporter.Import(System.Text.Encoding.UTF8.GetBytes(document)).SelectMany(e => e.Records).ToList();
        Assert.Equal(Trade.Select(r => r.Hash()).Order(), back.Select(r => r.Hash()).Order());
    }

    [Fact]
    public void The_sample_export_under_samples_epcis_is_valid_and_imports()
    {
        var path = RepoPaths.Under("samples", "epcis", "trade.jsonld");
        var text = File.ReadAllText(path);
        Assert.Empty(EpcisSchema.Errors(text));
        var events = EpcisImporter.Import(File.ReadAllBytes(path));
        Assert.All(events, e => Assert.True(e.IsMapped, e.Reason));
        // the demo's records, read back, export to the very same document (every field and hash survived)
        Assert.Equal(text, EpcisExporter.Export([.. events.SelectMany(e => e.Records)]));
        Assert.Equal(File.ReadAllLines(RepoPaths.Under("samples", "epcis", "trade.hashes")), events.Select(e => e.HashId));
    }
}
