using System.Text.Json;

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
            Assert.True(name == "error" || commands.Contains(name), $"{Path.GetFileName(file)} is the schema of no kp command");
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
