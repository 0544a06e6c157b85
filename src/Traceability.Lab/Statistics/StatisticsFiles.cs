using System.Globalization;
using System.Net;
using System.Text;

namespace Traceability.Lab.Statistics;

/// <summary>
/// The report's files: participants.csv (production, exports, imports by participant and period),
/// mirror.csv, outliers.csv, the charts (PNG and SVG) and report.html, one self-contained page with
/// the tables and the charts' SVG inline.
/// </summary>
public static class StatisticsFiles
{
    /// <summary>Writes every file into <paramref name="folder"/>; returns their paths. Charts are drawn for the report's year, else the latest year in it.</summary>
    public static IReadOnlyList<string> Write(StatisticsReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        string Save(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            written.Add(path);
            return path;
        }
        Save("participants.csv", Csv(["participant", "period", "production_ct", "production_usd", "production_usd_per_ct", "exports_ct", "exports_usd", "exports_usd_per_ct",
            "imports_ct", "imports_usd", "imports_usd_per_ct", "public_production_ct", "public_production_usd"],
            report.Lines.Concat(report.Totals).Select(l => (IReadOnlyList<object?>)[l.Participant, l.Period.ToString(), l.Production.Carats, l.Production.ValueUsd, l.Production.UsdPerCarat,
                l.Exports.Carats, l.Exports.ValueUsd, l.Exports.UsdPerCarat, l.Imports.Carats, l.Imports.ValueUsd, l.Imports.UsdPerCarat,
                l.PublishedProduction?.Carats, l.PublishedProduction?.ValueUsd])));
        Save("mirror.csv", Csv(["exporter", "importer", "year", "exported_ct", "exported_usd", "certificates", "confirmed_ct", "confirmations", "unconfirmed", "difference_ct", "flagged"],
            report.Mirror.Select(m => (IReadOnlyList<object?>)[m.Exporter, m.Importer, m.Year, m.Exported.Carats, m.Exported.ValueUsd, m.Exported.Count,
                m.Confirmed.Carats, m.Confirmed.Count, m.Unconfirmed, m.DifferenceCarats, m.Flagged])));
        Save("outliers.csv", Csv(["exporter", "importer", "number_hash", "year", "carats", "value_usd", "usd_per_ct", "public_usd_per_ct", "public_year", "ratio"],
            report.Outliers.Select(o => (IReadOnlyList<object?>)[o.Exporter, o.Importer, o.NumberHash, o.Year, o.Carats, o.ValueUsd, o.UsdPerCarat, o.PublicUsdPerCarat, o.PublicYear, o.Ratio])));

        var year = report.Year ?? report.Lines.Select(l => l.Period.Year).DefaultIfEmpty(DateTime.UtcNow.Year).Max();
        var charts = StatisticsCharts.Write(report, year, folder);
        foreach (var c in charts)
        {
            written.Add(Path.Combine(folder, c.Name + ".png"));
            written.Add(Path.Combine(folder, c.Name + ".svg"));
        }
        Save("report.html", Html(report, year, charts));
        return written;
    }

