using Traceability.Chain.Registry;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Verifier.Tests;

/// <summary>
/// How many JSON-RPC round trips a verification takes (one a lineage level, then the certificates
/// of exporters outside the lineage), with the same checks and verdicts whatever is read ahead.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class RoundTripTests(HardhatFixture fixture)
{
    private static void Has(VerificationReport report, string check, CheckStatus status) =>
        Assert.Contains(report.Checks, c => c.Name == check && c.Status == status);

    /// <summary>The checks of a genuine certificate, as the walk gave them when it took two round trips a level (names and statuses, in order).</summary>
    private static readonly (string, CheckStatus)[] CertificateChecks =
    [
        ("document.kp-rules", CheckStatus.Pass), ("certificate.registered", CheckStatus.Pass), ("certificate.content", CheckStatus.Pass),
        ("certificate.issuer", CheckStatus.Pass), ("certificate.not-voided", CheckStatus.Pass), ("certificate.not-expired", CheckStatus.Pass),
        ("certificate.unflagged", CheckStatus.Pass), ("lineage.complete", CheckStatus.Pass),
    ];

    private static (string, CheckStatus)[] Checks(VerificationReport report) => [.. report.Checks.Select(c => (c.Name, c.Status))];

    [Fact]
    public async Task A_depth_3_certificate_takes_at_most_5_round_trips_and_3_with_its_ancestors()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        // mixed <- split <- lot <- merge <- sorted <- sort <- mined: three transformations deep
        var bare = await v.VerifyAsync(s.AeToIn);
        Assert.Equal(Verdict.Verified, bare.Verdict);
        Assert.Equal(4, bare.Lineage[0].Depth);
        Assert.InRange(bare.RoundTrips, 1, 5); // was 9 at two round trips a level
        Assert.Equal(
            [.. CertificateChecks, ("lineage.certificates-unflagged", CheckStatus.Pass), ("lineage.registered", CheckStatus.Pass),
                ("lineage.parents-on-chain", CheckStatus.Pass), ("lineage.unflagged", CheckStatus.Pass), ("lineage.carats-conserved", CheckStatus.Skipped),
                ("lineage.origins", CheckStatus.Pass), ("certificate.carats", CheckStatus.Skipped)],
            Checks(bare));

        var given = await v.VerifyAsync(s.AeToIn, s.Ancestors);
        Assert.Equal(Verdict.Verified, given.Verdict);
        Assert.InRange(given.RoundTrips, 1, 3); // the documents name every transformation and parent: read in one batch
        Assert.Equal(
            [.. CertificateChecks, ("lineage.certificates-unflagged", CheckStatus.Pass), ("lineage.registered", CheckStatus.Pass),
                ("lineage.parents-on-chain", CheckStatus.Pass), ("lineage.claimed-parents", CheckStatus.Pass), ("lineage.claimed-parents", CheckStatus.Pass),
                ("lineage.claimed-parents", CheckStatus.Pass), ("lineage.unflagged", CheckStatus.Pass), ("lineage.carats-conserved", CheckStatus.Pass),
                ("lineage.origins", CheckStatus.Pass), ("certificate.carats", CheckStatus.Pass)],
            Checks(given));
        Assert.Equal(bare.Origins, given.Origins);
        Assert.Equal(["BW", "CF"], given.Origins.Select(o => o.Value));
        Assert.Equal(bare.Lineage.Select(n => n.Origins().Count()), given.Lineage.Select(n => n.Origins().Count()));
    }

    [Fact]
    public async Task Documents_that_name_a_wrong_parent_still_get_the_chains_lineage()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        // a merge document that claims one BW origin parcel fewer: the walk reads the recorded parents it did not read ahead
        var merge = s.Transformations[1];
        var lying = merge with { Inputs = [.. merge.Inputs.Where(i => i != s.Mined[3].Hash())] };
        var report = await v.VerifyAsync(s.AeToIn, [.. s.Ancestors.Where(a => a != merge), lying]);
        Assert.Equal(Verdict.BrokenLineage, report.Verdict);
        Assert.Contains(report.Checks, c => c.Name == "lineage.claimed-parents" && c.Status == CheckStatus.Fail);
        Has(report, "lineage.complete", CheckStatus.Pass);
        Assert.Equal(["BW", "CF"], report.Origins.Select(o => o.Value));
        Assert.Equal(5, report.Lineage[0].Origins().Count());
    }

    [Fact]
    public async Task A_flag_on_a_certificate_from_an_exporter_outside_the_lineage_is_found()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var now = await r.Reader.BlockTimestampAsync();
        var origin = (await r.RegisterOriginAsync(BwMiner, "BW", 1, carats: 10_000))[0];
        // BW -> AE -> IN: AE only passes the parcel on, it never transforms it
        var bwToAe = SampleRecords.Certificate("BW", "AE", [origin.Hash()], carats: 10_000, issuedAt: now, origins: ["BW"]);
        await r.As(BwAuthority).IssueCertificateAsync(bwToAe);
        await r.As(AeAuthority).ConfirmImportAsync(bwToAe, SampleRecords.Confirmation(bwToAe, now + 60));
        var aeToIn = SampleRecords.Certificate("AE", "IN", [origin.Hash()], carats: 10_000, issuedAt: now, origins: ["BW"]);
        await r.As(AeAuthority).IssueCertificateAsync(aeToIn);
        await r.As(InAuthority).ConfirmImportAsync(aeToIn, SampleRecords.Confirmation(aeToIn, now + 60));
        var cut = SampleRecords.DerivedParcel("IN", 8_000, "BW");
        var cutting = SampleRecords.Transformation("IN", [origin.Hash()], [cut], "cut");
        await r.As(InCutter).TransformAsync(cutting);
        var inToEu = SampleRecords.Certificate("IN", "EU", [cut.Hash()], carats: 8_000, issuedAt: now, origins: ["BW"]);
        await r.As(InAuthority).IssueCertificateAsync(inToEu);
        var v = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber);
        var clean = await v.VerifyAsync(inToEu);
        Assert.Equal(Verdict.Verified, clean.Verdict);
        Assert.Contains(clean.Checks, c => c.Name == "lineage.certificates-unflagged" && c.Reason.Contains("none of the 2 certificate(s)", StringComparison.Ordinal));
        // the first batch, the one level, then the certificates into AE (an exporter outside the lineage): was 6
        Assert.Equal(3, clean.RoundTrips);

        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(bwToAe.Exporter, bwToAe.NumberHash),
            RecordFlag.Fraudulent, FlagCategory.ForgedDocument, "case 18");
        foreach (var report in new[] { await v.VerifyAsync(inToEu), await v.VerifyAsync(inToEu, [origin, cut, cutting]) })
        {
            Assert.Equal(Verdict.Flagged, report.Verdict);
            Assert.Contains(report.Checks, c => c.Name == "lineage.certificates-unflagged" && c.Status == CheckStatus.Fail
                && c.Reason.Contains("BW -> AE, Fraudulent", StringComparison.Ordinal));
            Assert.InRange(report.RoundTrips, 1, 3);
        }

        // cleared, the flag no longer counts: the last RecordFlagged event of a certificate is its flag
        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(bwToAe.Exporter, bwToAe.NumberHash),
            RecordFlag.None, FlagCategory.ForgedDocument, "case 18 closed");
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(inToEu)).Verdict);
    }
}
