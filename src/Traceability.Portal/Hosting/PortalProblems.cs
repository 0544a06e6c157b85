using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Traceability.Chain.Deployment;
using Traceability.Chain.Rpc;
using Traceability.Portal.Chain;
using Traceability.Portal.Pages;

namespace Traceability.Portal.Hosting;

/// <summary>A request the portal refuses: the status (4xx), the field at fault and what is wrong with it.</summary>
/// <param name="status">The HTTP status, 400 unless said otherwise.</param>
/// <param name="field">The field, for example "document.details.carats", "ancestors[3]" or "body".</param>
/// <param name="problem">What is wrong, one sentence.</param>
public sealed class PortalInputException(int status, string field, string problem) : Exception($"{field}: {problem}")
{
    /// <summary>A 400 Bad Request.</summary>
    public PortalInputException(string field, string problem) : this(StatusCodes.Status400BadRequest, field, problem)
    {
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The field at fault.</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}

/// <summary>
/// Turns every failure into an answer: RFC 9457 problem details under /api (and for anything that is
/// not a page), an HTML page elsewhere. Refused input is a 4xx naming the field; a chain that is down,
/// slow or not the deployment is a 503; nothing else escapes as a bare 500.
/// </summary>
public sealed class PortalProblems(IProblemDetailsService problems, ILogger<PortalProblems> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, field) = Classify(exception);
        if (status >= 500 && exception is not (ChainUnavailableException or ChainTimeoutException or ChainRpcException or DeploymentUnavailableException))
        {
            PortalLog.Unexpected(logger, exception, http.Request.Path);
        }
        else if (status >= 500) PortalLog.ChainDown(logger, exception.Message);
        else PortalLog.Refused(logger, http.Request.Path, status, detail);
        await WriteAsync(problems, http, status, title, detail, field).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes a refusal: problem details, or an HTML page for a browser on a page route.</summary>
    public static async Task WriteAsync(IProblemDetailsService problems, HttpContext http, int status, string title, string detail, string? field)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        if (IsPage(http.Request) && !WantsJson(http.Request))
        {
            await Html.WriteAsync(http, status, ErrorPage.Render(status, title, detail, field)).ConfigureAwait(false);
            return;
        }
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path };
        if (status == StatusCodes.Status429TooManyRequests) problem.Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4";
        if (field is not null) problem.Extensions["field"] = field;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).ConfigureAwait(false);
    }

    /// <summary>Whether the client asks for JSON and not HTML (a program on a page route gets problem details too).</summary>
    public static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the request is for an HTML page (not the API, not the OpenAPI document).</summary>
    public static bool IsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api/v1") && !request.Path.StartsWithSegments("/openapi") && !request.Path.StartsWithSegments("/static");

    private static (int Status, string Title, string Detail, string? Field) Classify(Exception e) => e switch
    {
        PortalInputException p => (p.Status, TitleOf(p.Status), p.Message, p.Field),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, "Request body too large", "body: the request body is larger than this portal accepts", "body"),
        BadHttpRequestException b => (b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, TitleOf(b.StatusCode), $"body: {b.Message}", "body"),
        InvalidDataException d => (400, "Bad request", $"body: {d.Message}", "body"),
        ChainTimeoutException t => (503, "Chain unavailable", t.Message, null),
        ChainUnavailableException => (503, "Chain unavailable", "the chain this portal reads cannot be reached; try again later", null),
        ChainRpcException r => (503, "Chain unavailable", $"the node refused a read ({r.Method}: {r.NodeMessage})", null),
        DeploymentUnavailableException d => (503, "Registry unavailable", "the registry this portal reads does not stand: " + string.Join("; ", d.Problems), null),
        PrintUnavailableException p => (503, "Printing unavailable", $"the portal cannot print now: {p.Message}", null),
        OperationCanceledException => (499, "Client closed request", "the request was cancelled", null),
        _ => (500, "Internal error", "the portal failed unexpectedly; the error is logged", null),
    };

    /// <summary>A short title for a status.</summary>
    public static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        404 => "Not found",
        413 => "Request body too large",
        415 => "Unsupported media type",
        422 => "Unprocessable document",
        429 => "Too many requests",
        _ => "Request refused",
    };
}
