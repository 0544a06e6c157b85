using System.Collections.Concurrent;
using System.Numerics;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Lab.DevChain;

/// <summary>
/// A registry freshly deployed on a local dev node, governed by account 0, and writers for the
/// accounts of the public development mnemonic (one writer an account, so nonces stay in order),
/// over one <see cref="RegistryConnection"/>. Used by kp demo, kp bench, kp research and the tests.
/// </summary>
public sealed class DevNetwork : IDisposable
{
    private static readonly Mnemonic Dev = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
    private readonly ConcurrentDictionary<int, RegistryWriter> _writers = new();
    private readonly RegistryConnection _connection;

    private DevNetwork(RegistryConnection connection, BigInteger chainId)
    {
        _connection = connection;
        Domain = new Eip712Domain(chainId, connection.Address);
    }

    /// <summary>The node's client.</summary>
    public ChainRpc Rpc => _connection.Rpc;

    /// <summary>The deployment.</summary>
    public DeploymentRecord Deployment => _connection.Deployment!;

    /// <summary>A reader of the registry.</summary>
    public RegistryReader Reader => _connection.Reader;

    /// <summary>The registry's EIP-712 domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The chain id.</summary>
    public BigInteger ChainId => Domain.ChainId;

    /// <summary>The account with this index of the development mnemonic.</summary>
    public static ChainAccount Account(int index) => Dev.Account(index);

    /// <summary>Deploys the registry on the node at <paramref name="url"/>, governed by account 0.</summary>
    public static async Task<DevNetwork> DeployAsync(string url, TransactionOptions? options = null)
    {
        var rpc = new ChainRpc(url);
        try
        {
            var chainId = await rpc.ChainIdAsync().ConfigureAwait(false);
            var deployer = new TransactionSender(rpc, Account(0), chainId, options);
            var deployment = await RegistryDeployer.DeployAsync(rpc, deployer).ConfigureAwait(false);
            var connection = new RegistryConnection(rpc, RegistryConnectionOptions.ForDeployment(deployment) with { Transactions = options });
            var network = new DevNetwork(connection, chainId);
            network._writers[0] = new RegistryWriter(connection.Reader, deployer);
            return network;
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }

    /// <summary>A writer sending from account <paramref name="index"/> (created once, with <paramref name="options"/> or the network's).</summary>
    public RegistryWriter As(int index, TransactionOptions? options = null) =>
        _writers.GetOrAdd(index, i => _connection.Writer(Account(i), ChainId, options));

    /// <inheritdoc />
    public void Dispose() => Rpc.Dispose();
}
