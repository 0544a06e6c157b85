using System.Net;
using System.Text;
using System.Text.Json;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;

namespace Traceability.Chain.Tests.Rpc;

/// <summary>
/// <see cref="ChainRpc.StreamArrayAsync"/>: an eth_getLogs answer read as it arrives, in pieces of any size (one byte, a
/// piece ending inside a string, an escape or a number, items larger than the reader's first buffer), each item handed
/// over once and in order; the node's error thrown as the RPC client throws it; an answer cut short or not JSON-RPC
/// refused rather than read as fewer items.
/// </summary>
[Trait("Category", "Fast")]
public sealed class StreamArrayTests
{
    /// <summary>A node that answers <c>body</c>, sent in pieces of <c>piece</c> bytes.</summary>
    private sealed class TricklingNode(string body, int piece) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new Trickle(Encoding.UTF8.GetBytes(body), piece)) });
    }

    /// <summary>A stream that gives at most <c>piece</c> bytes a read.</summary>
    private sealed class Trickle(byte[] data, int piece) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, piece), cancellationToken);
    }

    private static string Log(int i, int dataBytes = 32) =>
        $$"""{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":["0x{{i:x64}}"],"data":"0x{{new string('a', dataBytes * 2)}}","blockNumber":"0x{{i:x}}","transactionHash":"0x{{i:x64}}","logIndex":"0x{{i:x}}","removed":false,"note":"a \"quoted\" \u00e9 \\ text"}""";

    private static async Task<List<string>> StreamAsync(string body, int piece)
    {
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new TricklingNode(body, piece));
        var topics = new List<string>();
        var count = await rpc.StreamArrayAsync(new RpcCall("eth_getLogs", "0x1"), e => topics.Add(e.GetProperty("topics")[0].GetString()!));
        Assert.Equal(topics.Count, count);
        return topics;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public async Task Every_item_once_and_in_order_whatever_the_pieces(int piece)
    {
        var logs = Enumerable.Range(1, 300).Select(i => Log(i)).ToList();
        var body = $$"""{"jsonrpc":"2.0","id":1,"result":[{{string.Join(",", logs)}}]}""";
        var topics = await StreamAsync(body, piece);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"0x{i:x64}"), topics);
    }

    [Fact]
    public async Task Items_larger_than_the_first_buffer_and_a_batch_of_one_are_read()
    {
        var logs = Enumerable.Range(1, 5).Select(i => Log(i, dataBytes: 100_000)).ToList(); // 200 kB of hex each
        var body = $$"""[ {"id":1,"jsonrpc":"2.0","result":[{{string.Join(",", logs)}}]} ]""";
        var topics = await StreamAsync(body, 4096);
        Assert.Equal(5, topics.Count);
        Assert.Equal($"0x{5:x64}", topics[^1]);
    }

    [Fact]
    public async Task Members_before_and_after_the_result_and_an_empty_or_null_result()
    {
        Assert.Single(await StreamAsync($$"""{"id":1,"extra":{"a":[1,2,{"b":"]"}]},"result":[{{Log(9)}}],"jsonrpc":"2.0"}""", 3));
        Assert.Empty(await StreamAsync("""{"jsonrpc":"2.0","id":1,"result":[]}""", 2));
        Assert.Empty(await StreamAsync("""{"jsonrpc":"2.0","id":1,"result":null}""", 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task A_byte_order_mark_before_the_answer_is_read_past_as_the_other_reads_do(int piece)
    {
        var body = "\uFEFF" + $$"""{"jsonrpc":"2.0","id":1,"result":[{{Log(1)}},{{Log(2)}}]}""";
        Assert.Equal([$"0x{1:x64}", $"0x{2:x64}"], await StreamAsync(body, piece));
    }

    [Fact]
    public async Task An_error_member_that_is_null_is_no_error()
    {
        Assert.Single(await StreamAsync($$"""{"jsonrpc":"2.0","id":1,"error":null,"result":[{{Log(4)}}]}""", 3));
        Assert.Single(await StreamAsync($$"""{"jsonrpc":"2.0","id":1,"result":[{{Log(4)}}],"error":null}""", 3));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"logs":[{"topics":["0x01"]}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":"0x"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[{"topics":["0x01"]}],"result":[{"topics":["0x02"]}]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":null,"result":[{"topics":["0x02"]}]}""")]
    public async Task An_answer_without_exactly_one_array_result_is_refused_not_read_as_other_items(string body)
    {
        var e = await Assert.ThrowsAsync<ChainUnavailableException>(() => StreamAsync(body, 3));
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("\"data\":5,\"blockNumber\":\"0x5\",\"transactionHash\":\"0xab\",\"logIndex\":\"0x0\"")]
    [InlineData("\"data\":\"0x\",\"transactionHash\":\"0xab\",\"logIndex\":\"0x0\"")]
    [InlineData("\"data\":\"0x\",\"blockNumber\":[],\"transactionHash\":\"0xab\",\"logIndex\":\"0x0\"")]
    public async Task A_streamed_log_that_cannot_be_decoded_is_a_FormatException_naming_the_call_as_in_a_batch(string fields)
    {
        var topic = RegistryReader.EventTopic<ParcelRegisteredEvent>();
        var body = $$"""{"jsonrpc":"2.0","id":1,"result":[{"topics":["{{topic}}","0x{{1:x64}}","0x{{2:x64}}","0x{{3:x64}}"],{{fields}}}]}""";
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new TricklingNode(body, 5));
        var reader = new RegistryReader(rpc, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        var e = await Assert.ThrowsAsync<FormatException>(() => reader.StreamLogsAsync<ParcelRegisteredEvent>(0, 9));
        Assert.StartsWith("eth_getLogs: the node's answer could not be decoded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nodes_error_is_thrown_with_its_message()
    {
        var error = await Assert.ThrowsAsync<ChainRpcException>(() => StreamAsync(
            """{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"query returned more than 10000 results"}}""", 5));
        Assert.Contains("more than 10000 results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_streaming_one_endless_item_is_refused_before_its_buffer_grows_past_16_MB()
    {
        var endless = $$"""{"jsonrpc":"2.0","id":1,"result":[{"topics":["0x01"],"data":"0x{{new string('0', 40 << 20)}}"}]}""";
        var e = await Assert.ThrowsAsync<ChainUnavailableException>(() => StreamAsync(endless, 1 << 20));
        Assert.Contains("larger than 16 MB", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[{"topics":["0x01"]},{"topics":["0x""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[{"topics":["0x01"]}""")]
    [InlineData("""<html>Bad gateway</html>""")]
    [InlineData("""[1,2,3]""")]
    public async Task An_answer_cut_short_or_not_JSON_RPC_is_refused_not_read_as_fewer_items(string body)
    {
        var e = await Assert.ThrowsAsync<ChainUnavailableException>(() => StreamAsync(body, 4));
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }
}
