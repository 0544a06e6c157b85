using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Policies;
using Traceability.Testing;

namespace Traceability.Core.Tests.Policies;

/// <summary>The origin policy is read strictly, every error names its field, and docs/schemas/origin-policy.schema.json agrees with the reader.</summary>
[Trait("Category", "Fast")]
public class PolicyJsonTests
{
    private static string Sample => File.ReadAllText(RepoPaths.Under("samples", "policies", "eu-import.json"));

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(RepoPaths.Under("docs", "schemas", "origin-policy.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static bool SchemaAccepts(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(doc.RootElement).IsValid;
    }

    private static string With(Action<JsonObject> change)
    {
        var o = JsonNode.Parse(Sample)!.AsObject();
        change(o);
        return o.ToJsonString();
    }

    [Fact]
    public void Reads_the_sample_policy()
    {
        var p = PolicyJson.Parse(Sample);
        Assert.Equal("EU rough-diamond import screening", p.Name);
        Assert.True(p.IsRestricted(ParticipantCode.Parse("RU")));
        Assert.False(p.IsRestricted(ParticipantCode.Parse("BW")));
        var cf = p.RuleFor(ParticipantCode.Parse("CF"))!;
        Assert.Equal(100UL, cf.AppliesFromCarats);
        Assert.True(cf.IsCompliantZone("Berbérati"));
        Assert.True(cf.IsCompliantZone("BERBÉRATI ")); // case and surrounding spaces aside
        Assert.False(cf.IsCompliantZone("Bria"));
        Assert.Equal(UntracedAction.Refuse, p.Untraced.Action);
        Assert.True(SchemaAccepts(Sample));
    }

    [Theory]
    [InlineData("""{ "action": "refuse" }""")]
    [InlineData("""{ "action": "acceptBelowShare", "maxShare": 0.025 }""")]
    public void Writes_what_it_reads(string untraced)
    {
        var p = PolicyJson.Parse(With(o => o["untraced"] = JsonNode.Parse(untraced)));
        var text = PolicyJson.Write(p);
        Assert.Equal(text, PolicyJson.Write(PolicyJson.Parse(text)));
        Assert.True(SchemaAccepts(text));
        Assert.Equal("Berbérati", PolicyJson.Parse(text).OriginRules[0].CompliantZones[0]);
    }

    [Fact]
    public void Reads_an_accepted_untraced_share()
    {
        var json = With(o => o["untraced"] = new JsonObject { ["action"] = "acceptBelowShare", ["maxShare"] = 0.02 });
        var p = PolicyJson.Parse(json);
        Assert.Equal(new UntracedRule(UntracedAction.AcceptBelowShare, 0.02m), p.Untraced);
        Assert.True(SchemaAccepts(json));
    }

    public static TheoryData<string, string, string> Broken() => new()
    {
        { "restrictedOrigins", """[ "RU", "RU" ]""", "restrictedOrigins" },
        { "restrictedOrigins", """[ "ru" ]""", "restrictedOrigins[0]" },
        { "restrictedOrigins", """ "RU" """, "restrictedOrigins" },
        { "originRules", """[ { "origin": "CF", "compliantZones": [] } ]""", "originRules[0].compliantZones" },
        { "originRules", """[ { "origin": "CF", "compliantZones": [ "Carnot" ], "appliesFromCarats": -1 } ]""", "originRules[0].appliesFromCarats" },
        { "originRules", """[ { "origin": "CF", "compliantZones": [ "Carnot" ], "appliesFromCarats": 1.5 } ]""", "originRules[0].appliesFromCarats" },
        { "originRules", """[ { "origin": "CF", "compliantZones": [ "Carnot" ], "zones": [] } ]""", "originRules[0].zones" },
        { "originRules", """[ { "compliantZones": [ "Carnot" ] } ]""", "originRules[0].origin" },
        { "untraced", """{ "action": "ignore" }""", "untraced.action" },
        { "untraced", """{ "action": "acceptBelowShare" }""", "untraced.maxShare" },
        { "untraced", """{ "action": "acceptBelowShare", "maxShare": 1 }""", "untraced.maxShare" },
        { "untraced", """{ "action": "acceptBelowShare", "maxShare": "2 %" }""", "untraced.maxShare" },
        { "untraced", """{ "action": "refuse", "maxShare": 0.1 }""", "untraced.maxShare" },
        { "kind", "\"parcel\"", "kind" },
        { "schemaVersion", "2", "schemaVersion" },
        { "restricted", """[ "RU" ]""", "restricted" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_policy_is_refused_naming_the_field_and_the_schema_refuses_it_too(string field, string value, string named)
    {
        var json = With(o => o[field] = JsonNode.Parse(value));
        var e = Assert.Throws<RecordFormatException>(() => PolicyJson.Parse(json));
        Assert.Equal(named, e.Field);
        Assert.False(SchemaAccepts(json), $"the schema accepts what the reader refuses: {json}");
    }

    [Theory]
    [InlineData("""[ { "origin": "CF", "compliantZones": [ "Carnot" ] }, { "origin": "CF", "compliantZones": [ "Nola" ] } ]""", "originRules[1].origin", "already has a rule")]
    [InlineData("""[ { "origin": "RU", "compliantZones": [ "Mirny" ] } ]""", "originRules[0].origin", "also in restrictedOrigins")]
    public void Rules_that_contradict_each_other_are_refused_naming_the_rule(string rules, string named, string problem)
    {
        // beyond what a JSON Schema can say: the reader alone refuses these
        var e = Assert.Throws<RecordFormatException>(() => PolicyJson.Parse(With(o => o["originRules"] = JsonNode.Parse(rules))));
        Assert.Equal(named, e.Field);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var json = With(o => o.Remove("untraced"));
        Assert.Equal("untraced", Assert.Throws<RecordFormatException>(() => PolicyJson.Parse(json)).Field);
        Assert.False(SchemaAccepts(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\": 1, \"schemaVersion\": 1}")]
    public void Text_that_is_not_a_policy_is_a_format_error(string text) =>
        Assert.ThrowsAny<RecordFormatException>(() => PolicyJson.Parse(text));
}
