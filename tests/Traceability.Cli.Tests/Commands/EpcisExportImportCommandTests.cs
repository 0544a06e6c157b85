using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Traceability.Core.Json;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp epcis export and import offline: the samples through EPCIS and back, their JSON, and bad input (exit 2, the event and field named).</summary>
[Trait("Category", "Fast")]
public sealed class EpcisExportImportCommandTests : IDisposable
{
    private readonly Kp _kp = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kp-epcis-io-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static readonly Lazy<JsonSchema> EpcisSchema = new(() => JsonSchema.FromText(
        File.ReadAllText(RepoPaths.Under("data", "epcis", "EPCIS-JSON-Schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static JsonElement Error(string err) => JsonDocument.Parse(err).RootElement.GetProperty("error");

    [Fact]
    public async Task The_samples_exported_to_EPCIS_and_imported_back_are_the_same_documents()
    {
        var export = await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"));
        Assert.True(export.ExitCode == 0, export.ToString());
        using (var doc = JsonDocument.Parse(export.Out))
        {
            Assert.True(EpcisSchema.Value.Evaluate(doc.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid, export.Out);
        }
        File.WriteAllText(PathOf("samples.jsonld"), export.Out);
        var import = await _kp.RunAsync("epcis", "import", PathOf("samples.jsonld"), "--out", PathOf("records"));
        Assert.True(import.ExitCode == 0, import.ToString());
        var original = Directory.GetFiles(RepoPaths.Under("samples"), "*.json").Select(File.ReadAllText).Order(StringComparer.Ordinal);
        var back = Directory.GetFiles(PathOf("records"), "*.json").Select(File.ReadAllText).Order(StringComparer.Ordinal);
        Assert.Equal(original, back);
        // importing again into the same folder is a no-op (the same documents)
        Assert.Equal(0, (await _kp.RunAsync("epcis", "import", PathOf("samples.jsonld"), "--out", PathOf("records"))).ExitCode);
    }

    [Fact]
    public async Task Export_and_import_write_one_JSON_document_their_schemas_accept()
    {
        var export = await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"), "--out", PathOf("s.jsonld"), "--json");
        Assert.True(export.ExitCode == 0, export.ToString());
        JsonSchemas.AssertValid("epcis export", export.Out, "kp epcis export --json");
        Assert.Equal(5, JsonDocument.Parse(export.Out).RootElement.GetProperty("events").GetArrayLength());
        var import = await _kp.RunAsync("epcis", "import", PathOf("s.jsonld"), "--json");
        Assert.True(import.ExitCode == 0, import.ToString());
        JsonSchemas.AssertValid("epcis import", import.Out, "kp epcis import --json");
        var hashes = JsonDocument.Parse(import.Out).RootElement.GetProperty("events").EnumerateArray()
            .SelectMany(e => e.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("hash").GetString()).Order();
        var samples = Directory.GetFiles(RepoPaths.Under("samples"), "*.json").Select(f => RecordJson.Parse(File.ReadAllText(f)).Hash().ToString()).Order();
        Assert.Equal(samples, hashes);
    }

    [Fact]
    public async Task An_event_that_cannot_be_mapped_fails_the_import_with_exit_2_naming_the_event_and_field_and_nothing_is_written()
    {
        await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"), "--out", PathOf("s.jsonld"));
        var doc = JsonNode.Parse(File.ReadAllText(PathOf("s.jsonld")))!;
        var e = doc["epcisBody"]!["eventList"]![3]!.AsObject(); // the certificate's shipment
        var hash = (string)e["eventID"]!;
        e["kp:carats"] = "lots";
        File.WriteAllText(PathOf("bad.jsonld"), doc.ToJsonString());
        var r = await _kp.RunAsync("epcis", "import", PathOf("bad.jsonld"), "--out", PathOf("never"), "--json");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        JsonSchemas.AssertValid("error", r.Err, "kp epcis import, an unmappable event");
        var error = Error(r.Err);
        Assert.Equal("invalid-document", error.GetProperty("code").GetString());
        Assert.Equal("epcisBody.eventList[3].eventID", error.GetProperty("field").GetString()); // changed under its eventID
        Assert.Contains(hash, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("never")));

        e.Remove("eventID");
        File.WriteAllText(PathOf("bad.jsonld"), doc.ToJsonString());
        r = await _kp.RunAsync("epcis", "import", PathOf("bad.jsonld"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("epcisBody.eventList[3].kp:carats", r.Err, StringComparison.Ordinal);
        Assert.Contains("ni:///sha-256;", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_2_naming_the_option_or_field()
    {
        var notEpcis = await _kp.RunAsync("epcis", "import", RepoPaths.Under("samples", "parcel-bw-1.json"), "--json");
        Assert.Equal((2, "@context"), (notEpcis.ExitCode, Error(notEpcis.Err).GetProperty("field").GetString()));

        var jsonWithoutOut = await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"), "--json");
        Assert.Equal((2, "--out"), (jsonWithoutOut.ExitCode, Error(jsonWithoutOut.Err).GetProperty("field").GetString()));

        var broken = await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples", "bad"));
        Assert.Equal(2, broken.ExitCode);

        var missing = await _kp.RunAsync("epcis", "export", PathOf("nothing.json"));
        Assert.Equal(2, missing.ExitCode);

        await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"), "--out", PathOf("s.jsonld"));
        var index = await _kp.RunAsync("anchor", "check", "--epcis", PathOf("s.jsonld"), "5", "--json");
        Assert.Equal((2, "event index"), (index.ExitCode, Error(index.Err).GetProperty("field").GetString()));
        var both = await _kp.RunAsync("anchor", "--epcis", PathOf("s.jsonld"), PathOf("leaves.txt"), "--json");
        Assert.Equal((2, "leaves"), (both.ExitCode, Error(both.Err).GetProperty("field").GetString()));
        var rootToo = await _kp.RunAsync("anchor", "check", "--epcis", PathOf("s.jsonld"), "0", "0x12", "--json");
        Assert.Equal((2, "--epcis"), (rootToo.ExitCode, Error(rootToo.Err).GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Import_never_overwrites_a_different_record_document()
    {
        await _kp.RunAsync("epcis", "export", RepoPaths.Under("samples"), "--out", PathOf("s.jsonld"));
        Directory.CreateDirectory(PathOf("records"));
        File.WriteAllText(PathOf("records/parcel-DEB-JW-2026-0001.json"), "{}");
        var r = await _kp.RunAsync("epcis", "import", PathOf("s.jsonld"), "--out", PathOf("records"), "--json");
        Assert.Equal((2, "--out"), (r.ExitCode, Error(r.Err).GetProperty("field").GetString()));
        Assert.Equal("{}", File.ReadAllText(PathOf("records/parcel-DEB-JW-2026-0001.json")));
        Assert.Single(Directory.GetFiles(PathOf("records")));
    }
}
