using System.Numerics;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Chain.Transactions;

namespace Traceability.Chain.Connection;

/// <summary>
/// The one way to open a registry connection (kp, the anchoring service and the dev tooling): the
/// JSON-RPC client, a reader of the registry, the deployment check, the sending account resolved by
/// <see cref="AccountSource"/>'s rules and writers sending from it. Creating one does no I/O.
/// </summary>
public sealed class RegistryConnection : IDisposable
{
    private readonly bool _ownsRpc;

    /// <summary>A connection with a client of its own (disposed with it).</summary>
    public RegistryConnection(RegistryConnectionOptions options)
        : this(new ChainRpc((options ?? throw new ArgumentNullException(nameof(options))).RpcUrl, options.RpcTimeout), options, ownsRpc: true)
    {
    }

    /// <summary>A connection over an existing client <paramref name="rpc"/> (left open when this is disposed).</summary>
    public RegistryConnection(ChainRpc rpc, RegistryConnectionOptions options)
        : this(rpc, options, ownsRpc: false)
    {
    }

    private RegistryConnection(ChainRpc rpc, RegistryConnectionOptions options, bool ownsRpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Rpc = rpc;
        _ownsRpc = ownsRpc;
        Reader = new RegistryReader(rpc, options.RegistryAddress);
    }

    /// <summary>Where and as whom.</summary>
    public RegistryConnectionOptions Options { get; }

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>Reads of the registry.</summary>
    public RegistryReader Reader { get; }

    /// <summary>The registry's address.</summary>
    public string Address => Options.RegistryAddress;

    /// <summary>The deployment record, when known.</summary>
    public DeploymentRecord? Deployment => Options.Deployment;

    /// <summary>The block the registry's events are searched from.</summary>
    public ulong FromBlock => Options.FromBlock;

    /// <summary>The chain id, read from the node (every call: a reset node may be another chain).</summary>
    public Task<BigInteger> ChainIdAsync() => Rpc.ChainIdAsync();

    /// <summary>The sending account; the chain id is read only when the rules need it (the development phrase).</summary>
    /// <exception cref="AccountUnavailableException">The account cannot be opened.</exception>
    public Task<ChainAccount> AccountAsync() => Options.Account.OpenAsync(ChainIdAsync);

    /// <summary>The sending account on the chain <paramref name="chainId"/>, already read.</summary>
    /// <exception cref="AccountUnavailableException">The account cannot be opened.</exception>
    public ChainAccount Account(BigInteger chainId) => Options.Account.Open(chainId);

    /// <summary>A writer sending from <paramref name="account"/> on <paramref name="chainId"/>, with <paramref name="transactions"/> or the options' settings.</summary>
    public RegistryWriter Writer(ChainAccount account, BigInteger chainId, TransactionOptions? transactions = null) =>
        new(Reader, new TransactionSender(Rpc, account, chainId, transactions ?? Options.Transactions));

    /// <summary>Reads the chain id, opens the sending account (asking a remote signer, if it is one) and returns a writer from it.</summary>
    /// <exception cref="AccountUnavailableException">The account cannot be opened.</exception>
    /// <exception cref="RemoteSignerException">The remote signer cannot be asked.</exception>
    public async Task<RegistryWriter> WriterAsync()
    {
        var chainId = await ChainIdAsync().ConfigureAwait(false);
        return Writer(await Options.Account.OpenAsync(() => Task.FromResult(chainId)).ConfigureAwait(false), chainId);
    }

    /// <summary>The problems that make the deployment unusable (empty when it stands): <see cref="DeploymentGuard"/>.</summary>
    public Task<IReadOnlyList<string>> CheckDeploymentAsync() => DeploymentGuard.CheckAsync(Rpc, Address, Deployment);

    /// <summary>Throws <see cref="DeploymentUnavailableException"/> unless the deployment stands.</summary>
    public Task EnsureDeploymentAsync() => DeploymentGuard.EnsureAsync(Rpc, Address, Deployment);

    /// <summary>The quick check between two full ones: the deployment block still stands (see <see cref="DeploymentGuard.EnsureBlockAsync"/>).</summary>
    public Task EnsureDeploymentBlockAsync() => DeploymentGuard.EnsureBlockAsync(Rpc, Address, Deployment);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsRpc) Rpc.Dispose();
    }
}
