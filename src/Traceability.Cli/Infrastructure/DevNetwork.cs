using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// A registry freshly deployed on a local dev node, and writers for the accounts of the public
/// development mnemonic (one writer an account, so nonces stay in order). Used by kp demo,
/// kp bench and kp research.
/// </summary>
internal sealed class DevNetwork : IDisposable
{
    private static readonly Mnemonic Dev = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
    private readonly Dictionary<int, RegistryWriter> _writers = [];

    private DevNetwork(ChainRpc rpc, DeploymentRecord deployment, System.Numerics.BigInteger chainId)
    {
        Rpc = rpc;
        Deployment = deployment;
        Reader = new RegistryReader(rpc, deployment.Address);
        Domain = new Eip712Domain(chainId, deployment.Address);
    }

    public ChainRpc Rpc { get; }

    public DeploymentRecord Deployment { get; }

    public RegistryReader Reader { get; }

    public Eip712Domain Domain { get; }

    public static ChainAccount Account(int index) => Dev.Account(index);

    /// <summary>Deploys the registry on the node at <paramref name="url"/>, governed by account 0.</summary>
    public static async Task<DevNetwork> DeployAsync(string url)
    {
        var rpc = new ChainRpc(url);
        var chainId = await rpc.ChainIdAsync();
        var deployer = new TransactionSender(rpc, Account(0), chainId);
        var network = new DevNetwork(rpc, await RegistryDeployer.DeployAsync(rpc, deployer), chainId);
        network._writers[0] = new RegistryWriter(network.Reader, deployer);
        return network;
    }

    public RegistryWriter As(int index)
    {
        if (!_writers.TryGetValue(index, out var w))
        {
            w = new RegistryWriter(Reader, new TransactionSender(Rpc, Account(index), Domain.ChainId));
            _writers[index] = w;
        }
        return w;
    }

    public void Dispose() => Rpc.Dispose();
}
