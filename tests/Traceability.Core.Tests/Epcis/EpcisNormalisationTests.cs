using Traceability.Core.Epcis;

namespace Traceability.Core.Tests.Epcis;

/// <summary>Each normalisation of the CBV 2.0 hash algorithm, alone and through a whole event.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisNormalisationTests
{
    internal const string Gs1Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>An EPCIS document holding one event, whose members are <paramref name="members"/> (JSON, without braces).</summary>
    internal static string Document(string members, string context = "\"" + Gs1Context + "\", {\"example\": \"https://ns.example.com/epcis/\"}") =>
        "{\"@context\": [" + context + "], \"type\": \"EPCISDocument\", \"schemaVersion\": \"2.0\", \"creationDate\": \"2026-01-01T00:00:00Z\", "
        + "\"epcisBody\": {\"eventList\": [{" + members + "}]}}";

    /// <summary>A minimal ObjectEvent with extra members.</summary>
    internal static string Event(string extra = "", string time = "2026-03-04T11:00:30.000+01:00") =>
        Document($$"""
            "type": "ObjectEvent", "eventTime": "{{time}}", "eventTimeZoneOffset": "+01:00",
            "epcList": ["urn:epc:id:sgtin:4012345.011111.9876"], "action": "OBSERVE"{{(extra.Length > 0 ? ", " + extra : "")}}
            """);

    private static string PreHash(string json) => Assert.Single(EpcisEventHasher.HashDocument(json)).PreHash;

    private static string Hash(string json) => Assert.Single(EpcisEventHasher.HashDocument(json)).HashId;

    [Theory]
    [InlineData("2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.000Z")] // offset to UTC, milliseconds zero-filled
    [InlineData("2020-03-04T11:00:30.5Z", "2020-03-04T11:00:30.500Z")]
    [InlineData("2023-02-02T11:04:03.1415Z", "2023-02-02T11:04:03.142Z")] // 4th digit 5: rounded up
    [InlineData("2023-02-02T11:04:03.1414Z", "2023-02-02T11:04:03.141Z")] // 4th digit 4: cut
    [InlineData("2023-02-02T11:04:03.14149999Z", "2023-02-02T11:04:03.141Z")]
    [InlineData("2022-02-16T20:33:31.116000-06:00", "2022-02-17T02:33:31.116Z")] // a negative offset crosses midnight
    [InlineData("2025-12-31T23:59:59.9996Z", "2026-01-01T00:00:00.000Z")] // the rounding carries into the year
    [InlineData("2020-03-04T00:30:00+05:30", "2020-03-03T19:00:00.000Z")]
    public void A_timestamp_is_written_in_UTC_with_milliseconds(string timestamp, string canonical) =>
        Assert.Equal(canonical, EpcisTimestamp.Canonical(timestamp, "eventTime"));

    [Theory]
    [InlineData("2020-03-04T11:00:30")] // no offset: the hash would depend on the machine's time zone
    [InlineData("2020-03-04 11:00:30Z")]
    [InlineData("2020-02-30T11:00:30Z")]
    [InlineData("2020-03-04T11:00:30+15:00")]
    [InlineData("yesterday")]
    public void A_timestamp_that_is_not_a_date_time_with_an_offset_is_refused_naming_the_field(string timestamp)
    {
        var e = Assert.Throws<EpcisFormatException>(() => EpcisTimestamp.Canonical(timestamp, "epcisBody.eventList[0].eventTime"));
        Assert.Equal("epcisBody.eventList[0].eventTime", e.Field);
    }

    [Fact]
    public void The_same_instant_written_with_another_offset_or_precision_hashes_the_same()
    {
        Assert.Equal(Hash(Event(time: "2026-03-04T11:00:30.000+01:00")), Hash(Event(time: "2026-03-04T10:00:30Z")));
        Assert.Equal(Hash(Event(time: "2026-03-04T11:00:30+01:00")), Hash(Event(time: "2026-03-04T05:00:30.0000-05:00")));
        Assert.NotEqual(Hash(Event(time: "2026-03-04T11:00:30+01:00")), Hash(Event(time: "2026-03-04T11:00:30.001+01:00")));
    }

    [Theory]
    // EPC URIs (GS1 Tag Data Standard) to canonical GS1 Digital Link, check digits computed
    [InlineData("urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876")]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017")]
    [InlineData("urn:epc:id:sgtin:4012345.011111.A!b", "https://id.gs1.org/01/04012345111118/21/A%21b")] // '!' percent-encoded
    [InlineData("urn:epc:id:sscc:4012345.1112223334", "https://id.gs1.org/00/140123451122233341")] // the extension digit leads
    [InlineData("urn:epc:id:sgln:4012345.00011.0", "https://id.gs1.org/414/4012345000115")] // extension 0: no AI 254
    [InlineData("urn:epc:id:sgln:4012345.00011.987", "https://id.gs1.org/414/4012345000115/254/987")]
    [InlineData("urn:epc:id:pgln:4012345.00000", "https://id.gs1.org/417/4012345000009")]
    [InlineData("urn:epc:id:grai:4012345.66666.87", "https://id.gs1.org/8003/0401234566666387")]
    [InlineData("urn:epc:id:giai:4012345.AAbb", "https://id.gs1.org/8004/4012345AAbb")]
    [InlineData("urn:epc:id:gdti:4012345.11111.123", "https://id.gs1.org/253/4012345111118123")]
    [InlineData("urn:epc:id:cpi:4012345.ABC.123", "https://id.gs1.org/8010/4012345ABC/8011/123")]
    [InlineData("urn:epc:id:itip:4012345.012345.01.02.999", "https://id.gs1.org/8006/040123451234560102/21/999")]
    [InlineData("urn:epc:id:upui:4012345.012345.AB12", "https://id.gs1.org/01/04012345123456/235/AB12")]
    [InlineData("urn:epc:class:lgtin:4054739.099914.20160711", "https://id.gs1.org/01/04054739999148/10/20160711")]
    [InlineData("urn:epc:idpat:sgtin:4054739.099914.*", "https://id.gs1.org/01/04054739999148")] // a pattern stands for its class
    // GS1 Digital Link URIs constrained to the canonical form
    [InlineData("https://id.gs1.de/01/04012345999990/21/XYZ-1234", "https://id.gs1.org/01/04012345999990/21/XYZ-1234")] // any domain
    [InlineData("http://example.com/shop/01/04012345999990", "https://id.gs1.org/01/04012345999990")]
    [InlineData("https://id.gs1.org/gtin/4012345999990/ser/7", "https://id.gs1.org/01/04012345999990/21/7")] // GTIN-13 padded, short names
    [InlineData("https://id.gs1.org/01/04012345999990/10/LOT1/21/7", "https://id.gs1.org/01/04012345999990/21/7")] // a serial drops the lot
    [InlineData("https://id.gs1.org/01/04012345999990/22/V2/10/LOT1", "https://id.gs1.org/01/04012345999990/10/LOT1")] // the variant is dropped
    [InlineData("https://id.gs1.org/01/04012345999990?17=261231", "https://id.gs1.org/01/04012345999990")] // no query string
    [InlineData("https://id.example.com/253/4012345000054987", "https://id.gs1.org/253/4012345000054987")]
    public void An_identifier_with_a_GS1_key_becomes_its_canonical_Digital_Link(string uri, string canonical) =>
        Assert.Equal(canonical, DigitalLinkNormaliser.Normalise(uri));

    [Theory]
    [InlineData("geo:47.506694,11.104301")]
    [InlineData("http://transaction.acme.com/po/12345678")]
    [InlineData("urn:epcglobal:cbv:bt:4012345000009:ASN1099")]
    [InlineData("urn:epc:id:sgtin:4012345.0111111.9876")] // 14 digits: not a GTIN
    [InlineData("https://id.gs1.org/01/0401234599999/21/%20")] // not canonical syntax: left as it is
    [InlineData("OBSERVE")]
    public void Any_other_value_is_left_as_it_is(string value)
    {
        Assert.Null(DigitalLinkNormaliser.Normalise(value));
        Assert.Equal(value, EpcisValue.Canonical(value, "x"));
    }

    [Theory]
    [InlineData("629104150021", '3')]
    [InlineData("401234511111", '8')]
    [InlineData("04012345000000333", '8')] // the SSCC of urn:epc:id:sscc:4012345.0000000333
    public void The_GS1_check_digit_is_modulo_10(string digits, char check) => Assert.Equal(check, DigitalLinkNormaliser.CheckDigit(digits));

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("0.3434000", "0.3434")]
    [InlineData("+5", "5")]
    [InlineData("007", "7")]
    [InlineData("-0.0", "0")]
    [InlineData("1e3", "1000")]
    [InlineData("1.50E-3", "0.0015")]
    [InlineData(".5", "0.5")]
    [InlineData("-12.10", "-12.1")]
    [InlineData("12345678901234567890", "12345678901234567890")] // exact: no binary float in between
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("12abc", "12abc")]
    [InlineData("+01:00", "+01:00")]
    public void A_number_is_written_without_trailing_zeros_leading_zeros_or_sign(string text, string canonical) =>
        Assert.Equal(canonical, EpcisValue.Number(text, "value"));

    [Theory]
    [InlineData("\"shipping\"")]
    [InlineData("\"cbv:BizStep-shipping\"")]
    [InlineData("\"urn:epcglobal:cbv:bizstep:shipping\"")]
    [InlineData("\"https://ref.gs1.org/cbv/BizStep-shipping\"")]
    public void A_CBV_value_as_a_bare_word_a_CURIE_a_URN_or_a_web_URI_is_written_as_its_web_URI(string bizStep) =>
        Assert.Contains("bizStep=https://ref.gs1.org/cbv/BizStep-shipping", PreHash(Event($"\"bizStep\": {bizStep}")), StringComparison.Ordinal);

    [Fact]
    public void Each_vocabulary_field_expands_its_own_words_and_only_them()
    {
        var pre = PreHash(Event("""
            "bizStep": "receiving", "disposition": "in_progress",
            "persistentDisposition": {"set": ["completeness_verified"], "unset": ["completeness_inferred"]},
            "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epc:id:gdti:4012345.11111.123"}],
            "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00000"}],
            "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": 26, "uom": "CEL", "component": "x"}, {"type": "Temperature", "exception": "ALARM_CONDITION"}]}],
            "example:note": "shipping"
            """));
        Assert.Contains("action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-receivingdisposition=https://ref.gs1.org/cbv/Disp-in_progress", pre, StringComparison.Ordinal);
        Assert.Contains("persistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/Disp-completeness_inferred", pre, StringComparison.Ordinal);
        Assert.Contains("bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=https://id.gs1.org/253/4012345111118123", pre, StringComparison.Ordinal);
        Assert.Contains("sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/4012345000009", pre, StringComparison.Ordinal);
        Assert.Contains("sensorReporttype=https://gs1.org/voc/Temperaturevalue=26component=xuom=CEL", pre, StringComparison.Ordinal); // CBV components stay bare (as the reference)
        Assert.Contains("exception=https://gs1.org/voc/ALARM_CONDITION", pre, StringComparison.Ordinal);
        Assert.EndsWith("{https://ns.example.com/epcis/}note=shipping", pre, StringComparison.Ordinal); // an extension's word is not a bizStep
        Assert.Contains("bizStep=mining", PreHash(Event("\"bizStep\": \"mining\"")), StringComparison.Ordinal); // not a CBV word: as written
    }

    [Fact]
    public void Lists_are_sorted_so_their_order_in_the_document_does_not_matter()
    {
        const string A = "\"urn:epc:id:sgtin:4012345.011111.1\"", B = "\"urn:epc:id:sgtin:4012345.011111.2\"";
        string Doc(string first, string second, string r1, string r2) => Document($$"""
            "type": "AggregationEvent", "eventTime": "2026-03-04T11:00:30Z", "eventTimeZoneOffset": "+00:00", "action": "ADD",
            "parentID": "urn:epc:id:sscc:4012345.0000000111", "childEPCs": [{{first}}, {{second}}],
            "childQuantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "quantity": 2.50, "uom": "KGM"}, {"epcClass": "urn:epc:class:lgtin:4012345.011111.L0", "quantity": 1}],
            "sensorElementList": [{"sensorReport": [{{r1}}, {{r2}}]}]
            """);
        const string R1 = """{"type": "Temperature", "value": 4}""", R2 = """{"type": "Temperature", "value": 3}""";
        var pre = PreHash(Doc(A, B, R1, R2));
        Assert.Equal(pre, PreHash(Doc(B, A, R2, R1)));
        Assert.Contains("childEPCsepc=https://id.gs1.org/01/04012345111118/21/1epc=https://id.gs1.org/01/04012345111118/21/2", pre, StringComparison.Ordinal);
        Assert.Contains("childQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345111118/10/L0quantity=1quantityElementepcClass=https://id.gs1.org/01/04012345111118/10/L1quantity=2.5uom=KGM", pre, StringComparison.Ordinal);
        Assert.Contains("sensorReporttype=https://gs1.org/voc/Temperaturevalue=3sensorReporttype=https://gs1.org/voc/Temperaturevalue=4", pre, StringComparison.Ordinal);
        Assert.StartsWith("eventType=AggregationEventeventTime=2026-03-04T11:00:30.000ZeventTimeZoneOffset=+00:00parentID=https://id.gs1.org/00/040123450000001112childEPCs", pre, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_are_sorted_by_expanded_name_whatever_their_prefix_and_order()
    {
        var a = Event("""
            "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.0", "example:dock": "7"},
            "example:zeta": {"example:b": "2", "example:a": "1"}, "example:alpha": ["y", "x"]
            """);
        var b = Event("""
            "example:alpha": ["x", "y"], "ex:zeta": {"ex:a": "1", "ex:b": "2"},
            "readPoint": {"ex:dock": "7", "id": "urn:epc:id:sgln:4012345.00011.0"}
            """).Replace("{\"example\": \"https://ns.example.com/epcis/\"}", "{\"ex\": \"https://ns.example.com/epcis/\", \"example\": \"https://ns.example.com/epcis/\"}", StringComparison.Ordinal);
        var pre = PreHash(a);
        Assert.Equal(pre, PreHash(b));
        const string Ns = "{https://ns.example.com/epcis/}";
        // a field's extension right after its standard children; the event's extensions at the end, sorted
        Assert.Contains($"readPointid=https://id.gs1.org/414/4012345000115{Ns}dock=7", pre, StringComparison.Ordinal);
        Assert.EndsWith($"{Ns}alpha=x{Ns}alpha=y{Ns}zeta{Ns}a=1{Ns}b=2", pre, StringComparison.Ordinal);
        Assert.NotEqual(Hash(a), Hash(a.Replace("\"7\"", "\"8\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unknown_fields_are_hashed_with_the_extensions_and_record_time_and_event_id_are_not()
    {
        var plain = Event();
        var pre = PreHash(Event("\"zoneCode\": \"B7\", \"ilmd\": {\"example:carats\": \"1000.50\"}"));
        Assert.EndsWith("ilmd{https://ns.example.com/epcis/}carats=1000.5zoneCode=B7", pre, StringComparison.Ordinal);
        Assert.Equal(Hash(plain), Hash(Event("\"recordTime\": \"2026-03-05T00:00:00Z\", \"eventID\": \"ni:///sha-256;00?ver=CBV2.0\"")));
        Assert.Equal("ni:///sha-256;00?ver=CBV2.0", Assert.Single(EpcisEventHasher.HashDocument(Event("\"eventID\": \"ni:///sha-256;00?ver=CBV2.0\""))).EventId);
    }

    [Fact]
    public void A_query_document_a_single_event_and_a_bare_event_hash_as_the_event_list()
    {
        const string Members = """
            "type": "ObjectEvent", "eventTime": "2026-03-04T11:00:30Z", "eventTimeZoneOffset": "+00:00",
            "epcList": ["urn:epc:id:sgtin:4012345.011111.9876"], "action": "OBSERVE", "bizStep": "shipping"
            """;
        var expected = Hash(Document(Members));
        var query = "{\"@context\": [\"" + Gs1Context + "\"], \"type\": \"EPCISQueryDocument\", \"schemaVersion\": \"2.0\", \"creationDate\": \"2026-01-01T00:00:00Z\", "
            + "\"epcisBody\": {\"queryResults\": {\"queryName\": \"SimpleEventQuery\", \"resultsBody\": {\"eventList\": [{" + Members + "}]}}}}";
        Assert.Equal(expected, Hash(query));
        Assert.Equal(expected, Hash("{\"@context\": \"" + Gs1Context + "\", \"epcisBody\": {\"event\": {" + Members + "}}}"));
        Assert.Equal(expected, Hash("{\"@context\": \"" + Gs1Context + "\", " + Members + "}"));
    }

    [Fact]
    public void Booleans_are_written_as_in_XML_and_a_null_as_an_empty_element()
    {
        var pre = PreHash(Event("\"example:sealed\": true, \"example:note\": null"));
        Assert.EndsWith("{https://ns.example.com/epcis/}note{https://ns.example.com/epcis/}sealed=true", pre, StringComparison.Ordinal);
    }
}
