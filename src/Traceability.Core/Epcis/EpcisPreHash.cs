using System.Text;

namespace Traceability.Core.Epcis;

/// <summary>
/// The canonical pre-hash string of one event (CBV 2.0, EPCIS Event Hash ID), a port of the reference
/// implementation's <c>hash_generator</c> (github.com/RalphTro/epcis-event-hash-generator, at the release its
/// example vectors in data/epcis/hash-vectors come from):
/// <list type="number">
/// <item>"eventType=" and the event type;</item>
/// <item>the standard fields in the canonical property order (<see cref="Order"/>), each as "name=value", or as its
/// name followed by its children in their own order; elements repeated under one name (the epcs of an epcList, the
/// sensorReports of a sensorElement) are sorted by their strings; empty fields are left out;</item>
/// <item>inside a standard field (readPoint, a sensorElement, a quantityElement…), its user extensions right after
/// its standard children, sorted;</item>
/// <item>then everything the order does not name, sorted by string: the event's user extensions, ilmd, and the
/// bizTransactionList, sourceList and destinationList (written as type-then-value pairs, so "destinationList…"
/// comes before "sourceList…"); recordTime, eventID and errorDeclaration are not part of the hash.</item>
/// </list>
/// Names and values are concatenated with nothing between them. Timestamps follow <see cref="EpcisTimestamp"/>, all
/// other values <see cref="EpcisValue"/>. Sorting is by code point (<see cref="CodePointComparer"/>).
/// </summary>
internal static class EpcisPreHash
{
    /// <summary>One entry of the canonical property order: a field name and, for a field with children, their order.</summary>
    internal sealed record Field(string Name, params Field[] Children);

    private static readonly Field[] Quantity = [new("quantityElement", new("epcClass"), new("quantity"), new("uom"))];

    /// <summary>
    /// The canonical property order (the reference's PROP_ORDER of that release). bizTransactionList, sourceList and
    /// destinationList are not in it: the reference lists them with a child order that matches nothing, so their
    /// pairs always end up with the extensions.
    /// </summary>
    internal static readonly Field[] Order =
    [
        new("eventTime"),
        new("eventTimeZoneOffset"),
        new("certificationInfo"),
        new("parentID"),
        new("epcList", new Field("epc")),
        new("inputEPCList", new Field("epc")),
        new("childEPCs", new Field("epc")),
        new("quantityList", Quantity),
        new("childQuantityList", Quantity),
        new("inputQuantityList", Quantity),
        new("outputEPCList", new Field("epc")),
        new("outputQuantityList", Quantity),
        new("action"),
        new("transformationID"),
        new("bizStep"),
        new("disposition"),
        new("persistentDisposition", new("set"), new("unset")),
        new("readPoint", new Field("id")),
        new("bizLocation", new Field("id")),
        new("sensorElementList", new Field("sensorElement",
            new("sensorMetadata", new("time"), new("startTime"), new("endTime"), new("deviceID"), new("deviceMetadata"), new("rawData"),
                new("dataProcessingMethod"), new("bizRules")),
            new("sensorReport", new("type"), new("exception"), new("deviceID"), new("deviceMetadata"), new("rawData"), new("dataProcessingMethod"),
                new("time"), new("microorganism"), new("chemicalSubstance"), new("value"), new("component"), new("stringValue"), new("booleanValue"),
                new("hexBinaryValue"), new("uriValue"), new("minValue"), new("maxValue"), new("meanValue"), new("sDev"), new("percRank"),
                new("percValue"), new("uom"), new("coordinateReferenceSystem")))),
    ];

    // Top-level fields never hashed: when the event was recorded, its id (often the hash itself), a later error declaration.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "recordTime", "eventID", "type", "errorDeclaration" };

    /// <summary>
    /// How many characters of canonical values a document's pre-hash strings may hold in all: numbers are written out
    /// ("1e999" gives 1,000 digits), so a small document could otherwise ask for gigabytes.
    /// </summary>
    internal sealed class Budget(long characters)
    {
        private long _spent;

        /// <summary>Counts <paramref name="text"/> against the budget.</summary>
        /// <exception cref="EpcisFormatException">The budget is spent.</exception>
        public void Spend(string text, string field)
        {
            _spent += text.Length;
            if (_spent > characters) throw new EpcisFormatException(field, $"makes the document's values expand to more than {characters:N0} characters once written out canonically (numbers with large exponents): too large to hash");
        }
    }

