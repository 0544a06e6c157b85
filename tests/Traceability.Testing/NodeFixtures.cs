using Traceability.Chain.Rpc;
using Traceability.Lab.DevChain;

namespace Traceability.Testing;

/// <summary>An xunit fixture: one Hardhat node for a test class or collection.</summary>
public sealed class HardhatFixture : Xunit.IAsyncLifetime
{
    /// <summary>The node (after <see cref="InitializeAsync"/>).</summary>
    public LocalNode Node { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync().ConfigureAwait(false);
}

/// <summary>An xunit fixture: one Anvil node.</summary>
public sealed class AnvilFixture : Xunit.IAsyncLifetime
{
    /// <summary>The node (after <see cref="InitializeAsync"/>).</summary>
    public LocalNode Node { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync().ConfigureAwait(false);
}

/// <summary>
/// An xunit fixture: one Besu-like node (<see cref="LocalNodeKind.BesuLike"/>: Anvil with 2 s blocks, zero fees, the
/// Besu genesis's chain id 57831). Share it across a class's tests: each block takes 2 s, a node start does not.
/// </summary>
public sealed class BesuLikeFixture : Xunit.IAsyncLifetime
{
    /// <summary>The node (after <see cref="InitializeAsync"/>).</summary>
    public LocalNode Node { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync().ConfigureAwait(false);
}

/// <summary>Mining modes of a Besu-like node, for the tests' set-up.</summary>
public static class BesuLikeMining
{
    /// <summary>
    /// On a Besu-like node, mines a block per transaction until the result is disposed, then a block every 2 s again
    /// (Anvil's evm_setAutomine, evm_setIntervalMining): a test's set-up (a registry, its participants) takes a second,
    /// not a block each; what the test then measures runs under interval mining. On other nodes it does nothing.
    /// </summary>
    public static async Task<IAsyncDisposable> AutomineAsync(LocalNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Kind != LocalNodeKind.BesuLike) return new Restore(null);
        var rpc = new ChainRpc(node.Url);
        await rpc.RequestAsync("evm_setAutomine", true).ConfigureAwait(false);
        return new Restore(rpc);
    }

    private sealed class Restore(ChainRpc? rpc) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (rpc is null) return;
            using (rpc) await rpc.RequestAsync("evm_setIntervalMining", BesuGenesis.Read(RepoPaths.Root).BlockPeriodSeconds).ConfigureAwait(false);
        }
    }
}
