using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Traceability.Chain.Deployment;
using Traceability.Service.Files;
using Traceability.Service.Store;

namespace Traceability.Service.Hosting;

/// <summary>The service cannot start here: its folder is in use, or its store belongs to another deployment (exit code 3).</summary>
public sealed class ServiceStartException(string message) : Exception(message);

/// <summary>Which registry a store's records belong to.</summary>
/// <param name="ChainId">Chain id, when known (from the deployment record).</param>
/// <param name="Address">Registry address.</param>
/// <param name="BlockNumber">Deployment block, when known.</param>
/// <param name="BlockHash">Deployment block hash, when known: tells a redeployment at the same address apart.</param>
public sealed record DeploymentIdentity(long? ChainId, string Address, ulong? BlockNumber, string? BlockHash)
{
    /// <summary>The identity of a deployment record.</summary>
    public static DeploymentIdentity Of(DeploymentRecord d) => new(d.ChainId, d.Address, d.BlockNumber, d.BlockHash);

    /// <summary>
    /// The deployment named by a deployment record and a registry address, either of which may be
    /// missing: the record's, unless the address names another registry (then only the address is known).
    /// </summary>
    public static DeploymentIdentity? Of(DeploymentRecord? record, string? registryAddress)
    {
        if (record is not null && (registryAddress is null || string.Equals(registryAddress, record.Address, StringComparison.OrdinalIgnoreCase))) return Of(record);
        return registryAddress is { } a ? new DeploymentIdentity(null, a, null, null) : null;
    }

    /// <summary>Whether both name the same deployment (what only one of them knows is not compared).</summary>
    public bool SameAs(DeploymentIdentity other) =>
        string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase)
        && (ChainId is null || other.ChainId is null || ChainId == other.ChainId)
        && (BlockHash is null || other.BlockHash is null || string.Equals(BlockHash, other.BlockHash, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() =>
        $"registry {Address}{(ChainId is { } c ? $" on chain {c}" : "")}{(BlockNumber is { } n ? $", deployed in block {n}" : "")}{(BlockHash is { } h ? $" ({h[..Math.Min(h.Length, 14)]}…)" : "")}";
}

/// <summary>
/// The service's folder, owned by one process at a time: an OS lock on the folder itself and on <c>service.lock</c> (flock,
/// released by the kernel when the process ends, however it ends), the store, and the deployment the
/// store belongs to. A second service on the same folder refuses to start and names the holder (two
/// services would take the same drop files and reject each other's records as duplicates); a store
/// that holds another deployment's records refuses to start instead of mixing them.
/// </summary>
public sealed class ServiceFolder : IDisposable
{
    /// <summary>The store's meta key holding the deployment it belongs to.</summary>
    public const string DeploymentKey = "deployment";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly IDisposable _lock;

    /// <summary>Takes the folder for this process, opens its store and checks (or records) the deployment it belongs to.</summary>
    public ServiceFolder(AnchoringOptions options, string holder = "the anchoring service")
    {
        try
        {
            Directory.CreateDirectory(options.ServiceDirectory);
            _lock = Acquire(options.ServiceDirectory, holder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceStartException($"the service folder {options.ServiceDirectory} cannot be used: {e.Message}. Give a folder this user can create and write (--service-dir).");
        }
        try
        {
            Store = new RecordStore(options.Layout.StorePath);
            Bind(Store, IdentityOf(options), options.ServiceDirectory);
        }
        catch
        {
            Store?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>The store.</summary>
    public RecordStore Store { get; }

    /// <summary>
    /// Takes the lock of <paramref name="directory"/>, or throws <see cref="ServiceStartException"/> naming the holder.
    /// The lock is a flock on the folder itself (it cannot be deleted under a running service, which
    /// keeps its store there) and on <c>service.lock</c>, which also names the holder for the message.
    /// </summary>
    public static IDisposable Acquire(string directory, string holder)
    {
        var path = new ServiceLayout(directory).LockFile;
        var folder = UnixFile.TryLockDirectory(directory);
        var handle = folder is null ? null : UnixFile.TryLock(path);
        if (handle is null)
        {
            folder?.Dispose();
            var note = UnixFile.ReadUnlocked(path)?.Trim();
            throw new ServiceStartException($"the service folder {directory} is in use by {(string.IsNullOrEmpty(note) ? "another process" : note)}: "
                + "one service per folder (two would take the same drop files and reject each other's records). Stop it first, or give this one another folder (--service-dir).");
        }
        var text = Encoding.UTF8.GetBytes($"process {Environment.ProcessId} ({holder}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z on {Environment.MachineName})\n");
        RandomAccess.SetLength(handle, 0);
        RandomAccess.Write(handle, text, 0);
        return new FolderLock(folder!, handle);
    }

    private sealed class FolderLock(SafeFileHandle folder, SafeFileHandle file) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            folder.Dispose();
        }
    }

    /// <summary>The deployment the options point at, as far as they say without the chain.</summary>
    public static DeploymentIdentity? IdentityOf(AnchoringOptions options) =>
        DeploymentIdentity.Of(options.DeploymentPath is { } p && File.Exists(p) ? DeploymentRecord.Read(p) : null, options.RegistryAddress);

    /// <summary>
    /// Records the deployment a new (or not yet bound) store belongs to, or refuses a store bound to
    /// another one with <see cref="ServiceStartException"/> naming both. Also used by kp submit.
    /// </summary>
    public static void Bind(RecordStore store, DeploymentIdentity? identity, string directory)
    {
        if (identity is null) return;
        var bound = store.Meta(DeploymentKey) is { } json ? JsonSerializer.Deserialize<DeploymentIdentity>(json, Json) : null;
        if (bound is null)
        {
            store.SetMeta(DeploymentKey, JsonSerializer.Serialize(identity, Json));
            return;
        }
        if (!bound.SameAs(identity))
        {
            throw new ServiceStartException($"the store in {directory} belongs to {bound}, but this service is set up for {identity}: "
                + "a store holds one deployment's records and figures. Give this deployment its own service folder (--service-dir), or point the service back at its own deployment.");
        }
        if (bound.BlockHash is null && identity.BlockHash is not null) store.SetMeta(DeploymentKey, JsonSerializer.Serialize(identity, Json));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Store.Dispose();
        _lock.Dispose();
    }
}
