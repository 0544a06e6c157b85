using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Traceability.Core.Participants;

namespace Traceability.Portal.Pages;

/// <summary>
/// The pages' shared frame and helpers: every page is server-rendered HTML in English, one h1, a skip
/// link and a navigation landmark, the site's stylesheet and (on the verify page) one external script;
/// no inline script, no external host. Every value shown is HTML-encoded here.
/// </summary>
public static class Html
{
    /// <summary>HTML-encodes text.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page.</summary>
    /// <param name="title">The page's title (also its h1 unless the body has one).</param>
    /// <param name="body">The main content (already encoded).</param>
    /// <param name="script">An external script of the portal's own (for example "/static/verify.js"), or null.</param>
    public static string Page(string title, string body, string? script = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append(" · KP verification portal</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"/static/site.css\">\n");
        if (script is not null) sb.Append("<script src=\"").Append(E(script)).Append("\" defer></script>\n");
        sb.Append("</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
            .Append("<header class=\"site\"><p class=\"brand\">KP verification portal</p>\n")
            .Append("<nav aria-label=\"Main\"><ul><li><a href=\"/\">Verify a document</a></li><li><a href=\"/e\">Check an EPCIS event</a></li><li><a href=\"/registry\">Registry</a></li>")
            .Append("<li><a href=\"/api\">API</a></li></ul></nav></header>\n")
            .Append("<main id=\"main\">\n").Append(body).Append("\n</main>\n")
            .Append("<footer class=\"site\"><p>Read-only: this portal holds no keys and keeps nothing you upload.</p></footer>\n")
            .Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes a page with <paramref name="status"/>.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string page)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(page, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A participant code with its name, for example "BW (Botswana)".</summary>
    public static string Country(ParticipantCode? code) =>
        code is not { } c ? "—" : KpParticipants.Find(c) is { } p ? $"{c.Value} ({p.Name})" : c.Value;

    /// <summary>A Unix time as an ISO 8601 UTC date and time.</summary>
    public static string Time(ulong unixSeconds) => unixSeconds == 0 ? "—"
        : DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, 253402300799UL)).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A long hash shortened for display (the whole value stays in the title attribute and for copying).</summary>
    public static string Hash(string hash) => hash.Length > 18
        ? $"<code title=\"{E(hash)}\">{E(hash[..10])}…{E(hash[^6..])}</code>"
        : $"<code>{E(hash)}</code>";

    /// <summary>A definition list of label and value pairs (values already encoded).</summary>
    public static string Facts(params (string Label, string Value)[] facts)
    {
        var sb = new StringBuilder("<dl class=\"facts\">");
        foreach (var (label, value) in facts) sb.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(value).Append("</dd>");
        return sb.Append("</dl>").ToString();
    }

    /// <summary>A number for display.</summary>
    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
