using System.Collections.Concurrent;
using System.Collections.Immutable;
using Traceability.Chain.Accounts;
using Traceability.Chain.Signing;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Lab.Research.Replay;

/// <summary>A participant of the replay and its accounts (indices of the development mnemonic).</summary>
internal sealed record YearParticipant(ParticipantCode Code, string Name, Production? Production, int Authority, int Member)
{
    public bool IsHub => Production is null;
}

/// <summary>An origin parcel with the hashes the registry works with (computed once).</summary>
internal sealed record YearParcel(ParcelRecord Record, Hash32 Details, Hash32 Hash);

/// <summary>A certificate of the replay, with the documents that travel with it.</summary>
internal sealed class YearCertificate
{
    public required CertificateRecord Document { get; set; }
    public required IReadOnlyList<ParcelRecord> Parcels { get; init; }
    public required int Exporter { get; init; }
    public required int Importer { get; init; }
    public ImportConfirmationRecord? Confirmation { get; set; }
    public HubLot? Lot { get; set; }

    /// <summary>The attack this anchored certificate carries (voided, expired, flagged ancestor, split inflation), or null when genuine.</summary>
    public AttackClass? Attack { get; set; }

    /// <summary>The documents an importer is handed with it: its parcels, or for a re-export the hub's whole transformation.</summary>
    public IReadOnlyList<KpRecord> Ancestors => Lot is null ? Parcels : Lot.Documents;
}

/// <summary>A hub's sorting of two imported shipments into mixed-origin lots, re-exported on two certificates.</summary>
internal sealed class HubLot
{
    public required int Hub { get; init; }
    public required TransformationRecord Transformation { get; init; }
    public required IReadOnlyList<ParcelRecord> Inputs { get; init; }
    public required IReadOnlyList<ParcelRecord> Outputs { get; init; }
    public required bool Inflated { get; init; }
    public IReadOnlyList<KpRecord> Documents => [Transformation, .. Inputs, .. Outputs];
}

/// <summary>An attack document as its importer receives it.</summary>
internal sealed record AttackDocument(AttackClass Class, CertificateRecord Document, IReadOnlyList<KpRecord> Ancestors, bool AnchoredOnPurpose = false)
{
    /// <summary>The registry's refusal when the attack was tried on chain (reused parcels), or null.</summary>
    public string? Refusal { get; set; }
}

/// <summary>
/// The year as documents, deterministic for a seed: every producer's output as origin parcels whose carats and
/// values add up exactly to its public figures, export certificates to the trading hubs, the hubs' sorting
/// into mixed-origin lots and their re-exports, import confirmations, and the attacks.
/// </summary>
internal sealed class TradeYear
{
    private static readonly (string Code, double Share)[] ExportHubs = [("AE", 0.45), ("EU", 0.35), ("IN", 0.20)];
    private const int MinParcelsPerProducer = 12;
    private const ulong Day = 86_400;

    public required IReadOnlyList<YearParticipant> Participants { get; init; }
    public required IReadOnlyList<IReadOnlyList<YearParcel>> OriginParcels { get; init; }
    public required IReadOnlyList<YearCertificate> Exports { get; init; }
    public required IReadOnlyList<HubLot> Lots { get; init; }
    public required IReadOnlyList<YearCertificate> ReExports { get; init; }
    public required IReadOnlyList<AttackDocument> Attacks { get; init; }
    public required int Governance { get; init; }
    public required IReadOnlyList<int> Relayers { get; init; }
    public required int Impostor { get; init; }

    public IEnumerable<YearCertificate> Certificates => Exports.Concat(ReExports);

    public int AccountCount => Impostor + 1;

    /// <summary>The participants, accounts and nothing else (for setting up the registry before the documents exist).</summary>
    public static (IReadOnlyList<YearParticipant> Participants, int Governance, IReadOnlyList<int> Relayers, int Impostor) Cast(IReadOnlyList<Production> production)
    {
        var list = new List<YearParticipant>();
        var account = 1;
        foreach (var p in production.Where(p => p.Code.Value is not ("AE" or "EU" or "IN")))
        {
            list.Add(new YearParticipant(p.Code, KpParticipants.Find(p.Code)?.Name ?? p.Name, p, account, account + 1));
            account += 2;
        }
        foreach (var hub in ExportHubs)
        {
            var code = ParticipantCode.Parse(hub.Code);
            list.Add(new YearParticipant(code, KpParticipants.Find(code)?.Name ?? hub.Code, null, account, account + 1));
            account += 2;
        }
        return (list, 0, [account, account + 1, account + 2], account + 3);
    }

