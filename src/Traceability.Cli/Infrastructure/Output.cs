using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traceability.Cli.Infrastructure;

/// <summary>Tables for people, JSON for machines.</summary>
public static class Output
{
    /// <summary>The JSON options of every --json output.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="value"/> as indented JSON.</summary>
    public static void WriteJson(TextWriter w, object value) => w.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Widest a table cell is printed; a longer one is cut with "…", except a hash or an address (never cut).</summary>
    public const int MaxCellWidth = 60;

    /// <summary>
    /// Writes an aligned table with a header row. A cell wider than <see cref="MaxCellWidth"/> is cut with "…",
    /// unless it is hash-like (<see cref="IsHashLike"/>: a transaction hash, a record hash, an address, always printed
    /// whole so it can be copied), in the last column, or in a column <paramref name="neverCut"/> names (by index).
    /// </summary>
    public static void WriteTable(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyCollection<int>? neverCut = null)
    {
        var all = rows.ToList();
        int Width(int column, string cell) => IsHashLike(cell) || neverCut?.Contains(column) == true ? cell.Length : Math.Min(MaxCellWidth, cell.Length);
        var widths = header.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => i < r.Count ? Width(i, r[i]) : 0))).ToArray();
        void Line(IReadOnlyList<string> cells)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < header.Count; i++)
            {
                var cell = i < cells.Count ? cells[i] : "";
                if (i == header.Count - 1) sb.Append(cell);
                else sb.Append(cell.Length > widths[i] ? cell[..(widths[i] - 1)] + "…" : cell.PadRight(widths[i])).Append("  ");
            }
            w.WriteLine(sb.ToString().TrimEnd());
        }
        Line(header);
        Line(widths.Select(x => new string('-', x)).ToList());
        foreach (var r in all) Line(r);
    }

    /// <summary>Whether <paramref name="cell"/> is 0x followed by hex digits only (a hash, an address): printed whole in tables.</summary>
    public static bool IsHashLike(string cell) =>
        cell.Length > 2 && cell[0] == '0' && (cell[1] == 'x' || cell[1] == 'X') && !cell.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Writes "key: value" lines, aligned.</summary>
    public static void WriteFields(TextWriter w, IEnumerable<(string Key, string Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Count == 0 ? 0 : list.Max(f => f.Key.Length);
        foreach (var (k, v) in list) w.WriteLine($"{(k + ":").PadRight(width + 1)} {v}");
    }
}
