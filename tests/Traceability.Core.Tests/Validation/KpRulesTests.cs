using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Core.Validation;
using Traceability.Testing;

namespace Traceability.Core.Tests.Validation;

[Trait("Category", "Fast")]
public class KpRulesTests
{
    private static readonly CertificateRecord Cert =
        SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash(), SampleRecords.OriginParcel().Hash()], number: "BW2026004711");

    private static void Broken(KpRecord record, string field, string rule)
    {
        var errors = KpRules.Check(record);
        Assert.Contains(errors, e => e.Field == field && e.Rule == rule);
        var ex = Assert.Throws<RecordValidationException>(() => KpRules.EnsureValid(record));
        Assert.Contains(field + ": ", ex.Message);
    }

    [Fact]
    public void Accepts_valid_samples_of_every_kind()
    {
        foreach (var r in Hashing.RecordHashCrossCheckTests.Records()) Assert.Empty(KpRules.Check(r));
        Assert.Empty(KpRules.CheckOriginParcel(SampleRecords.OriginParcel("CF", mine: "Berbérati")));
    }

    [Fact]
    public void Certificate_number_is_prefixed_with_the_exporters_code() =>
        Broken(Cert with { Number = "AE2026004711" }, "number", "number-prefix");

    [Theory]
    [InlineData("bw2026")]
    [InlineData("BW")]
    [InlineData("BW 2026")]
    [InlineData("BW2026_1")]
    public void Certificate_number_has_the_KP_form(string number) => Broken(Cert with { Number = number }, "number", "number-format");

    [Fact]
    public void Participants_are_known_and_different()
    {
        Broken(Cert with { Importer = SampleRecords.Code("FR"), Number = "BW1" }, "importer", "known-participant");
        Broken(Cert with { Importer = SampleRecords.Code("BW") }, "importer", "importer-not-exporter");
        Broken(SampleRecords.OriginParcel() with { Participant = SampleRecords.Code("XX") }, "participant", "known-participant");
    }

    [Fact]
    public void HS_code_is_one_of_the_three_rough_diamond_codes()
    {
        Broken(Cert with { Details = Cert.Details with { HsCode = "7102.39" } }, "details.hsCode", "hs-code");
        Broken(SampleRecords.OriginParcel() with { HsCode = "7113" }, "hsCode", "hs-code");
    }

    [Fact]
    public void Carats_and_value_are_above_zero()
    {
        Broken(Cert with { Details = Cert.Details with { Carats = 0 } }, "details.carats", "positive");
        Broken(Cert with { Details = Cert.Details with { ValueUsdCents = 0 } }, "details.valueUsdCents", "positive");
        Broken(SampleRecords.OriginParcel(carats: 0), "carats", "positive");
    }

    [Fact]
    public void Expiry_is_after_issue_and_dates_are_seconds()
    {
        Broken(Cert with { ExpiresAt = Cert.Details.IssuedAt }, "expiresAt", "expiry-after-issue");
        Broken(Cert with { ExpiresAt = 1_793_491_200_000 }, "expiresAt", "date");
        Broken(SampleRecords.OriginParcel() with { RecordedAt = 0 }, "recordedAt", "date");
    }

    [Fact]
    public void Parcel_count_matches_the_parcel_list_which_is_distinct_and_non_empty()
    {
        Broken(Cert with { Details = Cert.Details with { ParcelCount = 3 } }, "details.parcelCount", "parcel-count");
        Broken(Cert with { Parcels = [Cert.Parcels[0], Cert.Parcels[0]] }, "parcels[1]", "distinct");
        Broken(Cert with { Parcels = [Cert.Parcels[0], Hash32.Zero] }, "parcels[1]", "non-zero");
        Broken(Cert with { Parcels = [] }, "parcels", "non-empty");
    }

    [Fact]
    public void Origins_are_distinct_known_and_present()
    {
        Broken(Cert with { Details = Cert.Details with { Origins = [] } }, "details.origins", "non-empty");
        Broken(Cert with { Details = Cert.Details with { Origins = [SampleRecords.Code("BW"), SampleRecords.Code("BW")] } }, "details.origins[1]", "distinct");
        Broken(Cert with { Details = Cert.Details with { Origins = [SampleRecords.Code("QQ")] } }, "details.origins[0]", "known-participant");
    }

    [Fact]
    public void Salt_is_not_zero()
    {
        Broken(Cert with { Details = Cert.Details with { Salt = Hash32.Zero } }, "details.salt", "salt");
        Broken(SampleRecords.OriginParcel() with { Salt = Hash32.Zero }, "salt", "salt");
    }

    [Fact]
    public void Origin_parcel_comes_from_its_participant_and_names_its_mine()
    {
        var p = SampleRecords.OriginParcel("BW");
        Assert.Contains(KpRules.CheckOriginParcel(p with { Origins = [SampleRecords.Code("CF")] }), e => e.Rule == "origin-is-participant");
        Assert.Contains(KpRules.CheckOriginParcel(p with { Mine = " " }), e => e.Rule == "mine-named");
    }

    [Fact]
    public void Transformation_inputs_are_ascending_and_outputs_are_new()
    {
        var a = Salt.New();
        var b = Salt.New();
        var (low, high) = a < b ? (a, b) : (b, a);
        var t = SampleRecords.Transformation("BW", [low, high], [SampleRecords.DerivedParcel("BW", 1, "BW")]);
        Assert.Empty(KpRules.Check(t));
        Broken(t with { Inputs = [high, low] }, "inputs[1]", "inputs-ascending");
        Broken(t with { Inputs = [low, low] }, "inputs[1]", "inputs-ascending");
        Broken(t with { Inputs = [] }, "inputs", "non-empty");
        Broken(t with { Outputs = [] }, "outputs", "non-empty");
        Broken(t with { Outputs = [low] }, "outputs[0]", "output-not-input");
        Broken(t with { Operation = "polish" }, "operation", "operation");
    }

    [Fact]
    public void Import_confirmation_cites_the_certificate()
    {
        var c = SampleRecords.Confirmation(Cert);
        Assert.Empty(KpRules.Check(c));
        Broken(c with { CertificateNumber = "AE1" }, "certificateNumber", "number-prefix");
        Broken(c with { ParcelCount = 0 }, "parcelCount", "positive");
        Broken(c with { Carats = 0 }, "carats", "positive");
        Broken(c with { Importer = c.Exporter }, "importer", "importer-not-exporter");
    }

    [Fact]
    public void Lists_every_broken_rule_at_once()
    {
        var bad = Cert with { Number = "x", Details = Cert.Details with { Carats = 0, HsCode = "1" } };
        Assert.True(KpRules.Check(bad).Count >= 3);
    }
}
