using Microsoft.Extensions.Logging;

namespace Traceability.Service.Diagnostics;

/// <summary>The service's log messages (source-generated). Secrets never appear in them.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Anchoring service for registry {Registry} on chain {ChainId} at {RpcUrl}, sender {Sender}; store {Store}")]
    public static partial void Started(ILogger logger, string registry, string chainId, string rpcUrl, string sender, string store);

    [LoggerMessage(2, LogLevel.Information, "Received {Count} document(s) from the drop folder")]
    public static partial void Received(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Warning, "Rejected record #{Id} ({Source}): {Rule} at {Field}: {Reason}")]
    public static partial void Rejected(ILogger logger, long id, string source, string rule, string field, string reason);

    [LoggerMessage(4, LogLevel.Information, "Anchored {Count} {Kind} record(s) in {Transaction} (block {Block}, {Gas} gas)")]
    public static partial void Anchored(ILogger logger, int count, string kind, string transaction, ulong block, string gas);

    [LoggerMessage(5, LogLevel.Warning, "The chain is unavailable ({Message}); retrying in {DelayMs} ms")]
    public static partial void ChainDown(ILogger logger, string message, int delayMs);

    [LoggerMessage(6, LogLevel.Critical, "The deployment does not stand any more: {Problems}. Stopping: anchoring into a reset chain would lose records.")]
    public static partial void DeploymentGone(ILogger logger, string problems);

    [LoggerMessage(7, LogLevel.Information, "Recovered {Confirmed} record(s) found on chain and {Requeued} record(s) requeued after a restart")]
    public static partial void Recovered(ILogger logger, int confirmed, int requeued);

    [LoggerMessage(8, LogLevel.Information, "{Count} record(s) were already on chain: marked confirmed")]
    public static partial void AlreadyAnchored(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Warning, "Batch {Batch} of {Count} {Kind} record(s) failed: {Message}; its records are pending again")]
    public static partial void BatchFailed(ILogger logger, long batch, int count, string kind, string message);

    [LoggerMessage(20, LogLevel.Error, "Batch {Batch} of {Count} {Kind} record(s) was mined in {Transaction} with {Logs} event(s), not one a record: the registry did not take it (no contract at its address: was the chain reset?); its records are pending again and the deployment is checked before the next send")]
    public static partial void NotTakenByRegistry(ILogger logger, long batch, int count, string kind, string transaction, int logs);

    [LoggerMessage(10, LogLevel.Information, "Health endpoint on http://127.0.0.1:{Port}/health and /status")]
    public static partial void Http(ILogger logger, int port);

    [LoggerMessage(11, LogLevel.Error, "Unexpected error in the anchoring loop; retrying")]
    public static partial void LoopError(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Batch {Batch}: transaction {Stuck} got no receipt in time; replaced by {Replacement} (same nonce, higher fee)")]
    public static partial void Replaced(ILogger logger, long batch, string stuck, string replacement);

    [LoggerMessage(14, LogLevel.Warning, "Reading the drop folder failed ({Message}); retrying")]
    public static partial void DropFolderUnreadable(ILogger logger, string message);

    [LoggerMessage(15, LogLevel.Warning, "Cannot read {File} yet ({Message}); it is tried again")]
    public static partial void FileUnreadable(ILogger logger, string file, string message);

    [LoggerMessage(12, LogLevel.Information, "The chain is back")]
    public static partial void ChainBack(ILogger logger);

    [LoggerMessage(16, LogLevel.Warning, "Wrote the rejected area's files of {Count} rejected record(s) a crash had left without them")]
    public static partial void RejectedAreaRebuilt(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Critical, "Cannot anchor: {Reason}. Stopping.")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(18, LogLevel.Warning, "The service account {Account} is not an active member of any participant: parcels are refused until an authority adds it (kp member add); re-drop them then")]
    public static partial void NotAMember(ILogger logger, string account);

    [LoggerMessage(19, LogLevel.Warning, "The signer cannot sign ({Message}); nothing was sent, the records are kept; retrying in {DelayMs} ms")]
    public static partial void SignerDown(ILogger logger, string message, int delayMs);
}
