using System.Globalization;
using Traceability.Core.Primitives;

namespace Traceability.Print;

/// <summary>
/// The portal's lookup of one EPCIS event in an anchored batch (kp anchor --epcis):
/// <c>{base}/e/{chainId}/{registry}/{root}?event={Event Hash ID}&amp;proof={node,node,…}</c>. The portal answers it with
/// whether the root is anchored on that registry (by which participant, when) and whether the event's leaf with
/// the proof reproduces the root. Its format lives here, beside <see cref="LookupLink"/>, so kp and the portal agree.
/// </summary>
/// <param name="PortalBase">The portal's public base URL (see <see cref="LookupLink.ParseBase"/>).</param>
/// <param name="ChainId">The chain the batch was anchored on.</param>
/// <param name="Registry">The registry's address (0x, 40 hex digits).</param>
/// <param name="Root">The batch's Merkle root.</param>
/// <param name="EventHashId">The event's EPCIS Event Hash ID (ni:///sha-256;…?ver=CBV2.0).</param>
/// <param name="Proof">The event's Merkle proof, sibling nodes from leaf to root (empty for a batch of one).</param>
public sealed record EventLink(Uri PortalBase, ulong ChainId, string Registry, Hash32 Root, string EventHashId, IReadOnlyList<Hash32> Proof)
{
    /// <summary>The page of the root alone (no event): whether and by whom it is anchored.</summary>
    public string Page
    {
        get
        {
            var root = PortalBase.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return string.Create(CultureInfo.InvariantCulture, $"{root}/e/{ChainId}/{Registry.ToLowerInvariant()}/{Root}");
        }
    }

    /// <summary>The whole link: <see cref="Page"/> with the event (escaped: it holds ';', '?' and '=') and its proof.</summary>
    public override string ToString() => $"{Page}?event={Uri.EscapeDataString(EventHashId)}&proof={string.Join(',', Proof)}";
}
