using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Lab.Demo;

/// <summary>The documents the demo stories make: a parcel and a certificate, with sums and origins as the KP rules want them.</summary>
internal static class DemoDocuments
{
    /// <summary>A parcel of <paramref name="participant"/>, <paramref name="carats"/> at <paramref name="usdPerCarat"/>.</summary>
    public static ParcelRecord Parcel(string participant, string id, string mine, decimal carats, decimal usdPerCarat, string hs, string[] origins, ulong at) =>
        new(id, ParticipantCode.Parse(participant), [.. origins.Select(ParticipantCode.Parse)], mine, (ulong)Math.Round(carats * 100),
            (ulong)Math.Round(carats * usdPerCarat * 100), hs, at, Salt.New());

    /// <summary>A certificate for <paramref name="parcels"/>, valid <paramref name="days"/> days from <paramref name="issuedAt"/>: its count, weight, value and origins theirs.</summary>
    public static CertificateRecord Certificate(string number, string exporter, string importer, IReadOnlyList<ParcelRecord> parcels, ulong issuedAt, int days,
        string authority, string exporterName, string importerName) =>
        new(number, ParticipantCode.Parse(exporter), ParticipantCode.Parse(importer), issuedAt + (ulong)days * 86_400, [.. parcels.Select(p => p.Hash())],
            new CertificateDetails(issuedAt, authority, exporterName, importerName, (uint)parcels.Count, (ulong)parcels.Sum(p => (decimal)p.Carats),
                (ulong)parcels.Sum(p => (decimal)p.ValueUsdCents), parcels.Any(p => p.HsCode == "7102.10") ? "7102.10" : "7102.31",
                [.. parcels.SelectMany(p => p.Origins).Distinct().OrderBy(c => c.Value, StringComparer.Ordinal)], Salt.New()));

    /// <summary>The import confirmation of <paramref name="c"/> for its certified count and weight.</summary>
    public static ImportConfirmationRecord Confirmation(CertificateRecord c, ulong at, string authority) =>
        new(c.Number, c.Exporter, c.Importer, (uint)c.Parcels.Length, c.Details.Carats, at, authority, Salt.New());
}
