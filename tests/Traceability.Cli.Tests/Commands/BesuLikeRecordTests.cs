using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp signs with the public development phrase on chain 57831 only on the Besu-like node kp chain up started: a record
/// in kp's home naming a process that is not that node (its id reused by another program after the node died), or an
/// endpoint other than the one kp chain up writes, does not count, however Anvil-like the node behind the URL answers.
/// </summary>
[Trait("Category", "Fast")]
public sealed class BesuLikeRecordTests
{
    private const long BesuChainId = 57831;

    /// <summary>A node in memory that says it is Anvil on chain 57831 (anything can say so).</summary>
    private sealed class AnvilLookalike : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JToken.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            JToken answer = body is JArray batch ? new JArray(batch.Select(c => Answer((JObject)c))) : Answer((JObject)body);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToString(), Encoding.UTF8, "application/json") };
        }

        private static JObject Answer(JObject call) => new()
        {
            ["jsonrpc"] = "2.0",
            ["id"] = call["id"],
            ["result"] = (string?)call["method"] switch
            {
                "web3_clientVersion" => "anvil/v1.7.1",
                "eth_chainId" => ChainRpc.Hex(BesuChainId),
                var m => throw new InvalidOperationException($"unexpected call {m}"),
            },
        };
    }

    private static CliContext Context(string home)
    {
        var environment = new Dictionary<string, string?> { ["KP_HOME"] = home };
        var root = KpApp.Tree(new CommandRunner(TextWriter.Null, TextWriter.Null, environment, home));
        return new CliContext(root.Parse(["whoami"]), TextWriter.Null, TextWriter.Null, environment, default, home);
    }

    private static void Record(string home, int pid, int port, string url) =>
        File.WriteAllText(Path.Combine(home, $"node-{port}.json"), JsonSerializer.Serialize(
            new LocalNodeRecord(pid, port, url, BesuChainId, null, "besu", Path.Combine(home, "besu-like-state.json")), Output.JsonOptions));

    [Fact]
    public async Task A_record_whose_process_id_now_names_another_program_is_not_the_node_kp_started()
    {
        var home = Directory.CreateTempSubdirectory("kp-besu-record-").FullName;
        try
        {
            const int port = 18_545;
            var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            Record(home, Environment.ProcessId, port, url); // alive, but the test host, not Anvil
            using var ctx = Context(home);
            using var rpc = new ChainRpc(url, new AnvilLookalike());
            Assert.Null(await LocalChain.BesuLikeNodeAtAsync(ctx, rpc));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://10.20.30.40:8545")]
    [InlineData("http://127.0.0.1:18546")]
    [InlineData("https://rpc.example.org")]
    public void A_record_naming_an_endpoint_kp_chain_up_does_not_write_is_not_a_node_kp_started(string url)
    {
        Assert.False(LocalChain.IsOwnEndpoint(new LocalNodeRecord(1, 18_545, url, BesuChainId, null, "besu")));
        Assert.True(LocalChain.IsOwnEndpoint(new LocalNodeRecord(1, 18_545, "http://127.0.0.1:18545", BesuChainId, null, "besu")));
    }

    [Fact]
    public async Task A_record_that_is_a_FIFO_or_huge_is_skipped_unread_and_the_good_one_still_found()
    {
        var home = Directory.CreateTempSubdirectory("kp-besu-record-").FullName;
        try
        {
            Record(home, Environment.ProcessId, 18_545, "http://127.0.0.1:18545");
            await File.WriteAllTextAsync(Path.Combine(home, "node-2.json"), "{\"url\": \"" + new string('x', 1 << 20) + "\"}"); // a megabyte: no record is that large
            if (!OperatingSystem.IsWindows())
            {
                using var mkfifo = Process.Start("mkfifo", Path.Combine(home, "node-1.json"));
                await mkfifo.WaitForExitAsync();
            }
            using var ctx = Context(home);
            var records = await Task.Run(() => LocalChain.Recorded(ctx)).WaitAsync(TimeSpan.FromSeconds(60)); // a FIFO would block a reader for ever
            Assert.Equal([18_545], records.Select(r => r.Port));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
