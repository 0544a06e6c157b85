using System.Net;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Lab.DevChain;
using Traceability.Lab.Pipeline;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Research;

/// <summary>
/// <see cref="OrderedSender"/>'s nonces after a send that failed: a node that took the transaction and then answered
/// a revert (as Hardhat does when an automined transaction reverts) or whose answer was lost on the way (a proxy's
/// 502) has used that nonce, so the next send reads the nonce again rather than reuse it and be refused for it.
/// </summary>
[Trait("Category", "Fast")]
public sealed class OrderedSenderTests
{
    /// <summary>A node that takes transactions in nonce order only; the first it takes is answered by <c>firstAnswer</c>.</summary>
    private sealed class Node(Func<JObject, HttpResponseMessage> firstAnswer) : FakeRpcNode
    {
        public long Taken;
        public List<long> Nonces { get; } = [];

        protected override HttpResponseMessage? Answer(string method, JArray p, JObject answer)
        {
            switch (method)
            {
                case "eth_getTransactionCount":
                    answer["result"] = $"0x{Taken:x}";
                    break;
                case "eth_sendRawTransaction":
                    var nonce = Nonce((string)p[0]!);
                    lock (Nonces) Nonces.Add(nonce);
                    if (nonce != Taken)
                    {
                        answer["error"] = new JObject { ["code"] = -32000, ["message"] = $"nonce too low: expected {Taken}, got {nonce}" };
                        break;
                    }
                    Taken++;
                    if (Taken == 1) return firstAnswer(answer);
                    answer["result"] = $"0x{nonce:x64}";
                    break;
                case "eth_getTransactionReceipt":
                    answer["result"] = new JObject { ["status"] = "0x1", ["blockNumber"] = "0x2", ["blockHash"] = $"0x{2:x64}", ["gasUsed"] = "0x5208" };
                    break;
                default:
                    throw new InvalidOperationException(method);
            }
            return null;
        }

        /// <summary>The nonce of an EIP-1559 raw transaction: 0x02, then the RLP list [chainId, nonce, ...].</summary>
        private static long Nonce(string raw)
        {
            var b = Convert.FromHexString(raw.AsSpan(2));
            var i = 1 + (b[1] >= 0xf8 ? 1 + b[1] - 0xf7 : 1); // the list's header
            i += b[i] < 0x80 ? 1 : 1 + b[i] - 0x80; // the chain id
            if (b[i] < 0x80) return b[i];
            long n = 0;
            for (var k = 0; k < b[i] - 0x80; k++) n = (n << 8) | b[i + 1 + k];
            return n;
        }
    }

    private static async Task<(Exception First, Node Node)> SendTwiceAsync(Func<JObject, HttpResponseMessage> firstAnswer)
    {
        var node = new Node(firstAnswer);
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        using var sender = new OrderedSender(rpc, DevNetwork.Account(1), 31337, 10, 1);
        var to = DevNetwork.Account(2).Address;
        var first = await Record.ExceptionAsync(() => sender.SendAsync(to, [0x01], 50_000));
        var second = await sender.SendAsync(to, [0x02], 50_000);
        Assert.Equal(1, second.Nonce);
        return (first!, node);
    }

    [Fact]
    public async Task After_a_transaction_the_node_took_and_answered_reverted_the_next_send_uses_the_next_nonce()
    {
        var (first, node) = await SendTwiceAsync(answer =>
        {
            answer["error"] = new JObject { ["code"] = -32603, ["message"] = "Error: VM Exception while processing transaction: reverted with reason string 'no'" };
            return FakeRpcNode.Json(answer);
        });
        Assert.IsType<PipelineTransactionException>(first); // as documented: reverted or refused
        Assert.Equal([0L, 1L], node.Nonces);
    }

    [Fact]
    public async Task After_a_transaction_the_node_took_but_whose_answer_was_lost_the_next_send_uses_the_next_nonce()
    {
        var (first, node) = await SendTwiceAsync(_ => FakeRpcNode.Http(HttpStatusCode.BadGateway));
        Assert.IsType<ChainUnavailableException>(first);
        Assert.Equal([0L, 1L], node.Nonces);
    }

    /// <summary>A node that drops the first copy of every transaction it is sent (answers its hash, never mines it) and mines the second; a block each eth_blockNumber.</summary>
    private sealed class DroppingNode : FakeRpcNode
    {
        private long _head;
        public Dictionary<string, int> Copies { get; } = [];

        protected override HttpResponseMessage? Answer(string method, JArray p, JObject answer)
        {
            switch (method)
            {
                case "eth_getTransactionCount":
                    answer["result"] = "0x0";
                    break;
                case "eth_blockNumber":
                    answer["result"] = $"0x{Interlocked.Increment(ref _head):x}";
                    break;
                case "eth_sendRawTransaction":
                    lock (Copies)
                    {
                        var raw = (string)p[0]!;
                        Copies[raw] = Copies.GetValueOrDefault(raw) + 1;
                        if (Copies[raw] > 1)
                        {
                            answer["error"] = new JObject { ["code"] = -32000, ["message"] = "already known" }; // taken this time: answered as a node that has it
                            break;
                        }
                    }
                    answer["result"] = $"0x{1:x64}";
                    break;
                case "eth_getTransactionReceipt":
                    bool mined;
                    lock (Copies) mined = Copies.Values.Any(c => c > 1);
                    answer["result"] = mined
                        ? new JObject { ["status"] = "0x1", ["blockNumber"] = $"0x{Interlocked.Read(ref _head):x}", ["blockHash"] = $"0x{2:x64}", ["gasUsed"] = "0x5208" }
                        : JValue.CreateNull();
                    break;
                default:
                    throw new InvalidOperationException(method);
            }
            return null;
        }
    }

    [Fact]
    public async Task A_transaction_the_node_dropped_is_sent_again_after_a_few_blocks_and_its_receipt_ends_the_wait()
    {
        var node = new DroppingNode();
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        using var blocks = new BlockWatch(rpc, TimeSpan.FromMilliseconds(5));
        using var sender = new OrderedSender(rpc, DevNetwork.Account(1), 31337, 10, 1, 4, blocks);
        var mined = await sender.SendAsync(DevNetwork.Account(2).Address, [0x01], 50_000).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, mined.Nonce);
        var copies = Assert.Single(node.Copies); // the same signed bytes, sent twice
        Assert.Equal(2, copies.Value);
    }
}
