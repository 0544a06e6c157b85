using System.Text;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Verifier;
using static Traceability.Portal.Pages.Html;

namespace Traceability.Portal.Pages;

/// <summary>The verify page: the form, and the result of a verification.</summary>
public static class VerifyPage
{
    /// <summary>Most lineage nodes drawn on the page (a larger graph is cut with a note).</summary>
    public const int MaxNodesDrawn = 400;

    /// <summary>The form: paste or choose the document and any ancestor documents. Works without JavaScript; the script adds drag and drop.</summary>
    public static string Form(int maxAncestors) => Page("Verify a document", $"""
        <h1>Verify a KP document</h1>
        <p>Check a Kimberley Process certificate, parcel, transformation or import confirmation against the registry on the chain.
        Add the documents of its parcels and their ancestors to check carats and claimed parents too.</p>
        <form method="post" action="/verify" enctype="multipart/form-data" class="verify">
        <fieldset>
        <legend>The document to verify</legend>
        <div class="drop" data-for="documentFile">
        <label for="documentFile">Choose its file (JSON)</label>
        <input type="file" id="documentFile" name="documentFile" accept=".json,application/json">
        <p class="hint" id="documentFile-hint">or drop it here</p>
        </div>
        <label for="documentText">…or paste it</label>
        <textarea id="documentText" name="documentText" rows="8" spellcheck="false" aria-describedby="documentText-help"></textarea>
        <p class="hint" id="documentText-help">One JSON document, as kp writes it.</p>
        </fieldset>
        <fieldset>
        <legend>Ancestor documents (optional)</legend>
        <div class="drop" data-for="ancestorFiles">
        <label for="ancestorFiles">Choose their files</label>
        <input type="file" id="ancestorFiles" name="ancestorFiles" accept=".json,application/json" multiple>
        <p class="hint" id="ancestorFiles-hint">or drop them here</p>
        </div>
        <label for="ancestorsText">…or paste them</label>
        <textarea id="ancestorsText" name="ancestorsText" rows="5" spellcheck="false" aria-describedby="ancestorsText-help"></textarea>
        <p class="hint" id="ancestorsText-help">One document or a JSON array of documents; at most {maxAncestors}.</p>
        </fieldset>
        <fieldset>
        <legend>Origin policy (optional)</legend>
        <label for="policyFile">Choose a policy file (JSON)</label>
        <input type="file" id="policyFile" name="policyFile" accept=".json,application/json" aria-describedby="policyFile-help">
        <p class="hint" id="policyFile-help">Restricted origins, compliant zones, untraced parts (docs/schemas/origin-policy.schema.json); without one, the portal's default, if it has one.</p>
        </fieldset>
        <button type="submit" id="verify">Verify</button>
        </form>
        """, "/static/verify.js");

