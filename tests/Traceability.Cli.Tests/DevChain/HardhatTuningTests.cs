using Traceability.Chain.Rpc;
using Traceability.Lab.DevChain;
using Traceability.Testing;

namespace Traceability.Cli.Tests.DevChain;

/// <summary>The Hardhat node kp starts for its own work: kp's node configuration, an allocator that keeps freed pages, no log of every call.</summary>
[Trait("Category", "Chain")]
public sealed class HardhatTuningTests
{
    [Fact]
    public async Task A_hardhat_node_runs_with_kps_configuration_keeps_freed_pages_and_logs_no_calls()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        using var rpc = new ChainRpc(node.Url, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++) await rpc.BlockNumberAsync();
        await rpc.RequestAsync("eth_getBlockByNumber", "latest", false);

        if (OperatingSystem.IsLinux())
        {
            var commandLine = (await File.ReadAllTextAsync($"/proc/{node.ProcessId}/cmdline")).Split('\0');
            var config = Array.IndexOf(commandLine, "--config");
            Assert.True(config >= 0, "the node was started without --config: " + string.Join(' ', commandLine));
            Assert.Equal(Path.Combine(RepoPaths.Root, "chain-dev", "kp-node.config.js"), commandLine[config + 1]);
            var environment = (await File.ReadAllTextAsync($"/proc/{node.ProcessId}/environ")).Split('\0');
            var expected = Environment.GetEnvironmentVariable(HardhatTuning.PurgeDelayVariable) is { Length: > 0 } named ? named : HardhatTuning.KeepFreedPages;
            Assert.Contains($"{HardhatTuning.PurgeDelayVariable}={expected}", environment);
        }
        // what the node printed is read as it comes: give it a moment, then no call may be in it
        await Task.Delay(300);
        Assert.Contains("Started HTTP", node.Log);
        Assert.DoesNotContain("eth_blockNumber", node.Log);
        Assert.DoesNotContain("eth_getBlockByNumber", node.Log);
    }

    [Fact]
    public async Task A_hardhat_start_on_a_port_another_node_answers_fails_naming_it_rather_than_using_that_node()
    {
        await using var other = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        var port = new Uri(other.Url).Port;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat, port: port));
        Assert.Contains(other.Url, e.Message); // our Hardhat could not take the port (it exited), or Anvil answered in its place
        using var rpc = new ChainRpc(other.Url, TimeSpan.FromSeconds(30));
        Assert.True(await rpc.BlockNumberAsync() >= 0); // the other node is left running
    }
}
