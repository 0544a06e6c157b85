using System.CommandLine;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Cli.Configuration;
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

    /// <summary>kp's configuration files in effect (read once per command).</summary>
    public KpSettings Settings => _settings ??= KpSettings.Load(WorkingDirectory, Env);

    private KpSettings? _settings;

    /// <summary>Where kp keeps what it writes by default (<see cref="KpHome"/>).</summary>
    public (string Path, string Source) Home => KpHome.Resolve(WorkingDirectory, Env);

    /// <summary>The named network in effect: --network, $KP_NETWORK, else the configuration's default; null when none.</summary>
    public Setting<string>? NetworkName =>
        Parse.GetValue(GlobalOptions.Network) is { } n ? new(n, "--network")
        : Env("KP_NETWORK") is { Length: > 0 } e ? new(e, "$KP_NETWORK")
        : Settings.DefaultNetwork;

    /// <summary>The named network's settings, when a network is named (a name not configured is a usage error).</summary>
    public Setting<NetworkConfig>? Network => NetworkName is { } n ? Settings.Network(n.Value, n.Source == "--network" ? "--network" : n.Source) : null;

    /// <summary>
    /// The deployment record path and where it came from: --deployment, $KP_DEPLOYMENT, the named network's,
    /// else deployment.json (deployment-NAME.json for a named network) in kp's home.
    /// </summary>
    public Setting<string> DeploymentSetting
    {
        get
        {
            if (Parse.GetValue(GlobalOptions.Deployment) is { } f) return new(f.FullName, "--deployment");
            if (Env("KP_DEPLOYMENT") is { Length: > 0 } e) return new(Path.GetFullPath(e, WorkingDirectory), "$KP_DEPLOYMENT");
            if (Network is { } n && n.Value.Deployment is { } d) return new(KpSettings.Resolve(d, n.Source), $"network '{NetworkName!.Value}' ({n.Source})");
            var (home, why) = Home;
            var name = NetworkName is { } named ? $"deployment-{named.Value}.json" : "deployment.json";
            return new(Path.Combine(home, name), $"default: kp's home ({why})");
        }
    }

    /// <summary>The deployment record path (<see cref="DeploymentSetting"/>).</summary>
    public string DeploymentPath => DeploymentSetting.Value;

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

    /// <summary>The JSON-RPC endpoint and where it came from: --rpc, $KP_RPC_URL, the named network's, else the deployment record's; null when none.</summary>
    public Setting<string>? RpcSetting =>
        Parse.GetValue(GlobalOptions.Rpc) is { } r ? new(r, "--rpc")
        : Env("KP_RPC_URL") is { Length: > 0 } e ? new(StrictOptions.ParseUrl(e, "KP_RPC_URL"), "$KP_RPC_URL")
        : Network is { } n && n.Value.Rpc is { } nr ? new(StrictOptions.ParseUrl(nr, $"networks.{NetworkName!.Value}.rpc"), $"network '{NetworkName!.Value}' ({n.Source})")
        : Deployment is { } d ? new(d.RpcUrl, $"the deployment record ({DeploymentPath})")
        : null;

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl => RpcSetting?.Value
        ?? throw new CliEnvironmentException($"no chain: give --rpc or --network, set KP_RPC_URL, or deploy first (kp chain deploy writes {DeploymentPath})");

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

    /// <summary>The account asked for and where: --account, $KP_ACCOUNT, the configuration's default, else index 0.</summary>
    public Setting<string> AccountName =>
        Parse.GetValue(GlobalOptions.Account) is { } a ? new(a, "--account")
        : Env("KP_ACCOUNT") is { Length: > 0 } e ? new(CheckedAccount(e), "$KP_ACCOUNT")
        : Settings.DefaultAccount ?? new("0", "default");

    private static string CheckedAccount(string text)
    {
        try
        {
            return GlobalOptions.AccountName(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"KP_ACCOUNT: {e.Message}", "KP_ACCOUNT");
        }
    }

    /// <summary>The remote signer's endpoint and where it came from: --signer, else $KP_SIGNER; null when none.</summary>
    public Setting<string>? SignerSetting =>
        Parse.GetValue(GlobalOptions.Signer) is { } s ? new(s, "--signer")
        : Env("KP_SIGNER") is { Length: > 0 } e ? new(StrictOptions.ParseUrl(e, "KP_SIGNER"), "$KP_SIGNER")
        : null;

    /// <summary>
    /// Who sends: a remote signer (--signer or $KP_SIGNER: it holds the key and signs); else --keystore (password in
    /// $KP_KEYSTORE_PASSWORD); else the account named by <see cref="AccountName"/>: an index N of $KP_MNEMONIC (on a dev
    /// chain, chain id 31337, of the public test phrase), or an account of kp's configuration.
    /// </summary>
    public AccountSource AccountSource
    {
        get
        {
            if (SignerSetting is { } signer)
            {
                if (Parse.GetValue(GlobalOptions.Keystore) is not null) throw new CliUsageException($"--keystore: give either a keystore or a remote signer ({signer.Source}), not both", "--keystore");
                if (Parse.GetValue(GlobalOptions.Account) is not null) throw new CliUsageException($"--account: the remote signer ({signer.Source}) holds the account; name one of its accounts with --signer-account", "--account");
                return new AccountSource
                {
                    SignerUrl = signer.Value,
                    SignerAccount = Parse.GetValue(GlobalOptions.SignerAccount),
                    SignerTimeout = TimeSpan.FromSeconds(Parse.GetValue(GlobalOptions.SignerTimeout)),
                };
            }
            if (Parse.GetValue(GlobalOptions.SignerAccount) is not null) throw new CliUsageException("--signer-account: needs --signer (or $KP_SIGNER)", "--signer-account");
            if (Keystore is { } k) return AccountSource.FromEnvironment(Env, k, 0, "--keystore", "--account");
            var (name, source) = AccountName;
            var setting = source == "default" ? "--account" : source;
            if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                return AccountSource.FromEnvironment(Env, null, index, "--keystore", setting);
            }
            if (name.StartsWith('-') && name.Skip(1).All(char.IsAsciiDigit)) throw new CliUsageException($"{setting}: must be 0 or more", setting);
            var account = Settings.Account(name, setting);
            var described = $"account '{name}' ({account.Source})";
            if (account.Value.Keystore is { } file)
            {
                var path = KpSettings.Resolve(file, account.Source);
                if (!Path.Exists(path)) throw new CliUsageException($"{described}: its keystore {path} does not exist", described + " keystore");
                InputFiles.RequireRegular(path, InputFiles.DeploymentBytes, described + " keystore");
                var password = account.Value.PasswordVariable ?? AccountSource.KeystorePasswordVariable;
                return AccountSource.FromEnvironment(Env, path, 0, described, setting) with { KeystorePassword = Env(password), PasswordVariable = password };
            }
            return AccountSource.FromEnvironment(Env, null, account.Value.Index!.Value, "--keystore", described);
        }
    }

    /// <summary>The --keystore path, checked to be a regular file of reasonable size (never a FIFO or a device).</summary>
    private string? Keystore
    {
        get
        {
            if (Parse.GetValue(GlobalOptions.Keystore) is not { } k) return null;
            if (!Path.Exists(k.FullName)) throw new CliUsageException($"--keystore: {k.FullName} does not exist", "--keystore");
            InputFiles.RequireRegular(k.FullName, InputFiles.DeploymentBytes, "keystore");
            return k.FullName;
        }
    }

    /// <summary>The sending account (<see cref="AccountSource"/>). Secrets never appear in output.</summary>
    public Task<ChainAccount> AccountAsync() => AccountAsync(Rpc);

    /// <summary>
    /// As <see cref="AccountAsync()"/>, judging "dev chain" by the chain behind <paramref name="rpc"/>: chain id 31337, or the
    /// Besu-like node kp chain up --like besu started (<see cref="DevelopmentPhraseAsync"/>).
    /// </summary>
    public async Task<ChainAccount> AccountAsync(ChainRpc rpc) => await (await DevelopmentPhraseAsync(rpc, AccountSource)).OpenAsync(rpc.ChainIdAsync);

    /// <summary>
    /// <paramref name="source"/>, naming the public development phrase when it names no phrase, keystore or signer and
    /// <paramref name="rpc"/> is the Besu-like node kp chain up started (<see cref="LocalChain.BesuLikeNodeAtAsync"/>: its
    /// chain id is the Besu genesis's, not 31337, yet it funds that phrase's accounts); otherwise <paramref name="source"/> unchanged.
    /// </summary>
    public async Task<AccountSource> DevelopmentPhraseAsync(ChainRpc rpc, AccountSource source) =>
        source.NeedsChainId && await LocalChain.BesuLikeNodeAtAsync(this, rpc) is not null ? source with { Mnemonic = Mnemonic.DevelopmentPhrase } : source;

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
