using System.Net;
using Traceability.Print;
using Traceability.Testing;

namespace Traceability.Portal.Tests;

/// <summary>Paper to portal: the QR code kp cert print puts on a certificate, decoded from the rendered page, opens the portal's lookup with the right status.</summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class PrintedCodeTests(PortalStoryFixture f)
{
    [Fact]
    public async Task The_QR_code_of_a_printed_confirmed_certificate_opens_its_lookup_saying_confirmed_and_that_the_paper_matches()
    {
        var certificate = f.Story.BwToAe; // signed by the BW authority for this deployment, relayed, its import confirmed
        var link = LookupLink.For(certificate, new Uri(f.BaseUrl), certificate.Authorization!.ChainId, certificate.Authorization.Registry);
        var scanned = Assert.Single(PdfPages.QrCodes(CertificatePdf.Render(certificate, link)));

        using var page = await f.Http.GetAsync(new Uri(scanned));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("confirmed", html);
        Assert.Contains("matches</span> the anchored certificate hash", html);
        Assert.Contains(certificate.Number, html);
    }

    [Fact]
    public async Task The_QR_code_of_an_altered_paper_opens_a_lookup_that_says_it_does_not_match()
    {
        var genuine = f.Story.BwToAe;
        var altered = genuine with { Details = genuine.Details with { Carats = genuine.Details.Carats + 10_000 } }; // printed with 100 ct more
        var link = LookupLink.For(altered, new Uri(f.BaseUrl), genuine.Authorization!.ChainId, genuine.Authorization.Registry);
        var scanned = Assert.Single(PdfPages.QrCodes(CertificatePdf.Render(altered, link)));

        using var page = await f.Http.GetAsync(new Uri(scanned));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the number is on record ...
        Assert.Contains("DOES NOT MATCH</span> the anchored certificate hash", html); // ... but this paper is not what was anchored
    }
}
