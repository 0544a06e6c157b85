using System.Numerics;

namespace Traceability.Chain.Transactions;

/// <summary>Where a sent transaction stands, as the node knows it.</summary>
public enum TransactionState
{
    /// <summary>The node knows nothing of it: never sent, or dropped from the pool.</summary>
    Unknown,

    /// <summary>In the node's pool, not yet mined.</summary>
    Pending,

    /// <summary>Mined (successfully or reverted: see <see cref="TransactionLookup.Succeeded"/>).</summary>
    Mined,
}

/// <summary>A transaction looked up by its hash (<see cref="TransactionSender.LookupAsync"/>).</summary>
/// <param name="Hash">The transaction hash.</param>
/// <param name="State">Mined, pending or unknown.</param>
/// <param name="Succeeded">Mined with status 1.</param>
/// <param name="BlockNumber">The block that includes it, when mined.</param>
/// <param name="GasUsed">The gas it used, when mined.</param>
public sealed record TransactionLookup(string Hash, TransactionState State, bool Succeeded, ulong? BlockNumber, BigInteger? GasUsed)
{
    /// <summary>How many logs it emitted, when mined: a call to an address without code emits none.</summary>
    public int LogCount { get; init; }
}
