using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Traceability.Core.Json;

namespace Traceability.Core.Policies;

/// <summary>
/// Reads an <see cref="OriginPolicy"/> strictly, as records are read: a field missing, of the wrong
/// type, duplicated, unknown or out of range is a <see cref="RecordFormatException"/> naming it
/// (docs/schemas/origin-policy.schema.json).
/// </summary>
public static class PolicyJson
{
    /// <summary>The largest policy accepted, in bytes.</summary>
    public const int MaxPolicyBytes = 256 * 1024;

    /// <summary>The <c>kind</c> of a policy document.</summary>
    public const string Kind = "originPolicy";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 6, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a policy from UTF-8 bytes.</summary>
    public static OriginPolicy Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPolicyBytes) throw new RecordFormatException("policy", $"is {utf8.Length:N0} bytes; at most {MaxPolicyBytes:N0} are accepted");
        if (utf8.Length == 0) throw new RecordFormatException("policy", "is empty");
        if (!Utf8.IsValid(utf8)) throw new RecordFormatException("policy", "is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new RecordFormatException("policy", $"is not valid JSON at {JsonErrorText.Describe(e)}");
        }
        using (doc)
        {
            try
            {
                return Read(new StrictObject(doc.RootElement, ""));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException or (FormatException and not RecordFormatException))
            {
                throw new RecordFormatException("policy", $"is not a readable policy ({e.Message})");
            }
        }
    }

    /// <summary>Parses a policy from text.</summary>
    public static OriginPolicy Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Writes a policy as this reader reads it (indented; the same policy always gives the same text).</summary>
    public static string Write(OriginPolicy policy)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", OriginPolicy.SchemaVersion);
            w.WriteString("kind", Kind);
            w.WriteString("name", policy.Name);
            w.WriteStartArray("restrictedOrigins");
            foreach (var c in policy.RestrictedOrigins) w.WriteStringValue(c.Value);
            w.WriteEndArray();
            w.WriteStartArray("originRules");
            foreach (var r in policy.OriginRules)
            {
                w.WriteStartObject();
                w.WriteString("origin", r.Origin.Value);
                w.WriteStartArray("compliantZones");
                foreach (var z in r.CompliantZones) w.WriteStringValue(z);
                w.WriteEndArray();
                w.WriteNumber("appliesFromCarats", r.AppliesFromCarats);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("untraced");
            if (policy.Untraced.Action == UntracedAction.Refuse) w.WriteString("action", "refuse");
            else
            {
                w.WriteString("action", "acceptBelowShare");
                w.WriteNumber("maxShare", policy.Untraced.MaxShare);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static OriginPolicy Read(StrictObject o)
    {
        var version = o.Int32("schemaVersion");
        if (version != OriginPolicy.SchemaVersion)
        {
            throw new RecordFormatException("schemaVersion", $"version {version} is not supported (this build reads version {OriginPolicy.SchemaVersion})");
        }
        var kind = o.String("kind", 40);
        if (kind != Kind) throw new RecordFormatException("kind", $"\"{kind}\" is not a policy (expected \"{Kind}\")");
        var name = o.String("name", 200);
        var restricted = o.Codes("restrictedOrigins", 300);
        var duplicate = restricted.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new RecordFormatException("restrictedOrigins", $"names {duplicate.Key} more than once");
        var rules = o.Objects("originRules", 300).Select((r, i) => ReadRule(r, $"originRules[{i}]")).ToImmutableArray();
        for (var i = 0; i < rules.Length; i++)
        {
            if (restricted.Contains(rules[i].Origin))
            {
                throw new RecordFormatException($"originRules[{i}].origin", $"{rules[i].Origin} is also in restrictedOrigins: a restricted origin is refused whatever its zone");
            }
            if (rules.Take(i).Any(r => r.Origin == rules[i].Origin))
            {
                throw new RecordFormatException($"originRules[{i}].origin", $"{rules[i].Origin} already has a rule: give one rule per origin");
            }
        }
        var untraced = ReadUntraced(o.Object("untraced"));
        o.EnsureNoUnknownFields();
        return new OriginPolicy(name, restricted, rules, untraced);
    }

    private static OriginRule ReadRule(StrictObject o, string path)
    {
        var origin = o.Code("origin");
        var zones = o.Strings("compliantZones", 1000, 200);
        if (zones.Length == 0) throw new RecordFormatException($"{path}.compliantZones", "is empty: list at least one compliant zone (a parcel's mine as registered)");
        var from = o.OptionalUInt64("appliesFromCarats", "hundredths of a carat") ?? 0;
        o.EnsureNoUnknownFields();
        return new OriginRule(origin, zones, from);
    }

    private static UntracedRule ReadUntraced(StrictObject o)
    {
        var action = o.String("action", 40);
        UntracedRule rule;
        switch (action)
        {
            case "refuse":
                rule = UntracedRule.Refuse;
                break;
            case "acceptBelowShare":
                var share = o.Decimal("maxShare");
                if (share <= 0 || share >= 1) throw new RecordFormatException(o.Path("maxShare"), $"{share} is out of range: a share of the shipment's carats above 0 and below 1 (0.02 is 2 %)");
                rule = new UntracedRule(UntracedAction.AcceptBelowShare, share);
                break;
            default:
                throw new RecordFormatException(o.Path("action"), $"\"{action}\" is not an action (refuse, acceptBelowShare)");
        }
        o.EnsureNoUnknownFields();
        return rule;
    }
}
