using System.Text.Json;
using Json.Schema;
using Traceability.Testing;

namespace Traceability.Core.Tests.Epcis.Mapping;

/// <summary>The GS1 EPCIS 2.0 JSON Schema (data/epcis/EPCIS-JSON-Schema.json), formats checked.</summary>
internal static class EpcisSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(RepoPaths.Under("data", "epcis", "EPCIS-JSON-Schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    /// <summary>The schema's errors for <paramref name="json"/> ("location: keyword: message"), none when valid.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
