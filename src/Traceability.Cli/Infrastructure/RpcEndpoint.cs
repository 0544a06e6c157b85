using System.Globalization;

namespace Traceability.Cli.Infrastructure;

/// <summary>The address of a JSON-RPC endpoint as people type it.</summary>
public static class RpcEndpoint
{
    /// <summary>
    /// An absolute http, https, ws or wss URL with a host and a port from 1 to 65535; <c>host:port</c> without a
    /// scheme means <c>http://host:port</c>. Throws <see cref="FormatException"/> with a sentence saying what is wrong.
    /// </summary>
    public static string Parse(string? text)
    {
        if (text is { Length: > 2048 }) throw new FormatException($"a JSON-RPC endpoint of {text.Length:N0} characters is not one (at most 2,048)");
        var s = (text ?? "").Trim();
        const string Shape = "http(s)://host:port or host:port (for example http://127.0.0.1:8545 or 127.0.0.1:8545)";
        if (s.Length == 0) throw new FormatException($"an empty value is not a JSON-RPC endpoint: give it as {Shape}");
        if (!s.Contains("://", StringComparison.Ordinal))
        {
            // host:port, the port in digits; anything else without a scheme (javascript:x, mailto:y) is no endpoint
            var colon = s.LastIndexOf(':');
            if (colon > 0 && !s.Contains('/', StringComparison.Ordinal) && s[(colon + 1)..].All(char.IsAsciiDigit) && colon < s.Length - 1) s = "http://" + s;
            else throw new FormatException($"'{Shown(text)}' is not a URL of a JSON-RPC endpoint: expected {Shape}");
        }
        var scheme = s[..s.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant();
        if (scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new FormatException($"'{Shown(text)}' is not a URL of a JSON-RPC endpoint: the scheme must be http, https, ws or wss, not '{scheme}'");
        }
        var authority = s[(scheme.Length + 3)..].Split('/', '?', '#')[0];
        var portText = authority.StartsWith('[') ? authority[(authority.IndexOf(']', StringComparison.Ordinal) + 1)..].TrimStart(':')
            : authority.Contains(':', StringComparison.Ordinal) ? authority[(authority.LastIndexOf(':') + 1)..] : null;
        if (portText is { Length: > 0 } && (!portText.All(char.IsAsciiDigit) || portText.Length > 5 || int.Parse(portText, CultureInfo.InvariantCulture) is < 1 or > 65535))
        {
            throw new FormatException($"'{Shown(text)}' has port {portText}: a port is a whole number from 1 to 65535");
        }
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{Shown(text)}' is not a URL of a JSON-RPC endpoint: expected {Shape}");
        }
        return s;
    }

    /// <summary><paramref name="url"/> with any user name and password replaced by <c>***</c>: what kp prints (a password in an endpoint is never shown).</summary>
    public static string Redact(string url) => Chain.Rpc.ChainUnavailableException.WithoutCredentials(url);

    private static string Shown(string? text) => text is { Length: > 80 } ? text[..80] + "…" : text ?? "";
}
