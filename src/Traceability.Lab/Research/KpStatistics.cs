using System.Globalization;
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
        var rows = File.ReadLines(csvPath).Skip(1).Select(CsvLine.Split).Where(r => r.Count >= 7).ToList();
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
        if (result.Count == 0)
        {
            // name the years it has: the sample holds a few, not every year since 2003
            var years = rows.Where(r => r[1] == "production_by_country" && r[4].Length == 2).Select(Year).Distinct().Order(StringComparer.Ordinal);
            throw new SimulationPlanException($"--year: {csvPath} has no production by country for {year} (it has {string.Join(", ", years)})");
        }
        return [.. result.OrderByDescending(p => p.Carats)];
    }
}
