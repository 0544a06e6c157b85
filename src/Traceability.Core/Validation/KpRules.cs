using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Core.Validation;

/// <summary>
/// The Kimberley Process rules a record must satisfy before it is hashed and anchored
/// (KPCS core document, Annex I, and this system's own). Each failure names the field.
/// </summary>
public static partial class KpRules
{
    /// <summary>HS codes of rough diamonds: unsorted, industrial, non-industrial.</summary>
    public static readonly ImmutableArray<string> HsCodes = ["7102.10", "7102.21", "7102.31"];

    /// <summary>Earliest plausible date (2000-01-01): catches zero and mistyped dates.</summary>
    public const ulong EarliestDate = 946_684_800;

    /// <summary>Latest date the contract stores (uint32 seconds, year 2106): catches milliseconds.</summary>
    public const ulong LatestDate = uint.MaxValue;

    [GeneratedRegex("^[A-Z]{2}[A-Z0-9/-]{1,38}$")]
    private static partial Regex CertificateNumberPattern();

    /// <summary>Every rule <paramref name="record"/> breaks (empty when valid).</summary>
    public static IReadOnlyList<ValidationError> Check(KpRecord record)
    {
        var e = new List<ValidationError>();
        switch (record)
        {
            case ParcelRecord p: CheckParcel(p, e); break;
            case TransformationRecord t: CheckTransformation(t, e); break;
            case CertificateRecord c: CheckCertificate(c, e); break;
            case ImportConfirmationRecord i: CheckConfirmation(i, e); break;
        }
        return e;
    }

    /// <summary>The rules of a parcel registered as an origin parcel: mined in its participant.</summary>
    public static IReadOnlyList<ValidationError> CheckOriginParcel(ParcelRecord parcel)
    {
        var e = new List<ValidationError>();
        CheckParcel(parcel, e);
        if (parcel.Origins.Length != 1 || parcel.Origins[0] != parcel.Participant)
        {
            e.Add(new("origins", "origin-is-participant", $"an origin parcel's only origin must be its participant {parcel.Participant}"));
        }
        if (parcel.Mine.Trim().Length == 0) e.Add(new("mine", "mine-named", "an origin parcel names its mine or zone of production"));
        return e;
    }

    /// <summary>Throws <see cref="RecordValidationException"/> listing every broken rule.</summary>
    public static void EnsureValid(KpRecord record)
    {
        var errors = Check(record);
        if (errors.Count > 0) throw new RecordValidationException(errors);
    }

    private static void CheckParcel(ParcelRecord p, List<ValidationError> e)
    {
        Participant(p.Participant, "participant", e);
        Origins(p.Origins, "origins", e);
        Positive(p.Carats, "carats", "carats", e);
        HsCode(p.HsCode, "hsCode", e);
        Date(p.RecordedAt, "recordedAt", e);
        SaltSet(p.Salt, "salt", e);
    }

    private static void CheckTransformation(TransformationRecord t, List<ValidationError> e)
    {
        Participant(t.Participant, "participant", e);
        if (!TransformationRecord.Operations.Contains(t.Operation))
        {
            e.Add(new("operation", "operation", $"\"{t.Operation}\" is not one of {string.Join(", ", TransformationRecord.Operations)}"));
        }
        if (t.Inputs.IsEmpty) e.Add(new("inputs", "non-empty", "a transformation consumes at least one parcel"));
        for (var i = 0; i < t.Inputs.Length; i++)
        {
            if (t.Inputs[i].IsZero) e.Add(new($"inputs[{i}]", "non-zero", "the zero hash is not a parcel"));
            if (i > 0 && t.Inputs[i] <= t.Inputs[i - 1])
            {
                e.Add(new($"inputs[{i}]", "inputs-ascending", "inputs must be strictly ascending (sorted, no duplicates), as the contract requires"));
            }
        }
        HashList(t.Outputs, "outputs", "a transformation creates at least one parcel", e);
        var inputs = t.Inputs.ToHashSet();
        for (var i = 0; i < t.Outputs.Length; i++)
        {
            if (inputs.Contains(t.Outputs[i])) e.Add(new($"outputs[{i}]", "output-not-input", "a parcel cannot be both an input and an output"));
        }
        Date(t.PerformedAt, "performedAt", e);
        SaltSet(t.Salt, "salt", e);
    }

