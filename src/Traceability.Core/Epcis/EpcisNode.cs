namespace Traceability.Core.Epcis;

/// <summary>
/// One element of an event as the hash algorithm sees it: a name, a text value (empty when none) and child
/// elements, the shape of the reference implementation's (name, value, children) triples, which is the EPCIS XML
/// model: a JSON array gives one element a member, a <c>…List</c> property holds elements named without "List".
/// The pre-hash builder consumes the tree: an element written out is removed, so what is left afterwards are
/// the fields the canonical order does not name (the extensions).
/// </summary>
internal sealed class EpcisNode(string name, string value, string path)
{
    /// <summary>The element name: a standard field ("epcList"), an extension as "{namespace}local", or "" for an unnamed group.</summary>
    public string Name { get; set; } = name;

    /// <summary>The element's text, as in the document (numbers as written, booleans as true/false); "" when none.</summary>
    public string Value { get; set; } = value;

    /// <summary>Where it came from in the document, for error messages ("epcisBody.eventList[0].readPoint.id").</summary>
    public string Path { get; } = path;

    /// <summary>The child elements.</summary>
    public List<EpcisNode> Children { get; } = [];

    /// <inheritdoc/>
    public override string ToString() => Children.Count == 0 ? $"{Name}={Value}" : $"{Name}[{Children.Count}]";
}
