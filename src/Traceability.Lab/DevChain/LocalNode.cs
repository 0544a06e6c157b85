using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Chain.Rpc;

namespace Traceability.Lab.DevChain;

/// <summary>The local EVM node implementations the tests run against.</summary>
public enum LocalNodeKind
{
    /// <summary>Hardhat (EDR), from node_modules.</summary>
    Hardhat,

    /// <summary>Anvil (Foundry), from node_modules (@foundry-rs/anvil).</summary>
    Anvil,

    /// <summary>
    /// Anvil timed and priced like the KP's Besu QBFT network (<see cref="BesuGenesis"/>): a block sealed every
    /// <see cref="BesuGenesis.BlockPeriodSeconds"/> s (interval mining, several transactions a block, receipts seconds later),
    /// base fee and gas price zero, the genesis chain id and gas limit of chain-dev/besu/, the Cancun rules.
    /// </summary>
    BesuLike,
}

/// <summary>The genesis facts of chain-dev/besu/qbftConfigFile.json a Besu-like local node copies.</summary>
/// <param name="ChainId">The network's chain id.</param>
/// <param name="GasLimit">Gas per block.</param>
/// <param name="BlockPeriodSeconds">QBFT's block period.</param>
public sealed record BesuGenesis(long ChainId, long GasLimit, int BlockPeriodSeconds)
{
    /// <summary>The genesis file, relative to the repository root.</summary>
    public const string RelativePath = "chain-dev/besu/qbftConfigFile.json";

    /// <summary>Reads the genesis of the checkout at <paramref name="repositoryRoot"/>.</summary>
    public static BesuGenesis Read(string repositoryRoot)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repositoryRoot, RelativePath)));
        var genesis = doc.RootElement.GetProperty("genesis");
        var config = genesis.GetProperty("config");
        var gasLimit = genesis.GetProperty("gasLimit").GetString() ?? throw new InvalidDataException($"{RelativePath}: genesis.gasLimit missing");
        return new BesuGenesis(
            config.GetProperty("chainId").GetInt64(),
            long.Parse(gasLimit.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            config.GetProperty("qbft").GetProperty("blockperiodseconds").GetInt32());
    }
}

