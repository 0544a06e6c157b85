using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Traceability.Core.Json;
using Traceability.Core.Records;
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

    [Fact]
    public async Task The_verify_results_Print_button_gets_the_PDF_kp_cert_print_makes_and_its_QR_code_opens_the_lookup()
    {
        var certificate = f.Story.BwToAe;
        // the verify page, as a browser sends its form: the result carries the Print form with the document
        using var verified = await f.Http.PostAsync(new Uri(f.BaseUrl + "/verify"), Form(("documentText", RecordJson.Write(certificate))));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var html = await verified.Content.ReadAsStringAsync();
        var form = Regex.Match(html, "<form method=\"post\" action=\"/print\"[^>]*>\\s*<input type=\"hidden\" name=\"documentText\" value=\"([^\"]*)\">");
        Assert.True(form.Success, "the verify result of a genuine certificate has a Print form");
        var sent = WebUtility.HtmlDecode(form.Groups[1].Value);
        Assert.Equal(RecordJson.Write(certificate), RecordJson.Write(RecordJson.Parse<CertificateRecord>(sent)));

        using var printed = await f.Http.PostAsync(new Uri(f.BaseUrl + "/print"), new FormUrlEncodedContent([new("documentText", sent)]));
        Assert.Equal(HttpStatusCode.OK, printed.StatusCode);
        Assert.Equal("application/pdf", printed.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("inline", printed.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var pdf = await printed.Content.ReadAsByteArrayAsync();

        // the same page kp cert print renders: the same text, and a QR code of the same lookup link
        var link = LookupLink.For(certificate, new Uri(f.BaseUrl), certificate.Authorization!.ChainId, certificate.Authorization.Registry);
        var scanned = Assert.Single(PdfPages.QrCodes(pdf));
        Assert.Equal(link.ToString(), scanned);
        Assert.Equal(Normalised(PdfPages.Text(CertificatePdf.Render(certificate, link))), Normalised(PdfPages.Text(pdf)));
        Assert.Contains(certificate.Number, PdfPages.Text(pdf));

        using var page = await f.Http.GetAsync(new Uri(scanned));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("matches</span> the anchored certificate hash", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_print_view_refuses_an_altered_certificate_a_forged_number_and_a_document_that_is_not_a_certificate()
    {
        var genuine = f.Story.BwToAe;
        var altered = genuine with { Details = genuine.Details with { Carats = genuine.Details.Carats + 10_000 } };
        using (var verified = await f.Http.PostAsync(new Uri(f.BaseUrl + "/verify"), Form(("documentText", RecordJson.Write(altered)))))
        {
            Assert.DoesNotContain("action=\"/print\"", await verified.Content.ReadAsStringAsync()); // no Print button on a Tampered result
        }
        var forged = genuine with { Number = genuine.Number + "9", Authorization = null };
        foreach (var (document, expected) in new (KpRecord, string)[]
        {
            (altered, "prints only a certificate exactly as anchored"),
            (forged, "prints only a certificate exactly as anchored"),
            (f.Story.Mined[0], "only a certificate is printed"),
        })
        {
            using var refused = await f.Http.PostAsync(new Uri(f.BaseUrl + "/print"), new FormUrlEncodedContent([new("documentText", RecordJson.Write(document))]));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType); // a page for the browser that posted the form, with the reason
            Assert.Contains(expected, WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        }
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(part, name);
        }
        return form;
    }

    private static string Normalised(string text) => Regex.Replace(text, "\\s+", " ").Trim();
}