    private static void CheckCertificate(CertificateRecord c, List<ValidationError> e)
    {
        CertificateNumber(c.Number, c.Exporter, "number", e);
        Participant(c.Exporter, "exporter", e);
        Participant(c.Importer, "importer", e);
        if (c.Exporter == c.Importer) e.Add(new("importer", "importer-not-exporter", "importer and exporter must be different participants"));
        var d = c.Details;
        Date(d.IssuedAt, "details.issuedAt", e);
        Date(c.ExpiresAt, "expiresAt", e);
        if (c.ExpiresAt <= d.IssuedAt) e.Add(new("expiresAt", "expiry-after-issue", "the date of expiry must be after the date of issue"));
        HashList(c.Parcels, "parcels", "a certificate covers at least one parcel", e);
        if (d.ParcelCount != c.Parcels.Length)
        {
            e.Add(new("details.parcelCount", "parcel-count", $"says {d.ParcelCount} parcels but the parcel list has {c.Parcels.Length}"));
        }
        Positive(d.Carats, "details.carats", "carats", e);
        Positive(d.ValueUsdCents, "details.valueUsdCents", "value", e);
        HsCode(d.HsCode, "details.hsCode", e);
        Origins(d.Origins, "details.origins", e);
        SaltSet(d.Salt, "details.salt", e);
        if (c.Authorization is { } a) Date(a.Deadline, "authorization.deadline", e);
    }

    private static void CheckConfirmation(ImportConfirmationRecord i, List<ValidationError> e)
    {
        CertificateNumber(i.CertificateNumber, i.Exporter, "certificateNumber", e);
        Participant(i.Exporter, "exporter", e);
        Participant(i.Importer, "importer", e);
        if (i.Exporter == i.Importer) e.Add(new("importer", "importer-not-exporter", "importer and exporter must be different participants"));
        if (i.ParcelCount == 0) e.Add(new("parcelCount", "positive", "the number of parcels must be above zero"));
        Positive(i.Carats, "carats", "carats", e);
        Date(i.ConfirmedAt, "confirmedAt", e);
        SaltSet(i.Salt, "salt", e);
    }

    private static void CertificateNumber(string number, ParticipantCode exporter, string field, List<ValidationError> e)
    {
        if (!CertificateNumberPattern().IsMatch(number))
        {
            e.Add(new(field, "number-format", $"\"{number}\" is not a certificate number: two letters, then up to 38 upper-case letters, digits, '-' or '/'"));
        }
        else if (!number.StartsWith(exporter.Value, StringComparison.Ordinal))
        {
            e.Add(new(field, "number-prefix", $"\"{number}\" must start with the exporting participant's code {exporter}"));
        }
    }

    private static void Participant(ParticipantCode code, string field, List<ValidationError> e)
    {
        if (!KpParticipants.IsKnown(code)) e.Add(new(field, "known-participant", $"{code} is not a participant of the Kimberley Process"));
    }

    private static void Origins(ImmutableArray<ParticipantCode> origins, string field, List<ValidationError> e)
    {
        if (origins.IsEmpty) e.Add(new(field, "non-empty", "at least one country of origin is required"));
        var seen = new HashSet<ParticipantCode>();
        for (var i = 0; i < origins.Length; i++)
        {
            if (!seen.Add(origins[i])) e.Add(new($"{field}[{i}]", "distinct", $"{origins[i]} is listed twice"));
            else if (!KpParticipants.IsKnown(origins[i])) e.Add(new($"{field}[{i}]", "known-participant", $"{origins[i]} is not a participant of the Kimberley Process"));
        }
    }

    private static void HashList(ImmutableArray<Hash32> hashes, string field, string emptyMessage, List<ValidationError> e)
    {
        if (hashes.IsEmpty) e.Add(new(field, "non-empty", emptyMessage));
        var seen = new HashSet<Hash32>();
        for (var i = 0; i < hashes.Length; i++)
        {
            if (hashes[i].IsZero) e.Add(new($"{field}[{i}]", "non-zero", "the zero hash is not a parcel"));
            else if (!seen.Add(hashes[i])) e.Add(new($"{field}[{i}]", "distinct", $"{hashes[i].ToShortString()} is listed twice"));
        }
    }

    private static void Positive(ulong value, string field, string what, List<ValidationError> e)
    {
        if (value == 0) e.Add(new(field, "positive", $"{what} must be above zero"));
    }

    private static void HsCode(string code, string field, List<ValidationError> e)
    {
        if (!HsCodes.Contains(code))
        {
            e.Add(new(field, "hs-code", $"\"{code}\" is not a rough-diamond HS code (7102.10 unsorted, 7102.21 industrial, 7102.31 non-industrial)"));
        }
    }

    private static void Date(ulong seconds, string field, List<ValidationError> e)
    {
        if (seconds < EarliestDate) e.Add(new(field, "date", $"{seconds} is before 2000-01-01: dates are Unix seconds"));
        else if (seconds > LatestDate) e.Add(new(field, "date", $"{seconds} is after 2106: dates are Unix seconds, not milliseconds"));
    }

    private static void SaltSet(Hash32 salt, string field, List<ValidationError> e)
    {
        if (salt.IsZero) e.Add(new(field, "salt", "the salt must be 32 random bytes, not zero"));
    }
}