/// <summary>
/// A real local node started from the repository's node_modules on a free 127.0.0.1 port and
/// stopped by its process id (used by kp demo, kp bench and the tests). Hardhat and Anvil both use
/// chain id 31337 and the public development mnemonic; the Besu-like node uses the Besu genesis's chain id
/// (its funded accounts are still those of the public development mnemonic: name it with KP_MNEMONIC there).
/// </summary>
public sealed class LocalNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LocalNode(LocalNodeKind kind, Process process, int port)
    {
        Kind = kind;
        _process = process;
        Port = port;
        // if the program ends without disposing the node (Ctrl+C, SIGTERM), stop the node with it
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        _signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillOnExit(null, EventArgs.Empty)),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillOnExit(null, EventArgs.Empty)),
        ];
    }

    private readonly PosixSignalRegistration[] _signals;

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Which implementation.</summary>
    public LocalNodeKind Kind { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its JSON-RPC URL.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// The environment a service or kp run against this node reads its secrets from: the process's, and on a
    /// Besu-like node (whose chain id is not the dev chain's, so the public development phrase is not assumed)
    /// KP_MNEMONIC set to that phrase, whose accounts the node funds.
    /// </summary>
    public Func<string, string?> Environment => Kind == LocalNodeKind.BesuLike
        ? name => name == AccountSource.MnemonicVariable ? System.Environment.GetEnvironmentVariable(name) ?? Mnemonic.DevelopmentPhrase : System.Environment.GetEnvironmentVariable(name)
        : System.Environment.GetEnvironmentVariable;

    /// <summary>Its process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a node and waits until it answers eth_chainId.</summary>
    /// <param name="repositoryRoot">The checkout whose node_modules holds the node.</param>
    /// <param name="kind">Hardhat, Anvil or Anvil timed like Besu.</param>
    /// <param name="zeroBaseFee">Anvil only: base fee and gas price zero, as on a free-gas Besu network.</param>
    /// <param name="port">The port to listen on (default: a free one); a fresh node on a stopped node's port is a reset chain at the same URL.</param>
    /// <param name="keepStates">Anvil only: keep the state of only this many recent blocks (--prune-history); Anvil otherwise keeps a copy of the
    /// whole state for every block, which grows with the square of a long run (4.7 GB at 15 % of a trade year). Null: every block's;
    /// zero: the head's only (a read at an earlier block is refused).</param>
    /// <param name="bulk">Anvil only: blocks of up to 1 G gas, for bulk writes that switch the node to interval mining
    /// (<see cref="MineEverySecondAsync"/>): Anvil copies the state once a block, so many transactions a block cost it a fraction of the CPU.</param>
    public static async Task<LocalNode> StartAsync(string repositoryRoot, LocalNodeKind kind = LocalNodeKind.Hardhat, bool zeroBaseFee = false, int? port = null,
        int? keepStates = null, bool bulk = false)
    {
        var listen = port ?? FreePort();
        var psi = kind switch
        {
            LocalNodeKind.Hardhat => new ProcessStartInfo("node")
            {
                ArgumentList = { Path.Combine(repositoryRoot, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"), "node", "--hostname", "127.0.0.1", "--port", listen.ToString(CultureInfo.InvariantCulture) },
            },
            _ => new ProcessStartInfo(Path.Combine(repositoryRoot, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil"))
            {
                ArgumentList = { "--host", "127.0.0.1", "--port", listen.ToString(CultureInfo.InvariantCulture), "--gas-limit", "60000000", "--accounts", "20" },
            },
        };
        if (kind == LocalNodeKind.BesuLike)
        {
            var genesis = BesuGenesis.Read(repositoryRoot);
            psi.ArgumentList.Clear();
            foreach (var a in new[]
            {
                "--host", "127.0.0.1", "--port", listen.ToString(CultureInfo.InvariantCulture), "--accounts", "20",
                "--chain-id", genesis.ChainId.ToString(CultureInfo.InvariantCulture),
                "--gas-limit", genesis.GasLimit.ToString(CultureInfo.InvariantCulture),
                "--block-time", genesis.BlockPeriodSeconds.ToString(CultureInfo.InvariantCulture),
                "--hardfork", "cancun", "--base-fee", "0", "--gas-price", "0",
            })
            {
                psi.ArgumentList.Add(a);
            }
        }
        else if (zeroBaseFee && kind == LocalNodeKind.Anvil)
        {
            psi.ArgumentList.Add("--base-fee");
            psi.ArgumentList.Add("0");
            psi.ArgumentList.Add("--gas-price");
            psi.ArgumentList.Add("0");
        }
        if (bulk && kind == LocalNodeKind.Anvil)
        {
            psi.ArgumentList[psi.ArgumentList.IndexOf("60000000")] = "1000000000";
        }
        if (keepStates is { } states && kind != LocalNodeKind.Hardhat)
        {
            psi.ArgumentList.Add("--prune-history");
            if (states > 0) psi.ArgumentList.Add(states.ToString(CultureInfo.InvariantCulture)); // none: only the head's state
        }
        if (kind == LocalNodeKind.Hardhat) HardhatTuning.Apply(psi, repositoryRoot);
        psi.WorkingDirectory = repositoryRoot;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.Environment["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {kind}");
        var node = new LocalNode(kind, process, listen);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        await node.EnsureKindAnswersAsync().ConfigureAwait(false);
        if (kind == LocalNodeKind.Hardhat) await HardhatTuning.QuietAsync(node.Url).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// Anvil: a block every second with every transaction in the pool (interval mining), for bulk writes with many
    /// transactions in flight; <see cref="MineEachTransactionAsync"/> goes back. Hardhat: nothing (it mines each transaction).
    /// </summary>
    public async Task MineEverySecondAsync()
    {
        if (Kind != LocalNodeKind.Anvil) return;
        using var rpc = new ChainRpc(Url, TimeSpan.FromSeconds(30));
        await rpc.RequestAsync("evm_setIntervalMining", 1).ConfigureAwait(false);
    }

    /// <summary>Anvil: a block for each transaction as it arrives (automine), and no block otherwise; the chain stands still between writes.</summary>
    public async Task MineEachTransactionAsync()
    {
        if (Kind != LocalNodeKind.Anvil) return;
        using var rpc = new ChainRpc(Url, TimeSpan.FromSeconds(30));
        await rpc.RequestAsync("evm_setIntervalMining", 0).ConfigureAwait(false);
        await rpc.RequestAsync("evm_setAutomine", true).ConfigureAwait(false);
    }

    /// <summary>
    /// Fails (stopping this node) unless the node answering on <see cref="Url"/> is of this node's kind (<c>web3_clientVersion</c>):
    /// another program that took the port between its choice and the start answers in its place while this one fails to listen.
    /// </summary>
    private async Task EnsureKindAnswersAsync()
    {
        using var rpc = new ChainRpc(Url, TimeSpan.FromSeconds(30));
        var version = (string?)await rpc.RequestAsync("web3_clientVersion").ConfigureAwait(false) ?? "";
        var expected = Kind == LocalNodeKind.Hardhat ? "HardhatNetwork" : "anvil";
        if (version.StartsWith(expected, StringComparison.OrdinalIgnoreCase)) return;
        await DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"the node answering on {Url} is '{version}', not the {Kind} node just started (another program took the port): {Log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < 64_000) _log.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Kind} exited with {_process.ExitCode}: {Log}");
            try
            {
                using var content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(Url, content).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        await DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException($"{Kind} did not answer on {Url} within {timeout.TotalSeconds} s: {Log}");
    }

    /// <summary>What the node printed (capped).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>Stops the node (its whole process tree) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        foreach (var r in _signals) r.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        _process.Dispose();
    }
}

