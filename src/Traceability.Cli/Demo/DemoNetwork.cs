using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Cli.Demo;

/// <summary>The demo's actors: accounts of the public development mnemonic and their writers.</summary>
internal sealed class DemoNetwork(ChainRpc rpc, DeploymentRecord deployment, System.Numerics.BigInteger chainId) : IDisposable
{
    public const int Governance = 0, BwAuthority = 1, AeAuthority = 2, InAuthority = 3, CfAuthority = 4, EuAuthority = 5,
        Debswana = 6, DubaiTrader = 8, SuratCutter = 9, Berberati = 10, Impostor = 12;

    private static readonly Mnemonic Dev = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
    private readonly Dictionary<int, RegistryWriter> _writers = [];

    public ChainRpc Rpc { get; } = rpc;

    public DeploymentRecord Deployment { get; } = deployment;

    public RegistryReader Reader { get; } = new(rpc, deployment.Address);

    public Eip712Domain Domain { get; } = new(chainId, deployment.Address);

    public static ChainAccount Account(int index) => Dev.Account(index);

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
