using System.Text;

namespace Traceability.Lab.Research;

/// <summary>One line of the public KP figures' CSV (samples/kp-statistics) split into its fields (RFC 4180 quoting).</summary>
internal static class CsvLine
{
    /// <summary>The fields of <paramref name="line"/>: commas separate, double quotes quote, a doubled quote is one.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