    private static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', header).Append('\n');
        foreach (var row in rows) sb.AppendJoin(',', row.Select(Cell)).Append('\n');
        return sb.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture), // 9754000.00 and 9754000 alike: 9754000
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(value.ToString() ?? ""),
    };

    // text a spreadsheet would run as a formula (=, +, -, @, a tab or a return first) is written after an apostrophe (OWASP's advice)
    private static string Text(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static string Html(StatisticsReport report, int year, IReadOnlyList<Chart> charts)
    {
        static string E(object? v) => WebUtility.HtmlEncode(v switch { null => "", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString() ?? "" }) ?? "";
        static string N(decimal v, int digits = 0) => v.ToString(digits == 0 ? "N0" : "N" + digits, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>KP statistics ").Append(year).Append("</title>\n<style>")
          .Append("body{font-family:'DejaVu Sans',sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
          .Append(".flag{background:#fde2e2}figure{margin:1em 0}svg{max-width:100%;height:auto}</style></head><body>\n");
        sb.Append("<h1>Kimberley Process statistics, ").Append(report.Year is { } y ? y.ToString(CultureInfo.InvariantCulture) : "all years").Append("</h1>\n");
        var i = report.Inputs;
        sb.Append("<p>Computed by <code>kp stats</code> from the registry's index (up to block ").Append(i.IndexedTo).Append(") and ").Append(i.Documents)
          .Append(" documents: ").Append(i.Counted).Append(" counted, ").Append(i.NotOnChain).Append(" not on chain, ").Append(i.Altered).Append(" altered, ")
          .Append(i.Voided).Append(" voided, ").Append(Math.Max(0, i.Documents - i.Counted - i.NotOnChain - i.Altered - i.Voided))
          .Append(" in no table (transformations, the parcels they made, repeats); ").Append(i.Skipped).Append(" files or lines skipped (not KP documents). Only aggregates are shown.</p>\n");
        foreach (var c in charts) sb.Append("<figure>").Append(c.Svg[c.Svg.IndexOf("<svg", StringComparison.Ordinal)..]).Append("<figcaption>").Append(E(c.Title)).Append("</figcaption></figure>\n");

        sb.Append("<h2>Production, exports and imports by participant</h2>\n<table><tr><th>participant</th><th>period</th><th>production ct</th><th>US$</th><th>US$/ct</th>")
          .Append("<th>exports ct</th><th>US$</th><th>US$/ct</th><th>imports ct</th><th>US$</th><th>US$/ct</th><th>public production ct</th></tr>\n");
        foreach (var l in report.Lines.Concat(report.Totals))
        {
            sb.Append("<tr><td>").Append(E(l.Participant)).Append("</td><td>").Append(E(l.Period.ToString())).Append("</td>");
            foreach (var f in new[] { l.Production, l.Exports, l.Imports }) sb.Append("<td>").Append(N(f.Carats, 2)).Append("</td><td>").Append(N(f.ValueUsd, 2)).Append("</td><td>").Append(N(f.UsdPerCarat, 2)).Append("</td>");
            sb.Append("<td>").Append(l.PublishedProduction is { } p ? N(p.Carats) : "").Append("</td></tr>\n");
        }
        sb.Append("</table>\n<h2>Mirror statistics</h2>\n<p>What the exporter declared (its certificates) against what the importer confirmed; a row is flagged when a certificate is unconfirmed or the carats differ by more than ")
          .Append(E((report.Options.MirrorTolerance * 100).ToString("0.###", CultureInfo.InvariantCulture))).Append(" %.</p>\n<table><tr><th>exporter</th><th>importer</th><th>year</th><th>declared ct</th><th>certificates</th><th>confirmed ct</th><th>unconfirmed</th><th>difference ct</th><th>flagged</th></tr>\n");
        foreach (var m in report.Mirror)
        {
            sb.Append(m.Flagged ? "<tr class=\"flag\">" : "<tr>").Append("<td>").Append(E(m.Exporter)).Append("</td><td>").Append(E(m.Importer)).Append("</td><td>").Append(m.Year)
              .Append("</td><td>").Append(N(m.Exported.Carats, 2)).Append("</td><td>").Append(m.Exported.Count).Append("</td><td>").Append(N(m.Confirmed.Carats, 2))
              .Append("</td><td>").Append(m.Unconfirmed).Append("</td><td>").Append(N(m.DifferenceCarats, 2)).Append("</td><td>").Append(m.Flagged ? "yes" : "").Append("</td></tr>\n");
        }
        sb.Append("</table>\n<h2>Valuation outliers</h2>\n<p>Shipments whose US$/ct is more than ").Append(E(report.Options.OutlierFactor))
          .Append(" times, or less than 1/").Append(E(report.Options.OutlierFactor)).Append(" of, the exporter's published average production price (kp-statistics); certificates are named by the hash of their number.</p>\n")
          .Append("<table><tr><th>exporter</th><th>importer</th><th>number hash</th><th>carats</th><th>US$/ct</th><th>public US$/ct</th><th>ratio</th></tr>\n");
        foreach (var o in report.Outliers)
        {
            sb.Append("<tr><td>").Append(E(o.Exporter)).Append("</td><td>").Append(E(o.Importer)).Append("</td><td><code>").Append(E(o.NumberHash[..18])).Append("…</code></td><td>")
              .Append(N(o.Carats, 2)).Append("</td><td>").Append(N(o.UsdPerCarat, 2)).Append("</td><td>").Append(N(o.PublicUsdPerCarat, 2)).Append(" (").Append(o.PublicYear)
              .Append(")</td><td>").Append(N(o.Ratio, 2)).Append("</td></tr>\n");
        }
        sb.Append("</table>\n</body></html>\n");
        return sb.ToString();
    }
}
