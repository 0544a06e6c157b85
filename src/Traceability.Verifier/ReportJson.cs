using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Traceability.Chain.Registry;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Verifier.Policy;

namespace Traceability.Verifier;

/// <summary>
/// The JSON shape of a <see cref="VerificationReport"/>: what <c>kp verify --json</c> prints and what
/// the portal's <c>POST /api/v1/verify</c> returns, from this one place. Names are fixed camelCase and
/// enums camelCase strings (for example verdict "notFound") whatever the serializer's options.
/// </summary>
public static class ReportJson
{
    /// <summary>Options that write the shape as kp does (indented, unescaped non-ASCII, nulls left out).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The report in its JSON shape.</summary>
    public static VerificationReportJson From(VerificationReport r) => new(
        r.Verdict, r.Kind, r.Title, r.Hash.ToString(),
        new ChainPointJson((ulong)r.CheckedAgainst.ChainId, r.CheckedAgainst.Registry, r.CheckedAgainst.BlockNumber,
            r.CheckedAgainst.BlockHash, r.CheckedAgainst.BlockTime),
        [.. r.Checks.Select(c => new CheckJson(c.Name, c.Status, c.Reason))],
        [.. r.Missing.Select(h => h.ToString())],
        [.. r.Origins.Select(o => o.Value)],
        Nodes(r.Lineage),
        r.RoundTrips)
    {
        Policy = r.Policy is { } p ? new PolicyReportJson(p.Name, [.. p.Findings.Select(Finding)]) : null,
    };

    private static PolicyFindingJson Finding(PolicyFinding f) => new(f.Rule, f.Parcel.ToString(), [.. f.Paths.Select(path => (IReadOnlyList<string>)[.. path.Select(h => h.ToString())])])
    {
        Origin = f.Origin?.Value,
        Mine = f.Mine,
        Share = f.Share is { } s ? Math.Round(s, 6) : null,
        Carats = f.Carats,
    };

    /// <summary>The report as indented JSON text.</summary>
    public static string Serialize(VerificationReport r) => JsonSerializer.Serialize(From(r), Options);

    /// <summary>The lineage graph: each parcel written once in full; a parcel met again is written as its hash with shownAbove (a shared parent is not expanded twice).</summary>
    private static List<LineageNodeJson> Nodes(IReadOnlyList<LineageNode> roots)
    {
        var seen = new HashSet<Hash32>();
        LineageNodeJson Node(LineageNode n) => !seen.Add(n.Parcel)
            ? new LineageNodeJson(n.Parcel.ToString()) { ShownAbove = true }
            : new LineageNodeJson(n.Parcel.ToString())
            {
                Holder = n.State.Holder?.Value,
                Status = n.State.Status,
                Flag = n.State.Flag,
                Origin = n.State.IsOrigin, // as kp parcel status: a bool; where it was registered, when known, in registeredIn
                RegisteredIn = n.State.IsOrigin ? n.RegisteredIn?.Value : null,
                Transformation = n.Transformation?.ToString(),
                Parents = [.. n.Parents.Select(Node)],
            };
        return [.. roots.Select(Node)];
    }
}

/// <summary>A verification report as JSON (see <see cref="ReportJson"/>).</summary>
/// <param name="Verdict">The one-word answer.</param>
/// <param name="Kind">The kind of document verified.</param>
/// <param name="Title">A short human title.</param>
/// <param name="Hash">The document's EIP-712 hash.</param>
/// <param name="CheckedAgainst">Chain id, registry and block read.</param>
/// <param name="Checks">Every named check, in order.</param>
/// <param name="Missing">Hashes of the documents that would settle what is unknown.</param>
/// <param name="Origins">Countries of origin found on the chain.</param>
/// <param name="Lineage">The lineage graph of the document's parcels.</param>
/// <param name="RpcRoundTrips">JSON-RPC round trips the verification took.</param>
public sealed record VerificationReportJson(
    [property: JsonPropertyName("verdict"), JsonConverter(typeof(CamelCaseEnum<Verdict>))] Verdict Verdict,
    [property: JsonPropertyName("kind"), JsonConverter(typeof(CamelCaseEnum<RecordKind>))] RecordKind Kind,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("checkedAgainst")] ChainPointJson CheckedAgainst,
    [property: JsonPropertyName("checks")] IReadOnlyList<CheckJson> Checks,
    [property: JsonPropertyName("missing")] IReadOnlyList<string> Missing,
    [property: JsonPropertyName("origins")] IReadOnlyList<string> Origins,
    [property: JsonPropertyName("lineage")] IReadOnlyList<LineageNodeJson> Lineage,
    [property: JsonPropertyName("rpcRoundTrips")] long RpcRoundTrips)
{
    /// <summary>What the origin policy found, when one was applied (kp verify --policy); absent otherwise.</summary>
    [JsonPropertyName("policy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PolicyReportJson? Policy { get; init; }
}

/// <summary>What an origin policy found (see <see cref="PolicyOutcome"/>).</summary>
/// <param name="Name">The policy's name.</param>
/// <param name="Findings">The parcels its rules caught.</param>
public sealed record PolicyReportJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("findings")] IReadOnlyList<PolicyFindingJson> Findings);

