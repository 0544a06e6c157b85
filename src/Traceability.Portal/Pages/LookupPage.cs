using System.Numerics;
using System.Text;
using Traceability.Chain.Registry;
using Traceability.Portal.Chain;
using static Traceability.Portal.Pages.Html;

namespace Traceability.Portal.Pages;

/// <summary>The page a printed code opens: the certificate's on-chain status and whether the printed hash is the anchored one.</summary>
public static class LookupPage
{
    /// <summary>Renders a lookup (found or not).</summary>
    public static string Render(CertificateLookupResult r, BigInteger chainId, string registry)
    {
        var (tone, word) = r.Status switch
        {
            LookupStatus.Confirmed => ("ok", "confirmed"),
            LookupStatus.Issued => ("ok", "issued"),
            LookupStatus.Expired => ("warn", "expired"),
            LookupStatus.Voided => ("bad", "voided"),
            _ => ("bad", "not found"),
        };
        var meaning = r.Status switch
        {
            LookupStatus.Confirmed => "The importing authority confirmed the import of this certificate.",
            LookupStatus.Issued => "The exporting authority issued this certificate; its import is not yet confirmed.",
            LookupStatus.Expired => "The certificate expired before its import was confirmed.",
            LookupStatus.Voided => "The exporting authority voided this certificate.",
            _ => $"{r.Exporter.Value} never issued a certificate numbered {r.Number} on this registry: the code may be forged or mistyped.",
        };
        if (r.Flag != RecordFlag.None)
        {
            meaning = $"Governance flagged this certificate as {r.Flag.ToString().ToLowerInvariant()}: treat it as unreliable until the flag is cleared. On record it is {word}.";
            (tone, word) = ("bad", "flagged");
        }
        var sb = new StringBuilder();
        sb.Append($"""
            <h1>Certificate {E(r.Number)}</h1>
            <section class="verdict {tone}" aria-labelledby="status">
            <p class="label">On-chain status</p>
            <p id="status" class="word">{E(word)}</p>
            <p class="meaning">{E(meaning)}</p>
            </section>
            """);
        if (r.Exists)
        {
            var match = r.HashMatches switch
            {
                true => "<span class=\"status pass\">matches</span> the anchored certificate hash",
                false => "<span class=\"status fail\">DOES NOT MATCH</span> the anchored certificate hash: the paper is not the certificate on record",
                null when r.PrintedHash is null => "no hash was printed with the code",
                _ => "no anchored hash to compare with",
            };
            sb.Append("<h2>On record</h2>").Append(Facts(
                ("Exporter", E(Country(r.Exporter))),
                ("Importer", E(Country(r.Importer))),
                ("Parcels", N(r.ParcelCount)),
                ("Expires", E(Time(r.ExpiresAt))),
                ("Printed content hash", $"<span id=\"hash-match\">{match}</span>"),
                ("Anchored hash", r.AnchoredHash is { } a ? $"<code class=\"wrap\">{E(a.ToString())}</code>" : "—")));
            if (r.PrintedHash is { } p && r.HashMatches == false) sb.Append($"<p>Printed: <code class=\"wrap\">{E(p.ToString())}</code></p>");
            sb.Append("<h2 id=\"events-title\">History</h2><div class=\"scroll\"><table aria-labelledby=\"events-title\"><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">When</th><th scope=\"col\">Block</th><th scope=\"col\">By</th></tr></thead><tbody>");
            foreach (var e in r.Events)
            {
                sb.Append($"<tr><td>{E(e.Kind.ToString().ToLowerInvariant())}</td><td>{E(Time(e.Mark.BlockTime))}</td><td>{N((long)e.Mark.BlockNumber)}</td><td>{(e.Authority is { } who ? $"<code class=\"wrap\">{E(who)}</code>" : "governance")}</td></tr>");
            }
            sb.Append("</tbody></table></div>");
        }
        sb.Append("<h2>Checked against</h2>").Append(Facts(
            ("Chain id", E(chainId.ToString())),
            ("Registry", $"<code class=\"wrap\">{E(registry)}</code>"),
            ("Block", $"{N((long)r.Block)} ({E(Time(r.BlockTime))})")));
        sb.Append("<p>To check the paper itself, <a href=\"/\">verify its document</a>.</p>");
        return Page($"Certificate {r.Number}: {word}", sb.ToString());
    }

    /// <summary>The page for a code printed for another chain or registry.</summary>
    public static string OtherDeployment(string chainId, string registry, BigInteger ourChain, string ourRegistry) => Page("Another registry", $"""
        <h1>This code is for another registry</h1>
        <div class="notice warn" role="alert">
        <p id="other-deployment">The code was printed for chain {E(chainId)}, registry <code class="wrap">{E(registry)}</code>.</p>
        <p>This portal reads chain {E(ourChain.ToString())}, registry <code class="wrap">{E(ourRegistry)}</code>: it cannot tell the status of that certificate.
        Open the code with the portal of the registry it names.</p>
        </div>
        """);
}
