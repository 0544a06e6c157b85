using System.Text.Json;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp epcis hash: the reference vectors through the command line, its JSON, and its failures.</summary>
[Trait("Category", "Fast")]
public sealed class EpcisCommandTests
{
    private readonly Kp _kp = new();

    private static string Vector(string name) => RepoPaths.Under("data", "epcis", "hash-vectors", name);

    private static string[] Lines(string text) => [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];

    [Theory]
    [InlineData("TimeStampRoundOff")]
    [InlineData("epcisDocWithShippingAndTransportingEvent")]
    [InlineData("ReferenceEventHashAlgorithm")]
    public async Task Epcis_hash_prints_the_vectors_hashes_one_line_an_event_in_document_order(string vector)
    {
        var r = await _kp.RunAsync("epcis", "hash", Vector(vector + ".jsonld"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(Lines(File.ReadAllText(Vector(vector + ".hashes"))), Lines(r.Out));
    }

    [Fact]
    public async Task Epcis_hash_with_prehash_prints_each_hash_then_its_pre_hash_string()
    {
        var r = await _kp.RunAsync("epcis", "hash", Vector("TimeStampRoundOff.jsonld"), "--prehash");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = Lines(r.Out);
        Assert.Equal(Lines(File.ReadAllText(Vector("TimeStampRoundOff.hashes"))), lines.Where((_, i) => i % 2 == 0));
        Assert.Equal(Lines(File.ReadAllText(Vector("TimeStampRoundOff.prehashes"))), lines.Where((_, i) => i % 2 == 1));
    }

    [Fact]
    public async Task Epcis_hash_json_lists_the_events_with_index_type_and_hash_as_its_schema_says()
    {
        var r = await _kp.RunAsync("epcis", "hash", Vector("epcisDocWithShippingAndTransportingEvent.jsonld"), "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        JsonSchemas.AssertValid("epcis hash", r.Out, "kp epcis hash --json");
        var events = JsonDocument.Parse(r.Out).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([0, 1], events.Select(e => e.GetProperty("index").GetInt32()));
        Assert.All(events, e => Assert.Equal("ObjectEvent", e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.False(e.TryGetProperty("preHash", out _)));
        Assert.Equal(Lines(File.ReadAllText(Vector("epcisDocWithShippingAndTransportingEvent.hashes"))), events.Select(e => e.GetProperty("hash").GetString()));

        var withPreHash = await _kp.RunAsync("epcis", "hash", Vector("TimeStampRoundOff.jsonld"), "--json", "--prehash");
        JsonSchemas.AssertValid("epcis hash", withPreHash.Out, "kp epcis hash --json --prehash");
        Assert.Equal(Lines(File.ReadAllText(Vector("TimeStampRoundOff.prehashes"))),
            JsonDocument.Parse(withPreHash.Out).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("preHash").GetString()));
    }

    [Fact]
    public async Task An_event_id_in_the_document_is_reported_beside_the_hash()
    {
        var dir = Directory.CreateTempSubdirectory("kp-epcis-");
        try
        {
            var doc = File.ReadAllText(Vector("epcisDocWithSingleEvent.jsonld")).Replace("\"type\": \"ObjectEvent\",", "\"type\": \"ObjectEvent\", \"eventID\": \"urn:uuid:6d2f1c3a-0000-4000-8000-000000000001\",", StringComparison.Ordinal);
            var path = Path.Combine(dir.FullName, "with-id.jsonld");
            File.WriteAllText(path, doc);
            var r = await _kp.RunAsync("epcis", "hash", path, "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            var e = Assert.Single(JsonDocument.Parse(r.Out).RootElement.GetProperty("events").EnumerateArray());
            Assert.Equal("urn:uuid:6d2f1c3a-0000-4000-8000-000000000001", e.GetProperty("eventId").GetString());
            Assert.Equal(Lines(File.ReadAllText(Vector("epcisDocWithSingleEvent.hashes")))[0], e.GetProperty("hash").GetString()); // eventID is not hashed
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_document_that_is_not_EPCIS_is_refused_naming_the_field_with_exit_code_2()
    {
        var r = await _kp.RunAsync("epcis", "hash", RepoPaths.Under("samples", "parcel-bw-1.json"), "--json");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        JsonSchemas.AssertValid("error", r.Err, "kp epcis hash on a KP record");
        var error = JsonDocument.Parse(r.Err).RootElement.GetProperty("error");
        Assert.Equal("invalid-document", error.GetProperty("code").GetString());
        Assert.Equal("@context", error.GetProperty("field").GetString());

        var missing = await _kp.RunAsync("epcis", "hash", Vector("no-such.jsonld"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Err, StringComparison.Ordinal);

        var folder = await _kp.RunAsync("epcis", "hash", RepoPaths.Under("data", "epcis"));
        Assert.Equal(2, folder.ExitCode);
    }
}
