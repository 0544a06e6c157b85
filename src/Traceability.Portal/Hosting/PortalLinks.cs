using Microsoft.Extensions.Options;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Portal.Chain;

namespace Traceability.Portal.Hosting;

/// <summary>The portal's public addresses: the lookup page a printed code opens.</summary>
public sealed class PortalLinks(IOptions<PortalOptions> options, PortalChain chain)
{
    /// <summary>The base URL: the configured public one, else the address the request came to.</summary>
    public string BaseUrl(HttpContext http) =>
        options.Value.PublicBaseUrl is { Length: > 0 } b ? b.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";

    /// <summary>The lookup URL of a certificate: /c/{chainId}/{registry}/{exporter}/{number}?h={certificate hash}.</summary>
    public async Task<string> LookupAsync(HttpContext http, ParticipantCode exporter, string number, Hash32? hash) =>
        Lookup(BaseUrl(http), (ulong)await chain.ChainIdAsync(http.RequestAborted), chain.Registry, exporter, number, hash);

    /// <summary>The lookup URL under <paramref name="baseUrl"/> (the form a printed QR code carries).</summary>
    public static string Lookup(string baseUrl, ulong chainId, string registry, ParticipantCode exporter, string number, Hash32? hash) =>
        $"{baseUrl.TrimEnd('/')}/c/{chainId}/{registry.ToLowerInvariant()}/{exporter.Value}/{Uri.EscapeDataString(number)}" + (hash is { } h ? $"?h={h}" : "");
}
