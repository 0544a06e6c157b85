using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Statistics;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// A trade year on a dev chain built from the public KP figures of 2023: each producer's whole
/// production (carats and US$ as published) registered as six origin parcels, three dated in each
/// half-year, and exported on two certificates (H1 to AE, H2 to EU), confirmed by the importers,
/// except that EU confirms BW's shipment 1 % light and never confirms CA's. Every document is written
/// to a folder, as a participant (here the Working Group) would hold them.
/// </summary>
internal sealed class StatsStory
{
    public const int Year = 2023;

    /// <summary>The producers and their published production (the figures the story was built from).</summary>
    public required IReadOnlyList<PublishedProduction> Producers { get; init; }

    /// <summary>The documents' folder.</summary>
    public required string Documents { get; init; }

    public static async Task<StatsStory> PlayAsync(TestRegistry r, string folder)
    {
        var figures = PublicFigures.Read(RepoPaths.Under("samples", "kp-statistics", "kp-statistics.csv"));
        // BW is set up by TestRegistry; RU, CA and AO get an authority (13-15) and a member (16-18) here
        var added = new[] { ("RU", 13, 16), ("CA", 14, 17), ("AO", 15, 18) };
        foreach (var (code, authority, member) in added)
        {
            await r.As(Governor).AddParticipantAsync(ParticipantCode.Parse(code));
            await r.As(Governor).AddAuthorityAsync(ParticipantCode.Parse(code), Account(authority).Address);
            await r.As(authority).AddMemberAsync(Account(member).Address);
        }
        var roles = new Dictionary<string, (int Authority, int Member)> { ["BW"] = (BwAuthority, BwMiner) };
        foreach (var (code, authority, member) in added) roles[code] = (authority, member);
        var producers = roles.Keys.Select(c => figures.ProductionOf(c, Year) ?? throw new InvalidOperationException($"no 2023 figure for {c}")).ToList();
        Directory.CreateDirectory(folder);
        void Save(string name, KpRecord record) => File.WriteAllText(Path.Combine(folder, name + ".json"), RecordJson.Write(record));

        var now = await r.Reader.BlockTimestampAsync();
        var h1 = (ulong)new DateTimeOffset(Year, 3, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var h2 = (ulong)new DateTimeOffset(Year, 9, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        foreach (var p in producers)
        {
            var code = ParticipantCode.Parse(p.Code);
            var (authority, member) = roles[p.Code];
            var centicarats = Split((ulong)(p.Carats * 100), 6);
            var cents = Split((ulong)(p.ValueUsd * 100), 6);
            var parcels = Enumerable.Range(0, 6).Select(i => new ParcelRecord($"{p.Code}-{Year}-{i}", code, [code], $"{p.Code} mine", centicarats[i], cents[i], "7102.10",
                i < 3 ? h1 : h2, Salt.New())).ToList();
            await r.As(member).RegisterParcelsAsync(parcels);
            for (var i = 0; i < parcels.Count; i++) Save($"parcel-{p.Code}-{i}", parcels[i]);
            foreach (var (half, importer, importerAuthority) in new[] { (0, "AE", AeAuthority), (1, "EU", EuAuthority) })
            {
                var shipped = parcels.Skip(half * 3).Take(3).ToList();
                var issuedAt = half == 0 ? h1 + 86_400 : h2 + 86_400;
                var number = $"{p.Code}{Year}-{half + 1:D6}";
                var cert = new CertificateRecord(number, code, ParticipantCode.Parse(importer), now + 90 * 86_400, [.. shipped.Select(s => s.Hash())],
                    new CertificateDetails(issuedAt, $"KP authority of {p.Code}", $"Exporter, {p.Code}", $"Importer, {importer}", 3,
                        (ulong)shipped.Sum(s => (decimal)s.Carats), (ulong)shipped.Sum(s => (decimal)s.ValueUsdCents), "7102.10", [code], Salt.New()));
                await r.As(authority).IssueCertificateAsync(cert);
                Save($"certificate-{number}", cert);
                if (p.Code == "CA" && importer == "EU") continue; // never confirmed: a mirror discrepancy
                var weight = p.Code == "BW" && importer == "EU" ? cert.Details.Carats / 100 * 99 : cert.Details.Carats; // 1 % light
                var confirmation = new ImportConfirmationRecord(number, code, cert.Importer, 3, weight, issuedAt + 7 * 86_400, $"KP authority of {importer}", Salt.New());
                await r.As(importerAuthority).ConfirmImportAsync(cert, confirmation);
                Save($"confirmation-{number}", confirmation);
            }
        }
        return new StatsStory { Producers = producers, Documents = folder };
    }

    /// <summary><paramref name="total"/> in <paramref name="parts"/> whole parts that add up exactly.</summary>
    private static ulong[] Split(ulong total, int parts) =>
        [.. Enumerable.Range(0, parts).Select(i => total / (ulong)parts + (i == parts - 1 ? total % (ulong)parts : 0))];
}
