using System.Numerics;

namespace Traceability.Chain.Transactions;

/// <summary>A mined transaction.</summary>
/// <param name="Hash">Transaction hash.</param>
/// <param name="BlockNumber">Block that includes it.</param>
/// <param name="BlockHash">That block's hash.</param>
/// <param name="GasUsed">Gas it used.</param>
/// <param name="ContractAddress">Address created by a deployment, else null.</param>
/// <param name="Logs">The receipt's logs (raw JSON-RPC objects).</param>
public sealed record SentTransaction(string Hash, ulong BlockNumber, string BlockHash, BigInteger GasUsed, string? ContractAddress,
    IReadOnlyList<Newtonsoft.Json.Linq.JObject> Logs)
{
    /// <summary>How many logs it emitted (also when they were counted, not read: then <see cref="Logs"/> is empty).</summary>
    public int LogCount { get; init; } = Logs.Count;
}
