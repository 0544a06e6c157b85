using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traceability.Core.Records;
using static Traceability.Core.Epcis.Mapping.KpEpcisTerms;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>
/// KP records -> one EPCIS 2.0 JSON-LD EPCISDocument (the mapping table is in the README, "GS1 EPCIS 2.0"):
/// an origin parcel is an ObjectEvent ADD (commissioning, at its mine, its weight in carats), a transformation a
/// TransformationEvent (its output parcels' details with it), a certificate an ObjectEvent OBSERVE (shipping, the
/// certificate as a "cert" business transaction, exporter and importer as owning parties), an import confirmation
/// an ObjectEvent OBSERVE (receiving). Every field a record's hash depends on is in its event (in an EPCIS field or
/// as a <c>kp:</c> extension), so <see cref="EpcisImporter"/> gives back the same records. Each event carries its
/// Event Hash ID as eventID. Deterministic: the same records give the same document (events in time order, the
/// document's creationDate the latest event's time).
/// </summary>
public static class EpcisExporter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The EPCIS document of <paramref name="records"/>, indented JSON ending in a newline.</summary>
    /// <exception cref="ArgumentException">No records, or a time outside what EPCIS can write (after year 9999).</exception>
    public static string Export(IReadOnlyCollection<KpRecord> records)
    {
        if (records.Count == 0) throw new ArgumentException("there are no records to export", nameof(records));
        var known = new Dictionary<Primitives.Hash32, ParcelRecord>();
        foreach (var p in records.OfType<ParcelRecord>()) known.TryAdd(p.Hash(), p);
        var transformations = records.OfType<TransformationRecord>().ToList();
        var carried = transformations.SelectMany(t => t.Outputs).ToHashSet();
        var certificates = records.OfType<CertificateRecord>().GroupBy(c => c.Number).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var depth = Depths(transformations);
        var events = new List<(ulong Time, int Rank, string Key, JsonObject Event)>();
        foreach (var r in records.Distinct())
        {
            switch (r)
            {
                case ParcelRecord p when !carried.Contains(p.Hash()):
                    events.Add((p.RecordedAt, 0, p.Hash().ToString(), EpcisEventWriter.Commissioning(p)));
                    break;
                case TransformationRecord t:
                    events.Add((t.PerformedAt, 1 + depth[t.Hash()], t.Hash().ToString(), EpcisEventWriter.Transforming(t, known)));
                    break;
                case CertificateRecord c:
                    events.Add((c.Details.IssuedAt, int.MaxValue - 1, c.Hash().ToString(), EpcisEventWriter.Shipping(c, known)));
                    break;
                case ImportConfirmationRecord i:
                    events.Add((i.ConfirmedAt, int.MaxValue, i.Hash().ToString(), EpcisEventWriter.Receiving(i, certificates.GetValueOrDefault(i.CertificateNumber), known)));
                    break;
            }
        }
        var ordered = events.OrderBy(e => e.Time).ThenBy(e => e.Rank).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
        var list = new JsonArray([.. ordered.Select(e => (JsonNode)e.Event)]);
        var document = new JsonObject
        {
            ["@context"] = new JsonArray(Gs1Context, new JsonObject { [Prefix] = Namespace }),
            ["type"] = "EPCISDocument",
            ["schemaVersion"] = "2.0",
            ["creationDate"] = Time(ordered[^1].Time),
            ["epcisBody"] = new JsonObject { ["eventList"] = list },
        };
        // the eventID is not part of the hash: hash the events, then name each with its hash
        var hashes = EpcisEventHasher.HashDocument(Encoding.UTF8.GetBytes(document.ToJsonString()));
        for (var i = 0; i < ordered.Count; i++) ordered[i].Event.Insert(1, "eventID", hashes[i].HashId);
        return document.ToJsonString(Indented) + "\n";
    }

    // at the same time, a transformation after those that made its inputs: its depth in the lineage the records hold
    private static Dictionary<Primitives.Hash32, int> Depths(List<TransformationRecord> transformations)
    {
        var producer = new Dictionary<Primitives.Hash32, Primitives.Hash32>();
        foreach (var t in transformations) foreach (var o in t.Outputs) producer.TryAdd(o, t.Hash());
        var byHash = transformations.DistinctBy(t => t.Hash()).ToDictionary(t => t.Hash());
        var depth = new Dictionary<Primitives.Hash32, int>();
        int Of(Primitives.Hash32 h, int guard)
        {
            if (depth.TryGetValue(h, out var d)) return d;
            if (guard > byHash.Count) return 0; // a cycle (impossible on-chain): no order to keep
            d = 1 + byHash[h].Inputs.Select(i => producer.TryGetValue(i, out var p) && p != h ? Of(p, guard + 1) : 0).DefaultIfEmpty(0).Max();
            return depth[h] = d;
        }
        foreach (var h in byHash.Keys) Of(h, 0);
        return depth;
    }
}
