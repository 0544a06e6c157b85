using Traceability.Chain.Rpc;

namespace Traceability.Chain.Signing;

/// <summary>
/// The remote signer could not sign: it is not reachable, did not answer in time, refused the
/// request, or answered with something that is not the account's signature. The message names the
/// signer (without credentials) and what happened; nothing was signed or sent.
/// </summary>
public sealed class RemoteSignerException(string url, string problem, Exception? inner = null, int? rpcCode = null)
    : Exception($"remote signer {ChainUnavailableException.WithoutCredentials(url)}: {problem}", inner)
{
    /// <summary>The signer's endpoint.</summary>
    public string Url { get; } = url;

    /// <summary>The JSON-RPC error code the signer answered with, if it answered with one.</summary>
    public int? RpcCode { get; } = rpcCode;
}
