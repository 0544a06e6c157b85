namespace Traceability.Cli.Infrastructure;

/// <summary>"Did you mean …?" for a value typed by a person: the nearest of the accepted spellings by edit distance.</summary>
public static class Suggestions
{
    /// <summary>
    /// The candidate nearest <paramref name="typed"/> (case-insensitive), when it is near enough to be a typo:
    /// at most a third of the typed length in edits (at least 1, at most 3); null otherwise.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        var text = typed.Trim().ToUpperInvariant();
        if (text.Length == 0) return null;
        var limit = Math.Clamp(text.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(text, c.ToUpperInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>The edit distance of two strings: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
