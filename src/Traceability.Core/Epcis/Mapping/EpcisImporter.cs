using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Records;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>
/// An EPCIS 2.0 JSON-LD document -> KP records (the inverse of <see cref="EpcisExporter"/>; the mapping is in
/// <see cref="EpcisEventMapper"/>). Every event is named by its Event Hash ID; an event is rejected, with the field
/// that decides, when it cannot be mapped, when its eventID is given and is not its hash, or when it repeats an
/// earlier event (the same eventID or the same hash). The other events still give their records.
/// </summary>
public static class EpcisImporter
{
    /// <summary>The most events one document may hold.</summary>
    public const int MaxEvents = 10_000;

    /// <summary>The events of the document in <paramref name="utf8"/> (at most <see cref="EpcisEventHasher.MaxDocumentBytes"/>), each mapped or rejected.</summary>
    /// <exception cref="EpcisFormatException">The document as a whole cannot be read or hashed (not JSON, not EPCIS, too large, too many events).</exception>
    public static IReadOnlyList<EpcisImportedEvent> Import(byte[] utf8)
    {
        var hashes = EpcisEventHasher.HashDocument(utf8);
        if (hashes.Count > MaxEvents) throw new EpcisFormatException("epcisBody.eventList", $"has {hashes.Count:N0} events; at most {MaxEvents:N0} are imported from one document (split it)");
        using var doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = EpcisDocumentReader.MaxDepth });
        var events = Events(doc.RootElement);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var results = new List<EpcisImportedEvent>(hashes.Count);
        foreach (var h in hashes)
        {
            var (element, path, scope) = events[h.Index];
            var at = path.Length == 0 ? "" : path + ".";
            EpcisMappingException? rejection = null;
            IReadOnlyList<KpRecord> records = [];
            if (byHash.TryGetValue(h.HashId, out var same))
            {
                rejection = new EpcisMappingException(path.Length == 0 ? "event" : path, $"is the same event as event {same} (the same Event Hash ID): an event is imported once");
            }
            else if (h.EventId is { } id && byId.TryGetValue(id, out var earlier))
            {
                rejection = new EpcisMappingException(at + "eventID", $"'{id}' is the eventID of event {earlier} too: event IDs are unique in a document");
            }
            else if (h.EventId is { } given && given.StartsWith("ni:///", StringComparison.Ordinal) && given != h.HashId)
            {
                rejection = new EpcisMappingException(at + "eventID", $"is {given}, but the event's Event Hash ID is {h.HashId}: the event was changed after it was named");
            }
            else
            {
                try
                {
                    records = EpcisEventMapper.Map(new EpcisEventFields(element, path, scope), h.EventType);
                    foreach (var r in records) Readable(r, path);
                }
                catch (EpcisMappingException e)
                {
                    rejection = e;
                }
            }
            byHash.TryAdd(h.HashId, h.Index);
            if (h.EventId is { } name) byId.TryAdd(name, h.Index);
            results.Add(new EpcisImportedEvent(h.Index, h.HashId, records, rejection, element.GetRawText()));
        }
        return results;
    }

    // every record given reads back as a document (the limits and formats of RecordJson: an address, a signature)
    private static void Readable(KpRecord record, string path)
    {
        try
        {
            RecordJson.Parse(RecordJson.Write(record));
        }
        catch (RecordFormatException e)
        {
            throw new EpcisMappingException(path.Length == 0 ? "event" : path, $"gives a {record.Kind.ToJsonName()} record that is not a valid document: {e.Field}: {e.Problem}");
        }
    }

    /// <summary>The event objects of a document the hasher has read (so its shape is known to be sound), with their paths and scopes.</summary>
    private static List<(JsonElement Event, string Path, JsonLdScope Scope)> Events(JsonElement root)
    {
        var scope = JsonLdScope.Of(root.GetProperty("@context"), "@context");
        if (!root.TryGetProperty("epcisBody", out var body)) return [(root, "", scope)];
        if (body.TryGetProperty("event", out var single) && !body.TryGetProperty("eventList", out _) && !body.TryGetProperty("queryResults", out _))
        {
            return [(single, "epcisBody.event", Own(single, "epcisBody.event", scope))];
        }
        var (list, listPath) = body.TryGetProperty("eventList", out var l) ? (l, "epcisBody.eventList")
            : (body.GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList"), "epcisBody.queryResults.resultsBody.eventList");
        return [.. list.EnumerateArray().Select((e, i) => (e, $"{listPath}[{i}]", Own(e, $"{listPath}[{i}]", scope)))];
    }

    private static JsonLdScope Own(JsonElement e, string path, JsonLdScope scope) =>
        e.TryGetProperty("@context", out var own) ? JsonLdScope.Of(own, path + ".@context", scope) : scope;
}
