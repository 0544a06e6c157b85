using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Core.Validation;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>The outcome of validating one stored document.</summary>
/// <param name="Record">The parsed record, when valid.</param>
/// <param name="Rule">The broken rule, when not.</param>
/// <param name="Field">The offending field.</param>
/// <param name="Reason">Why.</param>
public sealed record Validation(KpRecord? Record, string? Rule = null, string? Field = null, string? Reason = null)
{
    /// <summary>Whether the record is valid.</summary>
    public bool IsValid => Record is not null && Rule is null;
}

/// <summary>
/// Parses a stored document and applies the KP rules (a parcel submitted alone is an origin parcel)
/// and the plausibility bounds (<see cref="Plausibility"/>: no billion-carat parcel, no date decades ahead).
/// </summary>
public static class RecordValidator
{
    /// <summary>Validates the document of <paramref name="stored"/> at <paramref name="now"/>.</summary>
    public static Validation Validate(StoredRecord stored, DateTimeOffset now) => Validate(stored.Document, now);

    /// <summary>
    /// Validates and hashes each of <paramref name="documents"/> at <paramref name="now"/>, spread over the cores (parsing, rules
    /// and hashing are pure) unless not <paramref name="parallel"/> (then on the calling thread, at its priority). One document's
    /// unexpected exception never stops the rest: that one fails with the rule "internal".
    /// </summary>
    public static (Validation V, Hash32? Hash)[] ValidateAll(IReadOnlyList<byte[]> documents, DateTimeOffset now, bool parallel = true)
    {
        var results = new (Validation V, Hash32? Hash)[documents.Count];
        if (!parallel)
        {
            for (var i = 0; i < documents.Count; i++) results[i] = ValidateOne(documents[i], now);
            return results;
        }
        Parallel.For(0, documents.Count, i => results[i] = ValidateOne(documents[i], now));
        return results;
    }

    private static (Validation V, Hash32? Hash) ValidateOne(byte[] document, DateTimeOffset now)
    {
        try
        {
            var v = Validate(document, now);
            return (v, v.Record?.Hash());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (new Validation(null, "internal", "document", $"could not be validated: {e.GetType().Name}: {e.Message}"), null);
        }
    }

    /// <summary>Validates <paramref name="document"/> at <paramref name="now"/>.</summary>
    public static Validation Validate(byte[] document, DateTimeOffset now)
    {
        KpRecord record;
        try
        {
            record = RecordJson.Parse(document);
        }
        catch (RecordFormatException e)
        {
            return new Validation(null, "format", e.Field, e.Problem);
        }
        var errors = Plausibility.CheckAll(record, now, originParcel: true);
        if (errors.Count > 0)
        {
            var first = errors[0];
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1))})" : "";
            return new Validation(record, first.Rule, first.Field, first.Message + more);
        }
        return new Validation(record);
    }
}
