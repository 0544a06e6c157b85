using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Statistics;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// A trade year on a dev chain built from the public KP figures of 2023: every producer the figures list
/// registers its whole production (carats and US$ as published) as six origin parcels, three dated in each
/// half-year, and exports it on two certificates (H1 to AE, H2 to EU), which the importers confirm; AE
/// sorts what BW sent it and re-exports it to India at a 10 % mark-up. Three things are wrong on purpose:
/// EU confirms BW's shipment 1 % light and never confirms CA's (mirror discrepancies), and the DRC's
/// first shipment weighs a tenth of its output but carries half its value (five times its published
/// US$/ct: a valuation outlier). Every document is written to a folder, as a participant (here the Working Group) holds them.
/// </summary>
internal sealed class StatsStory
{
    public const int Year = 2023;

    /// <summary>The producers and their published production (the figures the story was built from).</summary>
    public required IReadOnlyList<PublishedProduction> Producers { get; init; }

    /// <summary>The documents' folder.</summary>
    public required string Documents { get; init; }

    /// <summary>What AE re-exported to India, carats.</summary>
    public required decimal ReexportedCarats { get; init; }

    public static async Task<StatsStory> PlayAsync(TestRegistry r, string folder)
    {
        var figures = PublicFigures.Read(RepoPaths.Under("samples", "kp-statistics", "kp-statistics.csv"));
        var producers = figures.Production.Where(p => p.Year == Year && p.Carats > 0 && p.ValueUsd > 0 && ParticipantCode.TryParse(p.Code, out _))
            .OrderByDescending(p => p.Carats).ToList();
        // BW is set up by TestRegistry; every other producer gets an authority and a member among the accounts from 20 on, funded here
        var roles = new Dictionary<string, (int Authority, int Member)> { ["BW"] = (BwAuthority, BwMiner) };
        var next = 20;
        foreach (var p in producers.Where(p => p.Code != "BW"))
        {
            var (authority, member) = (next++, next++);
            foreach (var a in new[] { authority, member }) await r.Rpc.RequestAsync("hardhat_setBalance", Account(a).Address, "0x3635C9ADC5DEA00000");
            var code = ParticipantCode.Parse(p.Code);
            await r.As(Governor).AddParticipantAsync(code);
            await r.As(Governor).AddAuthorityAsync(code, Account(authority).Address);
            await r.As(authority).AddMemberAsync(Account(member).Address);
            roles[p.Code] = (authority, member);
        }
        Directory.CreateDirectory(folder);
        void Save(string name, KpRecord record) => File.WriteAllText(Path.Combine(folder, name + ".json"), RecordJson.Write(record));

        var now = await r.Reader.BlockTimestampAsync();
        var h1 = (ulong)new DateTimeOffset(Year, 3, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var h2 = (ulong)new DateTimeOffset(Year, 9, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        CertificateRecord Certificate(string number, ParticipantCode exporter, string importer, IReadOnlyList<ParcelRecord> parcels, ulong issuedAt, ulong valueCents) =>
            new(number, exporter, ParticipantCode.Parse(importer), now + 90 * 86_400, [.. parcels.Select(s => s.Hash())],
                new CertificateDetails(issuedAt, $"KP authority of {exporter}", $"Exporter, {exporter}", $"Importer, {importer}", (uint)parcels.Count,
                    (ulong)parcels.Sum(s => (decimal)s.Carats), valueCents, parcels[0].HsCode, [.. parcels.SelectMany(s => s.Origins).Distinct()], Salt.New()));
        IReadOnlyList<ParcelRecord> bwToAe = [];
        foreach (var p in producers)
        {
            var code = ParticipantCode.Parse(p.Code);
            var (authority, member) = roles[p.Code];
            var total = (ulong)(p.Carats * 100);
            // the DRC's first three parcels weigh a tenth of its output but carry half its value: five times its average price
            var centicarats = p.Code == "CD" ? [.. Split(total / 10, 3), .. Split(total - total / 10, 3)] : Split(total, 6);
            var cents = Split((ulong)(p.ValueUsd * 100), 6);
            var parcels = Enumerable.Range(0, 6).Select(i => new ParcelRecord($"{p.Code}-{Year}-{i}", code, [code], $"{p.Code} mine", centicarats[i], cents[i], "7102.10",
                i < 3 ? h1 : h2, Salt.New())).ToList();
            await r.As(member).RegisterParcelsAsync(parcels);
            for (var i = 0; i < parcels.Count; i++) Save($"parcel-{p.Code}-{i}", parcels[i]);
            foreach (var (half, importer, importerAuthority) in new[] { (0, "AE", AeAuthority), (1, "EU", EuAuthority) })
            {
                var shipped = parcels.Skip(half * 3).Take(3).ToList();
                var issuedAt = (half == 0 ? h1 : h2) + 86_400;
                var number = $"{p.Code}{Year}-{half + 1:D6}";
                var cert = Certificate(number, code, importer, shipped, issuedAt, (ulong)shipped.Sum(s => (decimal)s.ValueUsdCents));
                await r.As(authority).IssueCertificateAsync(cert);
                Save($"certificate-{number}", cert);
                if (p.Code == "BW" && importer == "AE") bwToAe = shipped;
                if (p.Code == "CA" && importer == "EU") continue; // never confirmed
                var weight = p.Code == "BW" && importer == "EU" ? cert.Details.Carats / 100 * 99 : cert.Details.Carats; // 1 % light
                var confirmation = new ImportConfirmationRecord(number, code, cert.Importer, 3, weight, issuedAt + 7 * 86_400, $"KP authority of {importer}", Salt.New());
                await r.As(importerAuthority).ConfirmImportAsync(cert, confirmation);
                Save($"confirmation-{number}", confirmation);
            }
        }

        // AE sorts BW's shipment into two lots and re-exports them to India (derived parcels: not production)
        var ae = ParticipantCode.Parse("AE");
        var bw = ParticipantCode.Parse("BW");
        var lot = bwToAe.Sum(s => (decimal)s.Carats);
        var lotValue = bwToAe.Sum(s => (decimal)s.ValueUsdCents);
        var sortedAt = h1 + 30 * 86_400;
        var outputs = new[] { 0.55m, 0.45m }.Select((share, i) => new ParcelRecord($"AE-LOT-{i}", ae, [bw], "", (ulong)(lot * share) - 1,
            (ulong)(lotValue * share * 1.1m), "7102.31", sortedAt, Salt.New())).ToList();
        var sorting = TransformationRecord.Create("AE-SORT-1", ae, "sort", bwToAe.Select(s => s.Hash()).Order(), outputs, sortedAt, Salt.New());
        await r.As(AeTrader).TransformAsync(sorting);
        Save("transformation-AE-SORT-1", sorting);
        for (var i = 0; i < outputs.Count; i++) Save($"parcel-AE-LOT-{i}", outputs[i]);
        var reexport = Certificate($"AE{Year}-000001", ae, "IN", outputs, sortedAt + 86_400, (ulong)outputs.Sum(o => (decimal)o.ValueUsdCents));
        await r.As(AeAuthority).IssueCertificateAsync(reexport);
        Save("certificate-AE2023-000001", reexport);
        var received = new ImportConfirmationRecord(reexport.Number, ae, reexport.Importer, 2, reexport.Details.Carats, sortedAt + 5 * 86_400, "KP authority of IN", Salt.New());
        await r.As(InAuthority).ConfirmImportAsync(reexport, received);
        Save("confirmation-AE2023-000001", received);
        return new StatsStory { Producers = producers, Documents = folder, ReexportedCarats = reexport.Details.Carats / 100m };
    }

    /// <summary><paramref name="total"/> in <paramref name="parts"/> whole parts that add up exactly.</summary>
    private static ulong[] Split(ulong total, int parts) =>
        [.. Enumerable.Range(0, parts).Select(i => total / (ulong)parts + (i == parts - 1 ? total % (ulong)parts : 0))];
}
