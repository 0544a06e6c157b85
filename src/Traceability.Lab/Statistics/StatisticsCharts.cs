using ScottPlot;

namespace Traceability.Lab.Statistics;

/// <summary>A chart written as PNG and SVG.</summary>
/// <param name="Name">File name without extension.</param>
/// <param name="Title">Its title.</param>
/// <param name="Svg">The SVG text (embedded in the HTML report).</param>
public sealed record Chart(string Name, string Title, string Svg);

/// <summary>
/// The report's charts, drawn headless with ScottPlot (SkiaSharp without system dependencies): the DejaVu Sans
/// font is registered from <c>$KP_FONT_DIR</c> or the usual system folders (Debian's fonts-dejavu-core).
/// </summary>
public static class StatisticsCharts
{
    /// <summary>What to install when the font is missing (one line).</summary>
    public const string InstallHint = "charts need the DejaVu fonts: apt-get install fonts-dejavu-core (or set KP_FONT_DIR to a folder holding DejaVuSans.ttf)";

    private const string Font = "DejaVu Sans";
    private const int Width = 900, Height = 480;
    private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu", "/usr/local/share/fonts", "/Library/Fonts"];
    private static readonly Lock Gate = new();
    private static bool _fontAdded;

    /// <summary>Draws the charts of <paramref name="year"/> into <paramref name="folder"/> (PNG and SVG each).</summary>
    /// <exception cref="FileNotFoundException">The DejaVu font is not found (<see cref="InstallHint"/>).</exception>
    public static IReadOnlyList<Chart> Write(StatisticsReport report, int year, string folder)
    {
        UseFont();
        var lines = report.Lines.Where(l => l.Period == new Period(year, 0)).ToList();
        var charts = new List<Chart>();
        var producers = lines.Where(l => l.Production.Carats > 0).OrderByDescending(l => l.Production.Carats).ToList();
        charts.Add(Bars(folder, $"production-{year}", $"Production {year}, million carats (bars: index + documents; dots: public figure)",
            producers.Select(l => l.Participant).ToList(),
            [("index + documents", producers.Select(l => (double)l.Production.Carats / 1e6).ToList(), Colors.SteelBlue)],
            markers: producers.Select(l => l.PublishedProduction is { } p ? (double)p.Carats / 1e6 : double.NaN).ToList()));
        var traders = lines.Where(l => l.Exports.ValueUsd > 0 || l.Imports.ValueUsd > 0).OrderByDescending(l => l.Exports.ValueUsd + l.Imports.ValueUsd).ToList();
        charts.Add(Bars(folder, $"trade-{year}", $"Exports and imports {year}, million US$",
            traders.Select(l => l.Participant).ToList(),
            [("exports", traders.Select(l => (double)l.Exports.ValueUsd / 1e6).ToList(), Colors.DarkOrange),
             ("imports", traders.Select(l => (double)l.Imports.ValueUsd / 1e6).ToList(), Colors.SeaGreen)]));
        var exporters = lines.Where(l => l.Exports.Carats > 0).OrderByDescending(l => l.Exports.UsdPerCarat).ToList();
        charts.Add(Bars(folder, $"usd-per-carat-{year}", $"Exports {year}, US$ per carat (dots: published production average)",
            exporters.Select(l => l.Participant).ToList(),
            [("exports US$/ct", exporters.Select(l => (double)l.Exports.UsdPerCarat).ToList(), Colors.MediumPurple)],
            markers: exporters.Select(l => l.PublishedProduction is { } p ? (double)p.UsdPerCarat : double.NaN).ToList()));
        var pairs = report.Mirror.Where(m => m.Year == year).OrderByDescending(m => m.Exported.Carats).Take(20).ToList();
        charts.Add(Bars(folder, $"mirror-{year}", $"Mirror {year}: carats declared exported against confirmed imported, thousand carats",
            pairs.Select(m => $"{m.Exporter}>{m.Importer}{(m.Flagged ? " !" : "")}").ToList(),
            [("declared by exporter", pairs.Select(m => (double)m.Exported.Carats / 1e3).ToList(), Colors.SlateGray),
             ("confirmed by importer", pairs.Select(m => (double)m.Confirmed.Carats / 1e3).ToList(), Colors.GoldenRod)]));
        return charts;
    }

    private static Chart Bars(string folder, string name, string title, IReadOnlyList<string> labels,
        IReadOnlyList<(string Legend, List<double> Values, Color Color)> series, IReadOnlyList<double>? markers = null)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title, size: 14);
        var groups = series.Count;
        var width = 0.8 / groups;
        for (var s = 0; s < groups; s++)
        {
            var (legend, values, color) = series[s];
            var bars = values.Select((v, i) => new Bar
            {
                Position = i + (s - (groups - 1) / 2.0) * width,
                Value = v,
                FillColor = color,
                Size = width * 0.95,
            }).ToList();
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = legend;
        }
        if (markers is not null && markers.Any(m => !double.IsNaN(m)))
        {
            var xs = markers.Select((_, i) => (double)i).Where((_, i) => !double.IsNaN(markers[i])).ToArray();
            var ys = markers.Where(m => !double.IsNaN(m)).ToArray();
            var dots = plot.Add.ScatterPoints(xs, ys);
            dots.Color = Colors.Black;
            dots.MarkerSize = 9;
            dots.MarkerShape = MarkerShape.FilledDiamond;
            dots.LegendText = "public figure";
        }
        plot.Axes.Bottom.SetTicks([.. labels.Select((_, i) => (double)i)], [.. labels]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (labels.Any(l => l.Length > 3))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45; // pairs such as BW>EU: slanted, so they never overlap
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 70;
        }
        plot.Axes.Margins(bottom: 0);
        plot.HideGrid();
        plot.ShowLegend(Alignment.UpperRight);
        Directory.CreateDirectory(folder);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
        return new Chart(name, title, File.ReadAllText(Path.Combine(folder, name + ".svg")));
    }

    private static void UseFont()
    {
        lock (Gate)
        {
            if (_fontAdded) return;
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("KP_FONT_DIR") is { Length: > 0 } dir) candidates.Add(dir);
            candidates.AddRange(Folders);
            var folder = candidates.FirstOrDefault(f => File.Exists(Path.Combine(f, "DejaVuSans.ttf"))) ?? throw new FileNotFoundException(InstallHint);
            Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans.ttf"), bold: false, italic: false);
            if (File.Exists(Path.Combine(folder, "DejaVuSans-Bold.ttf"))) Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            Fonts.Default = Font;
            _fontAdded = true;
        }
    }
}
