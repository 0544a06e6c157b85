namespace Traceability.Portal.Hosting;

/// <summary>The portal's log messages (source-generated). Uploaded documents never appear in them.</summary>
internal static partial class PortalLog
{
    [LoggerMessage(1, LogLevel.Information, "Verification portal for registry {Registry} at {RpcUrl} on {Urls}")]
    public static partial void Started(ILogger logger, string registry, string rpcUrl, string urls);

    [LoggerMessage(2, LogLevel.Warning, "The chain is unavailable: {Message}")]
    public static partial void ChainDown(ILogger logger, string message);

    [LoggerMessage(3, LogLevel.Information, "Refused a request to {Path}: {Status} {Reason}")]
    public static partial void Refused(ILogger logger, string path, int status, string reason);

    [LoggerMessage(4, LogLevel.Error, "Unexpected error on {Path}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string path);

    [LoggerMessage(5, LogLevel.Information, "Verified a {Kind} document: {Verdict} in {RoundTrips} round trip(s)")]
    public static partial void Verified(ILogger logger, string kind, string verdict, long roundTrips);
}
