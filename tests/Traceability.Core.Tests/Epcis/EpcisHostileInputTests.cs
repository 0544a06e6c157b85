using System.Diagnostics;
using Traceability.Core.Epcis;
using static Traceability.Core.Tests.Epcis.EpcisNormalisationTests;

namespace Traceability.Core.Tests.Epcis;

/// <summary>Input that cannot be hashed is refused with an <see cref="EpcisFormatException"/> naming the field, never a crash or a wrong hash.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisHostileInputTests
{
    private static EpcisFormatException Refused(string json) => Assert.Throws<EpcisFormatException>(() => EpcisEventHasher.HashDocument(json));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"@context\": ")]
    [InlineData("{\"a\": 1} trailing")]
    [InlineData("[1, 2]")]
    [InlineData("\"a string\"")]
    public void Text_that_is_not_a_JSON_object_is_refused_as_the_document(string text)
    {
        var e = Refused(text);
        Assert.Equal("document", e.Field);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void A_document_without_events_is_refused()
    {
        Assert.Equal("epcisBody.eventList", Refused(Document("").Replace("[{}]", "[]", StringComparison.Ordinal)).Field);
        Assert.Equal("epcisBody.eventList", Refused("{\"@context\": \"" + Gs1Context + "\", \"type\": \"EPCISDocument\", \"epcisBody\": {}}").Field);
        Assert.Equal("epcisBody", Refused("{\"@context\": \"" + Gs1Context + "\", \"type\": \"EPCISDocument\"}").Field);
        Assert.Equal("epcisBody.queryResults.resultsBody.eventList", Refused("{\"@context\": \"" + Gs1Context + "\", \"epcisBody\": {\"queryResults\": {}}}").Field);
        Assert.Equal("epcisBody.eventList", Refused("{\"@context\": \"" + Gs1Context + "\", \"epcisBody\": {\"eventList\": {}}}").Field);
    }

    [Fact]
    public void An_event_without_an_event_time_or_with_a_bad_one_is_refused_naming_it()
    {
        var e = Refused(Document("\"type\": \"ObjectEvent\", \"action\": \"OBSERVE\", \"epcList\": []"));
        Assert.Equal("epcisBody.eventList[0].eventTime", e.Field);
        Assert.Contains("eventTime", e.Message, StringComparison.Ordinal);
        Assert.Equal("epcisBody.eventList[0].eventTime", Refused(Event(time: "2026-13-01T00:00:00Z")).Field);
        Assert.Equal("epcisBody.eventList[0].eventTime", Refused(Event(time: "2026-03-04T11:00:30")).Field); // no offset
        Assert.Equal("epcisBody.eventList[0].eventTime", Refused(Document("\"type\": \"ObjectEvent\", \"eventTime\": 1772618430")).Field);
        var sensor = Refused(Event("\"sensorElementList\": [{\"sensorMetadata\": {\"time\": \"noon\"}}]"));
        Assert.Equal("epcisBody.eventList[0].sensorElementList[0].sensorMetadata.time", sensor.Field);
    }

    [Theory]
    [InlineData("\"type\": \"ShippingEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\"", "epcisBody.eventList[0].type")]
    [InlineData("\"eventTime\": \"2026-03-04T11:00:30Z\"", "epcisBody.eventList[0].type")]
    [InlineData("\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\", \"action\": \"ADD\", \"action\": \"DELETE\"", "epcisBody.eventList[0].action")]
    [InlineData("\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\", \"readPoint\": {\"id\": \"a\", \"id\": \"b\"}", "epcisBody.eventList[0].readPoint.id")]
    public void An_event_with_an_unknown_type_or_a_duplicated_key_is_refused_naming_the_field(string members, string field) =>
        Assert.Equal(field, Refused(Document(members)).Field);

    [Theory]
    [InlineData("{\"eventList\": [EVENT], \"eventList\": [OTHER]}", "epcisBody.eventList")]
    [InlineData("{\"queryResults\": {\"resultsBody\": {\"eventList\": [EVENT]}, \"resultsBody\": {\"eventList\": [OTHER]}}}", "epcisBody.queryResults.resultsBody")]
    [InlineData("{\"queryResults\": {\"resultsBody\": {\"eventList\": [EVENT], \"eventList\": [OTHER]}}}", "epcisBody.queryResults.resultsBody.eventList")]
    public void A_document_with_two_event_lists_is_refused_not_read_as_one_or_the_other(string body, string field)
    {
        // one parser would take the first list, another the last: the events anchored would not be those an auditor reads
        const string Event = "{\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\", \"action\": \"OBSERVE\", \"epcList\": [\"urn:a\"]}";
        var json = "{\"@context\": \"" + Gs1Context + "\", \"type\": \"EPCISDocument\", \"epcisBody\": "
            + body.Replace("EVENT", Event, StringComparison.Ordinal).Replace("OTHER", Event.Replace("urn:a", "urn:b", StringComparison.Ordinal), StringComparison.Ordinal) + "}";
        Assert.Equal(field, Refused(json).Field);
    }

    [Fact]
    public void An_event_that_is_not_an_object_is_refused()
    {
        var json = "{\"@context\": \"" + Gs1Context + "\", \"epcisBody\": {\"eventList\": [\"ObjectEvent\"]}}";
        Assert.Equal("epcisBody.eventList[0]", Refused(json).Field);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_it_is_walked()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"example:x\": ", 200)) + "1" + new string('}', 200);
        var e = Refused(Event("\"example:deep\": " + deep));
        Assert.Equal("document", e.Field);
        Assert.Contains("depth", e.Message, StringComparison.OrdinalIgnoreCase);
        // nesting within the limit is hashed
        var fine = string.Concat(Enumerable.Repeat("{\"example:x\": ", 40)) + "1" + new string('}', 40);
        Assert.Single(EpcisEventHasher.HashDocument(Event("\"example:deep\": " + fine)));
    }

    [Theory]
    [InlineData("1e999999")]
    [InlineData("1e-999999")]
    [InlineData("1e99999999999999999999")]
    public void A_huge_number_is_refused_naming_its_field(string number)
    {
        var e = Refused(Event("\"sensorElementList\": [{\"sensorReport\": [{\"type\": \"Temperature\", \"value\": " + number + "}]}]"));
        Assert.Equal("epcisBody.eventList[0].sensorElementList[0].sensorReport[0].value", e.Field);
        Assert.Contains("too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_numbers_that_expand_a_thousandfold_are_refused_before_they_exhaust_the_memory()
    {
        // 6 bytes each in the document, 1,000 digits each written out: 30 kB would ask for 5 million characters (16 MB, for gigabytes)
        var e = Refused(Event("\"example:n\": [" + string.Join(",", Enumerable.Repeat("1e999", 5_000)) + "]"));
        Assert.StartsWith("epcisBody.eventList[0].example:n[", e.Field, StringComparison.Ordinal);
        Assert.Contains("too large to hash", e.Message, StringComparison.Ordinal);
        // a few are hashed as the reference writes them
        Assert.Contains("n=1" + new string('0', 999), Assert.Single(EpcisEventHasher.HashDocument(Event("\"example:n\": [1e999, 2e999]"))).PreHash, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_of_half_a_million_EPCs_is_hashed_in_linear_time()
    {
        // each EPC written was removed from the list one by one: quadratic, about an hour of CPU for a 16 MB document
        var json = Document("\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\", \"action\": \"OBSERVE\", \"epcList\": [" + string.Join(",", Enumerable.Range(0, 500_000).Select(i => $"\"urn:x:{i}\"")) + "]");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var hash = Assert.Single(EpcisEventHasher.HashDocument(json));
        Assert.StartsWith("eventType=ObjectEventeventTime=", hash.PreHash, StringComparison.Ordinal);
        Assert.InRange((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, 0, 30); // a few seconds; before: minutes
    }

    [Fact]
    public void A_long_but_finite_number_is_hashed_exactly()
    {
        var digits = new string('9', 400);
        Assert.Contains("{https://ns.example.com/epcis/}n=" + digits, Assert.Single(EpcisEventHasher.HashDocument(Event("\"example:n\": " + digits))).PreHash, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_that_cannot_be_resolved_offline_or_that_redefines_a_GS1_term_is_refused()
    {
        Assert.Equal("@context", Refused(Event().Replace("\"" + Gs1Context + "\", ", "", StringComparison.Ordinal)).Field); // no GS1 context
        var remote = Refused(Document("\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\"", context: "\"" + Gs1Context + "\", \"https://example.com/my-context.jsonld\""));
        Assert.Equal("@context[1]", remote.Field);
        Assert.Contains("offline", remote.Message, StringComparison.Ordinal);
        var redefined = Refused(Document("\"type\": \"ObjectEvent\", \"eventTime\": \"2026-03-04T11:00:30Z\"", context: "\"" + Gs1Context + "\", {\"gs1\": \"https://example.com/voc/\"}"));
        Assert.Equal("@context[1].gs1", redefined.Field);
        Assert.Equal("@context", Refused(Event().Replace("\"@context\"", "\"@kontext\"", StringComparison.Ordinal)).Field);
    }

    [Fact]
    public void A_document_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        using var big = new MemoryStream(new byte[EpcisEventHasher.MaxDocumentBytes + 1]);
        Assert.Equal("document", Assert.Throws<EpcisFormatException>(() => EpcisEventHasher.HashDocument(big)).Field);
    }
}
