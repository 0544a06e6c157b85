using System.Text.Json;

namespace Traceability.Core.Epcis;

/// <summary>
/// The part of JSON-LD the event hash needs, offline: the terms in force at a point of the document (the GS1 EPCIS
/// 2.0 context, the document's own context objects, and the contexts the GS1 context scopes to a property), so that
/// (1) an extension's key "example:myField" is written "{https://ns.example.com/epcis/}myField" with the namespace
/// the document declares, and (2) a bare CBV word in a vocabulary-typed field ("bizStep": "shipping", a
/// bizTransaction "type": "po", a sensor "type": "Temperature") is written as its web URI. The GS1 context URL
/// resolves to the embedded copy of data/epcis/epcis-context.jsonld; its CBV sub-contexts to <see cref="CbvVocabularies"/>;
/// any other remote context is refused, since the hash would depend on what it says.
/// </summary>
internal sealed class JsonLdScope
{
    /// <summary>The URLs of the GS1 EPCIS 2.0 context (the one of the standard, and its older addresses).</summary>
    public static readonly IReadOnlySet<string> Gs1ContextUrls = new HashSet<string>(StringComparer.Ordinal)
    {
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "https://gs1.github.io/EPCIS/epcis-context.jsonld",
    };

    /// <summary>
    /// The namespaces of the CBV and GS1 web vocabularies: a vocabulary value is replaced by its expansion only when
    /// it falls in one of them (as the reference does), so "action": "OBSERVE" (an EPCIS term) stays a bare word.
    /// </summary>
    private static readonly string[] VocabularyNamespaces = ["https://ref.gs1.org/cbv/", "https://gs1.org/voc/", "https://ref.gs1.org/voc/"];

    /// <summary>A term: what it maps to (an IRI, a CURIE or a keyword), its type coercion, and the context it scopes.</summary>
    private sealed record Term(string? Iri, string? Type, JsonElement? Scoped);

    private readonly Dictionary<string, Term> _terms;

    private JsonLdScope(Dictionary<string, Term> terms) => _terms = terms;

    private static readonly Lazy<(JsonDocument Document, JsonLdScope Scope)> Gs1 = new(LoadGs1);

    /// <summary>The GS1 EPCIS 2.0 context alone.</summary>
    public static JsonLdScope Gs1Context => Gs1.Value.Scope;

    private static (JsonDocument, JsonLdScope) LoadGs1()
    {
        using var stream = typeof(JsonLdScope).Assembly.GetManifestResourceStream("Traceability.Core.Epcis.epcis-context.jsonld")
            ?? throw new InvalidOperationException("the GS1 EPCIS context is not embedded in Traceability.Core");
        var document = JsonDocument.Parse(stream);
        var scope = new JsonLdScope(new Dictionary<string, Term>(StringComparer.Ordinal));
        scope.Merge(document.RootElement.GetProperty("@context"), "@context", protect: false);
        return (document, scope);
    }

