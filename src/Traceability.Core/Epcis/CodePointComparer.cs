namespace Traceability.Core.Epcis;

/// <summary>
/// Orders strings by their Unicode code points, which is the order of their UTF-8 bytes: the "case-sensitive lexical
/// ordering, considering UTF-8/ASCII code values of each successive character" of the CBV 2.0 hash algorithm (and
/// Python's string order in the reference implementation). Ordinal UTF-16 order differs for characters above U+FFFF.
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static readonly CodePointComparer Instance = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB) return hasA == hasB ? 0 : hasA ? 1 : -1;
            var c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0) return c;
        }
    }
}
