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
