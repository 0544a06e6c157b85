using Traceability.Core.Json;
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
    public static Validation Validate(StoredRecord stored, DateTimeOffset now)
    {
        KpRecord record;
        try
        {
            record = RecordJson.Parse(stored.Document);
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
