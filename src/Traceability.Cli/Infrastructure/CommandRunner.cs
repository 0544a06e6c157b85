using System.CommandLine;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Json;
using Traceability.Core.Validation;

namespace Traceability.Cli.Infrastructure;

/// <summary>Runs a command's body with its context and maps failures to exit codes and clear messages.</summary>
public sealed class CommandRunner(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>What to do when the registry kp is pointed at is not there (printed with exit code 3).</summary>
    public const string DeploymentFix = "  fix: if the chain was reset, deploy the registry again with `kp chain deploy` (it writes a new deployment record); "
        + "otherwise point kp at the chain and deployment record it was deployed with (--rpc, --deployment or $KP_DEPLOYMENT). Nothing was sent.";

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/>.</summary>
    public void Bind(Command command, Func<CliContext, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            using var context = new CliContext(parse, output, error, environment, ct);
            try
            {
                return await body(context);
            }
            catch (Exception e) when (e is CliUsageException or AccountUnavailableException or RecordFormatException or RecordValidationException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (DeploymentUnavailableException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                await error.WriteLineAsync(DeploymentFix);
                return ExitCodes.Environment;
            }
            catch (ReceiptMismatchException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.NotVerified;
            }
            catch (Exception e) when (e is ContractRevertException or RevertException)
            {
                var refused = e as ContractRevertException ?? ContractRevertException.From((RevertException)e);
                await error.WriteLineAsync($"refused by the registry: {refused.Message} [{refused.ErrorName}]");
                return ExitCodes.NotVerified;
            }
            catch (Exception e) when (e is ChainUnavailableException or CliEnvironmentException or ChainRpcException or TimeoutException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Environment;
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: what was sent stays sent (the registry refuses a second registration, so running the command again is safe)
                await error.WriteLineAsync("interrupted");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a path kp was given cannot be read or written (no permission, a loop of links, not a file...): bad input, never a stack trace
                await error.WriteLineAsync($"error: a file or folder given to kp cannot be used: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
}