    /// <summary>The result: the verdict and its reason, the checks, the lineage, the origins and the chain point.</summary>
    /// <param name="report">The report.</param>
    /// <param name="document">The document verified.</param>
    /// <param name="lookupUrl">For a certificate: the lookup address of its printed code.</param>
    public static string Result(VerificationReport report, KpRecord document, string? lookupUrl)
    {
        var (tone, meaning) = Tone(report.Verdict);
        var reason = Reason(report);
        var sb = new StringBuilder();
        sb.Append($"""
            <h1>{E(Capitalised(report.Title))}</h1>
            <section class="verdict {tone}" aria-labelledby="verdict">
            <p class="label">Verdict</p>
            <p id="verdict" class="word">{E(report.Verdict.ToString())}</p>
            <p class="meaning">{E(meaning)}</p>
            <p id="reason" class="reason">{E(reason)}</p>
            </section>
            """);
        var at = report.CheckedAgainst;
        sb.Append("<h2>Checked against</h2>").Append(Facts(
            ("Chain id", E(at.ChainId.ToString())),
            ("Registry", $"<code>{E(at.Registry)}</code>"),
            ("Block", $"{N((long)at.BlockNumber)} ({Time(at.BlockTime)})"),
            ("Block hash", $"<code class=\"wrap\">{E(at.BlockHash)}</code>"),
            ("Document hash", $"<code class=\"wrap\">{E(report.Hash.ToString())}</code>"),
            ("JSON-RPC round trips", N(report.RoundTrips))));
        if (lookupUrl is not null) sb.Append($"<p>Printed code's lookup: <a href=\"{E(lookupUrl)}\">on-chain status of this certificate</a></p>");
        if (document is CertificateRecord printable && PrintView.Printable(report)) sb.Append(PrintView.Form(printable));

        sb.Append("<h2 id=\"checks-title\">Checks</h2><div class=\"scroll\"><table class=\"checks\" aria-labelledby=\"checks-title\"><thead><tr>")
            .Append("<th scope=\"col\">Check</th><th scope=\"col\">Result</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var c in report.Checks)
        {
            sb.Append($"<tr class=\"{c.Status.ToString().ToLowerInvariant()}\"><td><code>{E(c.Name)}</code></td>")
                .Append($"<td><span class=\"status {c.Status.ToString().ToLowerInvariant()}\">{E(StatusWord(c.Status))}</span></td><td>{E(c.Reason)}</td></tr>");
        }
        sb.Append("</tbody></table></div>");

        sb.Append("<h2>Countries of origin</h2>");
        IReadOnlyList<ParticipantCode> declared = document is CertificateRecord cert ? cert.Details.Origins : [];
        if (report.Origins.Count == 0) sb.Append("<p>None traced on the chain.</p>");
        else sb.Append("<ul class=\"origins\">").Append(string.Concat(report.Origins.Select(o => $"<li>{E(Country(o))}</li>"))).Append("</ul>");
        if (declared.Count > 0) sb.Append($"<p>The certificate declares: {E(string.Join(", ", declared.Select(d => Country(d))))}.</p>");

        if (report.Lineage.Count > 0)
        {
            sb.Append("<h2 id=\"lineage-title\">Lineage</h2><p class=\"hint\">Each parcel with its holder and status, and below it the parcels it was made from, down to the origin parcels and the country that registered them.</p>");
            sb.Append(Lineage(report.Lineage));
        }
        if (report.Missing.Count > 0)
        {
            sb.Append("<h2>What would settle it</h2><p>The documents of these parcels:</p><ul class=\"hashes\">")
                .Append(string.Concat(report.Missing.Take(50).Select(h => $"<li><code class=\"wrap\">{E(h.ToString())}</code></li>"))).Append("</ul>");
        }
        sb.Append("<p><a href=\"/\">Verify another document</a></p>");
        return Page($"{report.Verdict}: {report.Title}", sb.ToString());
    }

    /// <summary>The verdict's colour class and what it means, in words.</summary>
    public static (string Tone, string Meaning) Tone(Verdict v) => v switch
    {
        Verdict.Verified => ("ok", "The document is what was anchored, by an authority, current, unflagged, with a sound lineage."),
        Verdict.Inconclusive => ("warn", "A check that matters could not be settled: see below what would settle it."),
        Verdict.Expired => ("warn", "The certificate expired before its import was confirmed."),
        Verdict.NotFound => ("bad", "The chain knows no such record: a forged number or an invented document."),
        Verdict.Tampered => ("bad", "The chain knows the number, but this document's content differs from what was anchored."),
        Verdict.Unauthorized => ("bad", "Its signer is not an authority of the exporter, or the number is not the exporter's."),
        Verdict.OtherDeployment => ("warn", "The document was made for another chain or registry than this portal reads."),
        Verdict.Invalid => ("bad", "The document was anchored but breaks the KP rules."),
        Verdict.Voided => ("bad", "The exporting authority voided the certificate."),
        Verdict.Flagged => ("bad", "Governance flagged the record or one of its ancestors."),
        Verdict.BrokenLineage => ("bad", "The parcels' lineage does not hold."),
        Verdict.Restricted => ("bad", "The chain checks hold, but the origin policy refuses the lineage: the policy checks name the path."),
        _ => ("warn", ""),
    };

    /// <summary>Why the verdict is what it is: the first failed check of that verdict, else the first unknown one, else "every check passed".</summary>
    public static string Reason(VerificationReport r) =>
        r.Checks.FirstOrDefault(c => c.Status == CheckStatus.Fail && c.FailVerdict == r.Verdict)?.Reason
        ?? r.Checks.FirstOrDefault(c => c.Status == CheckStatus.Fail)?.Reason
        ?? r.Checks.FirstOrDefault(c => c.Status == CheckStatus.Unknown)?.Reason
        ?? "Every check passed.";

    private static string StatusWord(CheckStatus s) => s switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "FAIL",
        CheckStatus.Unknown => "unknown",
        _ => "skipped",
    };

    /// <summary>The lineage as a tree of nested lists: a parcel shared by several descendants is drawn once and referred to after.</summary>
    private static string Lineage(IReadOnlyList<LineageNode> roots)
    {
        var sb = new StringBuilder("<ul class=\"tree\" aria-labelledby=\"lineage-title\">");
        var seen = new HashSet<Hash32>();
        var drawn = 0;
        void Node(LineageNode n)
        {
            sb.Append("<li>");
            if (!seen.Add(n.Parcel))
            {
                sb.Append($"<span class=\"node again\">parcel {Hash(n.Parcel.ToString())} (shown above)</span></li>");
                return;
            }
            if (++drawn > MaxNodesDrawn)
            {
                sb.Append("<span class=\"node\">… (the rest of the lineage is not drawn)</span></li>");
                return;
            }
            var s = n.State;
            var label = n.Document?.ParcelId is { } id ? $" <span class=\"id\">{E(id)}</span>" : "";
            var kind = s.IsOrigin ? "origin" : "derived";
            sb.Append($"<span class=\"node {kind}\"><span class=\"kind\">{(s.IsOrigin ? "origin parcel" : "parcel")}</span> {Hash(n.Parcel.ToString())}{label}")
                .Append($" · held by {E(Country(s.Holder))} · {E(s.Status.ToString().ToLowerInvariant())}");
            if (s.IsOrigin) sb.Append($" · <strong>registered in {E(n.RegisteredIn is { } r ? Country(r) : "?")}</strong>");
            if (s.Flag != RecordFlag.None) sb.Append($" · <strong class=\"flag\">flagged {E(s.Flag.ToString().ToLowerInvariant())}</strong>");
            if (!s.Exists) sb.Append(" · <strong class=\"flag\">not on the chain</strong>");
            sb.Append("</span>");
            if (n.Transformation is { } t && n.Parents.Count > 0)
            {
                sb.Append($"<p class=\"via\">made by transformation {Hash(t.ToString())} from:</p>");
            }
            if (n.Parents.Count > 0)
            {
                sb.Append("<ul>");
                foreach (var p in n.Parents) Node(p);
                sb.Append("</ul>");
            }
            sb.Append("</li>");
        }
        foreach (var r in roots) Node(r);
        return sb.Append("</ul>").ToString();
    }

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
