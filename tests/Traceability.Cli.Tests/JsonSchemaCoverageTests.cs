using System.Text.Json;
using Traceability.Chain.Registry;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;
using Traceability.Verifier;

namespace Traceability.Cli.Tests;

/// <summary>docs/schemas/ covers kp: a JSON Schema for every command with --json output, each a valid draft 2020-12 schema, all listed in the README.</summary>
[Trait("Category", "Fast")]
public sealed class JsonSchemaCoverageTests
{
    [Fact]
    public void Every_command_has_a_schema_of_its_json_output_except_the_few_without_output()
    {
        var commands = JsonSchemas.RunnableCommands();
        Assert.Contains("cert history", commands);
        Assert.Contains("verify", commands);
        var missing = commands.Where(c => !JsonSchemas.WithoutOutput.ContainsKey(c) && !File.Exists(JsonSchemas.FileOf(c))).ToList();
        Assert.True(missing.Count == 0, "no schema in docs/schemas/ for: " + string.Join(", ", missing.Select(c => $"kp {c} ({Path.GetFileName(JsonSchemas.FileOf(c))})")));
        Assert.All(JsonSchemas.WithoutOutput.Keys, c => Assert.Contains(c, commands)); // the allow-list names real commands only
    }

    [Fact]
    public void Every_schema_belongs_to_a_command_is_valid_and_is_listed_in_the_readme()
    {
        var commands = JsonSchemas.RunnableCommands().Select(c => c.Replace(' ', '-')).ToHashSet(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(JsonSchemas.Folder, "README.md"));
        var files = Directory.GetFiles(JsonSchemas.Folder, "*.schema.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file)[..^".schema.json".Length];
            Assert.True(name is "error" or "origin-policy" || commands.Contains(name), $"{Path.GetFileName(file)} is the schema of no kp command (nor kp's input, origin-policy)");
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", doc.RootElement.GetProperty("$schema").GetString());
            Assert.NotNull(JsonSchemas.Of(name)); // builds it: a broken schema throws
            Assert.Contains($"({Path.GetFileName(file)})", readme, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("merkle root", """{"root":"0x0000000000000000000000000000000000000000000000000000000000000001","leaves":2}""", true)]
    [InlineData("merkle root", """{"root":"0x0000000000000000000000000000000000000000000000000000000000000001","leaves":"2"}""", false)] // a number as a string
    [InlineData("merkle root", """{"root":"0x01","leaves":2}""", false)] // not a whole hash
    [InlineData("merkle root", """{"root":"0x0000000000000000000000000000000000000000000000000000000000000001","leaves":2,"note":"x"}""", false)] // a field no one documented
    [InlineData("parcel status", """{"hash":"0x0000000000000000000000000000000000000000000000000000000000000001","exists":true,"status":"active","flag":"none","origin":true,"registeredAt":1795776586,"holder":"BW"}""", true)]
    [InlineData("parcel status", """{"hash":"0x0000000000000000000000000000000000000000000000000000000000000001","exists":true,"status":"Active","flag":"none","origin":true,"registeredAt":1795776586}""", false)] // PascalCase enum
    [InlineData("parcel status", """{"hash":"0x0000000000000000000000000000000000000000000000000000000000000001","exists":true,"status":"active","flag":"none","origin":true,"registeredAt":1795776586,"holder":null}""", false)] // a null written
    [InlineData("salt", """{"salt":"0x0000000000000000000000000000000000000000000000000000000000000001"}""", true)]
    [InlineData("salt", """{}""", false)]
    public void The_schemas_hold_kp_to_its_conventions(string command, string json, bool valid)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(valid, JsonSchemas.Of(command).Evaluate(doc.RootElement).IsValid);
    }

    public static TheoryData<string, string, Type> EnumFields() => new()
    {
        { "verify", "/properties/verdict", typeof(Verdict) },
        { "verify", "/properties/checks/items/properties/status", typeof(CheckStatus) },
        { "verify", "/properties/kind", typeof(RecordKind) },
        { "cert-status", "/properties/status", typeof(CertificateStatus) },
        { "cert-status", "/properties/flag", typeof(RecordFlag) },
        { "parcel-status", "/properties/status", typeof(ParcelStatus) },
        { "cert-history", "/properties/events/items/properties/kind", typeof(CertificateEventKind) },
        { "cert-history", "/properties/events/items/properties/category", typeof(FlagCategory) },
        { "participant-list", "/items/properties/status", typeof(ParticipantStatus) },
        { "participant-show", "/properties/events/items/properties/kind", typeof(ParticipantEventKind) },
        { "submit", "/items/properties/status", typeof(RecordStage) },
        { "bench-anchor", "/properties/node", typeof(LocalNodeKind) },
        { "demo", "/$defs/parties/properties/node", typeof(LocalNodeKind) },
        { "demo", "/$defs/party/properties/role", typeof(Lab.Parties.PartyRole) },
    };

    [Theory]
    [MemberData(nameof(EnumFields))]
    public void An_enum_field_lists_every_value_of_its_enum_in_camel_case(string schema, string pointer, Type type)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(JsonSchemas.FileOf(schema)));
        var node = doc.RootElement;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)) node = node.GetProperty(part);
        var listed = node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName), listed);
    }

    [Fact]
    public void The_error_schema_lists_every_error_code_kp_reports()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(JsonSchemas.FileOf("error")));
        var listed = doc.RootElement.GetProperty("properties").GetProperty("error").GetProperty("properties").GetProperty("code").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal);
        var codes = typeof(CliError.Codes).GetFields().Where(f => f.IsLiteral).Select(f => (string?)f.GetRawConstantValue()).Order(StringComparer.Ordinal);
        Assert.Equal(codes, listed);
    }

    [Fact]
    public void The_error_schema_accepts_kp_errors_and_refuses_other_shapes()
    {
        JsonSchemas.AssertValid("error", """{"error":{"code":"usage","message":"--carats: '1,5' is not a number","field":"--carats"}}""", "a usage error");
        JsonSchemas.AssertValid("error", """{"error":{"code":"chain","message":"the node does not answer","field":null}}""", "a chain error");
        var schema = JsonSchemas.Of("error");
        foreach (var bad in new[] { """{"error":{"code":"Usage","message":"x","field":null}}""", """{"error":{"code":"usage","message":"x"}}""", """{"message":"x"}""" })
        {
            using var doc = JsonDocument.Parse(bad);
            Assert.False(schema.Evaluate(doc.RootElement).IsValid, bad);
        }
    }
}
