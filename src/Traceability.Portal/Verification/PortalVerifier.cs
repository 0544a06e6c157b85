using Traceability.Portal.Chain;
using Traceability.Portal.Hosting;
using Traceability.Verifier;

namespace Traceability.Portal.Verification;

/// <summary>Verifies documents against the portal's registry under the chain deadline, as kp verify does.</summary>
public sealed class PortalVerifier(PortalChain chain, ReportCache cache, ILogger<PortalVerifier> logger)
{
    /// <summary>The report of <paramref name="documents"/>; the chain reads stop at the deadline or when the client goes away.</summary>
    public async Task<VerificationReport> VerifyAsync(DocumentSet documents, CancellationToken aborted) => (await VerifyCachedAsync(documents, aborted).ConfigureAwait(false)).Report;

    /// <summary>
    /// As <see cref="VerifyAsync"/>, and whether the report came from <see cref="ReportCache"/>: the same documents at the same
    /// head block get the report already made (one round trip to read the head).
    /// </summary>
    public async Task<(VerificationReport Report, bool Cached)> VerifyCachedAsync(DocumentSet documents, CancellationToken aborted)
    {
        var key = cache.Capacity == 0 ? null : ReportCache.KeyOf(documents);
        var (report, cached) = await chain.ReadAsync(async ct =>
        {
            var reader = chain.ReaderForRequest();
            using var rpc = reader.Rpc;
            if (key is not null)
            {
                var head = await rpc.RequestAsync("eth_getBlockByNumber", "latest", false).ConfigureAwait(false);
                if ((string?)head?["hash"] is { } hash && cache.Find(key, hash) is { } known) return (known, true);
            }
            var verifier = new DocumentVerifier(reader, await chain.DomainAsync(ct).ConfigureAwait(false), chain.FromBlock) { Policy = documents.Policy };
            return (await verifier.VerifyAsync(documents.Document, documents.Ancestors, null, ct).ConfigureAwait(false), false);
        }, aborted).ConfigureAwait(false);
        if (!cached && key is not null) cache.Keep(key, report);
        PortalLog.Verified(logger, report.Kind.ToString(), report.Verdict.ToString(), report.RoundTrips);
        return (report, cached);
    }
}
