using System.Reflection;
using Microsoft.Extensions.Options;
using Traceability.Core.Records;
using Traceability.Portal.Chain;
using Traceability.Portal.Hosting;
using Traceability.Portal.Verification;

namespace Traceability.Portal.Pages;

/// <summary>The HTML pages: verify (/ and POST /verify), lookup from a printed code (/c/…), an anchored batch and EPCIS event (/e, /e/…), registry overview, and the static files.</summary>
public static class PageEndpoints
{
    /// <summary>Maps the pages.</summary>
    public static void MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (IOptions<PortalOptions> o) => Page(VerifyPage.Form(o.Value.MaxAncestors))).ExcludeFromDescription();

        app.MapPost("/verify", async (HttpContext http, DocumentInput input, PortalVerifier verifier, PortalLinks links) =>
        {
            var documents = await input.ReadFormAsync(http.Request, http.RequestAborted);
            var report = await verifier.VerifyAsync(documents, http.RequestAborted);
            var lookup = documents.Document is CertificateRecord c ? await links.LookupAsync(http, c.Exporter, c.Number, c.Hash()) : null;
            return Page(VerifyPage.Result(report, documents.Document, lookup));
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapPost("/print", PrintView.RenderAsync).ExcludeFromDescription().DisableAntiforgery();

        app.MapGet("/c/{chainId}/{registry}/{exporter}/{number}", async (string chainId, string registry, string exporter, string number, string? h,
            HttpContext http, PortalChain chain, CertificateLookup lookup) =>
        {
            var ours = await chain.ReadAsync(chain.ChainIdAsync, http.RequestAborted);
            if (chainId != ours.ToString() || !string.Equals(registry, chain.Registry, StringComparison.OrdinalIgnoreCase))
            {
                return Page(LookupPage.OtherDeployment(chainId, registry, ours, chain.Registry), StatusCodes.Status404NotFound);
            }
            var (code, n, printed) = CertificateLookup.Parse(exporter, number, h);
            var r = await lookup.LookupAsync(code, n, printed, http.RequestAborted);
            return Page(LookupPage.Render(r, ours, chain.Registry), r.Exists ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        }).ExcludeFromDescription();

        app.MapGet("/e", () => Page(AnchorPage.Form())).ExcludeFromDescription();

        app.MapPost("/e", async (HttpContext http, EpcisInput input, PortalChain chain, AnchorLookup lookup, PortalLinks links) =>
        {
            var query = await input.ReadFormAsync(http.Request, http.RequestAborted);
            return await AnchorAnswerAsync(http, query, chain, lookup, links);
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapGet("/e/{chainId}/{registry}/{root}", async (string chainId, string registry, string root, string? @event, string? proof,
            HttpContext http, PortalChain chain, AnchorLookup lookup, PortalLinks links) =>
        {
            var ours = await chain.ReadAsync(chain.ChainIdAsync, http.RequestAborted);
            if (chainId != ours.ToString() || !string.Equals(registry, chain.Registry, StringComparison.OrdinalIgnoreCase))
            {
                return Page(AnchorPage.OtherDeployment(chainId, registry, ours, chain.Registry), StatusCodes.Status404NotFound);
            }
            return await AnchorAnswerAsync(http, AnchorLookup.Parse(root, @event, proof), chain, lookup, links);
        }).ExcludeFromDescription();

        app.MapGet("/registry", async (HttpContext http, PortalChain chain) =>
        {
            var (overview, chainId, time) = await chain.ReadAsync(async ct =>
            {
                var o = await chain.History.OverviewAsync(10, ct);
                var t = await chain.History.BlockTimesAsync([o.Block], ct);
                return (o, await chain.ChainIdAsync(ct), t[o.Block]);
            }, http.RequestAborted);
            return Page(RegistryPage.Render(overview, chainId, chain.Registry, time));
        }).ExcludeFromDescription();

        app.MapGet("/static/{name}", (string name) => StaticFile(name)).ExcludeFromDescription();
    }

    /// <summary>The anchor page for <paramref name="query"/>: 200 when the root is anchored (the page says whether the event matches), 404 when not.</summary>
    private static async Task<IResult> AnchorAnswerAsync(HttpContext http, AnchorQuery query, PortalChain chain, AnchorLookup lookup, PortalLinks links)
    {
        var r = await lookup.LookupAsync(query, http.RequestAborted);
        var chainId = await chain.ReadAsync(chain.ChainIdAsync, http.RequestAborted);
        return Page(AnchorPage.Render(r, chainId, chain.Registry, await links.AnchorAsync(http, query)), r.Anchored ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    private static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>The portal's own static files, embedded in the assembly.</summary>
    private static IResult StaticFile(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        using var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("static/" + name);
        if (stream is null || type is null) return Results.NotFound();
        using var reader = new StreamReader(stream);
        return new CachedText(reader.ReadToEnd(), type);
    }

    /// <summary>A static file's text with a cache lifetime of an hour.</summary>
    private sealed class CachedText(string text, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = contentType;
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return http.Response.WriteAsync(text, http.RequestAborted);
        }
    }
}
