using System.Numerics;
using System.Text;
using Traceability.Chain.Registry;
using static Traceability.Portal.Pages.Html;

namespace Traceability.Portal.Pages;

/// <summary>The registry at a glance: participants with their status and activity, the latest certificates and anchors.</summary>
public static class RegistryPage
{
    /// <summary>Renders the overview.</summary>
    public static string Render(RegistryOverview o, BigInteger chainId, string registry, ulong blockTime)
    {
        var sb = new StringBuilder("<h1>Registry overview</h1>");
        sb.Append(Facts(
            ("Chain id", E(chainId.ToString())),
            ("Registry", $"<code class=\"wrap\">{E(registry)}</code>"),
            ("Block", $"{N((long)o.Block)} ({E(Time(blockTime))})"),
            ("Participants", N(o.Participants.Count)),
            ("Certificates issued", N(o.Certificates)),
            ("Parcels registered", N(o.Parcels))));
        sb.Append("<h2 id=\"participants-title\">Participants</h2><div class=\"scroll\"><table class=\"numbers\" aria-labelledby=\"participants-title\"><thead><tr>")
            .Append("<th scope=\"col\" rowspan=\"2\">Participant</th><th scope=\"col\" rowspan=\"2\">Status</th>")
            .Append("<th scope=\"colgroup\" colspan=\"4\">Certificates</th><th scope=\"colgroup\" colspan=\"2\">Parcels</th>")
            .Append("<th scope=\"col\" rowspan=\"2\">Transfor&shy;mations</th><th scope=\"col\" rowspan=\"2\">Anchors</th></tr><tr>")
            .Append("<th scope=\"col\">issued</th><th scope=\"col\">imported</th><th scope=\"col\">imports confirmed</th><th scope=\"col\">voided</th>")
            .Append("<th scope=\"col\">origin</th><th scope=\"col\">derived</th></tr></thead><tbody>");
        foreach (var p in o.Participants)
        {
            var status = p.Status == ParticipantStatus.Active ? "pass" : "fail";
            sb.Append($"<tr><th scope=\"row\">{E(Country(p.Code))}</th><td><span class=\"status {status}\">{E(p.Status.ToString().ToLowerInvariant())}</span></td>")
                .Append($"<td>{N(p.CertificatesIssued)}</td><td>{N(p.CertificatesImported)}</td><td>{N(p.ImportsConfirmed)}</td><td>{N(p.CertificatesVoided)}</td>")
                .Append($"<td>{N(p.OriginParcels)}</td><td>{N(p.DerivedParcels)}</td><td>{N(p.Transformations)}</td><td>{N(p.Anchors)}</td></tr>");
        }
        sb.Append("</tbody></table></div>");

        sb.Append("<h2 id=\"certificates-title\">Latest certificates</h2>");
        if (o.LatestCertificates.Count == 0) sb.Append("<p>None yet.</p>");
        else
        {
            sb.Append("<div class=\"scroll\"><table aria-labelledby=\"certificates-title\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Exporter</th><th scope=\"col\">Importer</th><th scope=\"col\">Parcels</th><th scope=\"col\">Certificate hash</th></tr></thead><tbody>");
            foreach (var c in o.LatestCertificates)
            {
                sb.Append($"<tr><td>{E(Time(c.Mark.BlockTime))}</td><td>{E(Country(c.Exporter))}</td><td>{E(Country(c.Importer))}</td><td>{N(c.ParcelCount)}</td><td>{Hash(c.CertificateHash.ToString())}</td></tr>");
            }
            sb.Append("</tbody></table></div>");
        }

        sb.Append("<h2 id=\"anchors-title\">Latest anchors</h2>");
        if (o.LatestAnchors.Count == 0) sb.Append("<p>None yet: batch anchors appear here when the anchoring service commits a Merkle root.</p>");
        else
        {
            sb.Append("<div class=\"scroll\"><table aria-labelledby=\"anchors-title\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Participant</th><th scope=\"col\">Leaves</th><th scope=\"col\">Root</th><th scope=\"col\">Member</th></tr></thead><tbody>");
            foreach (var a in o.LatestAnchors)
            {
                sb.Append($"<tr><td>{E(Time(a.Mark.BlockTime))}</td><td>{E(Country(a.Participant))}</td><td>{N(a.LeafCount)}</td><td>{Hash(a.Root.ToString())}</td><td>{Hash(a.Registrant)}</td></tr>");
            }
            sb.Append("</tbody></table></div>");
        }
        return Page("Registry overview", sb.ToString());
    }
}
