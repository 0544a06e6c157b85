using System.Text;
using System.Text.Json.Nodes;
using Traceability.Core.Epcis;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Core.Tests.Epcis.Mapping;

/// <summary>Events that cannot be mapped are rejected with the field named and the event named by its Event Hash ID; the other events still map.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisImportHostileTests
{
    private static readonly IReadOnlyList<KpRecord> Trade = TradeRecords.Build();
    private static readonly string Exported = EpcisExporter.Export(Trade);

    private static JsonArray List(JsonNode doc) => doc["epcisBody"]!["eventList"]!.AsArray();

    // the exported trade with event `index` changed by `change`; returns the import and that event's path
    private static (IReadOnlyList<EpcisImportedEvent> Events, string Path) Changed(Func<JsonObject, bool> which, Action<JsonObject> change, bool keepEventId = false)
    {
        var doc = JsonNode.Parse(Exported)!;
        var list = List(doc);
        var index = list.Select((e, i) => (e, i)).First(p => which(p.e!.AsObject())).i;
        var e = list[index]!.AsObject();
        if (!keepEventId) e.Remove("eventID");
        change(e);
        return (EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString())), $"epcisBody.eventList[{index}]");
    }

    private static bool Commissioning(JsonObject e) => (string?)e["bizStep"] == "commissioning";

    private static bool Shipping(JsonObject e) => (string?)e["bizStep"] == "shipping";

    private static bool Transformation(JsonObject e) => (string?)e["type"] == "TransformationEvent";

    private static EpcisImportedEvent Rejected(IReadOnlyList<EpcisImportedEvent> events, string field)
    {
        var rejected = Assert.Single(events, e => !e.IsMapped);
        Assert.Equal(field, rejected.Rejection!.Field);
        Assert.Contains(rejected.HashId, rejected.Reason, StringComparison.Ordinal);
        Assert.Contains(field, rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(EpcisEventHasher.HashDocument(Exported).Count - 1, events.Count(x => x.IsMapped)); // the others still map
        return rejected;
    }

    [Fact]
    public void A_quantity_of_the_wrong_type_is_rejected_naming_it()
    {
        var (events, at) = Changed(Commissioning, e => e["quantityList"]![0]!["quantity"] = "1000");
        Assert.Contains("carats", Rejected(events, at + ".quantityList[0].quantity").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12.345)]
    [InlineData(-1)]
    public void A_weight_that_is_not_whole_hundredths_of_a_carat_is_rejected(double quantity)
    {
        var (events, at) = Changed(Commissioning, e => e["quantityList"]![0]!["quantity"] = quantity);
        Rejected(events, at + ".quantityList[0].quantity");
    }

    [Fact]
    public void A_weight_in_another_unit_is_rejected_naming_the_uom()
    {
        var (events, at) = Changed(Commissioning, e => e["quantityList"]![0]!["uom"] = "KGM");
        Assert.Contains("CTM", Rejected(events, at + ".quantityList[0].uom").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kp:salt")]
    [InlineData("kp:parcelId")]
    [InlineData("kp:origins")]
    [InlineData("bizLocation")]
    [InlineData("quantityList")]
    public void A_missing_field_of_a_parcel_is_rejected_naming_it(string field)
    {
        var (events, at) = Changed(Commissioning, e => e.Remove(field));
        Assert.Contains("is missing", Rejected(events, $"{at}.{field}").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_KP_field_of_the_wrong_type_is_rejected_naming_it()
    {
        var (events, at) = Changed(Shipping, e => e["kp:parcelCount"] = "two");
        Rejected(events, at + ".kp:parcelCount");
        (events, at) = Changed(Shipping, e => e["kp:origins"] = new JsonArray("BW", "bw"));
        Rejected(events, at + ".kp:origins[1]");
    }

    [Fact]
    public void An_unknown_KP_field_is_rejected_not_dropped()
    {
        var (events, at) = Changed(Commissioning, e => e["kp:grade"] = "gem");
        Rejected(events, at + ".kp:grade");
    }

    [Fact]
    public void An_event_type_without_a_KP_record_is_rejected_naming_the_type()
    {
        var (events, at) = Changed(Commissioning, e =>
        {
            e["type"] = "AggregationEvent";
            e["parentID"] = "urn:kp:parcel:" + new string('0', 64);
        });
        Assert.Contains("AggregationEvent", Rejected(events, at + ".type").Reason, StringComparison.Ordinal);
        (events, at) = Changed(Commissioning, e => e["bizStep"] = "inspecting");
        Rejected(events, at + ".bizStep");
    }

    [Fact]
    public void An_event_type_that_is_not_EPCIS_refuses_the_document_naming_the_event()
    {
        var doc = JsonNode.Parse(Exported)!;
        List(doc)[3]!["type"] = "DiamondEvent";
        var e = Assert.Throws<EpcisFormatException>(() => EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString())));
        Assert.Equal("epcisBody.eventList[3].type", e.Field);
    }

    [Fact]
    public void A_changed_field_under_the_original_eventID_is_rejected_naming_the_eventID()
    {
        var (events, at) = Changed(Commissioning, e => e["kp:valueUsdCents"] = 1, keepEventId: true);
        Assert.Contains("changed", Rejected(events, at + ".eventID").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_field_under_the_original_parcel_identifier_is_rejected_naming_the_identifier()
    {
        var (events, at) = Changed(Commissioning, e => e["kp:valueUsdCents"] = 1);
        Rejected(events, at + ".quantityList[0].epcClass");
        (events, at) = Changed(Transformation, e => e["kp:salt"] = "0x" + new string('1', 64));
        Rejected(events, at + ".transformationID");
    }

    [Fact]
    public void A_duplicated_eventID_rejects_the_second_event()
    {
        var doc = JsonNode.Parse(Exported)!;
        var list = List(doc);
        list[4]!["eventID"] = (string?)list[2]!["eventID"];
        var events = EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString()));
        var rejected = Assert.Single(events, e => !e.IsMapped);
        Assert.Equal(4, rejected.Index);
        Assert.Equal("epcisBody.eventList[4].eventID", rejected.Rejection!.Field);
        Assert.Contains("event 2", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_event_twice_is_imported_once()
    {
        var doc = JsonNode.Parse(Exported)!;
        var list = List(doc);
        var copy = list[0]!.DeepClone().AsObject();
        copy.Remove("eventID");
        list.Add(copy);
        var events = EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString()));
        var rejected = Assert.Single(events, e => !e.IsMapped);
        Assert.Equal(list.Count - 1, rejected.Index);
        Assert.Contains("same event as event 0", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shipment_without_its_certificate_data_is_rejected_naming_the_field()
    {
        var (events, at) = Changed(Shipping, e => e.Remove("bizTransactionList"));
        Rejected(events, at + ".bizTransactionList");
        (events, at) = Changed(Shipping, e => e["sourceList"] = new JsonArray());
        Rejected(events, at + ".sourceList");
        (events, at) = Changed(Shipping, e => e.Remove("kp:expiresAt"));
        Rejected(events, at + ".kp:expiresAt");
    }

    [Fact]
    public void A_transformation_whose_output_details_do_not_match_its_outputs_is_rejected()
    {
        var (events, at) = Changed(Transformation, e => e["kp:outputParcels"]!.AsArray().RemoveAt(0));
        Rejected(events, at + ".kp:outputParcels");
        (events, at) = Changed(Transformation, e => e["inputQuantityList"]![0]!["epcClass"] = "urn:gtin:123");
        Rejected(events, at + ".inputQuantityList[0].epcClass");
    }

    [Fact]
    public void A_record_that_would_not_be_a_valid_document_is_rejected_naming_its_field()
    {
        var (events, at) = Changed(e => e["kp:authorization"] is not null, e => e["kp:authorization"]!["kp:signature"] = "0x12");
        Assert.Contains("authorization.signature", Rejected(events, at).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_with_a_fraction_of_a_second_is_rejected()
    {
        var (events, at) = Changed(Commissioning, e => e["eventTime"] = "2026-11-01T00:00:00.500Z");
        Assert.Contains("whole seconds", Rejected(events, at + ".eventTime").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_document_is_refused_as_a_whole()
    {
        var huge = Exported.Replace("\"kp:parcelId\"", "\"pad\": \"" + new string('x', EpcisEventHasher.MaxDocumentBytes) + "\", \"kp:parcelId\"", StringComparison.Ordinal);
        Assert.Equal("document", Assert.Throws<EpcisFormatException>(() => EpcisImporter.Import(Encoding.UTF8.GetBytes(huge))).Field);
    }

    [Fact]
    public void A_document_of_more_events_than_imported_at_once_is_refused_naming_the_list()
    {
        var doc = JsonNode.Parse(Exported)!;
        var list = List(doc);
        var one = list[0]!.DeepClone();
        list.Clear();
        for (var i = 0; i <= EpcisImporter.MaxEvents; i++) list.Add(one.DeepClone());
        var e = Assert.Throws<EpcisFormatException>(() => EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString())));
        Assert.Equal("epcisBody.eventList", e.Field);
    }
    [Theory]
    [InlineData("1e28")]
    [InlineData("79228162514264337593543950335")]
    public void A_weight_too_large_for_hundredths_of_a_carat_is_rejected_not_a_crash(string quantity)
    {
        var (events, at) = Changed(Commissioning, e => e["quantityList"]![0]!["quantity"] = JsonNode.Parse(quantity));
        Rejected(events, at + ".quantityList[0].quantity");
        (events, at) = Changed(Transformation, e => e["inputQuantityList"]![0]!["quantity"] = JsonNode.Parse(quantity));
        Rejected(events, at + ".inputQuantityList[0].quantity");
    }

    [Fact]
    public void Two_keys_for_the_same_KP_field_are_rejected_not_one_silently_chosen()
    {
        // "kp2:" is declared as the KP namespace too: "kp:valueUsdCents" and "kp2:valueUsdCents" are one field written twice
        var doc = JsonNode.Parse(Exported)!;
        var context = doc["@context"]!.AsArray();
        context.Add(new JsonObject { ["kp2"] = KpEpcisTerms.Namespace });
        var list = List(doc);
        var index = list.Select((e, i) => (e, i)).First(p => Commissioning(p.e!.AsObject())).i;
        var e = list[index]!.AsObject();
        e.Remove("eventID");
        e["kp2:valueUsdCents"] = 1;
        var events = EpcisImporter.Import(Encoding.UTF8.GetBytes(doc.ToJsonString()));
        Rejected(events, $"epcisBody.eventList[{index}].kp2:valueUsdCents");
    }
}
