namespace Traceability.Chain.Rpc;

/// <summary>The node could not be reached (down, wrong URL, timed out).</summary>
public sealed class ChainUnavailableException(string url, Exception inner)
    : Exception($"cannot reach the chain at {WithoutCredentials(url)}: {inner.Message}", inner)
{
    /// <summary>The endpoint.</summary>
    public string Url { get; } = url;

    /// <summary><paramref name="url"/> with any user name and password replaced by <c>***</c>: never in a message.</summary>
    public static string WithoutCredentials(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return url;
        // the user information ends at the authority's last '@' (a password may hold an unencoded '@')
        var end = url.IndexOfAny(['/', '?', '#'], start + 3);
        var authority = url[(start + 3)..(end < 0 ? url.Length : end)];
        var at = authority.LastIndexOf('@');
        return at < 0 ? url : url[..(start + 3)] + "***" + url[(start + 3 + at)..];
    }
}

/// <summary>The node answered with a JSON-RPC error that is not a contract revert.</summary>
public sealed class ChainRpcException(string method, int code, string message)
    : Exception($"{method} failed: {message} (JSON-RPC error {code})")
{
    /// <summary>The JSON-RPC method.</summary>
    public string Method { get; } = method;

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; } = code;

    /// <summary>The node's message.</summary>
    public string NodeMessage { get; } = message;
}

/// <summary>
/// A contract refused a call: the raw revert data, as the node returned it. This layer knows no
/// contract's errors; the registry layer decodes them (Registry.ContractRevertException).
/// </summary>
public sealed class RevertException(string? revertData, string message, string? transactionHash = null) : Exception(message)
{
    /// <summary>The revert data (0x: a custom error's selector and arguments), or null if the node gave none.</summary>
    public string? RevertData { get; } = revertData;

    /// <summary>The mined transaction that reverted, when the node mines reverts (Anvil, Besu).</summary>
    public string? TransactionHash { get; } = transactionHash;
}
