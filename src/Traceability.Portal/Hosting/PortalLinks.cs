using Microsoft.Extensions.Options;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Portal.Chain;
using Traceability.Print;

namespace Traceability.Portal.Hosting;

/// <summary>The portal's public addresses: the lookup page a printed code opens, in the one format of <see cref="LookupLink"/>, and an anchored batch's (<see cref="EventLink"/>).</summary>
public sealed class PortalLinks(IOptions<PortalOptions> options, PortalChain chain)
{
    /// <summary>The base URL: the configured public one, else the address the request came to.</summary>
    public string BaseUrl(HttpContext http) =>
        options.Value.PublicBaseUrl is { Length: > 0 } b ? b.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";

    /// <summary>The link a printed <paramref name="certificate"/> carries: this portal's lookup of it on this deployment, with its content hash.</summary>
    public async Task<LookupLink> LinkAsync(HttpContext http, CertificateRecord certificate) =>
        LookupLink.For(certificate, new Uri(BaseUrl(http)), (ulong)await chain.ChainIdAsync(http.RequestAborted).ConfigureAwait(false), chain.Registry);

    /// <summary>The lookup URL of a certificate: /c/{chainId}/{registry}/{exporter}/{number}, with ?h={certificate hash} when the hash is known.</summary>
    public async Task<string> LookupAsync(HttpContext http, ParticipantCode exporter, string number, Hash32? hash)
    {
        var link = new LookupLink(new Uri(BaseUrl(http)), (ulong)await chain.ChainIdAsync(http.RequestAborted).ConfigureAwait(false), chain.Registry,
            exporter, number, hash ?? default);
        return hash is null ? link.Page : link.ToString();
    }

    /// <summary>The lookup URL of an anchored batch's root, with the event and its proof when asked: /e/{chainId}/{registry}/{root}?event=…&amp;proof=… (<see cref="EventLink"/>).</summary>
    public async Task<string> AnchorAsync(HttpContext http, AnchorQuery query)
    {
        var link = new EventLink(new Uri(BaseUrl(http)), (ulong)await chain.ChainIdAsync(http.RequestAborted).ConfigureAwait(false), chain.Registry,
            query.Root, query.EventHashId ?? "", query.Proof);
        return query.EventHashId is null ? link.Page : link.ToString();
    }
}
