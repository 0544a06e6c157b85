using System.Net;
using System.Numerics;
using System.Text;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;

namespace Traceability.Chain.Tests.Rpc;

/// <summary>
/// The latest block's gas limit, which bounds the gas a sender keeps in flight, read from a node that tells an odd one
/// (zero, none, not a number, negative-looking, no block at all): no gas limit is known then (the caller keeps only its
/// depth bound) instead of an exception that would stop every send, while a real gas limit, however large, is read as is.
/// </summary>
[Trait("Category", "Fast")]
public sealed class GasLimitOfOddNodeTests
{
    /// <summary>A JSON-RPC node in memory whose latest block is <c>latest</c> (or null).</summary>
    private sealed class FakeNode(JToken? latest) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = JObject.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var result = (string?)call["method"] == "eth_getBlockByNumber" ? latest ?? JValue.CreateNull() : throw new InvalidOperationException($"unexpected call {call["method"]}");
            var answer = new JObject { ["jsonrpc"] = "2.0", ["id"] = call["id"], ["result"] = result };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToString(), Encoding.UTF8, "application/json") };
        }
    }

    private static JObject Block(JToken? gasLimit)
    {
        var block = new JObject { ["number"] = "0x10", ["gasUsed"] = "0x0", ["timestamp"] = "0x6553f100", ["transactions"] = new JArray() };
        if (gasLimit is not null) block["gasLimit"] = gasLimit;
        return block;
    }

    private static async Task<BigInteger?> GasLimitAsync(JToken? latest)
    {
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new FakeNode(latest));
        return await rpc.LatestGasLimitAsync();
    }

    public static TheoryData<string, JToken?> OddBlocks() => new()
    {
        { "zero", Block("0x0") },
        { "absent", Block(null) },
        { "not hex", Block("lots") },
        { "a number, not a quantity", Block(30_000_000) },
        { "an object", Block(new JObject()) },
        { "no block", null },
    };

    [Theory]
    [MemberData(nameof(OddBlocks))]
    public async Task An_odd_gas_limit_is_no_gas_limit(string kind, JToken? latest)
    {
        Assert.False(string.IsNullOrEmpty(kind));
        Assert.Null(await GasLimitAsync(latest));
    }

    [Fact]
    public async Task A_real_gas_limit_is_read_however_large()
    {
        Assert.Equal(new BigInteger(30_000_000), await GasLimitAsync(Block("0x1c9c380")));
        Assert.Equal(BigInteger.Pow(2, 256) - 1, await GasLimitAsync(Block("0x" + new string('f', 64))));
    }
}
