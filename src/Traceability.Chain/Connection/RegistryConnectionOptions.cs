using Traceability.Chain.Deployment;
using Traceability.Chain.Transactions;

namespace Traceability.Chain.Connection;

/// <summary>Where and as whom to connect to a registry: the node, the registry (and its deployment record), the sending account, how to send.</summary>
public sealed record RegistryConnectionOptions
{
    /// <summary>The node's JSON-RPC endpoint.</summary>
    public required string RpcUrl { get; init; }

    /// <summary>The registry's address.</summary>
    public required string RegistryAddress { get; init; }

    /// <summary>The deployment record, when known: what the deployment check compares the chain with, and where events start.</summary>
    public DeploymentRecord? Deployment { get; init; }

    /// <summary>Timeout of one JSON-RPC request (default: the client's).</summary>
    public TimeSpan? RpcTimeout { get; init; }

    /// <summary>The sending account (default: account 0 of the development phrase, on a dev chain only).</summary>
    public AccountSource Account { get; init; } = new();

    /// <summary>How transactions are sent (default: the sender's defaults).</summary>
    public TransactionOptions? Transactions { get; init; }

    /// <summary>The block to search the registry's events from: its deployment block when the record is of this registry, else 0.</summary>
    public ulong FromBlock =>
        Deployment is { } d && string.Equals(d.Address, RegistryAddress, StringComparison.OrdinalIgnoreCase) ? d.BlockNumber : 0;

    /// <summary>The registry of a deployment record, on the node it names.</summary>
    public static RegistryConnectionOptions ForDeployment(DeploymentRecord deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return new() { RpcUrl = deployment.RpcUrl, RegistryAddress = deployment.Address, Deployment = deployment };
    }

    /// <summary>
    /// Options from settings that may each be missing: the endpoint and address given win over the
    /// deployment record's (read from <paramref name="deploymentPath"/> when the file exists).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither the setting nor a deployment record gives the endpoint or the address.</exception>
    public static RegistryConnectionOptions Resolve(string? rpcUrl, string? registryAddress, string? deploymentPath)
    {
        var deployment = deploymentPath is { } p && File.Exists(p) ? DeploymentRecord.Read(p) : null;
        return new()
        {
            Deployment = deployment,
            RpcUrl = rpcUrl ?? deployment?.RpcUrl ?? throw new InvalidOperationException("no RpcUrl and no deployment record"),
            RegistryAddress = registryAddress ?? deployment?.Address ?? throw new InvalidOperationException("no RegistryAddress and no deployment record"),
        };
    }
}
