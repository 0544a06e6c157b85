using Microsoft.Extensions.Options;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Service.Hosting;

namespace Traceability.Service.Anchoring;

/// <summary>The service's connection to the chain: client, registry, its one sending account.</summary>
public sealed class ChainSession : IDisposable
{
    private readonly AnchoringOptions _options;
    private readonly Func<string, string?> _env;

    /// <summary>A session per the options; secrets come from <paramref name="environment"/> (default: the process's).</summary>
    public ChainSession(IOptions<AnchoringOptions> options, Func<string, string?>? environment = null)
    {
        _options = options.Value;
        _env = environment ?? Environment.GetEnvironmentVariable;
        Deployment = _options.DeploymentPath is { } p && File.Exists(p) ? DeploymentRecord.Read(p) : null;
        RpcUrl = _options.RpcUrl ?? Deployment?.RpcUrl ?? throw new InvalidOperationException("no RpcUrl and no deployment record");
        Address = _options.RegistryAddress ?? Deployment?.Address ?? throw new InvalidOperationException("no RegistryAddress and no deployment record");
        Rpc = new ChainRpc(RpcUrl, TimeSpan.FromSeconds(_options.RpcTimeoutSeconds));
        Reader = new RegistryReader(Rpc, Address);
    }

    /// <summary>The deployment record, when one was given.</summary>
    public DeploymentRecord? Deployment { get; }

    /// <summary>The endpoint.</summary>
    public string RpcUrl { get; }

    /// <summary>The registry's address.</summary>
    public string Address { get; }

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>Reads of the registry.</summary>
    public RegistryReader Reader { get; }

    /// <summary>Writes of the registry from the sending account (after <see cref="ConnectAsync"/>).</summary>
    public RegistryWriter Writer { get; private set; } = null!;

    /// <summary>The chain id (after <see cref="ConnectAsync"/>).</summary>
    public System.Numerics.BigInteger ChainId { get; private set; }

    /// <summary>The block events are searched from.</summary>
    public ulong FromBlock => Deployment?.BlockNumber ?? 0;

    /// <summary>Connects: reads the chain id and opens the sending account. Throws <see cref="ChainUnavailableException"/> while the node is down.</summary>
    public async Task ConnectAsync()
    {
        ChainId = await Rpc.ChainIdAsync();
        var account = OpenAccount();
        Writer = new RegistryWriter(Reader, new TransactionSender(Rpc, account, ChainId, new TransactionOptions
        {
            Fees = _options.Fees,
            Confirmations = _options.Confirmations,
            ReceiptTimeout = TimeSpan.FromSeconds(_options.ReceiptTimeoutSeconds),
            PollInterval = TimeSpan.FromMilliseconds(Math.Min(50, _options.PollIntervalMs)),
        }));
    }

    /// <summary>
    /// The problems that make the deployment unusable (empty when it stands): the same check kp runs
    /// before every command (<see cref="DeploymentGuard"/>).
    /// </summary>
    public Task<IReadOnlyList<string>> CheckDeploymentAsync() => DeploymentGuard.CheckAsync(Rpc, Address, Deployment);

    /// <summary>Throws <see cref="DeploymentUnavailableException"/> unless the deployment stands (before every batch is sent).</summary>
    public Task EnsureDeploymentAsync() => DeploymentGuard.EnsureAsync(Rpc, Address, Deployment);

    private ChainAccount OpenAccount()
    {
        if (_options.KeystorePath is { } path)
        {
            var password = _env("KP_KEYSTORE_PASSWORD") ?? throw new InvalidOperationException("KeystorePath is set but KP_KEYSTORE_PASSWORD is not");
            return ChainAccount.FromKeystore(File.ReadAllText(path), password);
        }
        var phrase = _env("KP_MNEMONIC");
        if (string.IsNullOrWhiteSpace(phrase))
        {
            if (ChainId != 31337) throw new InvalidOperationException($"chain {ChainId} is not a dev chain: set KP_MNEMONIC or KeystorePath");
            phrase = Mnemonic.DevelopmentPhrase;
        }
        return Mnemonic.Parse(phrase).Account(_options.AccountIndex);
    }

    /// <inheritdoc />
    public void Dispose() => Rpc.Dispose();
}
