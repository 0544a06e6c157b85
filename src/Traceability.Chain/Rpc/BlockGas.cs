using System.Numerics;

namespace Traceability.Chain.Rpc;

/// <summary>A block's gas, as eth_getBlockByNumber gives it (<see cref="ChainRpc.BlockGasAsync"/>).</summary>
/// <param name="Number">The block number.</param>
/// <param name="GasUsed">Gas its transactions used.</param>
/// <param name="GasLimit">Most gas the block may hold.</param>
/// <param name="Timestamp">Its timestamp, Unix seconds.</param>
/// <param name="Transactions">Transactions it holds.</param>
public sealed record BlockGas(ulong Number, BigInteger GasUsed, BigInteger GasLimit, ulong Timestamp, int Transactions)
{
    /// <summary>Gas used over the gas limit (0 to 1).</summary>
    public double Fill => GasLimit.IsZero ? 0 : (double)GasUsed / (double)GasLimit;
}
