using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// How kp reports a failure: a sentence on stderr for people (<c>error: …</c>), or with <c>--json</c> one JSON
/// document on stderr, <c>{"error": {"code", "message", "field"}}</c>, with the same exit code either way.
/// </summary>
/// <param name="Code">A stable kebab-case name for scripts (see <see cref="Codes"/>).</param>
/// <param name="Message">The sentence people read.</param>
/// <param name="Field">The option or document field at fault, when one is.</param>
public sealed partial record CliError(string Code, string Message, string? Field = null)
{
    /// <summary>Every code kp reports, with its exit code.</summary>
    public static class Codes
    {
        /// <summary>A wrong option, argument or value on the command line (exit 2).</summary>
        public const string Usage = "usage";

        /// <summary>A document that is malformed or breaks a KP rule (exit 2).</summary>
        public const string InvalidDocument = "invalid-document";

        /// <summary>A file or folder kp cannot read or write (exit 2).</summary>
        public const string File = "file";

        /// <summary>No usable account: no key, a wrong keystore password, a named account that is not configured (exit 2).</summary>
        public const string Account = "account";

        /// <summary>A record looked up is not on the chain: a certificate never issued, a participant never added (exit 1).</summary>
        public const string NotFound = "not-found";

        /// <summary>The registry refused the transaction; <c>field</c> holds the contract's error name (exit 1).</summary>
        public const string Refused = "refused";

        /// <summary>A receipt whose events do not register what was sent (exit 1).</summary>
        public const string ReceiptMismatch = "receipt-mismatch";

        /// <summary>The deployment record does not match the chain: reset, or another chain (exit 3).</summary>
        public const string Deployment = "deployment";

        /// <summary>The chain cannot be reached, or answered with an error (exit 3).</summary>
        public const string Chain = "chain";

        /// <summary>The remote signer (--signer) cannot be reached, does not answer in time, or refuses to sign; nothing was signed or sent (exit 3).</summary>
        public const string Signer = "signer";

        /// <summary>Something kp needs around it is missing: a deployment record, a node to start, a service store (exit 3).</summary>
        public const string Environment = "environment";

        /// <summary>Interrupted by the user (exit 130).</summary>
        public const string Interrupted = "interrupted";
    }

    /// <summary>The option or field a message starts with (<c>--carats: …</c>, <c>details.carats: …</c>), if any.</summary>
    public static string? FieldOf(string message)
    {
        var m = LeadingField().Match(message);
        if (!m.Success) return null;
        var field = m.Groups[1].Value;
        // a file name is where the error is, not a field of it (cert.json: ...)
        return FileExtensions.Any(x => field.EndsWith(x, StringComparison.OrdinalIgnoreCase)) ? null : field;
    }

    /// <summary>Writes the error to <paramref name="error"/>: JSON when <paramref name="json"/>, else <c>error: message</c> and any <paramref name="hints"/>.</summary>
    public async Task WriteAsync(TextWriter error, bool json, IEnumerable<string>? hints = null, string? prefix = "error: ")
    {
        if (json)
        {
            await error.WriteLineAsync(JsonSerializer.Serialize(new { error = this }, JsonOptions));
            return;
        }
        await error.WriteLineAsync(prefix + Message);
        foreach (var h in hints ?? []) await error.WriteLineAsync(h);
    }

    private static readonly string[] FileExtensions = [".json", ".jsonl", ".jsonld", ".txt", ".pdf", ".csv", ".log", ".db", ".pem", ".key"];

    // field is always present (null when no field is at fault), so scripts can read it without a check
    private static readonly JsonSerializerOptions JsonOptions = new(Output.JsonOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [GeneratedRegex(@"^(--[a-z][a-z0-9-]*|[a-zA-Z][A-Za-z0-9_.\[\]]*): ")]
    private static partial Regex LeadingField();
}
