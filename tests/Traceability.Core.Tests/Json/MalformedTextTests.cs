using System.Text;
using Traceability.Core.Json;
using Traceability.Testing;

namespace Traceability.Core.Tests.Json;

/// <summary>Text the JSON reader cannot decode (lone surrogates, invalid UTF-8) is a format error naming the field, never another exception.</summary>
[Trait("Category", "Fast")]
public class MalformedTextTests
{
    private static string ParcelJson() => RecordJson.Write(SampleRecords.OriginParcel());

    private static byte[] WithRawByte(string json, string marker)
    {
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        var at = Encoding.UTF8.GetBytes(json[..json.IndexOf(marker, StringComparison.Ordinal)]).Length;
        bytes.Insert(at, 0xFF);
        return [.. bytes];
    }

    [Theory]
    [InlineData("parcelId")]
    [InlineData("mine")]
    [InlineData("hsCode")]
    [InlineData("participant")]
    [InlineData("salt")]
    public void A_lone_surrogate_in_a_string_is_a_format_error_naming_the_field(string field)
    {
        var json = ParcelJson();
        var start = json.IndexOf($"\"{field}\": \"", StringComparison.Ordinal) + field.Length + 5;
        var doc = json[..start] + "X\\ud800" + json[start..];
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(Encoding.UTF8.GetBytes(doc)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_lone_low_surrogate_and_a_surrogate_in_a_field_name_are_format_errors()
    {
        var json = ParcelJson();
        Assert.Throws<RecordFormatException>(() => RecordJson.Parse(json.Replace("\"mine\": \"", "\"mine\": \"\\udc00", StringComparison.Ordinal)));
        Assert.Throws<RecordFormatException>(() => RecordJson.Parse(json.Replace("\"mine\":", "\"mi\\ud800ne\":", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("parcelId")]
    [InlineData("mine")]
    [InlineData("hsCode")]
    public void A_raw_0xFF_byte_inside_a_string_is_a_format_error_naming_the_field(string field)
    {
        var json = ParcelJson();
        var marker = json[(json.IndexOf($"\"{field}\": \"", StringComparison.Ordinal) + field.Length + 5)..];
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(WithRawByte(json, marker)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Invalid_utf8_in_a_field_name_or_in_a_certificate_detail_is_a_format_error()
    {
        var json = ParcelJson();
        Assert.Throws<RecordFormatException>(() => RecordJson.Parse(WithRawByte(json, "ne\": ")));
        var cert = RecordJson.Write(SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]));
        var at = cert.IndexOf("\"issuingAuthority\": \"", StringComparison.Ordinal) + "\"issuingAuthority\": \"".Length;
        var e = Assert.Throws<RecordFormatException>(() => RecordJson.Parse(cert[..at] + "\\ud800" + cert[at..]));
        Assert.Equal("details.issuingAuthority", e.Field);
    }
}
