using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Accounts;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>
/// The resend of a transaction still without a receipt after <see cref="TransactionOptions.RebroadcastBlocks"/> blocks changes
/// nothing whatever the node answers it: an error, even one that reads as a revert, does not end the wait; the receipt decides.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ResendAnswerTests
{
    private const string Hash = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    /// <summary>
    /// A node in memory: accepts the transaction once, answers its resend with <c>resendError</c>, seals ten blocks between
    /// any two reads of the block number, and has the receipt (status 1) only once the resend was tried.
    /// </summary>
    private sealed class FakeNode(string resendError) : HttpMessageHandler
    {
        private ulong _block = 100;

        public int Sends { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = JObject.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var answer = new JObject { ["jsonrpc"] = "2.0", ["id"] = call["id"] };
            switch ((string?)call["method"])
            {
                case "eth_getTransactionCount": answer["result"] = "0x0"; break;
                case "eth_blockNumber": answer["result"] = ChainRpc.Hex(_block += 10); break;
                case "eth_sendRawTransaction" when Sends++ == 0: answer["result"] = Hash; break;
                case "eth_sendRawTransaction": answer["error"] = new JObject { ["code"] = -32000, ["message"] = resendError }; break;
                case "eth_getTransactionReceipt":
                    answer["result"] = Sends < 2 ? JValue.CreateNull() : new JObject
                    {
                        ["transactionHash"] = Hash,
                        ["status"] = "0x1",
                        ["blockNumber"] = ChainRpc.Hex(_block),
                        ["blockHash"] = "0x" + new string('b', 64),
                        ["gasUsed"] = "0x5208",
                        ["contractAddress"] = null,
                        ["logs"] = new JArray(),
                    };
                    break;
                default: throw new InvalidOperationException($"unexpected call {call["method"]}");
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToString(), Encoding.UTF8, "application/json") };
        }
    }

    [Theory]
    [InlineData("execution reverted")]
    [InlineData("nonce too low")]
    [InlineData("transaction already imported")]
    public async Task A_resend_answered_with_an_error_leaves_the_receipt_to_decide(string resendError)
    {
        var node = new FakeNode(resendError);
        using var rpc = new ChainRpc("http://127.0.0.1:9/", node);
        var sender = new TransactionSender(rpc, Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(1), 31337,
            new TransactionOptions { Fees = FeeMode.Zero, RebroadcastBlocks = 3, ReceiptTimeout = TimeSpan.FromMinutes(2) });
        var hash = await sender.SubmitAsync(Registry, "0x12345678", 100_000);
        var mined = await sender.WaitAsync(hash, withLogs: false);
        Assert.Equal(Hash, mined.Hash);
        Assert.Equal(2, node.Sends); // sent, resent once: no storm of resends
    }
}
