using System.CommandLine;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;

namespace Traceability.Cli.Infrastructure;

/// <summary>What a command needs: its output, the chain, the registry, the sending account.</summary>
public sealed class CliContext(ParseResult parse, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment) : IDisposable
{
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
            return File.Exists(path) ? DeploymentRecord.Read(path) : null;
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

    /// <summary>
    /// A reader of the registry, once the registry is known to stand (<see cref="EnsureDeploymentAsync"/>):
    /// reading an address without the registry's code decodes nothing, so it is never done.
    /// </summary>
    public async Task<RegistryReader> ReaderAsync()
    {
        await EnsureDeploymentAsync();
        return new RegistryReader(Rpc, RegistryAddress);
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
    public Task EnsureDeploymentAsync() => _deploymentChecked ??= DeploymentGuard.EnsureAsync(Rpc, RegistryAddress, Deployment);

    private Task? _deploymentChecked;

    /// <summary>
    /// The sending account: --keystore with $KP_KEYSTORE_PASSWORD, or --account N of $KP_MNEMONIC, or
    /// on a dev chain (chain id 31337) of the public test phrase. Secrets never appear in output.
    /// </summary>
    public Task<ChainAccount> AccountAsync() => AccountAsync(Rpc);

    /// <summary>As <see cref="AccountAsync()"/>, judging "dev chain" by the chain behind <paramref name="rpc"/>.</summary>
    public async Task<ChainAccount> AccountAsync(ChainRpc rpc)
    {
        if (Parse.GetValue(GlobalOptions.Keystore) is { } keystore)
        {
            if (!keystore.Exists) throw new CliUsageException($"--keystore: {keystore.FullName} does not exist");
            var password = Env("KP_KEYSTORE_PASSWORD") ?? throw new CliUsageException("--keystore needs the password in $KP_KEYSTORE_PASSWORD");
            try
            {
                return ChainAccount.FromKeystore(await File.ReadAllTextAsync(keystore.FullName), password);
            }
            catch (FormatException e)
            {
                throw new CliUsageException($"--keystore: {e.Message}");
            }
        }
        var index = Parse.GetValue(GlobalOptions.Account);
        if (index < 0) throw new CliUsageException("--account must be 0 or more");
        var phrase = Env("KP_MNEMONIC");
        if (string.IsNullOrWhiteSpace(phrase))
        {
            var chainId = await rpc.ChainIdAsync();
            if (chainId != 31337) throw new CliUsageException($"chain {chainId} is not a dev chain: set KP_MNEMONIC or give --keystore");
            phrase = Mnemonic.DevelopmentPhrase;
        }
        try
        {
            return Mnemonic.Parse(phrase).Account(index);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"KP_MNEMONIC: {e.Message}");
        }
    }

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
        var reader = await ReaderAsync(); // never send to an address without the deployed registry: the node would mine it as a success
        var chainId = await Rpc.ChainIdAsync();
        return new RegistryWriter(reader, new TransactionSender(Rpc, account, chainId, TransactionOptions));
    }

    /// <inheritdoc />
    public void Dispose() => _rpc?.Dispose();
}
