using Traceability.Chain.Rpc;

namespace Traceability.Chain.Registry;

/// <summary>The registry refused a call: the decoded custom error says which rule and why.</summary>
/// <param name="error">The decoded error, or null if the revert data is not the registry's.</param>
/// <param name="fallback">The message when the error is not the registry's.</param>
/// <param name="transactionHash">The mined transaction that reverted, if any.</param>
public sealed class ContractRevertException(RegistryError? error, string fallback, string? transactionHash = null)
    : Exception(error?.Message ?? fallback)
{
    /// <summary>The decoded error, or null if the revert data is not the registry's.</summary>
    public RegistryError? Error { get; } = error;

    /// <summary>The error's name, or "Revert".</summary>
    public string ErrorName => Error?.Name ?? "Revert";

    /// <summary>The mined transaction that reverted, when the node mines reverts (Anvil, Besu).</summary>
    public string? TransactionHash { get; } = transactionHash;

    /// <summary>A raw revert of the RPC layer, decoded as the registry's.</summary>
    public static ContractRevertException From(RevertException revert) =>
        new(RegistryErrors.TryDecode(revert.RevertData), revert.Message, revert.TransactionHash);
}
