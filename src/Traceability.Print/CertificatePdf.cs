using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;
using QRCoder;
using Traceability.Core.Participants;
using Traceability.Core.Records;

namespace Traceability.Print;

/// <summary>
/// Renders a KP certificate on one A4 page: the elements of KPCS Annex I (number, issuing participant and
/// authority, dates, exporter, importer, carats, value, parcel count, HS code, origins, the exporting
/// authority's validation), the content hash, and a QR code (vector, error correction M) of its
/// <see cref="LookupLink"/>, under which the URL is printed for those who type it.
/// </summary>
public static class CertificatePdf
{
    private const double Margin = 48;
    private const double PageWidth = 595; // A4, points
    private const double PageHeight = 842;
    private const double QrSize = 150;
    private const int MaxValueLines = 4;

    private static readonly XColor Ink = XColor.FromArgb(0x1a, 0x1a, 0x1a);
    private static readonly XColor Rule = XColor.FromArgb(0x99, 0x99, 0x99);
    private static readonly XColor Accent = XColor.FromArgb(0x0b, 0x4f, 0x6c);

    private static readonly Dictionary<string, string> HsDescriptions = new(StringComparer.Ordinal)
    {
        ["7102.10"] = "unsorted",
        ["7102.21"] = "industrial: unworked or simply sawn, cleaved or bruted",
        ["7102.31"] = "non-industrial: unworked or simply sawn, cleaved or bruted",
    };

