using Traceability.Chain.Deployment;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Deployment;

/// <summary>The quick check a writer makes between two full ones: the block the registry was deployed in still stands.</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class DeploymentGuardTests(HardhatFixture hardhat)
{
    [Fact]
    public async Task The_quick_check_passes_on_the_deployment_and_refuses_a_chain_without_its_block_or_with_another_block_there()
    {
        using var r = await TestRegistry.DeployAsync(hardhat.Node);
        var record = r.Deployment;
        await DeploymentGuard.EnsureBlockAsync(r.Rpc, record.Address, record);

        // a reset chain: no block at that height, or another one
        var gone = await Assert.ThrowsAsync<DeploymentUnavailableException>(() =>
            DeploymentGuard.EnsureBlockAsync(r.Rpc, record.Address, record with { BlockNumber = record.BlockNumber + 1_000_000 }));
        Assert.Contains("it was reset", Assert.Single(gone.Problems));
        var other = await Assert.ThrowsAsync<DeploymentUnavailableException>(() =>
            DeploymentGuard.EnsureBlockAsync(r.Rpc, record.Address, record with { BlockHash = "0x" + new string('e', 64) }));
        Assert.Contains("is not the block the registry was deployed in", Assert.Single(other.Problems));

        // without a record for the address: the full check (code that answers as a registry)
        await DeploymentGuard.EnsureBlockAsync(r.Rpc, record.Address, null);
        var empty = "0x" + new string('7', 40);
        var none = await Assert.ThrowsAsync<DeploymentUnavailableException>(() => DeploymentGuard.EnsureBlockAsync(r.Rpc, empty, record));
        Assert.Contains("no contract", Assert.Single(none.Problems));
    }
}