    /// <summary>Builds the year.</summary>
    /// <param name="plan">Scale, seed and attack share.</param>
    /// <param name="production">The public production by participant.</param>
    /// <param name="domain">The registry's EIP-712 domain (signatures bind to it).</param>
    /// <param name="chainNow">The chain's time when the replay began: expiries and signature deadlines count from it.</param>
    /// <param name="account">The development account of an index.</param>
    public static TradeYear Build(ReplayPlan plan, IReadOnlyList<Production> production, Eip712Domain domain, ulong chainNow, Func<int, ChainAccount> account)
    {
        var random = new Random(plan.Seed);
        Hash32 NewSalt()
        {
            Span<byte> b = stackalloc byte[32];
            random.NextBytes(b);
            b[0] |= 1;
            return Hash32.FromBytes(b);
        }
        var (participants, governance, relayers, impostor) = Cast(production);
        var yearStart = (ulong)new DateTimeOffset(plan.Year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var producers = participants.Where(p => !p.IsHub).ToList();
        int IndexOf(string code) => participants.ToList().FindIndex(p => p.Code.Value == code);

        // origin parcels: counts in proportion to carats, carats and values that add up exactly to the public figures
        var totalParcels = (int)Math.Round(ReplayPlan.ParcelsAtFullScale * plan.Scale);
        var worldCarats = producers.Sum(p => p.Production!.Carats);
        var origin = new List<IReadOnlyList<YearParcel>>();
        var records = new List<(int Producer, ParcelRecord Record)>();
        foreach (var p in producers)
        {
            var i = participants.ToList().IndexOf(p);
            var count = Math.Max(MinParcelsPerProducer, (int)Math.Round(totalParcels * (double)(p.Production!.Carats / worldCarats)));
            var weights = Enumerable.Range(0, count).Select(_ => Math.Exp(Gaussian(random) * 0.6)).ToArray();
            var carats = ExactSplit((ulong)Math.Round(p.Production.Carats * 100), weights);
            var prices = carats.Select(c => c * (1 + 0.3 * (random.NextDouble() - 0.5))).ToArray();
            var values = ExactSplit((ulong)Math.Round(p.Production.ValueUsd * 100), prices);
            var origins = ImmutableArray.Create(p.Code);
            var mine = $"{p.Name} production";
            for (var k = 0; k < count; k++)
            {
                var at = yearStart + (ulong)(330.0 * Day * k / count);
                records.Add((i, new ParcelRecord($"{p.Code}-{plan.Year}-{k + 1:D6}", p.Code, origins, mine, carats[k], values[k], "7102.10", at, NewSalt())));
            }
        }
        var hashed = new YearParcel[records.Count];
        Parallel.For(0, records.Count, k =>
        {
            var r = records[k].Record;
            var details = r.DetailsHash();
            hashed[k] = new YearParcel(r, details, ParcelRecord.HashOf(r.Participant, details));
        });
        var hashes = new Dictionary<ParcelRecord, Hash32>(hashed.Length * 3 / 2, ReferenceEqualityComparer.Instance);
        foreach (var h in hashed) hashes[h.Record] = h.Hash;
        Hash32 HashOf(ParcelRecord p) => hashes.TryGetValue(p, out var h) ? h : p.Hash();
        var byProducer = new Dictionary<int, List<YearParcel>>();
        for (var k = 0; k < records.Count; k++)
        {
            if (!byProducer.TryGetValue(records[k].Producer, out var list)) byProducer[records[k].Producer] = list = [];
            list.Add(hashed[k]);
        }
        foreach (var p in producers) origin.Add(byProducer[participants.ToList().IndexOf(p)]);

        // export certificates: 10-28 parcels each, to the hubs by their share of the trade
        var expiry = chainNow + 60 * Day;
        var exports = new List<YearCertificate>();
        var sequence = new Dictionary<string, int>();
        string Number(ParticipantCode exporter, char kind) =>
            $"{exporter}{plan.Year}-{kind}{sequence[exporter.Value + kind] = sequence.GetValueOrDefault(exporter.Value + kind) + 1:D6}";
        foreach (var parcels in origin)
        {
            var exporter = participants.ToList().FindIndex(p => p.Code == parcels[0].Record.Participant);
            for (var start = 0; start < parcels.Count;)
            {
                var size = random.Next(10, 29);
                if (parcels.Count - start - size < 10) size = parcels.Count - start;
                var shipment = parcels.Skip(start).Take(size).Select(p => p.Record).ToList();
                start += size;
                var importer = IndexOf(Pick(random, ExportHubs));
                var issued = shipment.Max(p => p.RecordedAt) + 7 * Day;
                exports.Add(new YearCertificate
                {
                    Document = Certificate(HashOf, Number(participants[exporter].Code, 'E'), participants[exporter], participants[importer], shipment, issued, expiry, NewSalt()),
                    Parcels = shipment,
                    Exporter = exporter,
                    Importer = importer,
                });
            }
        }

        var certificatesPlanned = exports.Count * 1.8;
        var attackCount = Math.Max(Enum.GetValues<AttackClass>().Length, (int)Math.Round(certificatesPlanned * (double)plan.AttacksShare));
        var perClass = Enum.GetValues<AttackClass>().ToDictionary(c => c, c => attackCount / Enum.GetValues<AttackClass>().Length
            + ((int)c < attackCount % Enum.GetValues<AttackClass>().Length ? 1 : 0));
        foreach (var c in perClass.Keys) perClass[c] = Math.Max(1, perClass[c]);

        // dedicated anchored attacks among the exports: voided, expired, flagged ancestor
        var shuffled = exports.OrderBy(_ => random.Next()).ToList();
        var taken = 0;
        foreach (var attack in new[] { AttackClass.Voided, AttackClass.Expired, AttackClass.FlaggedAncestor })
        {
            foreach (var c in shuffled.Skip(taken).Take(perClass[attack]))
            {
                c.Attack = attack;
                if (attack == AttackClass.Expired) c.Document = c.Document with { ExpiresAt = chainNow + Day };
            }
            taken += perClass[attack];
        }
        foreach (var c in exports.Where(c => c.Attack is not (AttackClass.Voided or AttackClass.Expired)))
        {
            c.Confirmation = Confirmation(c, participants[c.Importer], c.Document.Details.IssuedAt + 3 * Day, NewSalt());
        }

        // hub lots: two imported shipments sorted into mixed-origin lots, re-exported on two certificates
        var lots = new List<HubLot>();
        var reExports = new List<YearCertificate>();
        var inflations = (perClass[AttackClass.SplitInflation] + 1) / 2;
        foreach (var hubCode in new[] { "AE", "EU" })
        {
            var hub = IndexOf(hubCode);
            var imports = exports.Where(c => c.Importer == hub && c.Attack is null).OrderBy(_ => random.Next()).ToList();
            for (var k = 0; k < imports.Count; k += 2)
            {
                var group = imports.Skip(k).Take(2).ToList();
                var inputs = group.SelectMany(c => c.Parcels).ToList();
                var outputCount = Math.Clamp(inputs.Count / 2 / 2 * 2, 4, 24);
                var inflated = inflations > 0 && lots.Count % 7 == 0;
                if (inflated) inflations--;
                var inCarats = inputs.Sum(p => (decimal)p.Carats);
                var outCarats = inflated ? (ulong)(inCarats * 5 / 4) : (ulong)inCarats;
                var weights = Enumerable.Range(0, outputCount).Select(_ => 0.5 + random.NextDouble()).ToArray();
                var carats = ExactSplit(outCarats, weights);
                var values = ExactSplit((ulong)inputs.Sum(p => (decimal)p.ValueUsdCents), carats.Select(c => (double)c).ToArray());
                var origins = inputs.SelectMany(p => p.Origins).Distinct().OrderBy(c => c.Value, StringComparer.Ordinal).ToImmutableArray();
                var performed = group.Max(c => c.Confirmation!.ConfirmedAt) + 5 * Day;
                var seq = lots.Count + 1;
                var outputs = Enumerable.Range(0, outputCount).Select(o => new ParcelRecord($"{hubCode}-LOT-{plan.Year}-{seq:D6}-{o + 1:D2}",
                    participants[hub].Code, origins, "", carats[o], values[o], "7102.31", performed, NewSalt())).ToList();
                var outputDetails = outputs.Select(o => o.DetailsHash()).ToList();
                for (var o = 0; o < outputs.Count; o++) hashes[outputs[o]] = ParcelRecord.HashOf(participants[hub].Code, outputDetails[o]);
                var t = new TransformationRecord($"{hubCode}-SORT-{plan.Year}-{seq:D6}", participants[hub].Code, "sort",
                    [.. inputs.Select(HashOf).Order()], [.. outputs.Select(HashOf)], performed, NewSalt())
                { OutputDetails = [.. outputDetails] };
                var lot = new HubLot { Hub = hub, Transformation = t, Inputs = inputs, Outputs = outputs, Inflated = inflated };
                lots.Add(lot);
                foreach (var half in new[] { outputs.Take(outputCount / 2).ToList(), outputs.Skip(outputCount / 2).ToList() })
                {
                    var importer = IndexOf(random.NextDouble() < 0.7 ? "IN" : hubCode == "AE" ? "EU" : "AE");
                    var c = new YearCertificate
                    {
                        Document = Certificate(HashOf, Number(participants[hub].Code, 'R'), participants[hub], participants[importer], half, performed + 3 * Day, expiry, NewSalt()),
                        Parcels = half,
                        Exporter = hub,
                        Importer = importer,
                        Lot = lot,
                        Attack = inflated ? AttackClass.SplitInflation : null,
                    };
                    c.Confirmation = Confirmation(c, participants[importer], c.Document.Details.IssuedAt + 3 * Day, NewSalt());
                    reExports.Add(c);
                }
            }
        }

        // every certificate signed by its exporting authority (EIP-712), in parallel
        var all = exports.Concat(reExports).ToList();
        var deadline = chainNow + 30 * Day;
        var keys = new ConcurrentDictionary<int, ChainAccount>();
        foreach (var p in participants) keys[p.Authority] = account(p.Authority);
        Parallel.ForEach(all, c => c.Document = CertificateSigner.Sign(c.Document, deadline, keys[participants[c.Exporter].Authority], domain));

        // attacks on documents of genuine certificates
        var genuineExports = exports.Where(c => c.Attack is null && c.Confirmation is not null).OrderBy(_ => random.Next()).ToList();
        var genuineReExports = reExports.Where(c => c.Attack is null).OrderBy(_ => random.Next()).ToList();
        var attacks = new List<AttackDocument>();
        var impostorKey = account(impostor);
        var pick = 0;
        YearCertificate Next() => genuineExports[pick++ % genuineExports.Count];
        for (var n = 0; n < perClass[AttackClass.Forged]; n++)
        {
            var g = Next();
            attacks.Add(new(AttackClass.Forged, g.Document with { Number = Number(g.Document.Exporter, 'X') }, g.Ancestors));
        }
        for (var n = 0; n < perClass[AttackClass.Tampered]; n++)
        {
            var g = Next();
            attacks.Add(new(AttackClass.Tampered, g.Document with
            {
                Authorization = null,
                Details = g.Document.Details with { ValueUsdCents = g.Document.Details.ValueUsdCents * 3 },
            }, g.Ancestors));
        }
        for (var n = 0; n < perClass[AttackClass.SignedAndAltered]; n++)
        {
            var g = Next();
            attacks.Add(new(AttackClass.SignedAndAltered, g.Document with { Details = g.Document.Details with { Carats = g.Document.Details.Carats + 10_000 } }, g.Ancestors));
        }
        for (var n = 0; n < perClass[AttackClass.UnauthorizedSigner]; n++)
        {
            var g = Next();
            attacks.Add(new(AttackClass.UnauthorizedSigner, CertificateSigner.Sign(g.Document with { Authorization = null }, deadline, impostorKey, domain), g.Ancestors));
        }
        for (var n = 0; n < perClass[AttackClass.ReusedParcel]; n++)
        {
            var g = Next();
            var again = Certificate(HashOf, Number(g.Document.Exporter, 'U'), participants[g.Exporter], participants[g.Importer], g.Parcels,
                g.Document.Details.IssuedAt + 20 * Day, expiry, NewSalt());
            attacks.Add(new(AttackClass.ReusedParcel, CertificateSigner.Sign(again, deadline, keys[participants[g.Exporter].Authority], domain), g.Ancestors));
        }
        for (var n = 0; n < perClass[AttackClass.SmuggledParcel]; n++)
        {
            var g = Next();
            var smuggled = new ParcelRecord($"{g.Document.Exporter}-UNREGISTERED-{n + 1:D4}", g.Document.Exporter, [g.Document.Exporter], "unknown",
                80_000, 8_000_000, "7102.10", g.Document.Details.IssuedAt, NewSalt());
            attacks.Add(new(AttackClass.SmuggledParcel, g.Document with
            {
                Parcels = [.. g.Document.Parcels, smuggled.Hash()],
                Details = g.Document.Details with { ParcelCount = g.Document.Details.ParcelCount + 1 },
            }, [.. g.Ancestors, smuggled]));
        }
        for (var n = 0; n < perClass[AttackClass.WrongParents] && genuineReExports.Count > 0; n++)
        {
            var g = genuineReExports[n % genuineReExports.Count];
            var t = g.Lot!.Transformation;
            var stranger = HashOf(genuineExports[(pick++) % genuineExports.Count].Parcels[0]);
            var wrong = t with { Inputs = [.. t.Inputs.Skip(1).Append(stranger).Order()] };
            attacks.Add(new(AttackClass.WrongParents, g.Document, [wrong, .. g.Lot.Inputs, .. g.Lot.Outputs]));
        }
        foreach (var c in all.Where(c => c.Attack is not null))
        {
            attacks.Add(new(c.Attack!.Value, c.Document, c.Ancestors, AnchoredOnPurpose: true));
        }

        return new TradeYear
        {
            Participants = participants,
            OriginParcels = origin,
            Exports = exports,
            Lots = lots,
            ReExports = reExports,
            Attacks = attacks,
            Governance = governance,
            Relayers = relayers,
            Impostor = impostor,
        };
    }

    private static CertificateRecord Certificate(Func<ParcelRecord, Hash32> hashOf, string number, YearParticipant exporter, YearParticipant importer, IReadOnlyList<ParcelRecord> parcels,
        ulong issuedAt, ulong expiresAt, Hash32 salt) =>
        new(number, exporter.Code, importer.Code, expiresAt, [.. parcels.Select(hashOf)],
            new CertificateDetails(issuedAt, $"KP authority of {exporter.Name}", $"Exporter, {exporter.Name}", $"Importer, {importer.Name}", (uint)parcels.Count,
                (ulong)parcels.Sum(p => (decimal)p.Carats), (ulong)parcels.Sum(p => (decimal)p.ValueUsdCents), parcels.Any(p => p.HsCode == "7102.10") ? "7102.10" : "7102.31",
                [.. parcels.SelectMany(p => p.Origins).Distinct().OrderBy(c => c.Value, StringComparer.Ordinal)], salt));

    private static ImportConfirmationRecord Confirmation(YearCertificate c, YearParticipant importer, ulong at, Hash32 salt) =>
        new(c.Document.Number, c.Document.Exporter, c.Document.Importer, (uint)c.Parcels.Count, c.Document.Details.Carats, at, $"KP authority of {importer.Name}", salt);

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> into parts of at least 1 that add up to it exactly.</summary>
    internal static ulong[] ExactSplit(ulong total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var parts = new ulong[weights.Count];
        var spare = (decimal)total - weights.Count;
        if (spare < 0) throw new ArgumentException($"{total} cannot be split into {weights.Count} parts of at least 1", nameof(total));
        ulong given = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = 1 + (ulong)Math.Floor((double)spare * weights[i] / sum);
            given += parts[i];
        }
        for (var i = 0; given < total; i = (i + 1) % parts.Length, given++) parts[i]++;
        for (var i = 0; given > total; i = (i + 1) % parts.Length)
        {
            if (parts[i] > 1)
            {
                parts[i]--;
                given--;
            }
        }
        return parts;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Pick(Random random, IReadOnlyList<(string Code, double Share)> items)
    {
        var x = random.NextDouble() * items.Sum(i => i.Share);
        foreach (var (code, share) in items)
        {
            x -= share;
            if (x <= 0) return code;
        }
        return items[^1].Code;
    }
}
