using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Index;

namespace Traceability.Lab.Statistics;

/// <summary>
/// The Working Group's tables from an index (what is on chain: which parcels are origin parcels, which
/// certificates were issued, confirmed, voided) and the documents a participant holds (weights and
/// values, which the chain never sees). A document counts only when the index holds its record with
/// the same hash; its period is its own date (a parcel's recordedAt, a certificate's issuedAt, a
/// confirmation's confirmedAt), as the KP counts by the certificate's date. Only aggregates come out.
/// </summary>
public static class TradeStatistics
{
    /// <summary>Computes the tables from the index at <paramref name="store"/> and every *.json and *.jsonl document under <paramref name="documents"/>.</summary>
    public static StatisticsReport Compute(IndexStore store, string documents, PublicFigures figures, StatisticsOptions options)
    {
        var chain = ChainFacts.Read(store);
        var production = new Dictionary<(string, Period), Flow>();
        var exports = new Dictionary<(string, Period), Flow>();
        var imports = new Dictionary<(string, Period), Flow>();
        var certificates = new Dictionary<(string, Hash32), CertificateRecord>();
        var confirmations = new Dictionary<(string, Hash32), ImportConfirmationRecord>();
        int files = 0, parsed = 0, counted = 0, notOnChain = 0, altered = 0, voided = 0, skipped = 0;
        void Add(Dictionary<(string, Period), Flow> table, string code, ulong time, ulong centicarats, ulong cents)
        {
            var key = (code, Period.HalfOf(time));
            table[key] = table.GetValueOrDefault(key, Flow.Zero).Plus(centicarats / 100m, cents / 100m);
        }

        foreach (var record in DocumentFolder.Read(documents, () => files++, () => skipped++))
        {
            parsed++;
            switch (record)
            {
                case ParcelRecord p:
                    var hash = p.Hash();
                    if (chain.Origins.TryGetValue(hash, out var holder) && holder == p.Participant.Value)
                    {
                        Add(production, holder, p.RecordedAt, p.Carats, p.ValueUsdCents);
                        counted++;
                    }
                    else if (!chain.Derived.Contains(hash)) notOnChain++;
                    break;
                case CertificateRecord c:
                    var key = (c.Exporter.Value, c.NumberHash);
                    if (!chain.Certificates.TryGetValue(key, out var issued)) notOnChain++;
                    else if (issued.Hash != c.Hash()) altered++;
                    else if (chain.Voided.Contains(key)) voided++;
                    else if (certificates.TryAdd(key, c))
                    {
                        Add(exports, c.Exporter.Value, c.Details.IssuedAt, c.Details.Carats, c.Details.ValueUsdCents);
                        counted++;
                    }
                    break;
                case ImportConfirmationRecord f:
                    var of = (f.Exporter.Value, Keccak.Hash(f.CertificateNumber));
                    if (!chain.Confirmations.TryGetValue(of, out var confirmed)) notOnChain++;
                    else if (confirmed != f.Hash()) altered++;
                    else if (chain.Voided.Contains(of)) voided++;
                    else if (confirmations.TryAdd(of, f)) counted++;
                    break;
                default:
                    break; // transformations: the index already knows their parcels
            }
        }

        // imports: what the importer confirmed (weight as confirmed when its confirmation is held, else as certified; value as certified)
        var mirror = new Dictionary<(string, string, int), (Flow Exported, Flow Confirmed, int Unconfirmed)>();
        foreach (var (key, importer) in chain.Confirmations.Keys.Select(k => (k, chain.Importers[k])))
        {
            if (chain.Voided.Contains(key)) continue;
            var cert = certificates.GetValueOrDefault(key);
            var conf = confirmations.GetValueOrDefault(key);
            if (cert is null && conf is null) continue;
            var centicarats = conf?.Carats ?? cert!.Details.Carats;
            var time = conf?.ConfirmedAt ?? cert!.Details.IssuedAt;
            Add(imports, importer, time, centicarats, cert?.Details.ValueUsdCents ?? 0);
            var m = (key.Item1, importer, Period.HalfOf(time).Year);
            var line = mirror.GetValueOrDefault(m, (Exported: Flow.Zero, Confirmed: Flow.Zero, Unconfirmed: 0));
            mirror[m] = line with { Confirmed = line.Confirmed.Plus(centicarats / 100m, (cert?.Details.ValueUsdCents ?? 0) / 100m) };
        }
        foreach (var (key, c) in certificates)
        {
            var m = (c.Exporter.Value, c.Importer.Value, Period.HalfOf(c.Details.IssuedAt).Year);
            var line = mirror.GetValueOrDefault(m, (Exported: Flow.Zero, Confirmed: Flow.Zero, Unconfirmed: 0));
            mirror[m] = line with
            {
                Exported = line.Exported.Plus(c.Details.Carats / 100m, c.Details.ValueUsdCents / 100m),
                Unconfirmed = line.Unconfirmed + (chain.Confirmations.ContainsKey(key) ? 0 : 1),
            };
        }

        bool InYear(Period p) => options.Year is not { } y || p.Year == y;
        var periods = production.Keys.Concat(exports.Keys).Concat(imports.Keys).Where(k => InYear(k.Item2)).ToList();
        var lines = new List<ParticipantLine>();
        foreach (var code in periods.Select(k => k.Item1).Distinct().Order(StringComparer.Ordinal))
        {
            var halves = periods.Where(k => k.Item1 == code).Select(k => k.Item2).Distinct().ToList();
            foreach (var year in halves.Select(h => h.Year).Distinct().Order())
            {
                Flow Sum(Dictionary<(string, Period), Flow> t, int? half) =>
                    t.Where(e => e.Key.Item1 == code && e.Key.Item2.Year == year && (half is null || e.Key.Item2.Half == half)).Aggregate(Flow.Zero, (a, e) => a.Plus(e.Value));
                lines.Add(new ParticipantLine(code, new Period(year, 0), Sum(production, null), Sum(exports, null), Sum(imports, null), figures.ProductionOf(code, year)));
                foreach (var half in new[] { 1, 2 })
                {
                    if (halves.Contains(new Period(year, half))) lines.Add(new ParticipantLine(code, new Period(year, half), Sum(production, half), Sum(exports, half), Sum(imports, half), null));
                }
            }
        }
        var totals = lines.GroupBy(l => l.Period).OrderBy(g => g.Key)
            .Select(g => new ParticipantLine("ALL", g.Key, g.Aggregate(Flow.Zero, (a, l) => a.Plus(l.Production)), g.Aggregate(Flow.Zero, (a, l) => a.Plus(l.Exports)),
                g.Aggregate(Flow.Zero, (a, l) => a.Plus(l.Imports)), null)).ToList();

        var mirrorLines = mirror.Where(m => options.Year is not { } y || m.Key.Item3 == y)
            .Select(m =>
            {
                var (exported, confirmedFlow, unconfirmed) = m.Value;
                var difference = exported.Carats - confirmedFlow.Carats;
                var larger = Math.Max(exported.Carats, confirmedFlow.Carats);
                var flagged = unconfirmed > 0 || (larger > 0 && Math.Abs(difference) > options.MirrorTolerance * larger);
                return new MirrorLine(m.Key.Item1, m.Key.Item2, m.Key.Item3, exported, confirmedFlow, unconfirmed, difference, flagged);
            })
            .OrderBy(m => m.Year).ThenBy(m => m.Exporter, StringComparer.Ordinal).ThenBy(m => m.Importer, StringComparer.Ordinal).ToList();

        var outliers = new List<ValuationOutlier>();
        foreach (var c in certificates.Values)
        {
            var year = Period.HalfOf(c.Details.IssuedAt).Year;
            if (options.Year is { } y && y != year) continue;
            if (c.Details.Carats == 0 || figures.AveragePrice(c.Exporter.Value, year) is not { } average || average.UsdPerCarat <= 0) continue;
            var price = c.Details.ValueUsdCents / (decimal)c.Details.Carats; // cents per centicarat = US$/ct
            var ratio = price / average.UsdPerCarat;
            if (ratio > options.OutlierFactor || ratio < 1 / options.OutlierFactor)
            {
                outliers.Add(new ValuationOutlier(c.Exporter.Value, c.Importer.Value, c.NumberHash.ToString(), year, c.Details.Carats / 100m, c.Details.ValueUsdCents / 100m,
                    Math.Round(price, 2), average.UsdPerCarat, average.Year, Math.Round(ratio, 3)));
            }
        }
        outliers.Sort((a, b) => Math.Abs(Math.Log((double)b.Ratio)).CompareTo(Math.Abs(Math.Log((double)a.Ratio))));

        return new StatisticsReport(options.Year, new StatisticsInputs(files, parsed, counted, notOnChain, altered, voided, skipped, chain.IndexedTo),
            lines, totals, mirrorLines, outliers, options);
    }

