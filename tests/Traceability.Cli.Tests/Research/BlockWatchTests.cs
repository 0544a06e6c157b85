using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Lab.Pipeline;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// <see cref="BlockWatch"/>, which wakes the replay's receipt waits once a block: a wait for a block after the one seen
/// ends when the node tells a newer one, and not before; every waiter of that block is woken by one poll; a node that
/// fails to answer wakes the waiters (their next request meets the failure) instead of leaving them waiting for ever;
/// nobody waiting, nobody polls.
/// </summary>
[Trait("Category", "Fast")]
public sealed class BlockWatchTests
{
    /// <summary>A node whose head is <see cref="Head"/> (or that fails while <see cref="Failing"/>), counting its eth_blockNumber calls.</summary>
    private sealed class Node : FakeRpcNode
    {
        public long Head;
        public volatile bool Failing;
        public int Polls;

        protected override HttpResponseMessage? Answer(string method, JArray parameters, JObject answer)
        {
            Interlocked.Increment(ref Polls);
            if (Failing) return Http(HttpStatusCode.BadGateway);
            answer["result"] = $"0x{Interlocked.Read(ref Head):x}";
            return null;
        }
    }

    [Fact]
    public async Task A_wait_ends_when_a_newer_block_is_mined_and_wakes_every_waiter_of_it()
    {
        var node = new Node { Head = 7 };
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        using var watch = new BlockWatch(rpc, TimeSpan.FromMilliseconds(5));
        await watch.AfterAsync(-1).WaitAsync(TimeSpan.FromSeconds(10)); // the first poll tells block 7
        Assert.Equal(7, watch.Latest);

        var waits = Enumerable.Range(0, 50).Select(_ => watch.AfterAsync(7)).ToList();
        await Task.Delay(100);
        Assert.All(waits, w => Assert.False(w.IsCompleted)); // no newer block yet
        Interlocked.Exchange(ref node.Head, 8);
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(8, watch.Latest);
        Assert.True(watch.AfterAsync(7).IsCompleted); // a block already seen does not wait

        await Task.Delay(100);
        var polls = Volatile.Read(ref node.Polls);
        await Task.Delay(200);
        Assert.Equal(polls, Volatile.Read(ref node.Polls)); // nobody waits: nobody polls
    }

    [Fact]
    public async Task A_node_that_fails_wakes_the_waiters_rather_than_leave_them_waiting()
    {
        var node = new Node { Head = 3, Failing = true };
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        using var watch = new BlockWatch(rpc, TimeSpan.FromMilliseconds(5));
        await watch.AfterAsync(3).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(-1, watch.Latest); // woken, though no block is known
    }

    /// <summary>A node that holds its eth_blockNumber answers until <see cref="Release"/> is completed.</summary>
    private sealed class SlowNode : HttpMessageHandler
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = JObject.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            Asked.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            var answer = new JObject { ["jsonrpc"] = "2.0", ["id"] = call["id"], ["result"] = "0x5" };
            return FakeRpcNode.Json(answer);
        }
    }

    [Fact]
    public async Task A_wait_on_a_watch_disposed_while_it_polled_ends_rather_than_wait_for_ever()
    {
        var node = new SlowNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        var watch = new BlockWatch(rpc, TimeSpan.FromMilliseconds(5));
        var first = watch.AfterAsync(-1); // a poll starts, and its answer is held
        await node.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        watch.Dispose();
        await first.WaitAsync(TimeSpan.FromSeconds(10)); // disposing wakes the waiters
        node.Release.TrySetResult(); // the poll that was under way ends after the disposal, with a new block
        var clock = Stopwatch.StartNew();
        while (watch.Latest != 5 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        Assert.Equal(5, watch.Latest);
        await Task.Delay(100); // the poll loop has ended
        await Assert.ThrowsAsync<ObjectDisposedException>(() => watch.AfterAsync(5).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
