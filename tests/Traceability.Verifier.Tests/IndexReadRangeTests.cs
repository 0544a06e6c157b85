using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;

namespace Traceability.Verifier.Tests;

/// <summary>
/// <see cref="VerificationIndex.ReadAsync"/>'s reads by ranges of blocks bounded by the gas the blocks used, against a
/// node that answers any gasUsed (huge, zero, missing, not a 0x quantity): every block from the first to the head is read
/// exactly once, blocks that together used more than the bound (counted without overflow) are not read together, and an
/// odd gasUsed counts as none rather than failing the read.
/// </summary>
[Trait("Category", "Fast")]
public sealed class IndexReadRangeTests
{
    /// <summary>A node whose head is the last of <c>gasUsed</c>'s blocks, with no events, recording each eth_getLogs range.</summary>
    private sealed class Node(JsonNode?[] gasUsed) : HttpMessageHandler
    {
        public List<(ulong From, ulong To)> Reads { get; } = [];

        /// <summary>The head (the last block unless set).</summary>
        public ulong Head { get; set; } = (ulong)gasUsed.Length - 1;

        /// <summary>A block whose first read of events fails (HTTP 502), once.</summary>
        public ulong? FailAt { get; set; }

        /// <summary>Whether each block holds one ParcelRegistered event (of a parcel numbered as the block).</summary>
        public bool Parcels { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var calls = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsArray();
            var answers = new JsonArray();
            foreach (var call in calls)
            {
                if ((string)call!["method"]! == "eth_getLogs" && FailAt is { } fail && (string)call["params"]![0]!["fromBlock"]! == ChainRpc.Hex(fail))
                {
                    FailAt = null;
                    return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("bad gateway") };
                }
                var p = call!["params"]!.AsArray();
                JsonNode? result = (string)call["method"]! switch
                {
                    "eth_getBlockByNumber" => Block((string)p[0]!),
                    "eth_getLogs" => Logs(p[0]!),
                    var m => throw new InvalidOperationException(m),
                };
                answers.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call["id"]!.DeepClone(), ["result"] = result });
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answers.ToJsonString(), Encoding.UTF8, "application/json") };
        }

        private JsonObject Block(string tag)
        {
            var number = tag == "latest" ? Head : Convert.ToUInt64(tag[2..], 16);
            var block = new JsonObject { ["number"] = ChainRpc.Hex(number), ["hash"] = $"0x{number:x64}", ["timestamp"] = "0x1" };
            if (gasUsed[number] is { } used) block["gasUsed"] = used.DeepClone();
            return block;
        }

        private JsonArray Logs(JsonNode filter)
        {
            var range = (Convert.ToUInt64(((string)filter["fromBlock"]!)[2..], 16), Convert.ToUInt64(((string)filter["toBlock"]!)[2..], 16));
            lock (Reads)
            {
                // five kinds a range: count each range once
                if (Reads.Count == 0 || Reads[^1] != range) Reads.Add(range);
            }
            if (!Parcels || (string)filter["topics"]![0]! != RegistryReader.EventTopic<ParcelRegisteredEvent>()) return [];
            return [.. Enumerable.Range((int)range.Item1, (int)(range.Item2 - range.Item1 + 1)).Select(n => (JsonNode)new JsonObject
            {
                ["address"] = Registry, ["blockNumber"] = ChainRpc.Hex(n), ["transactionHash"] = $"0x{n:x64}", ["logIndex"] = "0x0", ["data"] = "0x",
                ["topics"] = new JsonArray(RegistryReader.EventTopic<ParcelRegisteredEvent>(), $"0x{n + 1:x64}", "0x4257" + new string('0', 60), $"0x{0x22:x64}"),
            })];
        }
    }

    private const string Registry = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    private static async Task<List<(ulong From, ulong To)>> ReadsAsync(JsonNode?[] gasUsed, ulong gasPerRead, int blocksPerRead = 50)
    {
        var node = new Node(gasUsed);
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        var index = await VerificationIndex.ReadAsync(new RegistryReader(rpc, Registry), 0, blocksPerRead, gasPerRead);
        Assert.Equal((ulong)gasUsed.Length - 1, index.Block.Number);
        // every block once, in order
        Assert.Equal(Enumerable.Range(0, gasUsed.Length).Select(i => (ulong)i), node.Reads.SelectMany(r => Enumerable.Range((int)r.From, (int)(r.To - r.From + 1)).Select(i => (ulong)i)));
        return node.Reads;
    }

    [Fact]
    public async Task Blocks_whose_gas_together_passes_the_bound_are_not_read_together_however_large_their_gas()
    {
        // 1 + 2^64-1 wraps to 0 in a ulong sum: the huge block would be read with its neighbours
        var reads = await ReadsAsync(["0x1", "0xffffffffffffffff", "0x1", "0x1", "0xfffffffffffffffe", "0x5"], gasPerRead: 10);
        Assert.Equal([(0UL, 0UL), (1UL, 1UL), (2UL, 3UL), (4UL, 4UL), (5UL, 5UL)], reads);
    }

    [Fact]
    public async Task A_gasUsed_that_is_not_a_0x_quantity_counts_as_none_and_every_block_is_read_once()
    {
        var reads = await ReadsAsync(["7", "", null, 12, "0x", "0xzz", "ff", "0x0", JsonValue.Create(true)], gasPerRead: 10);
        Assert.Equal([(0UL, 8UL)], reads);
    }

    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(3, 0UL)]
    [InlineData(3, 25UL)]
    [InlineData(50, ulong.MaxValue)]
    public async Task Every_block_is_read_once_whatever_the_windows_and_the_bound(int blocksPerRead, ulong gasPerRead)
    {
        var gas = Enumerable.Range(0, 23).Select(i => (JsonNode?)$"0x{i * 7 % 13:x}").ToArray();
        var reads = await ReadsAsync(gas, gasPerRead, blocksPerRead);
        Assert.All(reads, r => Assert.True(r.To - r.From < (ulong)blocksPerRead, r.ToString()));
    }

    [Fact]
    public async Task After_a_follow_that_failed_part_way_the_index_follows_no_more_rather_than_hold_events_twice()
    {
        var node = new Node([.. Enumerable.Repeat<JsonNode?>("0x64", 10)]) { Head = 3, Parcels = true };
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        var reader = new RegistryReader(rpc, Registry);
        var index = await VerificationIndex.ReadAsync(reader, 0, gasPerRead: 100); // a read a block
        Assert.Equal(4, index.Parcels);

        node.Head = 9;
        node.FailAt = 7; // blocks 4 to 6 are read and held, then the node fails
        var head = new BlockHeader(9, $"0x{9:x64}", 1);
        await Assert.ThrowsAsync<ChainUnavailableException>(() => index.FollowAsync(reader, head));
        // again: blocks 4 to 6 would be held twice (their parcels registered twice); the index says it covers nothing newer
        Assert.False(await index.FollowAsync(reader, head));
        Assert.Equal(3UL, index.Block.Number);
        Assert.False(index.Covers(0, 9, head.Hash));
    }
}
