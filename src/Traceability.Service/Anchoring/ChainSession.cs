using System.Numerics;
using Microsoft.Extensions.Options;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;

namespace Traceability.Service.Anchoring;

/// <summary>The service's connection to the chain (a <see cref="RegistryConnection"/>): client, registry, its one sending account.</summary>
public sealed class ChainSession : IDisposable
{
    private readonly RegistryConnection _connection;

    /// <summary>A session per the options; secrets come from <paramref name="environment"/> (default: the process's).</summary>
    public ChainSession(IOptions<AnchoringOptions> options, Func<string, string?>? environment = null)
    {
        var o = options.Value;
        var where = RegistryConnectionOptions.Resolve(o.RpcUrl, o.RegistryAddress, o.DeploymentPath);
        _connection = new RegistryConnection(where with
        {
            RpcTimeout = TimeSpan.FromSeconds(o.RpcTimeoutSeconds),
            Account = AccountSource.FromEnvironment(environment ?? Environment.GetEnvironmentVariable, o.KeystorePath, o.AccountIndex, "KeystorePath", "AccountIndex") with
            {
                KeystorePassword = (environment ?? Environment.GetEnvironmentVariable)(o.KeystorePasswordVariable),
                PasswordVariable = o.KeystorePasswordVariable,
                SignerUrl = o.SignerUrl,
                SignerAccount = o.SignerAccount,
                SignerTimeout = TimeSpan.FromSeconds(o.SignerTimeoutSeconds),
            },
            Transactions = new TransactionOptions
            {
                Fees = o.Fees,
                Confirmations = o.Confirmations,
                ReceiptTimeout = TimeSpan.FromSeconds(o.ReceiptTimeoutSeconds),
                PollInterval = TimeSpan.FromMilliseconds(Math.Min(50, o.PollIntervalMs)),
                FeeReuse = TimeSpan.FromSeconds(1), // batches go out back to back: one fee look-up a second, not two round trips a batch
            },
        });
    }

    /// <summary>The deployment record, when one was given.</summary>
    public DeploymentRecord? Deployment => _connection.Deployment;

    /// <summary>The endpoint.</summary>
    public string RpcUrl => _connection.Options.RpcUrl;

    /// <summary>The registry's address.</summary>
    public string Address => _connection.Address;

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc => _connection.Rpc;

    /// <summary>Reads of the registry.</summary>
    public RegistryReader Reader => _connection.Reader;

    /// <summary>Writes of the registry from the sending account (after <see cref="ConnectAsync"/>).</summary>
    public RegistryWriter Writer { get; private set; } = null!;

    /// <summary>The chain id (after <see cref="ConnectAsync"/>).</summary>
    public BigInteger ChainId { get; private set; }

    /// <summary>The block events are searched from.</summary>
    public ulong FromBlock => _connection.FromBlock;

    /// <summary>
    /// Connects: reads the chain id and opens the sending account. Throws <see cref="ChainUnavailableException"/> while the node is down,
    /// <see cref="Chain.Signing.RemoteSignerException"/> while a remote signer is, <see cref="AccountUnavailableException"/> when the account cannot be opened.
    /// </summary>
    public async Task ConnectAsync()
    {
        var chainId = await _connection.ChainIdAsync();
        var account = await _connection.Options.Account.OpenAsync(() => Task.FromResult(chainId));
        ChainId = chainId;
        Writer = _connection.Writer(account, chainId);
    }

    /// <summary>
    /// The problems that make the deployment unusable (empty when it stands): the same check kp runs
    /// before every command (<see cref="DeploymentGuard"/>).
    /// </summary>
    public Task<IReadOnlyList<string>> CheckDeploymentAsync() => _connection.CheckDeploymentAsync();

    /// <summary>Throws <see cref="DeploymentUnavailableException"/> unless the deployment stands (before every batch is sent).</summary>
    public Task EnsureDeploymentAsync() => _connection.EnsureDeploymentAsync();

    /// <summary>The quick check between two full ones: the deployment block still stands.</summary>
    public Task EnsureDeploymentBlockAsync() => _connection.EnsureDeploymentBlockAsync();

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
