using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Registry;

/// <summary>
/// A <see cref="RegistryBatch"/> over a node that answers some eth_calls with something other than a 0x hex string: the read
/// so answered fails alone with a FormatException, the batch's other reads get their answers, and SendAsync itself completes.
/// </summary>
[Trait("Category", "Fast")]
public sealed class RegistryBatchHostileNodeTests
{
    private const string Registry = "0x00000000000000000000000000000000000000aa";

    /// <summary>Answers an eth_call whose data is longer than <see cref="LongData"/> with a number, any other with a uint8 of 1; multicalls revert.</summary>
    private sealed class NumberForLongCalls(int longData) : FakeRpcNode
    {
        public int LongData => longData;

        protected override HttpResponseMessage? Answer(string method, JArray parameters, JObject answer)
        {
            var data = (string)parameters[0]["data"]!;
            if (data.StartsWith("0xac9650d8", StringComparison.Ordinal)) answer["error"] = new JObject { ["code"] = 3, ["message"] = "execution reverted", ["data"] = "0x08c379a0" };
            else if (data.Length > longData) answer["result"] = 42;
            else answer["result"] = "0x" + new string('0', 63) + "1";
            return null;
        }
    }

    /// <summary>Answers every eth_call with the same output.</summary>
    private sealed class FixedAnswer(string output) : FakeRpcNode
    {
        protected override HttpResponseMessage? Answer(string method, JArray parameters, JObject answer)
        {
            answer["result"] = output;
            return null;
        }
    }

    [Theory]
    [InlineData("0x")] // shorter than the array's head
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000020ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // a count no int holds
    public async Task A_parcelsOf_answer_of_a_hostile_node_is_a_format_error_of_that_read(string output)
    {
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new FixedAnswer(output));
        var reader = new RegistryReader(rpc, Registry);
        var batch = reader.Batch();
        var parcels = batch.Parcels([.. Enumerable.Range(0, RegistryBatch.MulticallWeight + 1).Select(i => Keccak.Hash($"p{i}"))]); // alone: its own eth_call
        await batch.SendAsync();

        Assert.IsType<FormatException>(parcels.Error);
        await Assert.ThrowsAsync<FormatException>(() => reader.ParcelsAsync([Keccak.Hash("p")]));
    }

    private static BatchResult<ParticipantStatus> Status(RegistryBatch batch) =>
        batch.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = ParticipantCode.Parse("BW").ToBytes() }, o => (ParticipantStatus)o.Value);

    [Fact]
    public async Task A_single_view_answered_with_a_number_fails_alone()
    {
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new NumberForLongCalls(1_000));
        var batch = new RegistryReader(rpc, Registry).Batch();
        // heavier than a multicall: sent alone, then the light view alone in its own pack
        var heavy = batch.Parcels([.. Enumerable.Range(0, RegistryBatch.MulticallWeight + 1).Select(i => Keccak.Hash($"p{i}"))]);
        var light = Status(batch);
        await batch.SendAsync();

        Assert.IsType<FormatException>(heavy.Error);
        Assert.Equal(ParticipantStatus.Active, light.Value);
    }

    [Fact]
    public async Task A_view_answered_with_a_number_when_asked_again_after_a_reverted_multicall_fails_alone()
    {
        using var rpc = new ChainRpc("http://127.0.0.1:9/", new NumberForLongCalls(200));
        var batch = new RegistryReader(rpc, Registry).Batch();
        var first = batch.Parcels([Keccak.Hash("a"), Keccak.Hash("b"), Keccak.Hash("c")]); // its call data is longer than 200
        var second = Status(batch);
        await batch.SendAsync();

        Assert.IsType<FormatException>(first.Error);
        Assert.Equal(ParticipantStatus.Active, second.Value);
    }
}
