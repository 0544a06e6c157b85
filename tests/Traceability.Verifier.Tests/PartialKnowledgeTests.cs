using Traceability.Chain.Registry;
using Traceability.Core.Records;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Verifier.Tests;

/// <summary>
/// No Verified on partial knowledge (a walk cut at its bound, documents missing), carats summed
/// over every output the chain recorded, and certificate numbers that belong to their exporter.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class PartialKnowledgeTests(HardhatFixture fixture)
{
    private static void Has(VerificationReport report, string check, CheckStatus status) =>
        Assert.Contains(report.Checks, c => c.Name == check && c.Status == status);

    /// <summary>A BW origin parcel sorted 1 -> 1 <paramref name="steps"/> times, then certified to AE declaring <paramref name="declared"/>.</summary>
    private static async Task<(CertificateRecord Cert, List<KpRecord> Documents)> DeepLineageAsync(TestRegistry r, int steps, string declared)
    {
        var origin = (await r.RegisterOriginAsync(BwMiner, "BW", 1, carats: 10_000))[0];
        var documents = new List<KpRecord> { origin };
        var current = origin;
        for (var i = 0; i < steps; i++)
        {
            var next = SampleRecords.DerivedParcel("BW", 10_000, "BW");
            var t = SampleRecords.Transformation("BW", [current.Hash()], [next]);
            await r.As(BwTrader).TransformAsync(t);
            documents.AddRange([next, t]);
            current = next;
        }
        var now = await r.Reader.BlockTimestampAsync();
        var cert = SampleRecords.Certificate("BW", "AE", [current.Hash()], carats: 10_000, issuedAt: now, origins: [declared]);
        await r.As(BwAuthority).IssueCertificateAsync(cert);
        return (cert, documents);
    }

    [Fact]
    public async Task A_lineage_deeper_than_the_walks_bound_is_Inconclusive_never_Verified()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var (cert, _) = await DeepLineageAsync(r, 65, declared: "CF");
        var verifier = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        var report = await verifier.VerifyAsync(cert);
        Assert.Equal(Verdict.Inconclusive, report.Verdict);
        Has(report, "lineage.complete", CheckStatus.Unknown);
        Has(report, "lineage.origins", CheckStatus.Unknown);
        // the walk stays bounded: one round trip a level, plus the first batch and the certificates
        Assert.InRange(report.RoundTrips, 2, LineageBounds.Default.MaxDepth + 3);

        // with a bound that reaches the mine, the wrong declared origin is found
        var deeper = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber) { Bounds = new LineageBounds(100, 20_000) };
        var full = await deeper.VerifyAsync(cert);
        Assert.Equal(Verdict.BrokenLineage, full.Verdict);
        Has(full, "lineage.origins", CheckStatus.Fail);
        Has(full, "lineage.complete", CheckStatus.Pass);
    }

    [Fact]
    public async Task A_split_cannot_create_carats_even_when_a_document_leaves_an_output_out()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var p = (await r.RegisterOriginAsync(BwMiner, "BW", 1, carats: 10_000))[0];
        var a = SampleRecords.DerivedParcel("BW", 10_000, "BW");
        var b = SampleRecords.DerivedParcel("BW", 10_000, "BW");
        var split = SampleRecords.Transformation("BW", [p.Hash()], [a, b], "split");
        await r.As(BwTrader).TransformAsync(split);
        var now = await r.Reader.BlockTimestampAsync();
        var cert = SampleRecords.Certificate("BW", "AE", [a.Hash()], carats: 10_000, issuedAt: now);
        await r.As(BwAuthority).IssueCertificateAsync(cert);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);

        // the document that lists only a is not the transformation on record: its hash commits to both outputs
        var onlyA = SampleRecords.Transformation("BW", [p.Hash()], [a], "split") with { TransformationId = split.TransformationId, Salt = split.Salt, PerformedAt = split.PerformedAt };
        Assert.Equal(Verdict.NotFound, (await v.VerifyAsync(onlyA)).Verdict);
        var withLie = await v.VerifyAsync(cert, [p, a, onlyA]);
        Assert.NotEqual(Verdict.Verified, withLie.Verdict);
        Has(withLie, "lineage.claimed-parents", CheckStatus.Fail);

        // without b's document the carats cannot be summed over every output: Inconclusive, naming b
        var partial = await v.VerifyAsync(cert, [p, a]);
        Assert.Equal(Verdict.Inconclusive, partial.Verdict);
        Has(partial, "lineage.carats-conserved", CheckStatus.Unknown);
        Assert.Contains(b.Hash(), partial.Missing);

        // with it, the split is seen to create 100 ct
        var whole = await v.VerifyAsync(cert, [p, a, b, split]);
        Assert.Equal(Verdict.BrokenLineage, whole.Verdict);
        Has(whole, "lineage.carats-conserved", CheckStatus.Fail);
    }

    [Fact]
    public async Task Some_parcel_documents_missing_is_Inconclusive_and_names_them()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        var withoutOne = s.Ancestors.Where(d => d != s.Mixed[1]).ToList();
        var report = await v.VerifyAsync(s.AeToIn, withoutOne);
        Assert.Equal(Verdict.Inconclusive, report.Verdict);
        Has(report, "certificate.carats", CheckStatus.Unknown);
        Assert.Contains(s.Mixed[1].Hash(), report.Missing);
        // no documents at all: the carats checks are not asked for, the chain checks settle it
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.AeToIn)).Verdict);
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.AeToIn, s.Ancestors)).Verdict);
    }

    [Fact]
    public async Task A_certificate_number_belongs_to_its_exporter()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var now = await r.Reader.BlockTimestampAsync();
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);

        // the AE authority registers and voids a number of Botswana's series first
        var aeParcels = await r.RegisterOriginAsync(AeTrader, "AE", 1);
        var squat = SampleRecords.Certificate("AE", "IN", Hashes(aeParcels), carats: 100_000, issuedAt: now, number: "BW2026-004711");
        await r.As(AeAuthority).IssueCertificateAsync(squat);
        var squatReport = await v.VerifyAsync(squat);
        Assert.Equal(Verdict.Unauthorized, squatReport.Verdict);
        Has(squatReport, "certificate.number-owner", CheckStatus.Fail);
        await r.As(AeAuthority).VoidCertificateAsync(squat);

        // Botswana's real certificate with that number still issues, and verifies
        var bwParcels = await r.RegisterOriginAsync(BwMiner, "BW", 1);
        var real = SampleRecords.Certificate("BW", "AE", Hashes(bwParcels), carats: 100_000, issuedAt: now, number: "BW2026-004711");
        await r.As(BwAuthority).IssueCertificateAsync(real);
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(real)).Verdict);
        Assert.Equal(CertificateStatus.Issued, (await r.Reader.CertificateAsync(real.Exporter, real.Number)).Status);

        // and nobody but Botswana's authority can void it
        var e = await Assert.ThrowsAsync<Chain.Registry.ContractRevertException>(() => r.As(AeAuthority).VoidCertificateAsync(real));
        Assert.Equal("NotAnAuthority", e.ErrorName);
    }

    [Fact]
    public async Task A_cancelled_verification_stops_with_OperationCanceledException()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => v.VerifyAsync(s.AeToIn, s.Ancestors, ct: cancelled.Token));
    }

    [Fact]
    public async Task A_lineage_that_doubles_at_every_level_is_walked_and_reported_in_linear_time()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        // 24 sorts in a row, each taking the 2 parcels of the level before and making 2: as a tree it
        // would have 2^24 paths; as a graph it has 50 parcels
        var level = await r.RegisterOriginAsync(BwMiner, "BW", 2, carats: 10_000);
        for (var i = 0; i < 24; i++)
        {
            var next = new[] { SampleRecords.DerivedParcel("BW", 10_000, "BW"), SampleRecords.DerivedParcel("BW", 10_000, "BW") };
            await r.As(BwTrader).TransformAsync(SampleRecords.Transformation("BW", Hashes(level), next));
            level = next;
        }
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        var report = await v.VerifyAsync(level[0]);
        Assert.Equal(Verdict.Verified, report.Verdict);
        Assert.Equal(25, report.Lineage[0].Depth);
        Assert.Equal(2, report.Lineage[0].Origins().Count());
        Assert.Same(report.Lineage[0].Parents[0].Parents[0], report.Lineage[0].Parents[1].Parents[0]); // one node per parcel
    }
}
