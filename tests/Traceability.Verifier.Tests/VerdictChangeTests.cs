using Traceability.Chain.Registry;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Verifier.Tests;

/// <summary>Verdicts that need the chain changed (a void, a flag, time passing, a new certificate): each test plays its own story.</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class VerdictChangeTests(HardhatFixture fixture)
{
    private async Task<(TestRegistry R, TradeStory S, DocumentVerifier V)> Story()
    {
        var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        return (r, s, new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber));
    }

    private static void Has(VerificationReport report, string check, CheckStatus status) =>
        Assert.Contains(report.Checks, c => c.Name == check && c.Status == status);

    [Fact]
    public async Task A_voided_certificate_is_Voided()
    {
        var (r, s, v) = await Story();
        using var _ = r;
        await r.As(AeAuthority).VoidCertificateAsync(s.AeToIn);
        Assert.Equal(Verdict.Voided, (await v.VerifyAsync(s.AeToIn)).Verdict);
    }

    [Fact]
    public async Task An_unconfirmed_certificate_past_its_expiry_is_Expired_and_a_confirmed_one_is_not()
    {
        var (r, s, v) = await Story();
        using var _ = r;
        await TradeStory.AdvanceTimeAsync(r, 61 * 86_400);
        var report = await v.VerifyAsync(s.AeToIn);
        Assert.Equal(Verdict.Expired, report.Verdict);
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.BwToAe)).Verdict);
    }

    [Fact]
    public async Task A_certificate_with_a_flagged_ancestor_is_Flagged()
    {
        var (r, s, v) = await Story();
        using var _ = r;
        await r.As(Governor).SetFlagAsync(FlaggableKind.Parcel, s.Mined[4].Hash(), RecordFlag.Suspicious, FlagCategory.SuspiciousOrigin, "CF parcel reported outside a compliant zone");
        var report = await v.VerifyAsync(s.AeToIn);
        Assert.Equal(Verdict.Flagged, report.Verdict);
        Assert.Contains(report.Checks, c => c.Name == "lineage.unflagged" && c.Status == CheckStatus.Fail && c.Reason.Contains("Suspicious", StringComparison.Ordinal));
        // the BW-only certificate does not descend from the CF parcel
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.BwToAe)).Verdict);
    }

    [Fact]
    public async Task Declared_origins_that_do_not_add_up_are_BrokenLineage()
    {
        var (r, _, v) = await Story();
        using var __ = r;
        // a fresh AE certificate over CF-descended goods that declares BW only
        var now = await r.Reader.BlockTimestampAsync();
        var cfParcel = SampleRecords.OriginParcel("CF", 10_000, "Carnot");
        await r.As(CfMiner).RegisterParcelsAsync([cfParcel]);
        var cert = SampleRecords.Certificate("CF", "AE", [cfParcel.Hash()], carats: 10_000, issuedAt: now, origins: ["BW"]);
        await r.As(CfAuthority).IssueCertificateAsync(cert);
        var report = await v.VerifyAsync(cert);
        Assert.Equal(Verdict.BrokenLineage, report.Verdict);
        Has(report, "lineage.origins", CheckStatus.Fail);
    }

    [Fact]
    public async Task Goods_that_travelled_on_a_flagged_certificate_are_Flagged_downstream()
    {
        var (r, s, v) = await Story();
        using var _ = r;
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.AeToIn, s.Ancestors)).Verdict);
        // the BW -> AE certificate that brought the sorted parcels to Dubai is found fraudulent
        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(s.BwToAe.Exporter, s.BwToAe.NumberHash),
            RecordFlag.Fraudulent, FlagCategory.ForgedDocument, "case 17");
        var report = await v.VerifyAsync(s.AeToIn, s.Ancestors);
        Assert.Equal(Verdict.Flagged, report.Verdict);
        Assert.Contains(report.Checks, c => c.Name == "lineage.certificates-unflagged" && c.Status == CheckStatus.Fail && c.Reason.Contains("Fraudulent", StringComparison.Ordinal));
        // and its import confirmation too
        var confirmation = await v.VerifyAsync(s.BwToAeConfirmation);
        Assert.Equal(Verdict.Flagged, confirmation.Verdict);
    }

    [Fact]
    public async Task A_confirmation_stating_another_weight_than_certified_is_Invalid_when_the_certificate_is_given()
    {
        var (r, s, v) = await Story();
        using var _ = r;
        var now = await r.Reader.BlockTimestampAsync();
        var inflated = SampleRecords.Confirmation(s.AeToIn, now + 60) with { Carats = s.AeToIn.Details.Carats * 100 };
        await r.As(InAuthority).ConfirmImportAsync(s.AeToIn, inflated);
        var withCertificate = await v.VerifyAsync(inflated, [s.AeToIn]);
        Assert.Equal(Verdict.Invalid, withCertificate.Verdict);
        Has(withCertificate, "confirmation.carats", CheckStatus.Fail);
        // without the certificate the weight is not compared, and the report says how to compare it
        var alone = await v.VerifyAsync(inflated);
        Has(alone, "confirmation.carats", CheckStatus.Skipped);
        // with other documents but not the certificate: it matters and is unknown
        Assert.Equal(Verdict.Inconclusive, (await v.VerifyAsync(inflated, s.Mixed)).Verdict);
    }
}
