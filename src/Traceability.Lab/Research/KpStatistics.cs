using System.Globalization;
using System.Text;
using Traceability.Core.Participants;

namespace Traceability.Lab.Research;

/// <summary>One producer's output in a year, from the public KP figures (samples/kp-statistics).</summary>
/// <param name="Code">The producing participant.</param>
/// <param name="Name">Its name as the source gives it.</param>
/// <param name="Carats">Production, carats.</param>
/// <param name="ValueUsd">Production value, US$.</param>
internal sealed record Production(ParticipantCode Code, string Name, decimal Carats, decimal ValueUsd)
{
    public decimal UsdPerCarat => Carats == 0 ? 0 : ValueUsd / Carats;
}

/// <summary>Reads kp-statistics.csv (quoted CSV, one figure a row, each with its source).</summary>
internal static class KpStatistics
{
    public static IReadOnlyList<Production> ProductionOf(string csvPath, int year)
    {
        var rows = File.ReadLines(csvPath).Skip(1).Select(Split).Where(r => r.Count >= 7).ToList();
        string Year(IReadOnlyList<string> r) => r[2];
        var byCountry = rows.Where(r => r[1] == "production_by_country" && Year(r) == year.ToString(CultureInfo.InvariantCulture) && r[4].Length == 2)
            .GroupBy(r => r[4]);
        var result = new List<Production>();
        foreach (var g in byCountry)
        {
            if (!ParticipantCode.TryParse(g.Key, out var code)) continue;
            decimal Metric(string m) => g.Where(r => r[5] == m).Select(r => decimal.Parse(r[6], CultureInfo.InvariantCulture)).FirstOrDefault();
            var carats = Metric("production_volume");
            if (carats > 0) result.Add(new Production(code, g.First()[3], carats, Metric("production_value")));
        }
        if (result.Count == 0) throw new SimulationPlanException($"--year: {csvPath} has no production by country for {year}");
        return [.. result.OrderByDescending(p => p.Carats)];
    }

    private static List<string> Split(string line)
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
