using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Testing;

/// <summary>Valid sample records with fresh salts, for tests.</summary>
public static class SampleRecords
{
    /// <summary>A code.</summary>
    public static ParticipantCode Code(string iso2) => ParticipantCode.Parse(iso2);

    /// <summary>2026-11-01 00:00:00 UTC.</summary>
    public const ulong Nov2026 = 1_793_491_200;

    /// <summary>An origin parcel mined in <paramref name="participant"/>.</summary>
    public static ParcelRecord OriginParcel(string participant = "BW", ulong carats = 125_050, string mine = "Jwaneng") =>
        new($"{participant}-{mine}-{Random.Shared.Next(1_000_000):D6}", Code(participant), [Code(participant)], mine,
            carats, carats * 117, "7102.10", Nov2026, Salt.New());

    /// <summary>A derived parcel held by <paramref name="participant"/> with these origins.</summary>
    public static ParcelRecord DerivedParcel(string participant, ulong carats, params string[] origins) =>
        new($"{participant}-lot-{Random.Shared.Next(1_000_000):D6}", Code(participant), [.. origins.Select(Code)], "",
            carats, carats * 120, "7102.31", Nov2026 + 86_400, Salt.New());

    /// <summary>A transformation of <paramref name="inputs"/> (sorted here) into <paramref name="outputs"/>.</summary>
    public static TransformationRecord Transformation(string participant, IEnumerable<Hash32> inputs, IEnumerable<ParcelRecord> outputs, string operation = "sort") =>
        TransformationRecord.Create($"T-{Random.Shared.Next(1_000_000):D6}", Code(participant), operation, inputs.Order(), [.. outputs],
            Nov2026 + 2 * 86_400, Salt.New());

    /// <summary>A certificate from <paramref name="exporter"/> to <paramref name="importer"/> for <paramref name="parcels"/>.</summary>
    public static CertificateRecord Certificate(string exporter, string importer, IReadOnlyList<Hash32> parcels,
        ulong carats = 480_000, ulong issuedAt = Nov2026, ulong validDays = 60, string? number = null, params string[] origins) =>
        new(number ?? $"{exporter}{Random.Shared.Next(100_000_000):D8}", Code(exporter), Code(importer),
            issuedAt + validDays * 86_400, [.. parcels],
            new CertificateDetails(issuedAt, $"KP authority of {exporter}", $"Exporter Ltd, {exporter}", $"Importer DMCC, {importer}",
                (uint)parcels.Count, carats, carats * 117, "7102.31",
                [.. (origins.Length == 0 ? [exporter] : origins).Select(Code)], Salt.New()));

    /// <summary>The import confirmation of <paramref name="certificate"/>.</summary>
    public static ImportConfirmationRecord Confirmation(CertificateRecord certificate, ulong confirmedAt = Nov2026 + 5 * 86_400) =>
        new(certificate.Number, certificate.Exporter, certificate.Importer, (uint)certificate.Parcels.Length,
            certificate.Details.Carats, confirmedAt, $"KP authority of {certificate.Importer}", Salt.New());
}