    /// <summary>The pre-hash string of an event read by <see cref="EpcisDocumentReader"/> (its tree is consumed).</summary>
    public static string Of(EpcisDocumentReader.Event e, Budget budget)
    {
        var sb = new StringBuilder("eventType=").Append(e.Type);
        sb.Append(InOrder(e.Root.Children, Order, budget));
        sb.Append(Remaining(e.Root.Children.Where(c => !Ignored.Contains(c.Name)).ToList(), budget));
        return sb.ToString();
    }

    // The reference's _recurse_through_children_in_order: writes the children the order names, removing each one
    // written out entirely; the level's user extensions are written after them.
    private static string InOrder(List<EpcisNode> children, IReadOnlyList<Field> order, Budget budget)
    {
        var sb = new StringBuilder();
        var extensions = UserExtensions(children);
        foreach (var field in order)
        {
            var values = new List<string>();
            var written = new HashSet<EpcisNode>(ReferenceEqualityComparer.Instance);
            foreach (var child in children.Where(c => c.Name == field.Name).ToList())
            {
                var text = Element(child, field.Children, budget);
                if (text.Length > 0) values.Add(text);
                if (child.Children.Count == 0) written.Add(child);
            }
            // removed at once: one Remove a child made a list of a million EPCs take an hour
            if (written.Count > 0) children.RemoveAll(written.Contains);
            values.Sort(CodePointComparer.Instance);
            foreach (var v in values) sb.Append(v);
        }
        if (extensions.Count > 0) sb.Append(Remaining(extensions, budget));
        return sb.ToString();
    }

    // One element: "name=value" and/or its children in their order; "" when it has neither.
    private static string Element(EpcisNode node, IReadOnlyList<Field> order, Budget budget)
    {
        var children = order.Count > 0 ? InOrder(node.Children, order, budget) : "";
        var text = node.Value.Trim();
        if (text.Length > 0)
        {
            // the reference treats a field whose name holds "time" (but not "offset") as a timestamp: eventTime, time, startTime, endTime
            text = IsTimestamp(node.Name) ? EpcisTimestamp.Canonical(text, node.Path) : EpcisValue.Canonical(text, node.Path);
            budget.Spend(text, node.Path);
            if (text.Length > 0) text = "=" + text;
        }
        return text.Length > 0 || children.Length > 0 ? node.Name + text + children : "";
    }

    internal static bool IsTimestamp(string name) =>
        name.Contains("time", StringComparison.OrdinalIgnoreCase) && !name.Contains("offset", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The user extensions of a standard field (the reference's <c>_gather_user_extensions</c>), taken out to be written
    /// right after its standard children: elements named "{namespace/}local". As in the reference, none are taken at a
    /// level with a single element, nor at the event's own level (recognised by an element whose name holds
    /// "eventTime" or "action"): those are written with the rest at the end.
    /// </summary>
    private static List<EpcisNode> UserExtensions(List<EpcisNode> children)
    {
        if (children.Count <= 1) return [];
        if (children.Any(c => c.Name.Contains("eventTime", StringComparison.Ordinal) || c.Name.Contains("action", StringComparison.Ordinal))) return [];
        var extensions = children.Where(c => c.Name.Contains('{', StringComparison.Ordinal) && c.Name.Contains("/}", StringComparison.Ordinal)).ToList();
        foreach (var e in extensions) children.Remove(e);
        return extensions;
    }

    /// <summary>
    /// Elements the order does not name, written generically (the reference's <c>_generic_child_list_to_prehash_string</c>):
    /// "name=value" followed by the children, the list sorted by string, except a type-then-value pair of a
    /// bizTransaction, source or destination, kept in its order.
    /// </summary>
    private static string Remaining(List<EpcisNode> children, Budget budget)
    {
        var values = new List<string>(children.Count);
        foreach (var child in children)
        {
            var text = child.Value.Trim();
            if (text.Length > 0)
            {
                text = "=" + EpcisValue.Canonical(text, child.Path);
                budget.Spend(text, child.Path);
            }
            values.Add(child.Name + text + Remaining(child.Children, budget));
        }
        if (values.Count > 1 && !children.Any(c => c.Name is "bizTransaction" or "source" or "destination")) values.Sort(CodePointComparer.Instance);
        return string.Concat(values);
    }
}
