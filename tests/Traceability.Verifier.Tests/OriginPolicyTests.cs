using Traceability.Core.Participants;
using Traceability.Core.Policies;
using Traceability.Core.Records;
using Traceability.Testing;
using Traceability.Verifier.Policy;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Verifier.Tests;

/// <summary>
/// An importer's origin policy on the lineage (kp verify --policy): a restricted origin at depth 1 and
/// at depth 3 behind a merge and a split gives Restricted with the path and the share of carats; the
/// compliant-zone rule and its carat threshold; an untraceable lineage under each setting; and a clean
/// mixed-origin certificate stays Verified. One registry is played once for the class (no test changes it).
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class OriginPolicyTests(HardhatFixture fixture)
{
    private const int RuAuthority = 13, RuMiner = 14;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Url, World World)? _played;

    /// <summary>The documents of the class's registry.</summary>
    private sealed record World(TestRegistry R, TradeStory Trade, ParcelRecord RuDirect, CertificateRecord RuToEu,
        ParcelRecord RuMixed, ParcelRecord BwMixed, ParcelRecord Lot, ParcelRecord[] Halves, TransformationRecord Merge, TransformationRecord Split,
        CertificateRecord AeToEu, ParcelRecord Berberati, CertificateRecord CfBerberati, ParcelRecord Bria, CertificateRecord CfBria,
        ParcelRecord BriaSmall, CertificateRecord CfBriaSmall, ParcelRecord Deep, ParcelRecord DeepOrigin, ParcelRecord Bulk, ParcelRecord Shipment,
        TransformationRecord DeepSort, TransformationRecord DeepMerge, CertificateRecord BwToEu, CertificateRecord Misdeclared, IReadOnlyList<KpRecord> MisdeclaredDocuments)
    {
        public IEnumerable<KpRecord> LaunderingDocuments => [RuMixed, BwMixed, Lot, .. Halves, Merge, Split];

        public IEnumerable<KpRecord> CutDocuments => [Deep, Bulk, Shipment, DeepMerge];
    }

    private static OriginPolicy Policy(string untraced = """{ "action": "refuse" }""") => PolicyJson.Parse($$"""
        {
          "schemaVersion": 1, "kind": "originPolicy", "name": "EU test screening",
          "restrictedOrigins": [ "RU" ],
          "originRules": [ { "origin": "CF", "compliantZones": [ "Berbérati", "Carnot" ], "appliesFromCarats": 100 } ],
          "untraced": {{untraced}}
        }
        """);

    private async Task<World> PlayedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_played is { } p && p.Url == fixture.Node.Url) return p.World;
            var world = await PlayAsync(await TestRegistry.DeployAsync(fixture.Node));
            _played = (fixture.Node.Url, world);
            return world;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<World> PlayAsync(TestRegistry r)
    {
        var trade = await TradeStory.PlayAsync(r);
        var ru = ParticipantCode.Parse("RU");
        await r.As(Governor).AddParticipantAsync(ru);
        await r.As(Governor).AddAuthorityAsync(ru, Account(RuAuthority).Address);
        await r.As(RuAuthority).AddMemberAsync(Account(RuMiner).Address);
        var now = await r.Reader.BlockTimestampAsync();

        // depth 1: a Russian origin parcel exported straight to the EU
        var ruDirect = SampleRecords.OriginParcel("RU", 50_000, "Udachny");
        await r.As(RuMiner).RegisterParcelsAsync([ruDirect]);
        var ruToEu = SampleRecords.Certificate("RU", "EU", [ruDirect.Hash()], carats: 50_000, issuedAt: now, origins: ["RU"]);
        await r.As(RuAuthority).IssueCertificateAsync(ruToEu);

        // depth 3: Russian and Botswana rough imported to Dubai, merged, split, one half re-exported to the EU
        var ruMixed = SampleRecords.OriginParcel("RU", 30_000, "Jubilee");
        await r.As(RuMiner).RegisterParcelsAsync([ruMixed]);
        var bwMixed = SampleRecords.OriginParcel("BW", 270_000, "Orapa");
        await r.As(BwMiner).RegisterParcelsAsync([bwMixed]);
        foreach (var (parcel, exporter, authority) in new[] { (ruMixed, "RU", RuAuthority), (bwMixed, "BW", BwAuthority) })
        {
            var toAe = SampleRecords.Certificate(exporter, "AE", [parcel.Hash()], carats: parcel.Carats, issuedAt: now, origins: [exporter]);
            await r.As(authority).IssueCertificateAsync(toAe);
            await r.As(AeAuthority).ConfirmImportAsync(toAe, SampleRecords.Confirmation(toAe, now + 60));
        }
        var lot = SampleRecords.DerivedParcel("AE", 300_000, "BW", "RU");
        var merge = SampleRecords.Transformation("AE", [ruMixed.Hash(), bwMixed.Hash()], [lot], "merge");
        await r.As(AeTrader).TransformAsync(merge);
        ParcelRecord[] halves = [SampleRecords.DerivedParcel("AE", 180_000, "BW", "RU"), SampleRecords.DerivedParcel("AE", 120_000, "BW", "RU")];
        var split = SampleRecords.Transformation("AE", [lot.Hash()], halves, "split");
        await r.As(AeTrader).TransformAsync(split);
        var aeToEu = SampleRecords.Certificate("AE", "EU", [halves[0].Hash()], carats: 180_000, issuedAt: now, origins: ["BW", "RU"]);
        await r.As(AeAuthority).IssueCertificateAsync(aeToEu);

        // CF: a parcel from a compliant zone, one from outside, and one too light for the rule
        var berberati = SampleRecords.OriginParcel("CF", 20_000, "Berbérati");
        var bria = SampleRecords.OriginParcel("CF", 20_000, "Bria");
        var briaSmall = SampleRecords.OriginParcel("CF", 50, "Bria");
        await r.As(CfMiner).RegisterParcelsAsync([berberati, bria, briaSmall]);
        var certs = new List<CertificateRecord>();
        foreach (var parcel in new[] { berberati, bria, briaSmall })
        {
            var cert = SampleRecords.Certificate("CF", "EU", [parcel.Hash()], carats: parcel.Carats, issuedAt: now, origins: ["CF"]);
            await r.As(CfAuthority).IssueCertificateAsync(cert);
            certs.Add(cert);
        }

        // a lineage cut at depth 1: 1 % of the shipment sits behind a sort the walk does not reach
        var deepOrigin = SampleRecords.OriginParcel("BW", 1_000, "Jwaneng");
        var bulk = SampleRecords.OriginParcel("BW", 99_000, "Jwaneng");
        await r.As(BwMiner).RegisterParcelsAsync([deepOrigin, bulk]);
        var deep = SampleRecords.DerivedParcel("BW", 1_000, "BW");
        var deepSort = SampleRecords.Transformation("BW", [deepOrigin.Hash()], [deep]);
        await r.As(BwTrader).TransformAsync(deepSort);
        var shipment = SampleRecords.DerivedParcel("BW", 100_000, "BW");
        var deepMerge = SampleRecords.Transformation("BW", [deep.Hash(), bulk.Hash()], [shipment], "merge");
        await r.As(BwTrader).TransformAsync(deepMerge);
        var bwToEu = SampleRecords.Certificate("BW", "EU", [shipment.Hash()], carats: 100_000, issuedAt: now, origins: ["BW"]);
        await r.As(BwAuthority).IssueCertificateAsync(bwToEu);

        // the same shape, certified as of CF origin only: what the walk traced (BW) is not what it declares
        var deepOrigin2 = SampleRecords.OriginParcel("BW", 1_000, "Jwaneng");
        var bulk2 = SampleRecords.OriginParcel("BW", 99_000, "Jwaneng");
        await r.As(BwMiner).RegisterParcelsAsync([deepOrigin2, bulk2]);
        var deep2 = SampleRecords.DerivedParcel("BW", 1_000, "BW");
        await r.As(BwTrader).TransformAsync(SampleRecords.Transformation("BW", [deepOrigin2.Hash()], [deep2]));
        var shipment2 = SampleRecords.DerivedParcel("BW", 100_000, "BW");
        var deepMerge2 = SampleRecords.Transformation("BW", [deep2.Hash(), bulk2.Hash()], [shipment2], "merge");
        await r.As(BwTrader).TransformAsync(deepMerge2);
        var misdeclared = SampleRecords.Certificate("BW", "EU", [shipment2.Hash()], carats: 100_000, issuedAt: now, origins: ["CF"]);
        await r.As(BwAuthority).IssueCertificateAsync(misdeclared);

        return new World(r, trade, ruDirect, ruToEu, ruMixed, bwMixed, lot, halves, merge, split, aeToEu, berberati, certs[0], bria, certs[1],
            briaSmall, certs[2], deep, deepOrigin, bulk, shipment, deepSort, deepMerge, bwToEu, misdeclared, [deep2, bulk2, shipment2, deepMerge2]);
    }

    private static DocumentVerifier Verifier(World w, OriginPolicy? policy, int maxDepth = 64) =>
        new(w.R.Reader, w.R.Domain, w.R.Deployment.BlockNumber) { Policy = policy, Bounds = LineageBounds.Default with { MaxDepth = maxDepth } };

    private static Check CheckOf(VerificationReport report, string name) => Assert.Single(report.Checks, c => c.Name == name);

    [Fact]
    public async Task A_restricted_origin_at_depth_1_is_Restricted_with_its_path_and_whole_share()
    {
        var w = await PlayedAsync();
        Assert.Equal(Verdict.Verified, (await Verifier(w, null).VerifyAsync(w.RuToEu)).Verdict); // the KP alone has nothing against it

        var report = await Verifier(w, Policy()).VerifyAsync(w.RuToEu);
        Assert.Equal(Verdict.Restricted, report.Verdict);
        Assert.False(report.IsVerified);
        var check = CheckOf(report, "policy.restricted-origins");
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("RU", check.Reason, StringComparison.Ordinal);
        var finding = Assert.Single(report.Policy!.Findings);
        Assert.Equal(PolicyRuleKind.RestrictedOrigin, finding.Rule);
        Assert.Equal(w.RuDirect.Hash(), finding.Parcel);
        Assert.Equal([w.RuDirect.Hash()], Assert.Single(finding.Paths));
        Assert.Equal(1m, finding.Share); // one shipment parcel, itself the origin parcel: no document needed
        Assert.Equal(50_000UL, finding.Carats);
    }

    [Fact]
    public async Task A_restricted_origin_at_depth_3_behind_a_merge_and_a_split_is_Restricted_with_the_path_and_its_share()
    {
        var w = await PlayedAsync();
        var without = await Verifier(w, null).VerifyAsync(w.AeToEu, w.LaunderingDocuments);
        Assert.Equal(Verdict.Verified, without.Verdict);
        Assert.Null(without.Policy);
        Assert.DoesNotContain(without.Checks, c => c.Name.StartsWith("policy.", StringComparison.Ordinal));

        var report = await Verifier(w, Policy()).VerifyAsync(w.AeToEu, w.LaunderingDocuments);
        Assert.Equal(Verdict.Restricted, report.Verdict);
        var finding = Assert.Single(report.Policy!.Findings);
        Assert.Equal(ParticipantCode.Parse("RU"), finding.Origin);
        Assert.Equal("Jubilee", finding.Mine);
        Assert.Equal([w.Halves[0].Hash(), w.Lot.Hash(), w.RuMixed.Hash()], Assert.Single(finding.Paths));
        Assert.Equal(0.1m, finding.Share); // 300 of the 3,000 ct merged, carried evenly into the half
        Assert.Equal(18_000UL, finding.Carats);
        Assert.Contains("10 %", CheckOf(report, "policy.restricted-origins").Reason, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, CheckOf(report, "policy.untraced").Status);

        // without the documents the path still stands; the share is unknown, the verdict is still Restricted
        var bare = await Verifier(w, Policy()).VerifyAsync(w.AeToEu);
        Assert.Equal(Verdict.Restricted, bare.Verdict);
        var bareFinding = Assert.Single(bare.Policy!.Findings);
        Assert.Null(bareFinding.Share);
        Assert.Equal(3, bareFinding.Paths[0].Count);
    }

    [Fact]
    public async Task A_clean_mixed_origin_certificate_stays_Verified_under_the_same_policy()
    {
        var w = await PlayedAsync();
        var report = await Verifier(w, Policy()).VerifyAsync(w.Trade.AeToIn, w.Trade.Ancestors);
        Assert.Equal(Verdict.Verified, report.Verdict);
        Assert.Equal(["BW", "CF"], report.Origins.Select(o => o.Value));
        Assert.Empty(report.Policy!.Findings);
        Assert.Equal(CheckStatus.Pass, CheckOf(report, "policy.restricted-origins").Status);
        Assert.Equal(CheckStatus.Pass, CheckOf(report, "policy.origin-rules").Status); // its CF parcel is from Berbérati
        Assert.Equal(CheckStatus.Pass, CheckOf(report, "policy.untraced").Status);
    }

    [Fact]
    public async Task The_compliant_zone_rule_needs_the_origin_parcels_document_refuses_another_zone_and_exempts_a_light_parcel()
    {
        var w = await PlayedAsync();
        var v = Verifier(w, Policy());

        var compliant = await v.VerifyAsync(w.CfBerberati, [w.Berberati]);
        Assert.Equal(Verdict.Verified, compliant.Verdict);

        var undocumented = await v.VerifyAsync(w.CfBerberati);
        Assert.Equal(Verdict.Inconclusive, undocumented.Verdict);
        Assert.Equal(CheckStatus.Unknown, CheckOf(undocumented, "policy.origin-rules").Status);
        Assert.Contains(w.Berberati.Hash(), undocumented.Missing);

        var outside = await v.VerifyAsync(w.CfBria, [w.Bria]);
        Assert.Equal(Verdict.Restricted, outside.Verdict);
        Assert.Contains("Bria", CheckOf(outside, "policy.origin-rules").Reason, StringComparison.Ordinal);
        var finding = Assert.Single(outside.Policy!.Findings);
        Assert.Equal(PolicyRuleKind.CompliantZone, finding.Rule);
        Assert.Equal("Bria", finding.Mine);

        var light = await v.VerifyAsync(w.CfBriaSmall, [w.BriaSmall]);
        Assert.Equal(Verdict.Verified, light.Verdict);
        Assert.Contains("less than", CheckOf(light, "policy.origin-rules").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lot_from_outside_the_compliant_zones_registered_as_many_light_parcels_is_not_exempt()
    {
        var w = await PlayedAsync();
        var now = await w.R.Reader.BlockTimestampAsync();
        // 3 x 0.60 ct from Bria: each under the 1 ct threshold, 1.80 ct together
        ParcelRecord[] pieces = [.. Enumerable.Range(0, 3).Select(_ => SampleRecords.OriginParcel("CF", 60, "Bria"))];
        await w.R.As(CfMiner).RegisterParcelsAsync(pieces);
        var cert = SampleRecords.Certificate("CF", "EU", [.. pieces.Select(p => p.Hash())], carats: 180, issuedAt: now, origins: ["CF"]);
        await w.R.As(CfAuthority).IssueCertificateAsync(cert);

        var report = await Verifier(w, Policy()).VerifyAsync(cert, pieces);
        Assert.Equal(Verdict.Restricted, report.Verdict);
        Assert.Equal(CheckStatus.Fail, CheckOf(report, "policy.origin-rules").Status);
        Assert.Equal(3, report.Policy!.Findings.Count(f => f.Rule == PolicyRuleKind.CompliantZone));
        // one light parcel alone stays exempt (the threshold's purpose)
        Assert.Equal(Verdict.Verified, (await Verifier(w, Policy()).VerifyAsync(w.CfBriaSmall, [w.BriaSmall])).Verdict);
    }

    [Fact]
    public async Task An_untraceable_lineage_is_Restricted_when_the_policy_refuses_it()
    {
        var w = await PlayedAsync();
        Assert.Equal(Verdict.Inconclusive, (await Verifier(w, null, maxDepth: 1).VerifyAsync(w.BwToEu, w.CutDocuments)).Verdict);
        Assert.Equal(Verdict.Verified, (await Verifier(w, Policy()).VerifyAsync(w.BwToEu, [.. w.CutDocuments, w.DeepOrigin, w.DeepSort])).Verdict); // walked whole

        var report = await Verifier(w, Policy(), maxDepth: 1).VerifyAsync(w.BwToEu, w.CutDocuments);
        Assert.Equal(Verdict.Restricted, report.Verdict);
        Assert.Equal(CheckStatus.Fail, CheckOf(report, "policy.untraced").Status);
        var finding = Assert.Single(report.Policy!.Findings);
        Assert.Equal(PolicyRuleKind.Untraced, finding.Rule);
        Assert.Equal(w.Deep.Hash(), finding.Parcel);
        Assert.Equal([w.Shipment.Hash(), w.Deep.Hash()], Assert.Single(finding.Paths));
        Assert.Equal(0.01m, finding.Share);
    }

    [Fact]
    public async Task An_untraceable_lineage_below_the_accepted_share_is_Verified_above_it_Restricted_and_without_documents_Inconclusive()
    {
        var w = await PlayedAsync();
        var accepted = await Verifier(w, Policy("""{ "action": "acceptBelowShare", "maxShare": 0.05 }"""), maxDepth: 1).VerifyAsync(w.BwToEu, w.CutDocuments);
        Assert.Equal(Verdict.Verified, accepted.Verdict);
        Assert.Contains("1 %", CheckOf(accepted, "policy.untraced").Reason, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Unknown, CheckOf(accepted, "lineage.complete").Status); // still said, and settled by the policy

        var refused = await Verifier(w, Policy("""{ "action": "acceptBelowShare", "maxShare": 0.005 }"""), maxDepth: 1).VerifyAsync(w.BwToEu, w.CutDocuments);
        Assert.Equal(Verdict.Restricted, refused.Verdict);
        Assert.Equal(CheckStatus.Fail, CheckOf(refused, "policy.untraced").Status);

        var bare = await Verifier(w, Policy("""{ "action": "acceptBelowShare", "maxShare": 0.05 }"""), maxDepth: 1).VerifyAsync(w.BwToEu);
        Assert.Equal(Verdict.Inconclusive, bare.Verdict);
        Assert.Equal(CheckStatus.Unknown, CheckOf(bare, "policy.untraced").Status);
        Assert.Contains(w.Deep.Hash(), bare.Missing);
        Assert.Contains(w.Bulk.Hash(), bare.Missing);
    }

    [Fact]
    public async Task An_accepted_untraced_share_never_settles_an_origin_traced_that_the_certificate_does_not_declare()
    {
        var w = await PlayedAsync();
        var accept = Policy("""{ "action": "acceptBelowShare", "maxShare": 0.05 }""");
        var report = await Verifier(w, accept, maxDepth: 1).VerifyAsync(w.Misdeclared, w.MisdeclaredDocuments);
        Assert.Equal(CheckStatus.Pass, CheckOf(report, "policy.untraced").Status);
        Assert.Equal(CheckStatus.Unknown, CheckOf(report, "lineage.origins").Status);
        Assert.Equal(Verdict.Inconclusive, report.Verdict); // BW traced, CF declared: not for the policy to settle
    }

    [Fact]
    public async Task A_chain_verdict_comes_before_Restricted()
    {
        var w = await PlayedAsync();
        var tampered = w.RuToEu with { Details = w.RuToEu.Details with { ValueUsdCents = w.RuToEu.Details.ValueUsdCents + 1 } };
        Assert.Equal(Verdict.Tampered, (await Verifier(w, Policy()).VerifyAsync(tampered)).Verdict);
        var forged = w.RuToEu with { Number = "RU99999999" };
        var report = await Verifier(w, Policy()).VerifyAsync(forged);
        Assert.Equal(Verdict.NotFound, report.Verdict);
        Assert.Equal(CheckStatus.Skipped, CheckOf(report, "policy.lineage").Status);
        Assert.Equal(Verdict.Restricted, DocumentVerifier.Precedence[^1]);
    }

    [Fact]
    public async Task An_import_confirmation_is_not_Verified_under_a_policy_it_cannot_screen()
    {
        var w = await PlayedAsync();
        var now = await w.R.Reader.BlockTimestampAsync();
        var parcel = SampleRecords.OriginParcel("RU", 10_000, "Udachny");
        await w.R.As(RuMiner).RegisterParcelsAsync([parcel]);
        var cert = SampleRecords.Certificate("RU", "EU", [parcel.Hash()], carats: parcel.Carats, issuedAt: now, origins: ["RU"]);
        await w.R.As(RuAuthority).IssueCertificateAsync(cert);
        var confirmation = SampleRecords.Confirmation(cert, now + 60);
        await w.R.As(EuAuthority).ConfirmImportAsync(cert, confirmation);

        Assert.Equal(Verdict.Verified, (await Verifier(w, null).VerifyAsync(confirmation)).Verdict);
        var screened = await Verifier(w, Policy()).VerifyAsync(confirmation);
        Assert.NotEqual(Verdict.Verified, screened.Verdict);
        Assert.Equal(CheckStatus.Unknown, CheckOf(screened, "policy.lineage").Status);
        Assert.Equal(Verdict.Restricted, (await Verifier(w, Policy()).VerifyAsync(cert)).Verdict);
    }

    [Fact]
    public async Task The_report_json_carries_the_policy_findings()
    {
        var w = await PlayedAsync();
        var report = await Verifier(w, Policy()).VerifyAsync(w.AeToEu, w.LaunderingDocuments);
        var json = ReportJson.Serialize(report);
        Assert.Contains("\"verdict\": \"restricted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rule\": \"restrictedOrigin\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"parcel\": \"{w.RuMixed.Hash()}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"share\": 0.1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"policy\"", ReportJson.Serialize(await Verifier(w, null).VerifyAsync(w.AeToEu)), StringComparison.Ordinal);
    }

}
