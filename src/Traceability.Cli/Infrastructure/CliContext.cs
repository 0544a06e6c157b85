using System.CommandLine;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Cli.Infrastructure;

/// <summary>What a command needs: its output, the chain, the registry, the sending account.</summary>
public sealed class CliContext(ParseResult parse, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment,
    CancellationToken cancel = default, string? workingDirectory = null) : IDisposable
{
    /// <summary>The folder kp runs in (configuration and relative paths are found from here).</summary>
    public string WorkingDirectory { get; } = workingDirectory ?? Directory.GetCurrentDirectory();

    /// <summary>Whether to print the inner causes of a failure (--verbose).</summary>
    public bool Verbose => Parse.GetValue(GlobalOptions.Verbose);

    /// <summary>Cancelled when the user interrupts the command (Ctrl+C): passed to every chain call.</summary>
    public CancellationToken Cancel { get; } = cancel;

    private ChainRpc? _rpc;

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Standard error.</summary>
    public TextWriter Err { get; } = error;

    /// <summary>The parsed command line.</summary>
    public ParseResult Parse { get; } = parse;

    /// <summary>Whether to print JSON.</summary>
    public bool Json => Parse.GetValue(GlobalOptions.Json);

    /// <summary>An environment variable.</summary>
    public string? Env(string name) => environment.TryGetValue(name, out var v) ? v : null;

    /// <summary>The deployment record path: --deployment, $KP_DEPLOYMENT, or chain-dev/run/deployment.json upwards from the current folder.</summary>
    public string DeploymentPath
    {
        get
        {
            if (Parse.GetValue(GlobalOptions.Deployment) is { } f) return f.FullName;
            if (Env("KP_DEPLOYMENT") is { Length: > 0 } e) return Path.GetFullPath(e);
            var root = Paths.FindRepositoryRoot();
            return Path.Combine(root ?? Directory.GetCurrentDirectory(), "chain-dev", "run", "deployment.json");
        }
    }

    /// <summary>The deployment record, or null if none and --rpc/--registry are given.</summary>
    public DeploymentRecord? Deployment
    {
        get
        {
            var path = DeploymentPath;
            if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null) return null;
            InputFiles.RequireRegular(path, InputFiles.DeploymentBytes, "deployment record"); // never a FIFO, a device or a huge file
            return DeploymentRecord.Read(path);
        }
    }

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl =>
        Parse.GetValue(GlobalOptions.Rpc) ?? Env("KP_RPC_URL") ?? Deployment?.RpcUrl
        ?? throw new CliEnvironmentException($"no chain: give --rpc, set KP_RPC_URL, or deploy first (kp chain deploy writes {DeploymentPath})");

    /// <summary>The registry address.</summary>
    public string RegistryAddress =>
        Parse.GetValue(GlobalOptions.Registry) ?? Deployment?.Address
        ?? throw new CliEnvironmentException($"no registry: give --registry, or deploy first (kp chain deploy writes {DeploymentPath})");

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc => _rpc ??= new ChainRpc(RpcUrl);

    /// <summary>The registry connection kp is pointed at (over <see cref="Rpc"/>), sending as <see cref="AccountSource"/> says.</summary>
    public RegistryConnection Connection => _connection ??= new RegistryConnection(Rpc, new RegistryConnectionOptions
    {
        RpcUrl = RpcUrl,
        RegistryAddress = RegistryAddress,
        Deployment = Deployment,
        Account = AccountSource,
        Transactions = TransactionOptions,
    });

    private RegistryConnection? _connection;

    /// <summary>
    /// A reader of the registry, once the registry is known to stand (<see cref="EnsureDeploymentAsync"/>):
    /// reading an address without the registry's code decodes nothing, so it is never done.
    /// </summary>
    public async Task<RegistryReader> ReaderAsync()
    {
        await EnsureDeploymentAsync();
        return Connection.Reader;
    }

    /// <summary>The block to search events from: the deployment block when known.</summary>
    public ulong FromBlock => Parse.GetValue(GlobalOptions.Registry) is null ? Deployment?.BlockNumber ?? 0 : 0;

    /// <summary>The registry's EIP-712 domain, from the contract itself.</summary>
    public async Task<Eip712Domain> DomainAsync() => await (await ReaderAsync()).DomainAsync();

    /// <summary>
    /// Checks once per command, before its first read or write of the chain, that the registry stands
    /// where kp is pointed (<see cref="DeploymentGuard"/>: chain id, code hash and deployment block of
    /// the deployment record). A reset chain or another chain is a <see cref="DeploymentUnavailableException"/>
    /// (exit code 3, with the fix).
    /// </summary>
    public Task EnsureDeploymentAsync() => _deploymentChecked ??= Connection.EnsureDeploymentAsync();

    private Task? _deploymentChecked;

    /// <summary>
    /// Who sends: --keystore with $KP_KEYSTORE_PASSWORD, or --account N of $KP_MNEMONIC, or on a dev
    /// chain (chain id 31337) of the public test phrase (the rules are <see cref="AccountSource"/>'s).
    /// </summary>
    public AccountSource AccountSource => AccountSource.FromEnvironment(Env, Keystore, Parse.GetValue(GlobalOptions.Account), "--keystore", "--account");

    /// <summary>The --keystore path, checked to be a regular file of reasonable size (never a FIFO or a device).</summary>
    private string? Keystore
    {
        get
        {
            if (Parse.GetValue(GlobalOptions.Keystore) is not { } k) return null;
            InputFiles.RequireRegular(k.FullName, InputFiles.DeploymentBytes, "keystore");
            return k.FullName;
        }
    }

    /// <summary>The sending account (<see cref="AccountSource"/>). Secrets never appear in output.</summary>
    public Task<ChainAccount> AccountAsync() => AccountAsync(Rpc);

    /// <summary>As <see cref="AccountAsync()"/>, judging "dev chain" by the chain behind <paramref name="rpc"/>.</summary>
    public Task<ChainAccount> AccountAsync(ChainRpc rpc) => AccountSource.OpenAsync(rpc.ChainIdAsync);

    /// <summary>Transaction options from the command line.</summary>
    public TransactionOptions TransactionOptions => new()
    {
        Fees = Parse.GetValue(GlobalOptions.Fees),
        Confirmations = Math.Max(1, Parse.GetValue(GlobalOptions.Confirmations)),
    };

    /// <summary>A writer sending from the command's account.</summary>
    public async Task<RegistryWriter> WriterAsync()
    {
        var account = await AccountAsync();
        await EnsureDeploymentAsync(); // never send to an address without the deployed registry: the node would mine it as a success
        return Connection.Writer(account, await Connection.ChainIdAsync());
    }

    /// <inheritdoc />
    public void Dispose() => _rpc?.Dispose();
}
