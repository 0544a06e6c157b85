using System.Text.Json;
using Traceability.Core.Json;

namespace Traceability.Core.Epcis;

/// <summary>
/// Reads the events of an EPCIS 2.0 JSON-LD document into the element trees the hash algorithm works on
/// (<see cref="EpcisNode"/>): the events of <c>epcisBody.eventList</c> (an EPCISDocument),
/// <c>epcisBody.queryResults.resultsBody.eventList</c> (an EPCISQueryDocument) or <c>epcisBody.event</c>, or a
/// bare event (a JSON-LD object whose type is an event type). Keys and vocabulary values are expanded with the
/// document's JSON-LD context (<see cref="JsonLdScope"/>); the JSON shape is then turned into the EPCIS XML shape
/// the algorithm is defined on, as the reference implementation's <c>json_to_py</c> and
/// <c>json_xml_model_mismatch_correction</c> do (see <see cref="ToXmlModel"/>).
/// </summary>
internal static class EpcisDocumentReader
{
    /// <summary>The deepest nesting of JSON accepted (an EPCIS event is a few levels deep; extensions may add some).</summary>
    public const int MaxDepth = 64;

    /// <summary>The event types of EPCIS 2.0.</summary>
    public static readonly IReadOnlySet<string> EventTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent",
    };

    /// <summary>One event read: its place in the document, type, eventID (if any) and element tree.</summary>
    public sealed record Event(int Index, string Path, string Type, string? EventId, EpcisNode Root);

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The events of the document in <paramref name="utf8"/>, in document order.</summary>
    /// <exception cref="EpcisFormatException">Not JSON, not an EPCIS document or event, no events, or an event that cannot be read.</exception>
    public static IReadOnlyList<Event> Read(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length == 0) throw new EpcisFormatException("document", "is empty");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new EpcisFormatException("document", $"is not valid JSON at {JsonErrorText.Describe(e)}");
        }
        using (doc)
        {
            try
            {
                return ReadRoot(doc.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                // text the JSON reader cannot decode (an invalid escape, a lone surrogate) is a format error, not a crash
                throw new EpcisFormatException("document", $"is not a readable JSON document ({e.Message})");
            }
        }
    }

    private static IReadOnlyList<Event> ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new EpcisFormatException("document", "is not a JSON object: an EPCIS document or event is one");
        RefuseDuplicates(root, "");
        var scope = root.TryGetProperty("@context", out var context)
            ? JsonLdScope.Of(context, "@context")
            : throw new EpcisFormatException("@context", "is missing: an EPCIS 2.0 JSON-LD document names the GS1 EPCIS context");
        if (!root.TryGetProperty("epcisBody", out var body))
        {
            if (root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && EventTypes.Contains(t.GetString()!))
            {
                return [ReadEvent(root, 0, "", scope)];
            }
            throw new EpcisFormatException("epcisBody", "is missing: the document is neither an EPCIS document nor an EPCIS event (a type such as ObjectEvent)");
        }
        if (body.ValueKind != JsonValueKind.Object) throw new EpcisFormatException("epcisBody", "is not an object");
        RefuseDuplicates(body, "epcisBody"); // two event lists: one parser would read the first, another the last
        JsonElement list;
        string listPath;
        if (body.TryGetProperty("eventList", out list)) listPath = "epcisBody.eventList";
        else if (body.TryGetProperty("queryResults", out var results))
        {
            listPath = "epcisBody.queryResults.resultsBody.eventList";
            if (results.ValueKind != JsonValueKind.Object || !results.TryGetProperty("resultsBody", out var resultsBody)
                || resultsBody.ValueKind != JsonValueKind.Object || !resultsBody.TryGetProperty("eventList", out list))
            {
                throw new EpcisFormatException(listPath, "is missing");
            }
            RefuseDuplicates(results, "epcisBody.queryResults");
            RefuseDuplicates(resultsBody, "epcisBody.queryResults.resultsBody");
        }
        else if (body.TryGetProperty("event", out var single))
        {
            return [ReadEvent(single, 0, "epcisBody.event", scope)];
        }
        else throw new EpcisFormatException("epcisBody.eventList", "is missing: the document has no events");
        if (list.ValueKind != JsonValueKind.Array) throw new EpcisFormatException(listPath, "is not an array");
        var events = list.EnumerateArray().Select((e, i) => ReadEvent(e, i, $"{listPath}[{i}]", scope)).ToList();
        if (events.Count == 0) throw new EpcisFormatException(listPath, "is empty: the document has no events");
        return events;
    }

    private static Event ReadEvent(JsonElement e, int index, string path, JsonLdScope scope)
    {
        var at = path.Length == 0 ? "" : path + ".";
        if (e.ValueKind != JsonValueKind.Object) throw new EpcisFormatException(path.Length == 0 ? "document" : path, "is not an event (a JSON object)");
        RefuseDuplicates(e, path);
        if (e.TryGetProperty("@context", out var own)) scope = JsonLdScope.Of(own, at + "@context", scope);
        if (!e.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new EpcisFormatException(at + "type", "is missing: every event has a type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent)");
        }
        var type = typeElement.GetString()!;
        if (!EventTypes.Contains(type))
        {
            throw new EpcisFormatException(at + "type", $"'{type}' is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent)");
        }
        if (!e.TryGetProperty("eventTime", out var time) || time.ValueKind != JsonValueKind.String)
        {
            throw new EpcisFormatException(at + "eventTime", "is missing: every EPCIS event has an eventTime (a date-time with an offset)");
        }
        string? eventId = e.TryGetProperty("eventID", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var root = new EpcisNode(type, "", path);
        AddMembers(root, e, path, scope);
        ToXmlModel(root);
        return new Event(index, path, type, eventId, root);
    }

    // Keys the reference skips: comments (JSON-LD and XML-derived), and the element text an XML conversion keeps apart.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "#text", "rdfs:comment", "comment", "@context" };

    // The members of a JSON object as child elements: a key with an array value gives one element a member (EPCIS XML repeats elements).
    private static void AddMembers(EpcisNode node, JsonElement obj, string path, JsonLdScope scope)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (Skipped.Contains(p.Name) || p.Name.StartsWith("@xmlns", StringComparison.Ordinal)) continue;
            var name = scope.ExpandKey(p.Name);
            var at = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
            var inner = scope.Enter(p.Name);
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in p.Value.EnumerateArray()) node.Children.Add(Element(name, p.Name, item, $"{at}[{i++}]", scope, inner));
            }
            else node.Children.Add(Element(name, p.Name, p.Value, at, scope, inner));
        }
    }

    private static EpcisNode Element(string name, string key, JsonElement value, string path, JsonLdScope scope, JsonLdScope inner)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    RefuseDuplicates(value, path);
                    var text = value.TryGetProperty("#text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                    var node = new EpcisNode(name, text, path);
                    AddMembers(node, value, path, inner);
                    return node;
                }
            case JsonValueKind.Array:
                {
                    // an array in an array: an unnamed element holding unnamed members, as the reference makes it
                    var node = new EpcisNode(name, "", path);
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) node.Children.Add(Element("", key, item, $"{path}[{i++}]", scope, inner));
                    return node;
                }
            case JsonValueKind.String:
                return new EpcisNode(name, scope.ExpandValue(key, value.GetString()!), path);
            case JsonValueKind.Number:
                return new EpcisNode(name, value.GetRawText(), path); // as written; canonicalised with the other values
            case JsonValueKind.True:
                return new EpcisNode(name, "true", path); // as in XML (xsd:boolean)
            case JsonValueKind.False:
                return new EpcisNode(name, "false", path);
            default:
                return new EpcisNode(name, "", path); // null: an element without a value
        }
    }

    // Duplicate keys would make the event ambiguous (JSON parsers keep one or the other): refused.
    private static void RefuseDuplicates(JsonElement obj, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw new EpcisFormatException(path.Length == 0 ? p.Name : $"{path}.{p.Name}", "appears twice in the same object");
        }
    }

    /// <summary>
    /// The JSON shape turned into the EPCIS XML shape, at every level (the reference's <c>deep_structure_correction</c>):
    /// <list type="bullet">
    /// <item>the elements of a property named "…List" are grouped under one "…List" element and named without "List"
    /// (epcList: epc, epc; sensorElementList: sensorElement; an extension "{ns}fooList" likewise);</item>
    /// <item>childEPCs: one childEPCs element holding epc elements;</item>
    /// <item>inputEPC and outputEPC are named epc; inputQuantity, outputQuantity, childQuantity, and a quantity with
    /// children (an element of quantityList), quantityElement;</item>
    /// <item>readPoint and bizLocation written as a plain string get their XML child "id";</item>
    /// <item>an element of bizTransactionList, sourceList or destinationList becomes an unnamed pair: its type first,
    /// then its value (bizTransaction, source, destination), then any other member; such a pair is never sorted
    /// inside, which is how the reference writes them ("bizTransactionListtype=…BTT-pobizTransaction=…").</item>
    /// </list>
    /// </summary>
    internal static void ToXmlModel(EpcisNode node)
    {
        var lists = node.Children.Where(c => c.Name.EndsWith("List", StringComparison.Ordinal)).ToList();
        var groups = new Dictionary<string, EpcisNode>(StringComparer.Ordinal);
        node.Children.RemoveAll(c => c.Name.EndsWith("List", StringComparison.Ordinal)); // at once: one Remove an element is quadratic in a long list
        foreach (var element in lists)
        {
            if (!groups.TryGetValue(element.Name, out var group))
            {
                var at = element.Path.EndsWith(']') ? element.Path[..element.Path.LastIndexOf('[')] : element.Path;
                groups[element.Name] = group = new EpcisNode(element.Name, "", at);
            }
            element.Name = element.Name[..^4];
            group.Children.Add(element);
        }
        node.Children.AddRange(groups.Values);
        var childEpcs = node.Children.Where(c => c.Name == "childEPCs").ToList();
        if (childEpcs.Count > 0)
        {
            var group = new EpcisNode("childEPCs", "", childEpcs[0].Path.Split('[')[0]);
            node.Children.RemoveAll(c => c.Name == "childEPCs");
            foreach (var c in childEpcs)
            {
                var epc = new EpcisNode("epc", c.Value, c.Path);
                epc.Children.AddRange(c.Children);
                group.Children.Add(epc);
            }
            node.Children.Add(group);
        }
        foreach (var child in node.Children) ToXmlModel(child);
        foreach (var child in node.Children) Rename(child);
        if (node.Name is "bizTransactionList" or "sourceList" or "destinationList")
        {
            foreach (var element in node.Children) MakePair(element);
        }
    }

    private static void Rename(EpcisNode node)
    {
        switch (node.Name)
        {
            case "inputEPC" or "outputEPC":
                node.Name = "epc";
                break;
            case "inputQuantity" or "outputQuantity" or "childQuantity":
            case "quantity" when node.Children.Count > 0:
                node.Name = "quantityElement";
                break;
            case "readPoint" or "bizLocation" when node.Children.Count == 0 && node.Value.Length > 0:
                node.Children.Add(new EpcisNode("id", node.Value, node.Path));
                node.Value = "";
                break;
        }
    }

    // bizTransaction {type, bizTransaction}: the pair (type, value) first, the rest after in code point order
    private static void MakePair(EpcisNode element)
    {
        var valueName = element.Name; // bizTransaction, source or destination
        element.Name = "";
        var type = element.Children.Where(c => c.Name == "type");
        var value = element.Children.Where(c => c.Name == valueName);
        var rest = element.Children.Where(c => c.Name != "type" && c.Name != valueName).OrderBy(c => c.Name, CodePointComparer.Instance);
        var ordered = type.Concat(value).Concat(rest).ToList();
        element.Children.Clear();
        element.Children.AddRange(ordered);
    }
}