    /// <summary>The certificate as a PDF document (bytes).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="link">The lookup its QR code carries.</param>
    /// <exception cref="FileNotFoundException">The fonts are missing (<see cref="CertificateFonts.InstallHint"/>).</exception>
    public static byte[] Render(CertificateRecord certificate, LookupLink link)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(link);
        CertificateFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Kimberley Process Certificate {certificate.Number}";
        document.Info.Subject = $"KP certificate {certificate.Number}, {certificate.Exporter.Value} to {certificate.Importer.Value}; lookup {link}";
        document.Info.Creator = "kp (Kimberley Process traceability)";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page)) Draw(gfx, certificate, link);
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static void Draw(XGraphics gfx, CertificateRecord c, LookupLink link)
    {
        var title = new XFont(CertificateFonts.Sans, 18, XFontStyleEx.Bold);
        var subtitle = new XFont(CertificateFonts.Sans, 10);
        var label = new XFont(CertificateFonts.Sans, 8);
        var value = new XFont(CertificateFonts.Sans, 10.5, XFontStyleEx.Bold);
        var mono = new XFont(CertificateFonts.Mono, 7.5);
        var ink = new XSolidBrush(Ink);
        var text = new XTextFormatter(gfx);
        var width = PageWidth - (2 * Margin);

        var y = Margin;
        gfx.DrawString("KIMBERLEY PROCESS CERTIFICATE", title, new XSolidBrush(Accent), new XRect(Margin, y, width, 24), XStringFormats.TopLeft);
        y += 26;
        var numberFont = new XFont(CertificateFonts.Sans, 14, XFontStyleEx.Bold);
        foreach (var line in HardWrap(gfx, $"No. {c.Number}", numberFont, width))
        {
            gfx.DrawString(line, numberFont, ink, new XRect(Margin, y, width, 18), XStringFormats.TopLeft);
            y += 18;
        }
        y += 4;
        gfx.DrawString("Kimberley Process Certification Scheme, Annex I: certificate for a shipment of rough diamonds", subtitle, ink,
            new XRect(Margin, y, width, 14), XStringFormats.TopLeft);
        y += 20;
        gfx.DrawLine(new XPen(Accent, 1.5), Margin, y, Margin + width, y);
        y += 10;

        var d = c.Details;
        var rows = new (string Label, string Value)[]
        {
            ("Issuing participant (country of export)", Name(c.Exporter)),
            ("Issuing authority", d.IssuingAuthority),
            ("Date of issue", Date(d.IssuedAt)),
            ("Date of expiry", Date(c.ExpiresAt)),
            ("Exporter (name and address)", d.ExporterName),
            ("Importer (name and address)", d.ImporterName),
            ("Country of destination", Name(c.Importer)),
            ("Carat weight", string.Create(CultureInfo.InvariantCulture, $"{d.Carats / 100m:N2} ct")),
            ("Value", string.Create(CultureInfo.InvariantCulture, $"US$ {d.ValueUsdCents / 100m:N2}")),
            ("Number of parcels", d.ParcelCount.ToString(CultureInfo.InvariantCulture)),
            ("Harmonised System code", HsDescriptions.TryGetValue(d.HsCode, out var hs) ? $"{d.HsCode} ({hs})" : d.HsCode),
            ("Country or countries of origin", d.Origins.Length == 1 ? Name(d.Origins[0]) : "mixed: " + string.Join(", ", d.Origins.Select(Name))),
            ("Validation by the exporting authority", c.Authorization is { } a
                ? $"signed by authority {a.Authority} (EIP-712, chain {a.ChainId}, registry {a.Registry})"
                : $"issued on the registry by an authority of {c.Exporter.Value}"),
        };
        var left = width - QrSize - 20;
        var qrY = y + 8;
        foreach (var (l, v) in rows)
        {
            gfx.DrawString(l.ToUpperInvariant(), label, new XSolidBrush(Rule), new XRect(Margin, y, left, 10), XStringFormats.TopLeft);
            y += 11;
            var wrapped = WordWrap(gfx, v, value, left);
            if (wrapped.Count > MaxValueLines) wrapped = [.. wrapped.Take(MaxValueLines - 1), wrapped[MaxValueLines - 1] + " …"]; // the page holds every element; the document holds it all
            foreach (var line in wrapped)
            {
                gfx.DrawString(line, value, ink, new XRect(Margin, y, left, 14), XStringFormats.TopLeft);
                y += 14;
            }
            y += 6;
        }

        // the QR code beside the elements, top right, with its URL under it
        var qrX = Margin + width - QrSize;
        DrawQr(gfx, link.ToString(), qrX, qrY, QrSize);
        text.DrawString("Scan to check this certificate on the registry: its status, exporter, importer, and whether this paper matches the record.",
            label, ink, new XRect(qrX, qrY + QrSize + 6, QrSize, 40), XStringFormats.TopLeft);

        y += 6;
        gfx.DrawLine(new XPen(Rule, 0.5), Margin, y, Margin + width, y);
        y += 8;
        gfx.DrawString("CONTENT HASH (EIP-712, ANCHORED ON THE REGISTRY)", label, new XSolidBrush(Rule), new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
        y += 11;
        gfx.DrawString(c.Hash().ToString(), mono, ink, new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
        y += 14;
        gfx.DrawString("LOOKUP", label, new XSolidBrush(Rule), new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
        y += 11;
        foreach (var line in HardWrap(gfx, link.ToString(), mono, width))
        {
            gfx.DrawString(line, mono, ink, new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
            y += 10;
        }
        y += 8;
        gfx.DrawString($"PARCELS ({c.Parcels.Length})", label, new XSolidBrush(Rule), new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
        y += 11;
        // as many parcel hashes as the page holds (the document lists them all)
        var room = (int)Math.Floor((PageHeight - Margin - y - 12) / 10);
        var shown = c.Parcels.Length <= room ? c.Parcels.Length : Math.Max(0, room - 1);
        foreach (var p in c.Parcels.Take(shown))
        {
            gfx.DrawString(p.ToString(), mono, ink, new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
            y += 10;
        }
        if (c.Parcels.Length > shown)
        {
            gfx.DrawString($"… and {c.Parcels.Length - shown} more (all in the certificate document)", mono, ink, new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
        }
    }

    // lines of whole words; a word wider than the line (an address, a hash) is cut where the line is full
    private static List<string> WordWrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= width)
            {
                current = candidate;
                continue;
            }
            if (current.Length > 0) lines.Add(current);
            var pieces = HardWrap(gfx, word, font, width);
            lines.AddRange(pieces.Take(pieces.Count - 1));
            current = pieces[^1];
        }
        if (current.Length > 0 || lines.Count == 0) lines.Add(current);
        return lines;
    }

    // a URL has no spaces to wrap at: cut it wherever the line is full
    private static List<string> HardWrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = start + 1;
            while (end < text.Length && gfx.MeasureString(text[start..(end + 1)], font).Width <= width) end++;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    // vector modules, quiet zone included: sharp at any zoom and readable by any scanner
    private static void DrawQr(XGraphics gfx, string url, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var cell = size / matrix.Count;
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var col = 0; col < matrix.Count; col++)
            {
                if (matrix[row][col]) gfx.DrawRectangle(XBrushes.Black, x + (col * cell), y + (row * cell), cell + 0.05, cell + 0.05);
            }
        }
    }

    private static string Name(ParticipantCode code) => KpParticipants.Find(code) is { } p ? $"{p.Name} ({code.Value})" : code.Value;

    private static string Date(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, 253402300799UL)).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
