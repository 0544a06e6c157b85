using System.Globalization;
using Nethereum.Hex.HexConvertors.Extensions;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Deployment;

/// <summary>Deploys the registry over plain JSON-RPC (any Ethereum chain) and checks a deployment still stands.</summary>
public static class RegistryDeployer
{
    /// <summary>Deploys with <paramref name="governor"/> (default: the sender) and returns the record.</summary>
    public static async Task<DeploymentRecord> DeployAsync(ChainRpc rpc, TransactionSender sender, string? governor = null,
        CancellationToken ct = default)
    {
        governor ??= sender.Account.Address;
        var data = RegistryAbi.Bytecode + governor.RemoveHexPrefix().ToLowerInvariant().PadLeft(64, '0');
        var tx = await sender.SendAsync(null, data, ct).ConfigureAwait(false);
        var address = tx.ContractAddress ?? throw new InvalidOperationException($"deployment {tx.Hash} created no contract");
        var code = await rpc.GetCodeAsync(address).ConfigureAwait(false);
        return new DeploymentRecord
        {
            ChainId = (long)sender.ChainId,
            RpcUrl = rpc.Url,
            Address = Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address),
            Governor = governor,
            Deployer = sender.Account.Address,
            BlockNumber = tx.BlockNumber,
            BlockHash = tx.BlockHash,
            TransactionHash = tx.Hash,
            RuntimeCodeHash = Keccak.Hash(code.HexToByteArray()).ToString(),
            Compiler = "solc " + RegistryAbi.SolcVersion,
            DeployedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The problems that make <paramref name="record"/> unusable on the chain behind <paramref name="rpc"/>:
    /// another chain id, no code or other code at the address, or a deployment block that is gone
    /// (the chain was reset). Empty when the deployment stands.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(ChainRpc rpc, DeploymentRecord record)
    {
        var problems = new List<string>();
        var chainId = await rpc.ChainIdAsync().ConfigureAwait(false);
        if (chainId != record.ChainId) problems.Add($"the node is chain {chainId}, the deployment is on chain {record.ChainId}");
        var code = await rpc.GetCodeAsync(record.Address).ConfigureAwait(false);
        if (code is "0x" or "") problems.Add($"there is no contract at {record.Address}: the chain was reset or this is another chain");
        else if (Keccak.Hash(code.HexToByteArray()).ToString() != record.RuntimeCodeHash.ToLowerInvariant())
        {
            problems.Add($"the code at {record.Address} is not the deployed registry");
        }
        var block = await rpc.RequestAsync("eth_getBlockByNumber", ChainRpc.Hex(record.BlockNumber), false).ConfigureAwait(false);
        var hash = block is Newtonsoft.Json.Linq.JObject b ? (string?)b["hash"] : null;
        if (!string.Equals(hash, record.BlockHash, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"block {record.BlockNumber} is not the deployment block any more: the chain was reset");
        }
        return problems;
    }
}
