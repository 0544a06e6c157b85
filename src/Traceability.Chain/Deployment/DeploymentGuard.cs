using System.Numerics;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Deployment;

/// <summary>The registry a client is pointed at is not there: the chain was reset, or this is another chain or contract.</summary>
public sealed class DeploymentUnavailableException(string address, IReadOnlyList<string> problems)
    : Exception($"the registry at {address} is not usable: {string.Join("; ", problems)}")
{
    /// <summary>The registry address the client was pointed at.</summary>
    public string Address { get; } = address;

    /// <summary>What is wrong, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The check every client runs before it uses a registry (kp before any command that reads or writes
/// the chain, the anchoring service at start and after every outage). Sending to an address without
/// the registry's code "succeeds" (the node mines a call to an empty account) and reading from it
/// decodes nothing, so neither may happen. With a deployment record for the address: the chain id, the
/// keccak256 of the code at the address (against the record's <c>runtimeCodeHash</c>) and the
/// deployment block's hash, in one batched round trip. Without one (a bare <c>--registry</c>): code
/// at the address that answers as a KimberleyRegistry (its EIP-712 domain).
/// </summary>
public static class DeploymentGuard
{
    /// <summary>What makes the registry at <paramref name="address"/> unusable (empty when it stands).</summary>
    /// <param name="rpc">The node.</param>
    /// <param name="address">The registry address in use.</param>
    /// <param name="record">The deployment record, when the address is the record's (otherwise ignored).</param>
    public static async Task<IReadOnlyList<string>> CheckAsync(ChainRpc rpc, string address, DeploymentRecord? record)
    {
        if (record is not null && !string.Equals(record.Address, address, StringComparison.OrdinalIgnoreCase)) record = null;
        var problems = new List<string>();
        if (record is null)
        {
            var code = (string?)await rpc.RequestAsync("eth_getCode", address, "latest").ConfigureAwait(false);
            if (code is null or "0x" or "")
            {
                problems.Add($"there is no contract at {address}: the chain was reset since the registry was deployed, or this is another chain");
                return problems;
            }
            try
            {
                await new RegistryReader(rpc, address).DomainAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (ChainUnavailableException or ChainRpcException or OperationCanceledException))
            {
                problems.Add($"the contract at {address} is not a KimberleyRegistry");
            }
            return problems;
        }

        var results = await rpc.BatchAsync(
        [
            new RpcCall("eth_chainId"),
            new RpcCall("eth_getCode", address, "latest"),
            new RpcCall("eth_getBlockByNumber", ChainRpc.Hex(record.BlockNumber), false),
        ]).ConfigureAwait(false);
        foreach (var (_, error) in results)
        {
            if (error is not null) throw error;
        }
        var chainId = ChainRpc.Quantity(results[0].Result!);
        if (chainId != new BigInteger(record.ChainId)) problems.Add($"the node at {rpc.Url} is chain {chainId}; the deployment record is for chain {record.ChainId}");
        var deployed = (string?)results[1].Result;
        if (deployed is null or "0x" or "")
        {
            problems.Add($"there is no contract at {address}: the chain was reset since the registry was deployed, or this is another chain");
        }
        else if (!string.Equals(Keccak.Hash(Convert.FromHexString(deployed.AsSpan(deployed.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0))).ToString(), record.RuntimeCodeHash, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"the code at {address} is not the deployed registry (its keccak256 differs from the deployment record's runtimeCodeHash)");
        }
        if (BlockProblem(results[2].Result, record) is { } moved) problems.Add(moved);
        return problems;
    }

    /// <summary>What is wrong with the deployment block <paramref name="block"/> (eth_getBlockByNumber's answer) against <paramref name="record"/>, or null.</summary>
    private static string? BlockProblem(JToken? block, DeploymentRecord record)
    {
        var blockHash = block is JObject b ? (string?)b["hash"] : null;
        if (string.Equals(blockHash, record.BlockHash, StringComparison.OrdinalIgnoreCase)) return null;
        return blockHash is null
            ? $"the chain has no block {record.BlockNumber}, where the registry was deployed: it was reset"
            : $"block {record.BlockNumber} is not the block the registry was deployed in any more: the chain was reset (and perhaps redeployed)";
    }

    /// <summary>
    /// The quick check a writer makes before a transaction between two full checks (<see cref="EnsureAsync"/>): the block the registry
    /// was deployed in still has the recorded hash. One small read: a reset chain has no such block or another one there, and so has
    /// another chain. Without a deployment record for <paramref name="address"/>, the full check.
    /// </summary>
    public static async Task EnsureBlockAsync(ChainRpc rpc, string address, DeploymentRecord? record)
    {
        if (record is null || !string.Equals(record.Address, address, StringComparison.OrdinalIgnoreCase))
        {
            await EnsureAsync(rpc, address, record).ConfigureAwait(false);
            return;
        }
        var block = await rpc.RequestAsync("eth_getBlockByNumber", ChainRpc.Hex(record.BlockNumber), false).ConfigureAwait(false);
        if (BlockProblem(block, record) is { } problem) throw new DeploymentUnavailableException(address, [problem]);
    }

    /// <summary>As <see cref="CheckAsync"/>, throwing <see cref="DeploymentUnavailableException"/> when the registry does not stand.</summary>
    public static async Task EnsureAsync(ChainRpc rpc, string address, DeploymentRecord? record)
    {
        var problems = await CheckAsync(rpc, address, record).ConfigureAwait(false);
        if (problems.Count > 0) throw new DeploymentUnavailableException(address, problems);
    }
}
