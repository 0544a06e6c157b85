namespace Traceability.Cli.Infrastructure;

/// <summary>kp's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Success; for verify: Verified.</summary>
    public const int Ok = 0;

    /// <summary>Checked and not verified, or refused by the registry.</summary>
    public const int NotVerified = 1;

    /// <summary>Bad input or usage: a malformed document, a broken KP rule, a wrong option.</summary>
    public const int BadInput = 2;

    /// <summary>The environment failed: the chain is unreachable, or the deployment is missing or stale.</summary>
    public const int Environment = 3;

    /// <summary>Interrupted by the user (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}

/// <summary>Bad input or usage, reported with exit code 2.</summary>
/// <param name="message">A sentence naming the option or field and the problem.</param>
/// <param name="field">The option (<c>--carats</c>) or document field at fault; by default the <c>name:</c> the message starts with.</param>
public sealed class CliUsageException(string message, string? field = null) : Exception(message)
{
    /// <summary>The option or field at fault, when one is.</summary>
    public string? Field { get; } = field ?? CliError.FieldOf(message);
}

/// <summary>An environment problem (no deployment, stale deployment), reported with exit code 3.</summary>
public sealed class CliEnvironmentException(string message) : Exception(message);

/// <summary>
/// A record that was looked up and is not on the chain (a certificate number never issued, a participant
/// never added), reported with exit code 1 and a sentence (<c>not-found</c> with --json).
/// </summary>
/// <param name="message">A sentence saying what is not there, such as "certificate BW2026-9 was never issued by BW here".</param>
/// <param name="field">The argument or option that named it.</param>
public sealed class CliNotFoundException(string message, string? field = null) : Exception(message)
{
    /// <summary>The argument or option that named the missing record.</summary>
    public string? Field { get; } = field;
}
