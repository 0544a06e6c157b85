using System.Text.Json;

namespace Traceability.Core.Json;

/// <summary>
/// System.Text.Json's complaint about malformed text, for people: where it is, counted as editors count
/// (line 1, column 1 is the first byte), then what is wrong. The reader's own position is zero-based
/// ("LineNumber: 9 | BytePositionInLine: 66." is line 10, column 67) and is dropped from its message.
/// </summary>
public static class JsonErrorText
{
    /// <summary>"line N, column M: what is wrong" (no position when the reader gave none). Columns count bytes of UTF-8.</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (at >= 0) message = message[..at];
        message = message.TrimEnd().TrimEnd('.');
        return e.LineNumber is { } line
            ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}"
            : message;
    }
}
