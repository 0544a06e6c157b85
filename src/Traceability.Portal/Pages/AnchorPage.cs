using System.Numerics;
using System.Text;
using Traceability.Chain.Registry;
using Traceability.Portal.Chain;
using static Traceability.Portal.Pages.Html;

namespace Traceability.Portal.Pages;

/// <summary>
/// The lookup of an anchored batch (kp anchor): whether its root is anchored on this registry, by whom and when, and
/// whether an EPCIS event's leaf with its proof reproduces the root; and the form that finds them from the EPCIS document.
/// </summary>
public static class AnchorPage
{
    /// <summary>The form: an EPCIS document, pasted or uploaded, and the place of its event (no script needed).</summary>
    public static string Form() => Page("Check an EPCIS event", """
        <h1>Check an anchored EPCIS event</h1>
        <p>A member anchors an EPCIS 2.0 document's events with <code>kp anchor --epcis</code>: the leaves are the events' EPCIS Event Hash IDs.
        Give the document and the place of the event (from 0): the portal computes the root and the event's proof and reads the registry.</p>
        <form method="post" action="/e" enctype="multipart/form-data">
        <p><label for="documentText">EPCIS document (JSON-LD)</label><br><textarea id="documentText" name="documentText" rows="12" cols="80"></textarea></p>
        <p><label for="documentFile">or its file</label> <input type="file" id="documentFile" name="documentFile" accept=".jsonld,.json,application/ld+json,application/json"></p>
        <p><label for="index">Event index</label> <input type="text" id="index" name="index" inputmode="numeric" value="0" size="6" required></p>
        <p><button type="submit">Check</button></p>
        </form>
        <p>A link printed by <code>kp anchor check --epcis</code> opens the same answer directly.</p>
        """);

    /// <summary>Renders a lookup: anchored or not, and with an event whether it matches.</summary>
    public static string Render(AnchorLookupResult r, BigInteger chainId, string registry, string link)
    {
        var q = r.Query;
        var (tone, word, meaning) = (r.Anchored, q.EventHashId is null, r.Included, q.ProofMatches) switch
        {
            (false, _, _, _) => ("bad", "NOT ANCHORED", $"No participant anchored a batch with root {q.Root} on this registry (up to block {r.Block})."),
            (true, true, _, _) => ("ok", "anchored", "This root is anchored on this registry."),
            (true, false, true, _) => ("ok", "anchored and proven", "The event is in the anchored batch: its leaf with the proof reproduces the anchored root."),
            _ => ("bad", "DOES NOT MATCH", "The root is anchored, but the event's leaf with this proof does not reproduce it: the event, as given, is not in the batch."),
        };
        if (r.Anchors.Any(a => a.Flag != RecordFlag.None))
        {
            meaning += " Governance flagged an anchor of this root: treat it as unreliable until the flag is cleared.";
            tone = "bad";
        }
        var sb = new StringBuilder();
        sb.Append($"""
            <h1>Anchored batch</h1>
            <section class="verdict {tone}" aria-labelledby="status">
            <p class="label">On-chain status</p>
            <p id="status" class="word">{E(word)}</p>
            <p class="meaning">{E(meaning)}</p>
            </section>
            """);
        var proof = q.ProofMatches switch
        {
            true => "<span class=\"status pass\">reproduces</span> the root",
            false => "<span class=\"status fail\">DOES NOT MATCH</span> the root",
            null => "no event was given",
        };
        sb.Append("<h2>Asked</h2>").Append(Facts(
            ("Merkle root", $"<code class=\"wrap\">{E(q.Root.ToString())}</code>"),
            ("EPCIS event", q.EventHashId is { } id ? $"<code id=\"event-hash\" class=\"wrap\">{E(id)}</code>" : "—"),
            ("Leaf", q.Leaf is { } leaf ? $"<code class=\"wrap\">{E(leaf.ToString())}</code>" : "—"),
            ("Proof", q.EventHashId is null ? "—" : $"{N(q.Proof.Count)} node(s)"),
            ("Event leaf and proof", $"<span id=\"proof-match\">{proof}</span>")));
        if (r.Anchored)
        {
            sb.Append("<h2 id=\"anchors-title\">Anchored by</h2><div class=\"scroll\"><table aria-labelledby=\"anchors-title\"><thead><tr><th scope=\"col\">Participant</th>"
                + "<th scope=\"col\">Member</th><th scope=\"col\">When</th><th scope=\"col\">Block</th><th scope=\"col\">Leaves</th><th scope=\"col\">Flag</th>"
                + (q.EventHashId is null ? "" : "<th scope=\"col\">Event in batch</th>") + "</tr></thead><tbody>");
            foreach (var a in r.Anchors)
            {
                sb.Append($"<tr><td>{E(Country(a.Participant))}</td><td><code class=\"wrap\">{E(a.Registrant)}</code></td><td>{E(Time(a.AnchoredAt))}</td>"
                    + $"<td>{N((long)a.Mark.BlockNumber)}</td><td>{N(a.LeafCount)}</td><td>{E(a.Flag.ToString().ToLowerInvariant())}</td>"
                    + (a.Included is { } inc ? $"<td>{(inc ? "yes" : "no")}</td>" : "") + "</tr>");
            }
            sb.Append("</tbody></table></div>");
            if (r.Anchors.Count > 1) sb.Append("<p>Several participants anchored the same root: none is credited over the others.</p>");
        }
        sb.Append("<h2>Checked against</h2>").Append(Facts(
            ("Chain id", E(chainId.ToString())),
            ("Registry", $"<code class=\"wrap\">{E(registry)}</code>"),
            ("Block", $"{N((long)r.Block)} ({E(Time(r.BlockTime))})"),
            ("Link to this answer", $"<a class=\"wrap\" href=\"{E(link)}\">{E(link)}</a>")));
        sb.Append("<p>To check an event from its document, <a href=\"/e\">open the EPCIS event form</a>.</p>");
        return Page($"Anchored batch: {word}", sb.ToString());
    }

    /// <summary>The page for a link made for another chain or registry.</summary>
    public static string OtherDeployment(string chainId, string registry, BigInteger ourChain, string ourRegistry) => Page("Another registry", $"""
        <h1>This link is for another registry</h1>
        <div class="notice warn" role="alert">
        <p id="other-deployment">The link names chain {E(chainId)}, registry <code class="wrap">{E(registry)}</code>.</p>
        <p>This portal reads chain {E(ourChain.ToString())}, registry <code class="wrap">{E(ourRegistry)}</code>: it cannot tell whether that batch is anchored there.
        Open the link with the portal of the registry it names.</p>
        </div>
        """);
}
