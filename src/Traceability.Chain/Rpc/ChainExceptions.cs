using Traceability.Chain.Registry;

namespace Traceability.Chain.Rpc;

/// <summary>The node could not be reached (down, wrong URL, timed out).</summary>
public sealed class ChainUnavailableException(string url, Exception inner)
    : Exception($"cannot reach the chain at {url}: {inner.Message}", inner)
{
    /// <summary>The endpoint.</summary>
    public string Url { get; } = url;
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

/// <summary>The registry refused a call: the decoded custom error says which rule and why.</summary>
public sealed class ContractRevertException(RegistryError? error, string fallback, string? transactionHash = null)
    : Exception(error?.Message ?? fallback)
{
    /// <summary>The decoded error, or null if the revert data is not the registry's.</summary>
    public RegistryError? Error { get; } = error;

    /// <summary>The error's name, or "Revert".</summary>
    public string ErrorName => Error?.Name ?? "Revert";

    /// <summary>The mined transaction that reverted, when the node mines reverts (Anvil, Besu).</summary>
    public string? TransactionHash { get; } = transactionHash;
}
