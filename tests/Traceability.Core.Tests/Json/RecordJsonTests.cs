using System.Globalization;
using System.Text.Json.Nodes;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Core.Tests.Json;

[Trait("Category", "Fast")]
public class RecordJsonTests
{
    private static string CertificateJson()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash(), SampleRecords.OriginParcel().Hash()]);
        return RecordJson.Write(cert with { Authorization = new CertificateAuthorization("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 2_000_000_000, "0x" + new string('a', 130), 31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3") });
    }

    [Fact]
    public void Round_trips_every_record_type_with_the_same_hash()
    {
        foreach (var record in RecordHashCrossCheckTestsRecords())
        {
            var json = RecordJson.Write(record);
            var back = RecordJson.Parse(json);
            Assert.Equal(record.GetType(), back.GetType());
            Assert.Equal(record.Hash(), back.Hash());
            Assert.Equal(json, RecordJson.Write(back));
            Assert.Contains("\"schemaVersion\": 1", json);
        }
    }

    [Fact]
    public void Keeps_the_authorization_of_a_certificate_outside_its_hash()
    {
        var json = CertificateJson();
        var cert = RecordJson.Parse<CertificateRecord>(json);
        Assert.NotNull(cert.Authorization);
        Assert.Equal(2_000_000_000UL, cert.Authorization!.Deadline);
        Assert.Equal(cert.Hash(), (cert with { Authorization = null }).Hash());
    }

    public static TheoryData<string, string, string> Mutations() => new()
    {
        // mutation, expected field, expected problem (substring)
        { "remove:details.carats", "details.carats", "missing" },
        { "remove:schemaVersion", "schemaVersion", "missing" },
        { "add:details.weight=1", "details.weight", "unknown field" },
        { "add:colour=\"D\"", "colour", "unknown field" },
        { "set:details.carats=\"12\"", "details.carats", "expected a whole number of hundredths of a carat" },
        { "set:details.carats=12.5", "details.carats", "expected a whole number" },
        { "set:details.carats=-3", "details.carats", "must not be negative" },
        { "set:details.carats=null", "details.carats", "must not be null" },
        { "set:expiresAt=1e9", "expiresAt", "expected a whole number" },
        { "set:exporter=\"bw\"", "exporter", "two upper-case letters" },
        { "set:parcels=\"0x00\"", "parcels", "expected an array" },
        { "set:parcels[1]=\"0x1234\"", "parcels[1]", "64 hex digits" },
        { "set:details=[]", "details", "expected an object" },
        { "set:schemaVersion=2", "schemaVersion", "not supported" },
        { "set:kind=\"diamond\"", "kind", "not a record kind" },
        { "set:number=\"\"", "number", "must not be empty" },
        { "set:details.origins[0]=7", "details.origins[0]", "two upper-case letters" },
        { "set:authorization.signature=\"0x12\"", "authorization.signature", "65-byte signature" },
        { "set:authorization.authority=\"0xzz\"", "authorization.authority", "address" },
        { "add:authorization.extra=true", "authorization.extra", "unknown field" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Refuses_a_bad_field_naming_it(string mutation, string field, string problem)
    {
        var node = JsonNode.Parse(CertificateJson())!;
        Apply(node, mutation);
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(node.ToJsonString()));
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith(field + ": ", e.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("{\"schemaVersion\": 1, \"kind\": \"parcel\"", "not valid JSON")]
    [InlineData("[1, 2]", "expected an object")]
    [InlineData("{\"schemaVersion\": 1, \"schemaVersion\": 1}", "more than once")]
    [InlineData("{\"schemaVersion\": 1, // comment\n \"kind\": \"parcel\"}", "not valid JSON")]
    public void Refuses_malformed_documents(string json, string problem)
    {
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(json));
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 1, \"kind\": \"parcel\"", "line 1, column 38: ")]
    [InlineData("{\"schemaVersion\": 1, // comment\n \"kind\": \"parcel\"}", "line 1, column 22: '/' is an invalid start of a property name")]
    [InlineData("{\n  \"a\": 1,\n  \"b\": x\n}", "line 3, column 8: 'x' is an invalid start of a value")]
    public void Malformed_json_is_placed_by_line_and_column_counted_from_1(string json, string where)
    {
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(json));
        Assert.Equal("document", e.Field);
        Assert.Contains("is not valid JSON at " + where, e.Message);
        Assert.DoesNotContain("LineNumber", e.Message);
        Assert.DoesNotContain("BytePositionInLine", e.Message);
    }

    [Fact]
    public void Refuses_a_huge_document_before_parsing_it()
    {
        var huge = new byte[RecordJson.MaxDocumentBytes + 1];
        Array.Fill(huge, (byte)' ');
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(huge));
        Assert.Equal("document", e.Field);
        Assert.Contains("at most", e.Problem);
    }

    [Fact]
    public void Refuses_a_document_of_another_kind_when_one_is_expected()
    {
        var parcel = RecordJson.Write(SampleRecords.OriginParcel());
        Assert.Equal("kind", Assert.Throws<RecordFormatException>(() => RecordJson.Parse<CertificateRecord>(parcel)).Field);
    }

    private static IEnumerable<KpRecord> RecordHashCrossCheckTestsRecords() => Hashing.RecordHashCrossCheckTests.Records();

    private static void Apply(JsonNode root, string mutation)
    {
        var (op, rest) = (mutation[..mutation.IndexOf(':')], mutation[(mutation.IndexOf(':') + 1)..]);
        var eq = rest.IndexOf('=');
        var path = eq < 0 ? rest : rest[..eq];
        var value = eq < 0 ? null : JsonNode.Parse(rest[(eq + 1)..]);
        var parts = path.Split('.');
        var parent = root;
        foreach (var p in parts[..^1]) parent = parent[p]!;
        var last = parts[^1];
        var index = last.IndexOf('[');
        if (index >= 0)
        {
            var array = parent[last[..index]]!.AsArray();
            array[int.Parse(last[(index + 1)..^1], CultureInfo.InvariantCulture)] = value;
            return;
        }
        var obj = parent.AsObject();
        if (op == "remove") obj.Remove(last);
        else obj[last] = value;
    }

    [Fact]
    public void A_transformations_output_details_must_give_its_outputs()
    {
        var t = SampleRecords.Transformation("BW", [SampleRecords.OriginParcel().Hash()],
            [SampleRecords.DerivedParcel("BW", 100, "BW"), SampleRecords.DerivedParcel("BW", 100, "BW")]);
        Assert.Equal(t.Hash(), RecordJson.Parse(RecordJson.Write(t)).Hash());
        var wrong = RecordJson.Write(t with { OutputDetails = [t.OutputDetails[1], t.OutputDetails[0]] });
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(wrong));
        Assert.StartsWith("outputDetails[0]", e.Message, StringComparison.Ordinal);
        var missing = RecordJson.Write(t with { OutputDetails = [t.OutputDetails[0]] });
        Assert.Contains("one details hash per output", Assert.Throws<RecordFormatException>(() => RecordJson.Parse(missing)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_certificate_names_the_deployment_it_was_signed_for()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]) with
        {
            Authorization = new CertificateAuthorization("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 2_000_000_000, "0x" + new string('a', 130), 137,
                "0x5FbDB2315678afecb367f032d93F642f64180aa3"),
        };
        var back = (CertificateRecord)RecordJson.Parse(RecordJson.Write(cert));
        Assert.Equal(137UL, back.Authorization!.ChainId);
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", back.Authorization.Registry);
        var without = RecordJson.Write(cert).Replace("\"chainId\": 137,", "", StringComparison.Ordinal);
        Assert.Contains("authorization.chainId", Assert.Throws<RecordFormatException>(() => RecordJson.Parse(without)).Message, StringComparison.Ordinal);
    }
}
