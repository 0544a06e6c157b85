using System.Collections.Immutable;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Print.Tests;

/// <summary>The printed certificate: its QR code decodes to the lookup link, its text carries every Annex I element.</summary>
[Trait("Category", "Fast")]
public class CertificatePdfTests
{
    private static readonly Uri Portal = new("https://kp-portal.example.org/");
    private const string Registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    private static CertificateRecord Sample() => (CertificateRecord)RecordJson.Parse(File.ReadAllText(RepoPaths.Under("samples", "certificate-bw-ae.json")));

    [Fact]
    public void The_QR_code_decodes_to_the_lookup_link_with_the_content_hash()
    {
        var certificate = Sample();
        var link = LookupLink.For(certificate, Portal, 31337, Registry);
        var codes = PdfPages.QrCodes(CertificatePdf.Render(certificate, link));
        Assert.Equal([$"https://kp-portal.example.org/c/31337/{Registry.ToLowerInvariant()}/BW/BW2026-004711?h={certificate.Hash()}"], codes);
    }

    [Fact]
    public void Every_Annex_I_element_is_printed_and_the_hash_and_link_in_full()
    {
        var certificate = Sample();
        var link = LookupLink.For(certificate, Portal, 31337, Registry);
        var text = PdfPages.Text(CertificatePdf.Render(certificate, link));
        foreach (var expected in new[]
        {
            "KIMBERLEY PROCESS CERTIFICATE", "BW2026-004711", "Botswana (BW)", "Ministry of Minerals and Energy, Botswana", "6 November 2026", "5 January 2027",
            "Okavango Diamond Company, Gaborone", "Dubai Rough DMCC, Dubai", "United Arab Emirates (AE)", "2,000.00 ct", "US$ 240,000.00",
            "7102.31", certificate.Hash().ToString(), certificate.Parcels[0].ToString(), certificate.Parcels[1].ToString(),
        })
        {
            Assert.Contains(expected, text);
        }
        Assert.Contains(link.ToString(), text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal)); // printed whole, wrapped over lines
    }

    [Fact]
    public void A_long_number_other_scripts_and_many_parcels_still_print_and_scan()
    {
        var sample = Sample();
        var parcels = Enumerable.Range(1, 40).Select(i => Keccak.Hash($"parcel {i}")).ToImmutableArray();
        var certificate = sample with
        {
            Number = "BW2026-" + new string('7', 60) + "/Łódź ü",
            Parcels = parcels,
            Details = sample.Details with { ParcelCount = 40, ImporterName = "Łódź Diamenty Sp. z o.o., ul. Piotrkowska 1, Łódź", Origins = [ParticipantCode.Parse("BW"), ParticipantCode.Parse("CA"), ParticipantCode.Parse("RU")] },
            Authorization = new CertificateAuthorization("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1799107200, "0x" + new string('1', 130), 31337, Registry),
        };
        var link = LookupLink.For(certificate, new Uri("https://portal.kp.example/verify"), 31337, Registry);
        var pdf = CertificatePdf.Render(certificate, link);
        if (Environment.GetEnvironmentVariable("KP_PRINT_SAMPLE") is { Length: > 0 } keep) File.WriteAllBytes(keep, pdf);
        Assert.Equal([link.ToString()], PdfPages.QrCodes(pdf));
        Assert.Contains("/c/31337/", link.ToString());
        Assert.Contains(Uri.EscapeDataString(certificate.Number), link.ToString()); // escaped in the path
        var text = PdfPages.Text(pdf);
        Assert.Contains("Łódź Diamenty", text);
        Assert.Contains("mixed: Botswana (BW), Canada (CA), ", text);
        Assert.Contains("(RU)", text);
        Assert.Contains(new string('7', 30), text); // a long number wraps instead of running off the page
        Assert.Matches(@"… and \d+ more \(all in the certificate document\)", text); // what does not fit is counted, not cut off the page
        Assert.Contains(parcels[0].ToString(), text);
        Assert.Contains("signed by authority", text);
        Assert.Contains("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", text);
    }

    [Theory]
    [InlineData("ftp://portal.example")]
    [InlineData("portal.example")]
    [InlineData("https://portal.example/?x=1")]
    [InlineData("")]
    public void A_portal_address_that_is_not_an_absolute_http_url_is_refused(string text) =>
        Assert.Throws<FormatException>(() => LookupLink.ParseBase(text));
}
