using System.Globalization;

using Traceability.Lab.Research;

namespace Traceability.Lab.Statistics;

/// <summary>A participant's published production in a year (samples/kp-statistics, category production_by_country).</summary>
/// <param name="Code">The participant.</param>
/// <param name="Year">The year.</param>
/// <param name="Carats">Production, carats.</param>
/// <param name="ValueUsd">Production value, US$.</param>
/// <param name="UsdPerCarat">Published average price, US$/ct (value / carats when the source gives none).</param>
public sealed record PublishedProduction(string Code, int Year, decimal Carats, decimal ValueUsd, decimal UsdPerCarat);

/// <summary>The public KP figures kp stats compares with: production by participant and year, from kp-statistics.csv (quoted CSV, one figure a row).</summary>
public sealed class PublicFigures
{
    private readonly Dictionary<(string Code, int Year), PublishedProduction> _production;

    private PublicFigures(Dictionary<(string, int), PublishedProduction> production) => _production = production;

    /// <summary>No figures (outliers are then not judged).</summary>
    public static PublicFigures None { get; } = new([]);

    /// <summary>Every year's production by participant.</summary>
    public IEnumerable<PublishedProduction> Production => _production.Values;

    /// <summary>Reads kp-statistics.csv.</summary>
    /// <exception cref="FormatException">A figure is not a number.</exception>
    public static PublicFigures Read(string csvPath)
    {
        var rows = File.ReadLines(csvPath).Skip(1).Select(CsvLine.Split).Where(r => r.Count >= 7 && r[1] == "production_by_country" && r[4].Length == 2);
        var figures = new Dictionary<(string, int), Dictionary<string, decimal>>();
        foreach (var r in rows)
        {
            if (!int.TryParse(r[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year)) continue;
            if (!decimal.TryParse(r[6], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw new FormatException($"{csvPath}: '{r[6]}' is not a number");
            var key = (r[4], year);
            if (!figures.TryGetValue(key, out var metrics)) figures[key] = metrics = [];
            metrics.TryAdd(r[5], value); // the first figure of a metric is the one kept (the file lists the preferred source first)
        }
        var production = new Dictionary<(string, int), PublishedProduction>();
        foreach (var ((code, year), m) in figures)
        {
            var carats = m.GetValueOrDefault("production_volume");
            var value = m.GetValueOrDefault("production_value");
            var price = m.TryGetValue("production_avg_price", out var p) ? p : carats > 0 ? Math.Round(value / carats, 2) : 0;
            if (carats > 0 || price > 0) production[(code, year)] = new PublishedProduction(code, year, carats, value, price);
        }
        return new PublicFigures(production);
    }

    /// <summary>The published production of <paramref name="code"/> in <paramref name="year"/>, or null.</summary>
    public PublishedProduction? ProductionOf(string code, int year) => _production.GetValueOrDefault((code, year));

    /// <summary>
    /// The published average US$/ct of <paramref name="code"/> for <paramref name="year"/>: that year's, else the nearest
    /// earlier year's, else the nearest later year's; null for a participant the figures do not list (a trading hub).
    /// </summary>
    public (decimal UsdPerCarat, int Year)? AveragePrice(string code, int year)
    {
        var years = _production.Values.Where(p => p.Code == code && p.UsdPerCarat > 0).Select(p => p.Year).ToList();
        if (years.Count == 0) return null;
        var best = years.Where(y => y <= year).DefaultIfEmpty(int.MinValue).Max();
        if (best == int.MinValue) best = years.Min();
        return (_production[(code, best)].UsdPerCarat, best);
    }
}
