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

    /// <summary>
    /// Writes an aligned table with a header row. A cell wider than 60 characters is cut with "…", except in
    /// the last column and in the columns <paramref name="neverCut"/> names (by index), which are as wide as their widest cell.
    /// </summary>
    public static void WriteTable(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyCollection<int>? neverCut = null)
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) =>
        {
            var widest = Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => i < r.Count ? r[i].Length : 0));
            return neverCut?.Contains(i) == true ? widest : Math.Min(60, widest);
        }).ToArray();
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

    /// <summary>Writes "key: value" lines, aligned.</summary>
    public static void WriteFields(TextWriter w, IEnumerable<(string Key, string Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Count == 0 ? 0 : list.Max(f => f.Key.Length);
        foreach (var (k, v) in list) w.WriteLine($"{(k + ":").PadRight(width + 1)} {v}");
    }
}