    /// <summary>What the index says, loaded once: origin and derived parcels, certificates, confirmations, voids.</summary>
    private sealed class ChainFacts
    {
        public Dictionary<Hash32, string> Origins { get; } = [];
        public HashSet<Hash32> Derived { get; } = [];
        public Dictionary<(string, Hash32), (Hash32 Hash, string Importer)> Certificates { get; } = [];
        public Dictionary<(string, Hash32), Hash32> Confirmations { get; } = [];
        public Dictionary<(string, Hash32), string> Importers { get; } = [];
        public HashSet<(string, Hash32)> Voided { get; } = [];
        public ulong IndexedTo { get; private set; }

        public static ChainFacts Read(IndexStore store)
        {
            var facts = new ChainFacts { IndexedTo = store.LastIndexed?.Number ?? 0 };
            // what kp index writes: 32-byte hashes and participant codes ("" for a code it could not decode); anything else is a crafted or altered file, whose
            // text would otherwise reach the CSV files (a spreadsheet formula), the charts and the report
            Hash32 H(object o) => o is byte[] { Length: 32 } b ? Hash32.FromBytes(b)
                : throw new IndexFileException($"{store.Path} holds a hash that is not 32 bytes (the file was altered): index again into a new file");
            string C(object o) => o is string s && (s.Length == 0 || ParticipantCode.TryParse(s, out _)) ? s
                : throw new IndexFileException($"{store.Path} holds '{Cut(o)}' where a participant code belongs (the file was altered): index again into a new file");
            using (var cmd = store.Command("SELECT hash, participant, transformation IS NULL FROM parcels"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    if (r.GetBoolean(2)) facts.Origins[H(r[0])] = C(r[1]);
                    else facts.Derived.Add(H(r[0]));
                }
            }
            using (var cmd = store.Command("SELECT exporter, number_hash, certificate_hash, importer FROM certificates"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) facts.Certificates[(C(r[0]), H(r[1]))] = (H(r[2]), C(r[3]));
            }
            using (var cmd = store.Command("SELECT exporter, number_hash, confirmation_hash, importer FROM confirmations"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var key = (C(r[0]), H(r[1]));
                    facts.Confirmations[key] = H(r[2]);
                    facts.Importers[key] = C(r[3]);
                }
            }
            using (var cmd = store.Command("SELECT exporter, number_hash FROM voids"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) facts.Voided.Add((C(r[0]), H(r[1])));
            }
            return facts;
        }

        private static string Cut(object o) => o.ToString() is { } s ? s.Length <= 40 ? s : s[..40] + "…" : "";
    }
}
