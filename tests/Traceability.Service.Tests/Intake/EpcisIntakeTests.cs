using System.Text;
using System.Text.Json.Nodes;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Service.Intake;
using Traceability.Testing;

namespace Traceability.Service.Tests.Intake;

/// <summary>An EPCIS document dropped as *.jsonld: one stored document per event, mapped to its record or stored rejected with the event's hash and field.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisIntakeTests
{
    [Fact]
    public void Each_event_gives_one_document_and_a_transformation_event_its_transformation_only()
    {
        var trade = TradeRecords.Build();
        var (documents, whole) = EpcisIntake.Map("trade.jsonld", "drop/x-trade.jsonld", Encoding.UTF8.GetBytes(EpcisExporter.Export(trade)));
        Assert.False(whole);
        Assert.Equal(13, documents.Count);
        Assert.All(documents, d => Assert.Null(d.RejectedAs));
        Assert.Equal(13, documents.Select(d => d.Key).Distinct().Count());
        var stored = documents.Select(d => RecordJson.Parse(d.Document)).ToList();
        // the outputs of the three transformations are not stored on their own (they are created by their transformation)
        var outputs = trade.OfType<TransformationRecord>().SelectMany(t => t.Outputs).ToHashSet();
        Assert.Equal(trade.Where(r => !outputs.Contains(r.Hash())).Select(r => r.Hash()).Order(), stored.Select(r => r.Hash()).Order());
        Assert.Equal("trade.jsonld#event 0", documents[0].Source);
    }

    [Fact]
    public void An_event_that_cannot_be_mapped_is_stored_rejected_with_its_hash_and_field()
    {
        var doc = JsonNode.Parse(EpcisExporter.Export([SampleRecords.OriginParcel("BW"), SampleRecords.OriginParcel("BW")]))!;
        var e = doc["epcisBody"]!["eventList"]![1]!.AsObject();
        e.Remove("eventID");
        e.Remove("kp:salt");
        var (documents, whole) = EpcisIntake.Map("in.jsonld", "k", Encoding.UTF8.GetBytes(doc.ToJsonString()));
        Assert.False(whole);
        Assert.Null(documents[0].RejectedAs);
        var (rule, field, reason) = documents[1].RejectedAs!.Value;
        Assert.Equal((EpcisIntake.Rule, "epcisBody.eventList[1].kp:salt"), (rule, field));
        Assert.Contains("ni:///sha-256;", reason, StringComparison.Ordinal);
        Assert.Contains("\"kp:parcelId\"", Encoding.UTF8.GetString(documents[1].Document), StringComparison.Ordinal); // the event as written
    }

    [Fact]
    public void A_document_that_cannot_be_read_is_one_rejected_note()
    {
        var (documents, whole) = EpcisIntake.Map("bad.jsonld", "k", Encoding.UTF8.GetBytes("{\"@context\": \"https://example.com/other.jsonld\", \"type\": \"ObjectEvent\"}"));
        Assert.True(whole);
        var d = Assert.Single(documents);
        Assert.Equal(EpcisIntake.Rule, d.RejectedAs!.Value.Rule);
        Assert.Equal("@context", d.RejectedAs!.Value.Field);
    }
    [Fact]
    public void A_weight_too_large_to_count_is_one_rejected_event_never_an_exception_that_stops_the_service()
    {
        // decimal overflow once threw out of the mapping: the file, staged in taken/, then stopped the service at every start
        var doc = JsonNode.Parse(EpcisExporter.Export([SampleRecords.OriginParcel("BW"), SampleRecords.OriginParcel("BW")]))!;
        var e = doc["epcisBody"]!["eventList"]![0]!.AsObject();
        e.Remove("eventID");
        e["quantityList"]![0]!["quantity"] = JsonNode.Parse("1e28");
        var (documents, whole) = EpcisIntake.Map("huge.jsonld", "k", Encoding.UTF8.GetBytes(doc.ToJsonString()));
        Assert.False(whole);
        Assert.Equal((EpcisIntake.Rule, "epcisBody.eventList[0].quantityList[0].quantity"), (documents[0].RejectedAs!.Value.Rule, documents[0].RejectedAs!.Value.Field));
        Assert.Null(documents[1].RejectedAs);
    }
}
