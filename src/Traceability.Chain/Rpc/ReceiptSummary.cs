using System.Numerics;

namespace Traceability.Chain.Rpc;

/// <summary>
/// A transaction receipt without its logs (<see cref="ChainRpc.ReceiptSummaryAsync"/>): what a sender needs
/// to settle a transaction. A batch of 500 parcels has 500 logs; reading them into objects cost more
/// than signing the batch.
/// </summary>
/// <param name="Status">1: succeeded; 0: reverted.</param>
/// <param name="BlockNumber">The block that includes it.</param>
/// <param name="BlockHash">That block's hash.</param>
/// <param name="GasUsed">Gas it used.</param>
/// <param name="ContractAddress">Address created by a deployment, else null.</param>
/// <param name="LogCount">How many logs the transaction emitted (counted, not read): a call to an address without code emits none.</param>
public sealed record ReceiptSummary(int Status, BigInteger BlockNumber, string BlockHash, BigInteger GasUsed, string? ContractAddress, int LogCount = 0);
