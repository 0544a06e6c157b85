using System.Diagnostics;
using System.Globalization;
using ZXing;
using ZXing.Common;

namespace Traceability.Testing;

/// <summary>What a printed page holds, read back the way a reader would: its text (pdftotext) and its QR code (rendered by pdftoppm, decoded by ZXing).</summary>
public static class PdfPages
{
    /// <summary>What to install when poppler is missing (one line).</summary>
    public const string Hint = "the print tests read PDFs with poppler: apt-get install poppler-utils (scripts/setup.sh does it as root)";

    /// <summary>The text of the PDF.</summary>
    public static string Text(byte[] pdf)
    {
        var file = Write(pdf);
        try
        {
            return Run("pdftotext", "-layout", file, "-");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Every QR code found on the first page rendered at <paramref name="dpi"/>.</summary>
    public static IReadOnlyList<string> QrCodes(byte[] pdf, int dpi = 150)
    {
        var file = Write(pdf);
        var prefix = file + "-page";
        try
        {
            Run("pdftoppm", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-singlefile", file, prefix);
            var (pixels, width, height) = ReadPgm(prefix + ".pgm");
            var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
            var reader = new BarcodeReaderGeneric
            {
                AutoRotate = true,
                Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
            };
            return reader.DecodeMultiple(source)?.Select(r => r.Text).ToList() ?? [];
        }
        finally
        {
            File.Delete(file);
            File.Delete(prefix + ".pgm");
        }
    }

    private static string Write(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kp-print-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        return file;
    }

    // a binary PGM (P5, 8 bits): header "P5 width height maxval" then the pixels
    private static (byte[] Pixels, int Width, int Height) ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)bytes[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)bytes[at])) at++;
            return System.Text.Encoding.ASCII.GetString(bytes, start, at - start);
        }
        if (Token() != "P5") throw new InvalidDataException($"{path} is not a binary PGM");
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (Token() != "255") throw new InvalidDataException($"{path} is not an 8-bit PGM");
        at++; // one whitespace byte before the pixels
        return (bytes[at..(at + (width * height))], width, height);
    }

    private static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(Hint);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {stderr}");
            return stdout.Result;
        }
    }
}
