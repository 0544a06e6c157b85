using Microsoft.Net.Http.Headers;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Portal.Hosting;
using Traceability.Portal.Verification;
using Traceability.Print;
using Traceability.Verifier;

namespace Traceability.Portal.Pages;

/// <summary>
/// The print view: POST /print with a certificate document (the verify result's "Print" button sends the one
/// just verified, as the form field <c>documentText</c>) answers the same A4 PDF as <c>kp cert print</c>, its QR
/// code carrying this portal's lookup of the certificate. Printed only when the registry anchored exactly this
/// document: the portal never hands out official-looking paper for a number it does not know or for altered content.
/// </summary>
public static class PrintView
{
    /// <summary>The checks that must pass for the portal to print: on record, and exactly the content anchored.</summary>
    public static readonly IReadOnlyList<string> Required = ["certificate.registered", "certificate.content"];

    /// <summary>The form that sends <paramref name="certificate"/> to the print view (shown on its verify result).</summary>
    public static string Form(CertificateRecord certificate) => $"""
        <form method="post" action="/print" class="print">
        <input type="hidden" name="documentText" value="{Html.E(RecordJson.Write(certificate))}">
        <button type="submit" id="print">Print this certificate (PDF with its QR code)</button>
        </form>
        """;

    /// <summary>Whether the report allows printing (see <see cref="Required"/>).</summary>
    public static bool Printable(VerificationReport report) =>
        Required.All(name => report.Checks.Any(c => c.Name == name && c.Status == CheckStatus.Pass));

    /// <summary>Reads the certificate from the form, verifies it, and answers its PDF.</summary>
    public static async Task<IResult> RenderAsync(HttpContext http, DocumentInput input, PortalVerifier verifier, PortalLinks links)
    {
        var documents = await input.ReadFormAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (documents.Document is not CertificateRecord certificate)
        {
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, "documentText",
                $"only a certificate is printed; this is a {documents.Document.Kind} document");
        }
        var report = await verifier.VerifyAsync(documents, http.RequestAborted).ConfigureAwait(false);
        if (!Printable(report))
        {
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, "documentText",
                $"the registry does not hold certificate {certificate.Number} as given (verdict {report.Verdict}): the portal prints only a certificate exactly as anchored");
        }
        var link = await links.LinkAsync(http, certificate).ConfigureAwait(false);
        byte[] pdf;
        try
        {
            pdf = CertificatePdf.Render(certificate, link);
        }
        catch (FileNotFoundException e)
        {
            throw new PrintUnavailableException(e.Message, e);
        }
        var name = new string([.. certificate.Number.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')]);
        http.Response.Headers[HeaderNames.ContentDisposition] = $"inline; filename=\"certificate-{name}.pdf\"";
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Bytes(pdf, "application/pdf");
    }
}

/// <summary>The portal cannot render the PDF (its fonts are missing): a 503 that says so.</summary>
/// <param name="message">What is missing.</param>
/// <param name="inner">The cause.</param>
public sealed class PrintUnavailableException(string message, Exception inner) : Exception(message, inner)
{
}
