using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Lab.Index;

namespace Traceability.Cli.Tests.Research;

/// <summary>kp index against a node that answers eth_getLogs with logs it was not asked for: the round is refused and nothing is written.</summary>
[Trait("Category", "Fast")]
public sealed class IndexHostileNodeTests
{
    private const string Registry = "0x1111111111111111111111111111111111111111";
    private const ulong Head = 10;

    private static string Word(string hexTail) => "0x" + hexTail.PadLeft(64, '0');

    // one ParcelRegistered log (BW, a member), at block 5 of the registry unless changed
    private static JObject Log(string address = Registry, ulong block = 5, bool removed = false, int index = 0) => new()
    {
        ["address"] = address,
        ["blockNumber"] = ChainRpc.Hex(block),
        ["blockHash"] = BlockHash(block),
        ["transactionHash"] = Word("ab"),
        ["logIndex"] = ChainRpc.Hex(index),
        ["removed"] = removed,
        ["data"] = "0x",
        ["topics"] = new JArray(RegistryReader.EventTopic<ParcelRegisteredEvent>(), Word("77" + index), "0x4257" + new string('0', 60), Word("22")),
    };

    private static string BlockHash(ulong n) => Word(n.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + "cc");

    /// <summary>A JSON-RPC node in memory: chain 31337, head block 10, eth_getLogs answered with <c>logs</c> whatever the request.</summary>
    private sealed class FakeNode(JArray logs) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JToken.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            JToken answer = body is JArray batch ? new JArray(batch.Select(c => Answer((JObject)c))) : Answer((JObject)body);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToString(), Encoding.UTF8, "application/json") };
        }

        private JObject Answer(JObject call)
        {
            JToken result = (string?)call["method"] switch
            {
                "eth_chainId" => "0x7a69",
                "eth_blockNumber" => ChainRpc.Hex(Head),
                "eth_getLogs" => logs,
                "eth_getBlockByNumber" => Block((ulong)ChainRpc.Quantity(call["params"]![0]!)),
                var m => throw new InvalidOperationException($"unexpected call {m}"),
            };
            return new JObject { ["jsonrpc"] = "2.0", ["id"] = call["id"], ["result"] = result };
        }

        private static JObject Block(ulong n) => new() { ["number"] = ChainRpc.Hex(n), ["hash"] = BlockHash(n), ["timestamp"] = ChainRpc.Hex(1_700_000_000 + n) };
    }

    public static TheoryData<string> HostileLogs() => ["another contract", "a block beyond the head", "a block before the range", "removed"];

    [Theory]
    [MemberData(nameof(HostileLogs))]
    public async Task A_log_the_request_did_not_ask_for_is_refused_and_nothing_is_written(string kind)
    {
        var log = kind switch
        {
            "another contract" => Log(address: "0x2222222222222222222222222222222222222222", index: 1),
            "a block beyond the head" => Log(block: Head + 5, index: 1),
            "a block before the range" => Log(block: 0, index: 1),
            _ => Log(removed: true, index: 1),
        };
        var path = Path.Combine(Directory.CreateTempSubdirectory("kp-index-node-").FullName, "index.sqlite");
        using var store = IndexStore.Open(path, create: true);
        var indexer = new RegistryIndexer(new ChainRpc("http://127.0.0.1:1", new FakeNode([Log(), log])), Registry);
        await Assert.ThrowsAsync<NodeAnswerException>(() => indexer.RunAsync(store, new IndexOptions(FromBlock: 1)));
        Assert.Null(store.LastIndexed);
        Assert.Equal(0, store.Count("parcels"));
    }

    [Fact]
    public async Task A_log_the_node_repeats_exactly_is_indexed_once()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kp-index-node-").FullName, "index.sqlite");
        using var store = IndexStore.Open(path, create: true);
        var indexer = new RegistryIndexer(new ChainRpc("http://127.0.0.1:1", new FakeNode([Log(), Log(index: 1), Log()])), Registry);
        var run = await indexer.RunAsync(store, new IndexOptions(FromBlock: 1));
        Assert.Equal(Head, store.LastIndexed!.Number);
        Assert.Equal(2, store.Count("parcels"));
        Assert.Equal(2, run.Events["ParcelRegistered"]);
    }

    public static TheoryData<string> CollidingLogs() => ["another log at the same block and log index", "a parcel registered twice"];

    [Theory]
    [MemberData(nameof(CollidingLogs))]
    public async Task Two_logs_that_collide_are_refused_naming_the_block_and_log_index_and_nothing_is_written(string kind)
    {
        // a parcel registered twice: the same parcel's hash (topic 1) in a log of another block; else another parcel's log at log index 0 of block 5
        var second = kind == "a parcel registered twice" ? Log(block: 6) : Log(index: 1);
        if (kind != "a parcel registered twice") second["logIndex"] = ChainRpc.Hex(0);
        var named = kind == "a parcel registered twice" ? "block 6, log index 0" : "block 5, log index 0";
        var path = Path.Combine(Directory.CreateTempSubdirectory("kp-index-node-").FullName, "index.sqlite");
        using var store = IndexStore.Open(path, create: true);
        var indexer = new RegistryIndexer(new ChainRpc("http://127.0.0.1:1", new FakeNode([Log(), second])), Registry);
        var e = await Assert.ThrowsAsync<NodeAnswerException>(() => indexer.RunAsync(store, new IndexOptions(FromBlock: 1)));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Null(store.LastIndexed);
        Assert.Equal(0, store.Count("parcels"));
    }

    [Fact]
    public async Task The_logs_asked_for_are_indexed()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kp-index-node-").FullName, "index.sqlite");
        using var store = IndexStore.Open(path, create: true);
        var indexer = new RegistryIndexer(new ChainRpc("http://127.0.0.1:1", new FakeNode([Log()])), Registry.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal));
        await indexer.RunAsync(store, new IndexOptions(FromBlock: 1));
        Assert.Equal(Head, store.LastIndexed!.Number);
        Assert.Equal(1, store.Count("parcels"));
    }
}
