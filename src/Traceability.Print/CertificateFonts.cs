using PdfSharp.Fonts;

namespace Traceability.Print;

/// <summary>
/// The fonts the printed certificate uses: DejaVu Sans (regular, bold) and DejaVu Sans Mono, read from
/// <c>$KP_FONT_DIR</c> or the usual system folders (Debian's fonts-dejavu-core), embedded as subsets.
/// </summary>
public sealed class CertificateFonts : IFontResolver
{
    /// <summary>What to install when the fonts are missing (one line).</summary>
    public const string InstallHint = "printing needs the DejaVu fonts: apt-get install fonts-dejavu-core (or set KP_FONT_DIR to a folder holding DejaVuSans.ttf)";

    /// <summary>The family name for text.</summary>
    public const string Sans = "DejaVu Sans";

    /// <summary>The family name for hashes and addresses.</summary>
    public const string Mono = "DejaVu Sans Mono";

    private static readonly string[] Folders =
    [
        "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu", "/usr/local/share/fonts",
        "/Library/Fonts", "/opt/homebrew/share/fonts",
    ];

    private static readonly Lock Gate = new();

    private readonly string _folder;

    private CertificateFonts(string folder) => _folder = folder;

    /// <summary>Makes PDFsharp use these fonts (once per process).</summary>
    /// <exception cref="FileNotFoundException">The fonts are not found (<see cref="InstallHint"/>).</exception>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is CertificateFonts) return;
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("KP_FONT_DIR") is { Length: > 0 } dir) candidates.Add(dir);
            candidates.AddRange(Folders);
            var folder = candidates.FirstOrDefault(f => File.Exists(Path.Combine(f, "DejaVuSans.ttf")) && File.Exists(Path.Combine(f, "DejaVuSans-Bold.ttf")))
                ?? throw new FileNotFoundException(InstallHint);
            GlobalFontSettings.FontResolver = new CertificateFonts(folder);
        }
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Mono => new(File.Exists(Path.Combine(_folder, "DejaVuSansMono.ttf")) ? "DejaVuSansMono" : "DejaVuSans"),
        _ => new(bold ? "DejaVuSans-Bold" : "DejaVuSans"),
    };

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(_folder, faceName + ".ttf"));
}
