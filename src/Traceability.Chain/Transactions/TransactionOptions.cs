using System.Numerics;

namespace Traceability.Chain.Transactions;

/// <summary>How transaction fees are set.</summary>
public enum FeeMode
{
    /// <summary>From the latest block: EIP-1559 when it has a base fee above zero, zero fees when the base fee is zero (Besu free gas), legacy when it has none.</summary>
    Auto,

    /// <summary>Legacy gas price (from the node, or <see cref="TransactionOptions.GasPrice"/>).</summary>
    Legacy,

    /// <summary>EIP-1559: max fee = 2 × base fee + priority fee.</summary>
    Eip1559,

    /// <summary>Gas price zero, for permissioned networks with free gas.</summary>
    Zero,
}

/// <summary>How transactions are sent and awaited.</summary>
public sealed record TransactionOptions
{
    /// <summary>Fee mode.</summary>
    public FeeMode Fees { get; init; } = FeeMode.Auto;

    /// <summary>Blocks a receipt must be buried under (1: the block that includes it).</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>How long to wait for a receipt before giving up.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Blocks sealed without a transaction's receipt after which, while its receipt is awaited, the same signed transaction is
    /// sent again (same hash, same nonce), and again after as many more (0: never). A node may drop a pending transaction
    /// (Anvil drops a sender's transaction that fits a block its predecessor did not); a node that still holds it refuses the
    /// copy, which changes nothing. Counted in blocks, so the wait follows the block period, not <see cref="ReceiptTimeout"/>.
    /// </summary>
    public int RebroadcastBlocks { get; init; } = 3;

    /// <summary>Pause between receipt polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gas limit = estimate × this margin.</summary>
    public double GasMargin { get; init; } = 1.2;

    /// <summary>Upper bound of a transaction's gas (Osaka caps a transaction at 2^24 gas, EIP-7825).</summary>
    public ulong MaxGas { get; init; } = 16_777_216;

    /// <summary>Legacy gas price to use instead of asking the node.</summary>
    public BigInteger? GasPrice { get; init; }

    /// <summary>
    /// How long resolved fees are reused for the next transactions (zero: asked for every transaction). A batch
    /// sender sets about a second: the max fee is twice the base fee, which rises at most an eighth a block.
    /// </summary>
    public TimeSpan FeeReuse { get; init; } = TimeSpan.Zero;

    /// <summary>EIP-1559 priority fee to use instead of asking the node.</summary>
    public BigInteger? MaxPriorityFee { get; init; }
}
