using System.Security.Cryptography;

namespace Traceability.Portal.Hosting;

/// <summary>
/// Security headers on every answer: a Content-Security-Policy that allows scripts only from the portal
/// itself or with this request's nonce (never inline ones), no framing, no sniffing, no referrer
/// leaving the site, no powerful browser features.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Where the request's nonce is kept in <see cref="HttpContext.Items"/> (the API reference page uses it).</summary>
    public const string NonceKey = "kp-csp-nonce";

    /// <summary>The request's CSP nonce.</summary>
    public static string Nonce(HttpContext http) => (string)http.Items[NonceKey]!;

    /// <summary>The middleware.</summary>
    public static Task Apply(HttpContext http, Func<Task> next)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        http.Items[NonceKey] = nonce;
        // the API reference (Scalar) sets styles from its script; the portal's own pages need no inline style at all
        var styles = http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/v1") ? "'self' 'unsafe-inline'" : "'self'";
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src {styles}; img-src 'self' data:; font-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        return next();
    }
}
