using System.CommandLine;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Core.Json;
using Traceability.Core.Validation;

namespace Traceability.Cli.Infrastructure;

/// <summary>Runs a command's body with its context and maps failures to exit codes and clear messages (JSON on stderr with --json).</summary>
public sealed class CommandRunner(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
{
    /// <summary>What to do when the registry kp is pointed at is not there (printed with exit code 3).</summary>
    public const string DeploymentFix = "  fix: if the chain was reset, deploy the registry again with `kp chain deploy` (it writes a new deployment record); "
        + "otherwise point kp at the chain and deployment record it was deployed with (--rpc, --deployment or $KP_DEPLOYMENT). Nothing was sent.";

    /// <summary>What to do when the chain does not answer (printed with exit code 3).</summary>
    public const string ChainFix = "  fix: start the node (kp chain up starts a local one; a fresh one needs kp chain deploy), "
        + "or point kp at a running one (--rpc, --network or $KP_RPC_URL). Nothing was sent.";

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/>.</summary>
    public void Bind(Command command, Func<CliContext, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            using var context = new CliContext(parse, output, error, environment, ct, workingDirectory);
            try
            {
                return await body(context);
            }
            catch (Exception e) when (Classify(e, ct) is { } failure)
            {
                await failure.Error.WriteAsync(error, context.Json, failure.Hints, failure.Prefix);
                if (context.Verbose) await WriteCausesAsync(e);
                return failure.ExitCode;
            }
        });

    /// <summary>The report and exit code of a failure kp knows how to explain; null for a defect (left to crash loudly).</summary>
    public static Failure? Classify(Exception e, CancellationToken ct = default) => e switch
    {
        CliUsageException u => new(new(CliError.Codes.Usage, u.Message, u.Field), ExitCodes.BadInput),
        AccountUnavailableException a => new(new(CliError.Codes.Account, a.Message, CliError.FieldOf(a.Message)), ExitCodes.BadInput),
        RecordFormatException f => new(new(CliError.Codes.InvalidDocument, f.Message, f.Field), ExitCodes.BadInput),
        RecordValidationException v => new(new(CliError.Codes.InvalidDocument, v.Message, v.Errors.Count > 0 ? v.Errors[0].Field : null), ExitCodes.BadInput),
        DeploymentUnavailableException d => new(new(CliError.Codes.Deployment, d.Message), ExitCodes.Environment, [DeploymentFix]),
        CliNotFoundException n => new(new(CliError.Codes.NotFound, n.Message, n.Field), ExitCodes.NotVerified),
        ReceiptMismatchException r => new(new(CliError.Codes.ReceiptMismatch, r.Message), ExitCodes.NotVerified),
        ContractRevertException c => Refused(c),
        RevertException r => Refused(ContractRevertException.From(r)),
        RemoteSignerException => new(new(CliError.Codes.Signer, e.Message, "--signer"), ExitCodes.Environment),
        ChainUnavailableException => new(new(CliError.Codes.Chain, e.Message), ExitCodes.Environment, [ChainFix]),
        ChainRpcException or TimeoutException => new(new(CliError.Codes.Chain, e.Message), ExitCodes.Environment),
        CliEnvironmentException => new(new(CliError.Codes.Environment, e.Message), ExitCodes.Environment),
        FormatException => new(new(CliError.Codes.Usage, e.Message, CliError.FieldOf(e.Message)), ExitCodes.BadInput),
        // Ctrl+C: what was sent stays sent (the registry refuses a second registration, so running the command again is safe)
        OperationCanceledException when ct.IsCancellationRequested => new(new(CliError.Codes.Interrupted, "interrupted"), ExitCodes.Interrupted, Prefix: ""),
        // a path kp was given cannot be read or written (no permission, a loop of links, not a file...): bad input, never a stack trace
        IOException or UnauthorizedAccessException => new(new(CliError.Codes.File, $"a file or folder given to kp cannot be used: {e.Message}"), ExitCodes.BadInput),
        _ => null,
    };

    private static Failure Refused(ContractRevertException c) =>
        new(new(CliError.Codes.Refused, $"{c.Message} [{c.ErrorName}]", c.ErrorName), ExitCodes.NotVerified, Prefix: "refused by the registry: ");

    private async Task WriteCausesAsync(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            await error.WriteLineAsync($"  cause: {inner.GetType().Name}: {inner.Message}");
        }
    }

    /// <summary>A failure as kp reports it.</summary>
    /// <param name="Error">The error.</param>
    /// <param name="ExitCode">The exit code.</param>
    /// <param name="Hints">Lines after the message, for people (never in JSON).</param>
    /// <param name="Prefix">What the message follows, for people.</param>
    public sealed record Failure(CliError Error, int ExitCode, IReadOnlyList<string>? Hints = null, string Prefix = "error: ");
}