    /// <summary>The scope of a document whose "@context" is <paramref name="context"/>: the GS1 context and the document's own definitions.</summary>
    /// <param name="context">The value of "@context": a URL, an object, or an array of them.</param>
    /// <param name="field">Its path, named in errors.</param>
    /// <param name="outer">The scope it is declared in (the GS1 context alone for a document).</param>
    /// <exception cref="EpcisFormatException">A context that cannot be resolved offline, or one redefining a GS1 term.</exception>
    public static JsonLdScope Of(JsonElement context, string field, JsonLdScope? outer = null)
    {
        var scope = (outer ?? Gs1Context).Copy();
        var hasGs1 = outer is not null;
        var items = context.ValueKind == JsonValueKind.Array ? context.EnumerateArray().ToList() : [context];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = context.ValueKind == JsonValueKind.Array ? $"{field}[{i}]" : field;
            switch (item.ValueKind)
            {
                case JsonValueKind.String when Gs1ContextUrls.Contains(item.GetString()!):
                    hasGs1 = true;
                    break;
                case JsonValueKind.String:
                    throw new EpcisFormatException(at, $"the context '{Cut(item.GetString()!)}' cannot be resolved offline: only the GS1 EPCIS 2.0 context "
                        + "(https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld) and context objects in the document are known");
                case JsonValueKind.Object:
                    scope.Merge(item, at, protect: true);
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    throw new EpcisFormatException(at, "a context is a URL or an object");
            }
        }
        if (!hasGs1)
        {
            throw new EpcisFormatException(field, "does not name the GS1 EPCIS 2.0 context (https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld)");
        }
        return scope;
    }

    /// <summary>The scope inside the value of property <paramref name="key"/>: this one with the context the property scopes, if any.</summary>
    public JsonLdScope Enter(string key)
    {
        if (!_terms.TryGetValue(key, out var term) || term.Scoped is not { } scoped) return this;
        var inner = Copy();
        inner.MergeScoped(scoped);
        return inner;
    }

    /// <summary>
    /// The key of an element as the hash writes it: "prefix:local" with a prefix the context declares as
    /// "{namespace}local" (the reference's notation for a qualified name); any other key as it is.
    /// </summary>
    public string ExpandKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return key;
        return IriOf(key[..colon]) is { } ns ? "{" + ns + "}" + key[(colon + 1)..] : key;
    }

    /// <summary>
    /// A string value of property <paramref name="key"/> as JSON-LD expands it, when that expansion is a CBV or GS1
    /// web vocabulary URI: a bare word of a vocabulary-typed property ("shipping" for bizStep), or a CURIE with a
    /// declared prefix ("cbv:BizStep-shipping"). Otherwise the value as it is.
    /// </summary>
    public string ExpandValue(string key, string value)
    {
        if (_terms.TryGetValue(key, out var term) && (term.Type == "@vocab" || term.Iri == "@type"))
        {
            var scope = Enter(key);
            if (scope._terms.TryGetValue(value, out var word) && word.Iri is { } iri && !iri.StartsWith('@') && scope.Expand(iri) is { } full && IsVocabulary(full))
            {
                return full;
            }
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && IriOf(value[..colon]) is { } ns && IsVocabulary(ns + value[(colon + 1)..]))
        {
            return ns + value[(colon + 1)..];
        }
        return value;
    }

    private static bool IsVocabulary(string iri) => VocabularyNamespaces.Any(n => iri.StartsWith(n, StringComparison.Ordinal));

    // the IRI a term or prefix stands for (a CURIE in its definition expanded), or null
    private string? IriOf(string name) => _terms.TryGetValue(name, out var t) && t.Iri is { } iri && !iri.StartsWith('@') ? Expand(iri) : null;

    // a CURIE "prefix:rest" with a known prefix as a full IRI (one level: GS1's definitions are "epcis:eventTime", "cbv:BizStep-x")
    private string? Expand(string iri)
    {
        var colon = iri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || iri.AsSpan(colon).StartsWith("://")) return iri;
        return _terms.TryGetValue(iri[..colon], out var p) && p.Iri is { } ns && !ns.StartsWith('@') && !ns.Equals(iri, StringComparison.Ordinal)
            ? ns + iri[(colon + 1)..]
            : iri;
    }

    private JsonLdScope Copy() => new(new Dictionary<string, Term>(_terms, StringComparer.Ordinal));

    private void MergeScoped(JsonElement scoped)
    {
        switch (scoped.ValueKind)
        {
            case JsonValueKind.Object:
                Merge(scoped, "@context", protect: false);
                break;
            case JsonValueKind.Array:
                foreach (var item in scoped.EnumerateArray()) MergeScoped(item);
                break;
            case JsonValueKind.String when CbvVocabularies.ByUrl.TryGetValue(scoped.GetString()!, out var words):
                foreach (var (word, iri) in words) _terms[word] = new Term(iri, null, null);
                break;
        }
    }

    // a context object's definitions: "term": "IRI" or "term": {"@id", "@type", "@context"}; keywords (@version, @vocab...) are not terms
    private void Merge(JsonElement context, string field, bool protect)
    {
        foreach (var p in context.EnumerateObject())
        {
            if (p.Name.StartsWith('@')) continue;
            var term = p.Value.ValueKind switch
            {
                JsonValueKind.String => new Term(p.Value.GetString(), null, null),
                JsonValueKind.Object => new Term(
                    p.Value.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                    p.Value.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null,
                    p.Value.TryGetProperty("@context", out var scoped) ? scoped.Clone() : null),
                JsonValueKind.Null => null,
                _ => throw new EpcisFormatException($"{field}.{p.Name}", "a term is defined by an IRI (a string) or an object"),
            };
            // the GS1 context is @protected: a document may repeat a definition, not change it
            if (protect && Gs1Context._terms.TryGetValue(p.Name, out var gs1) && (term is null || term.Iri != gs1.Iri || term.Type != gs1.Type))
            {
                throw new EpcisFormatException($"{field}.{p.Name}", $"'{p.Name}' is a protected term of the GS1 EPCIS context and cannot be redefined");
            }
            if (term is null) _terms.Remove(p.Name);
            else _terms[p.Name] = term;
        }
    }

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
