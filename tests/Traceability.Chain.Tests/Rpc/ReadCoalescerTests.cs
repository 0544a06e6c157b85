using System.Net;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Rpc;

/// <summary>
/// Read batches of concurrent callers sent to the node together (<see cref="ChainRpc.CoalesceReads"/>): each caller gets
/// the answers to its own calls, never another's, in far fewer HTTP requests than batches; a request never carries more
/// calls than its bound (a batch larger than the bound goes alone); a failed request fails each of its callers; a caller
/// that gives up stops waiting without harming the others.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ReadCoalescerTests
{
    /// <summary>Answers <c>echo</c> with its parameter and <c>fail</c> with an error; holds every request until <see cref="Open"/> is set.</summary>
    private sealed class EchoNode : FakeRpcNode
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> RequestSizes { get; } = [];

        public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Open.Task.WaitAsync(cancellationToken);
            var body = JToken.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            lock (RequestSizes) RequestSizes.Add(body is JArray a ? a.Count : 1);
            if (Status != HttpStatusCode.OK) return Http(Status);
            return await base.SendAsync(request, cancellationToken);
        }

        protected override HttpResponseMessage? Answer(string method, JArray parameters, JObject answer)
        {
            if (method == "fail") answer["error"] = new JObject { ["code"] = -32000, ["message"] = $"no {parameters[0]}" };
            else answer["result"] = parameters[0];
            return null;
        }
    }

    private static RpcCall[] Calls(int caller, int count, string method = "echo") =>
        [.. Enumerable.Range(0, count).Select(i => new RpcCall(method, $"{caller}:{i}"))];

    private static async Task<string[]> ReadAsync(ChainRpc rpc, RpcCall[] calls, CancellationToken ct = default)
    {
        using var answer = await rpc.ReadBatchAsync(calls, ct);
        return [.. Enumerable.Range(0, answer.Count).Select(i => answer.Error(i)?.Message ?? answer.Result(i).GetString()!)];
    }

    [Fact]
    public async Task Each_of_many_concurrent_callers_gets_its_own_answers_in_a_few_requests()
    {
        var node = new EchoNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxCalls: 64, maxRequests: 1);
        var reads = Enumerable.Range(0, 100).Select(c => ReadAsync(rpc, Calls(c, 1 + c % 5))).ToList();
        node.Open.SetResult();
        var answers = await Task.WhenAll(reads);

        for (var c = 0; c < answers.Length; c++) Assert.Equal(Calls(c, 1 + c % 5).Select(x => (string)x.Parameters[0]!), answers[c]);
        // 300 calls in 100 batches: the first request, then requests of up to 64 calls
        Assert.Equal(300, node.RequestSizes.Sum());
        Assert.All(node.RequestSizes, size => Assert.InRange(size, 1, 64));
        Assert.InRange(node.RequestSizes.Count, 2, 1 + (int)Math.Ceiling(300 / 60.0));
        Assert.Equal(node.RequestSizes.Count, rpc.RoundTrips);
        Assert.Equal(300, rpc.Calls);
    }

    [Fact]
    public async Task A_batch_larger_than_the_bound_goes_alone_and_whole()
    {
        var node = new EchoNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxCalls: 8, maxRequests: 1);
        var small = ReadAsync(rpc, Calls(0, 3));
        var large = ReadAsync(rpc, Calls(1, 20));
        var after = ReadAsync(rpc, Calls(2, 3));
        node.Open.SetResult();

        Assert.Equal(20, (await large).Length);
        Assert.Equal(["2:0", "2:1", "2:2"], await after);
        Assert.Equal(["0:0", "0:1", "0:2"], await small);
        Assert.Contains(20, node.RequestSizes);
        Assert.All(node.RequestSizes.Where(s => s != 20), size => Assert.InRange(size, 1, 8));
    }

    [Fact]
    public async Task A_call_s_error_reaches_its_own_caller_only()
    {
        var node = new EchoNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxRequests: 1);
        var ok = ReadAsync(rpc, Calls(0, 2));
        var failing = ReadAsync(rpc, [new RpcCall("echo", "1:0"), new RpcCall("fail", "1:1")]);
        node.Open.SetResult();

        Assert.Equal(["0:0", "0:1"], await ok);
        var answers = await failing;
        Assert.Equal("1:0", answers[0]);
        Assert.Contains("no 1:1", answers[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_the_node_refuses_fails_every_caller_in_it_as_unavailable()
    {
        var node = new EchoNode { Status = HttpStatusCode.BadGateway };
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxRequests: 1);
        var reads = Enumerable.Range(0, 10).Select(c => ReadAsync(rpc, Calls(c, 2))).ToList();
        node.Open.SetResult();

        foreach (var read in reads) await Assert.ThrowsAsync<ChainUnavailableException>(() => read);
        // the client still works once the node answers again
        Assert.NotEmpty(node.RequestSizes);
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_and_the_others_get_their_answers()
    {
        var node = new EchoNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxRequests: 1);
        using var giveUp = new CancellationTokenSource();
        var first = ReadAsync(rpc, Calls(0, 1));
        var cancelled = ReadAsync(rpc, Calls(1, 1), giveUp.Token);
        var last = ReadAsync(rpc, Calls(2, 1));
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        node.Open.SetResult();
        Assert.Equal(["0:0"], await first);
        Assert.Equal(["2:0"], await last);
    }

    [Fact]
    public async Task A_client_whose_first_request_was_a_batch_still_sends_single_calls()
    {
        var node = new EchoNode();
        node.Open.SetResult();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        Assert.Equal(["0:0"], await ReadAsync(rpc, Calls(0, 1)));

        // Nethereum's client set the HttpClient's base address when first used, which an HttpClient refuses after a request
        Assert.Equal("single", (string?)await rpc.RequestAsync("echo", "single"));
    }

    /// <summary>Echoes as <see cref="EchoNode"/>, each request held until <see cref="Step"/> lets one through; <see cref="Reached"/> counts requests that arrived.</summary>
    private sealed class SteppedNode : FakeRpcNode
    {
        public SemaphoreSlim Step { get; } = new(0);

        public SemaphoreSlim Reached { get; } = new(0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Reached.Release();
            await Step.WaitAsync(cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }

        protected override HttpResponseMessage? Answer(string method, JArray parameters, JObject answer)
        {
            answer["result"] = parameters[0];
            return null;
        }
    }

    [Fact]
    public async Task The_part_of_a_caller_that_gave_up_after_its_calls_were_sent_is_returned()
    {
        var node = new SteppedNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node).CoalesceReads(maxRequests: 1);
        var first = ReadAsync(rpc, Calls(0, 1));
        await node.Reached.WaitAsync();
        using var giveUp = new CancellationTokenSource();
        var kept = rpc.ReadBatchAsync(Calls(1, 1));
        var givenUp = rpc.ReadBatchAsync(Calls(2, 1), giveUp.Token);
        node.Step.Release(); // the first request is answered; the two waiting go in the next request
        await node.Reached.WaitAsync();
        await giveUp.CancelAsync(); // its calls are at the node already
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givenUp);
        node.Step.Release();
        Assert.Equal(["0:0"], await first);

        var answer = await kept;
        var element = answer.Result(0);
        Assert.Equal("1:0", element.GetString());
        answer.Dispose();
        // the parsed answer is shared by both parts: the one given up is disposed by the coalescer, so the last disposal returns it
        Assert.Throws<ObjectDisposedException>(() => element.GetString());
    }
}
