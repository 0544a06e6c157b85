using static Traceability.Portal.Pages.Html;

namespace Traceability.Portal.Pages;

/// <summary>The page of a refused or failed request: what went wrong, the field at fault, where to go next.</summary>
public static class ErrorPage
{
    /// <summary>Renders the page.</summary>
    public static string Render(int status, string title, string detail, string? field) => Page(title, $"""
        <h1>{E(title)}</h1>
        <div class="notice bad" role="alert">
        <p>{E(detail)}</p>
        {(field is null ? "" : $"<p>Field: <code>{E(field)}</code></p>")}
        <p class="small">HTTP status {status}.</p>
        </div>
        <p><a href="/">Verify a document</a> · <a href="/registry">Registry overview</a></p>
        """);
}
