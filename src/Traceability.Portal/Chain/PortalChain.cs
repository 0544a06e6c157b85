using System.Numerics;
using Microsoft.Extensions.Options;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Hashing;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Chain;

/// <summary>
/// The one registry the portal reads: its JSON-RPC client and reader, the deployment (checked to stand
/// before the first read, then remembered), the EIP-712 domain, and the deadline every request's chain
/// reads run under. Read-only: the portal holds no key.
/// </summary>
public sealed class PortalChain : IDisposable
{
    /// <summary>How long a check that the deployment stands is trusted before the next request checks again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SocketsHttpHandler _connections = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    private Eip712Domain? _domain;
    private long _checkedAt;

    /// <summary>Connects to the chain the options name (nothing is sent until the first request).</summary>
    public PortalChain(IOptions<PortalOptions> options)
    {
        var o = options.Value;
        Deployment = string.IsNullOrWhiteSpace(o.DeploymentPath) ? null : DeploymentRecord.Read(o.DeploymentPath);
        RpcUrl = o.RpcUrl is { Length: > 0 } url ? url : Deployment!.RpcUrl;
        Registry = o.RegistryAddress is { Length: > 0 } a ? a : Deployment!.Address;
        Timeout = o.ChainTimeout;
        Rpc = new ChainRpc(RpcUrl, _connections, Timeout);
        Reader = new RegistryReader(Rpc, Registry);
        FromBlock = Deployment is { } d && string.Equals(d.Address, Registry, StringComparison.OrdinalIgnoreCase) ? d.BlockNumber : 0;
    }

    /// <summary>The deployment record, when one was given.</summary>
    public DeploymentRecord? Deployment { get; }

    /// <summary>The JSON-RPC endpoint.</summary>
    public string RpcUrl { get; }

    /// <summary>The registry's address, as configured.</summary>
    public string Registry { get; }

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>The registry's reader.</summary>
    public RegistryReader Reader { get; }

    /// <summary>The first block to search events from (the deployment block when known).</summary>
    public ulong FromBlock { get; }

    /// <summary>Longest the chain reads of one request may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>A reader of its own (over the shared connections), so that the round trips a verification reports are its own under concurrent requests.</summary>
    public RegistryReader ReaderForRequest() => new(new ChainRpc(RpcUrl, _connections, Timeout), Registry);

    /// <summary>A reader of the registry's events from <see cref="FromBlock"/>.</summary>
    public RegistryHistory History => new(Reader, FromBlock);

    /// <summary>
    /// The registry's EIP-712 domain (its chain id and address), once the deployment is known to stand
    /// (<see cref="DeploymentGuard"/>; checked again when the last check is older than <see cref="RecheckAfter"/>,
    /// so a chain reset under the portal turns into 503s, not into wrong answers).
    /// </summary>
    public async Task<Eip712Domain> DomainAsync(CancellationToken ct)
    {
        if (_domain is { } known && Fresh) return known;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_domain is { } again && Fresh) return again;
            await DeploymentGuard.EnsureAsync(Rpc, Registry, Deployment).WaitAsync(ct).ConfigureAwait(false);
            _domain ??= await Reader.DomainAsync().WaitAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _checkedAt, Environment.TickCount64);
            return _domain;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Fresh => Environment.TickCount64 - Volatile.Read(ref _checkedAt) < (long)RecheckAfter.TotalMilliseconds;

    /// <summary>The chain id (from the domain).</summary>
    public async Task<BigInteger> ChainIdAsync(CancellationToken ct) => (await DomainAsync(ct).ConfigureAwait(false)).ChainId;

    /// <summary>
    /// Runs <paramref name="read"/> under the chain deadline: a token cancelled when the client goes
    /// away or the deadline passes. A passed deadline is a <see cref="ChainTimeoutException"/>.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(Timeout);
        try
        {
            await DomainAsync(deadline.Token).ConfigureAwait(false);
            return await read(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new ChainTimeoutException(Timeout);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Rpc.Dispose();
        _connections.Dispose();
        _gate.Dispose();
    }
}

/// <summary>The chain did not answer a request's reads before the deadline.</summary>
/// <param name="timeout">The deadline.</param>
public sealed class ChainTimeoutException(TimeSpan timeout)
    : Exception($"the chain did not answer within {timeout.TotalSeconds:0} s")
{
}
