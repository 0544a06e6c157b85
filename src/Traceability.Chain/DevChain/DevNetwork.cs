using System.Collections.Concurrent;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Chain.DevChain;

/// <summary>
/// A registry freshly deployed on a local dev node, governed by account 0, and writers for the
/// accounts of the public development mnemonic (one writer an account, so nonces stay in order).
/// Used by kp demo, kp bench, kp research and the tests.
/// </summary>
public sealed class DevNetwork : IDisposable
{
    private static readonly Mnemonic Dev = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
    private readonly ConcurrentDictionary<int, RegistryWriter> _writers = new();
    private readonly TransactionOptions? _options;

    private DevNetwork(ChainRpc rpc, DeploymentRecord deployment, System.Numerics.BigInteger chainId, TransactionOptions? options)
    {
        Rpc = rpc;
        Deployment = deployment;
        _options = options;
        Reader = new RegistryReader(rpc, deployment.Address);
        Domain = new Eip712Domain(chainId, deployment.Address);
    }

    /// <summary>The node's client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>The deployment.</summary>
    public DeploymentRecord Deployment { get; }

    /// <summary>A reader of the registry.</summary>
    public RegistryReader Reader { get; }

    /// <summary>The registry's EIP-712 domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The chain id.</summary>
    public System.Numerics.BigInteger ChainId => Domain.ChainId;

    /// <summary>The account with this index of the development mnemonic.</summary>
    public static ChainAccount Account(int index) => Dev.Account(index);

    /// <summary>Deploys the registry on the node at <paramref name="url"/>, governed by account 0.</summary>
    public static async Task<DevNetwork> DeployAsync(string url, TransactionOptions? options = null)
    {
        var rpc = new ChainRpc(url);
        var chainId = await rpc.ChainIdAsync().ConfigureAwait(false);
        var deployer = new TransactionSender(rpc, Account(0), chainId, options);
        var network = new DevNetwork(rpc, await RegistryDeployer.DeployAsync(rpc, deployer).ConfigureAwait(false), chainId, options);
        network._writers[0] = new RegistryWriter(network.Reader, deployer);
        return network;
    }

    /// <summary>A writer sending from account <paramref name="index"/> (created once, with <paramref name="options"/> or the network's).</summary>
    public RegistryWriter As(int index, TransactionOptions? options = null) =>
        _writers.GetOrAdd(index, i => new RegistryWriter(Reader, new TransactionSender(Rpc, Account(i), ChainId, options ?? _options)));

    /// <inheritdoc />
    public void Dispose() => Rpc.Dispose();
}
