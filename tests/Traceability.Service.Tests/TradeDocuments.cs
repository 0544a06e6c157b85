using Traceability.Chain.Signing;
using Traceability.Core.Records;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Service.Tests;

/// <summary>Documents a BW member's service anchors: mined parcels, a sort, and a certificate signed by the BW authority.</summary>
public sealed record TradeDocuments(IReadOnlyList<ParcelRecord> Mined, IReadOnlyList<ParcelRecord> Sorted, TransformationRecord Sort, CertificateRecord Certificate)
{
    public static async Task<TradeDocuments> CreateAsync(TestRegistry r)
    {
        var now = await r.Reader.BlockTimestampAsync();
        var mined = Enumerable.Range(0, 5).Select(_ => SampleRecords.OriginParcel("BW", 100_000)).ToList();
        var sorted = new[] { SampleRecords.DerivedParcel("BW", 120_000, "BW"), SampleRecords.DerivedParcel("BW", 80_000, "BW") };
        var sort = SampleRecords.Transformation("BW", Hashes(mined.Take(2)), sorted);
        var cert = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [.. Hashes(sorted), mined[2].Hash()], carats: 300_000, issuedAt: now),
            now + 3600, Account(BwAuthority), r.Domain);
        return new TradeDocuments(mined, sorted, sort, cert);
    }
}