/// <summary>One parcel a policy rule caught (see <see cref="PolicyFinding"/>).</summary>
/// <param name="Rule">restrictedOrigin, compliantZone or untraced.</param>
/// <param name="Parcel">The offending origin parcel, or the parcel where tracing stopped.</param>
/// <param name="Paths">Up to three paths of parcel hashes, from a shipment parcel down to it.</param>
public sealed record PolicyFindingJson(
    [property: JsonPropertyName("rule"), JsonConverter(typeof(CamelCaseEnum<PolicyRuleKind>))] PolicyRuleKind Rule,
    [property: JsonPropertyName("parcel")] string Parcel,
    [property: JsonPropertyName("paths")] IReadOnlyList<IReadOnlyList<string>> Paths)
{
    /// <summary>The participant it was registered in, when known.</summary>
    [JsonPropertyName("origin"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Origin { get; init; }

    /// <summary>Its mine or zone, when its document was given.</summary>
    [JsonPropertyName("mine"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mine { get; init; }

    /// <summary>Its share of the shipment's carats (0 to 1), when the documents allow.</summary>
    [JsonPropertyName("share"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Share { get; init; }

    /// <summary>The shipment's carats from it, hundredths of a carat, when known.</summary>
    [JsonPropertyName("carats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Carats { get; init; }
}

/// <summary>Where a verification read the chain.</summary>
/// <param name="ChainId">The chain id.</param>
/// <param name="Registry">The registry's address.</param>
/// <param name="BlockNumber">The block read.</param>
/// <param name="BlockHash">Its hash.</param>
/// <param name="BlockTime">Its time, Unix seconds.</param>
public sealed record ChainPointJson(
    [property: JsonPropertyName("chainId")] ulong ChainId,
    [property: JsonPropertyName("registry")] string Registry,
    [property: JsonPropertyName("blockNumber")] ulong BlockNumber,
    [property: JsonPropertyName("blockHash")] string BlockHash,
    [property: JsonPropertyName("blockTime")] ulong BlockTime);

/// <summary>One named check.</summary>
/// <param name="Name">Its stable name, for example "certificate.registered".</param>
/// <param name="Status">pass, fail, unknown or skipped.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record CheckJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status"), JsonConverter(typeof(CamelCaseEnum<CheckStatus>))] CheckStatus Status,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>One parcel of the lineage: in full the first time it is met, else only its hash and <see cref="ShownAbove"/>.</summary>
/// <param name="Parcel">The parcel's hash.</param>
public sealed record LineageNodeJson([property: JsonPropertyName("parcel")] string Parcel)
{
    /// <summary>True when the parcel is written in full above (a shared parent); null otherwise.</summary>
    [JsonPropertyName("shownAbove"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ShownAbove { get; init; }

    /// <summary>The participant holding it.</summary>
    [JsonPropertyName("holder"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Holder { get; init; }

    /// <summary>Its on-chain status.</summary>
    [JsonPropertyName("status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(CamelCaseEnum<ParcelStatus>))]
    public ParcelStatus? Status { get; init; }

    /// <summary>Governance's flag.</summary>
    [JsonPropertyName("flag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(CamelCaseEnum<RecordFlag>))]
    public RecordFlag? Flag { get; init; }

    /// <summary>Whether it is an origin parcel (registered at a mine, not made by a transformation); null for a parcel shown above.</summary>
    [JsonPropertyName("origin"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Origin { get; init; }

    /// <summary>For an origin parcel, the participant that registered it (its country of origin), when known.</summary>
    [JsonPropertyName("registeredIn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RegisteredIn { get; init; }

    /// <summary>The transformation that made it.</summary>
    [JsonPropertyName("transformation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Transformation { get; init; }

    /// <summary>The parcels it was made from.</summary>
    [JsonPropertyName("parents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LineageNodeJson>? Parents { get; init; }
}

/// <summary>Writes an enum as its camelCase name ("notFound") and reads it back.</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class CamelCaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) where T : struct, Enum;
