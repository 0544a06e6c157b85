using System.Globalization;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Print;

/// <summary>
/// The address a printed certificate's QR code carries: the portal's lookup of one certificate on one
/// deployment, with the content hash printed on the paper, <c>{base}/c/{chainId}/{registry}/{exporter}/{number}?h={hash}</c>.
/// The portal answers it with the on-chain status and whether the paper's hash is the anchored one.
/// </summary>
/// <param name="PortalBase">The portal's public base URL (http or https, no query).</param>
/// <param name="ChainId">The chain the certificate was issued on.</param>
/// <param name="Registry">The registry's address (0x, 40 hex digits).</param>
/// <param name="Exporter">The exporting participant.</param>
/// <param name="Number">The certificate number.</param>
/// <param name="ContentHash">The certificate's EIP-712 hash (what the registry anchors).</param>
public sealed record LookupLink(Uri PortalBase, ulong ChainId, string Registry, ParticipantCode Exporter, string Number, Hash32 ContentHash)
{
    /// <summary>The link of <paramref name="certificate"/> issued on <paramref name="chainId"/>, registry <paramref name="registry"/>.</summary>
    public static LookupLink For(CertificateRecord certificate, Uri portalBase, ulong chainId, string registry)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new(portalBase, chainId, registry, certificate.Exporter, certificate.Number, certificate.Hash());
    }

    /// <summary>The portal's base URL as given on the command line or in settings: absolute http(s), no query or fragment.</summary>
    /// <exception cref="FormatException">Not such a URL (the message says why).</exception>
    public static Uri ParseBase(string text)
    {
        if (!Uri.TryCreate((text ?? "").Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new FormatException($"'{text}' is not a portal address: an absolute http(s) URL such as https://kp-portal.example.org");
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0) throw new FormatException($"'{text}': a portal address has no query or fragment");
        if (uri.UserInfo.Length > 0) throw new FormatException($"'{text}': a portal address has no user name or password (an '@' before the host hides where the code really leads)");
        return uri;
    }

    /// <summary>The lookup page without the printed hash (the number escaped: it may hold characters a path does not).</summary>
    public string Page
    {
        get
        {
            var root = PortalBase.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return string.Create(CultureInfo.InvariantCulture, $"{root}/c/{ChainId}/{Registry.ToLowerInvariant()}/{Exporter.Value}/{Uri.EscapeDataString(Number)}");
        }
    }

    /// <summary>The URL the QR code carries: <see cref="Page"/> with the printed content hash.</summary>
    public override string ToString() => $"{Page}?h={ContentHash}";
}
