using Traceability.Portal.Chain;
using Traceability.Portal.Hosting;
using Traceability.Verifier;

namespace Traceability.Portal.Verification;

/// <summary>Verifies documents against the portal's registry under the chain deadline, as kp verify does.</summary>
public sealed class PortalVerifier(PortalChain chain, ILogger<PortalVerifier> logger)
{
    /// <summary>The report of <paramref name="documents"/>; the chain reads stop at the deadline or when the client goes away.</summary>
    public async Task<VerificationReport> VerifyAsync(DocumentSet documents, CancellationToken aborted)
    {
        var report = await chain.ReadAsync(async ct =>
        {
            var reader = chain.ReaderForRequest();
            using var rpc = reader.Rpc;
            var verifier = new DocumentVerifier(reader, await chain.DomainAsync(ct).ConfigureAwait(false), chain.FromBlock);
            return await verifier.VerifyAsync(documents.Document, documents.Ancestors, null, ct).ConfigureAwait(false);
        }, aborted).ConfigureAwait(false);
        PortalLog.Verified(logger, report.Kind.ToString(), report.Verdict.ToString(), report.RoundTrips);
        return report;
    }
}
