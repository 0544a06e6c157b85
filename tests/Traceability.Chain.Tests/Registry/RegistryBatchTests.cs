using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>Typed batched reads: one round trip, typed results, an error per read, pinned to a block, cancellable.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RegistryBatchTests(HardhatFixture fixture)
{
    [Fact]
    public async Task Reads_several_typed_results_in_one_round_trip_at_one_block()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var parcels = await r.RegisterOriginAsync(BwMiner, "BW", 2);
        var hashes = Hashes(parcels);

        var before = r.Rpc.RoundTrips;
        var batch = r.Reader.Batch();
        var head = batch.Header();
        var states = batch.Parcels(hashes);
        var events = batch.Logs<ParcelRegisteredEvent>(hashes, r.Deployment.BlockNumber);
        var status = batch.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = ParticipantCode.Parse("BW").ToBytes() }, o => (ParticipantStatus)o.Value);
        Assert.Throws<InvalidOperationException>(() => head.Value); // not sent yet
        await batch.SendAsync();
        Assert.Equal(1, r.Rpc.RoundTrips - before);

        Assert.All(states.Value, s => Assert.Equal(ParcelStatus.Active, s.Status));
        Assert.Equal(2, events.Value.Count);
        Assert.Equal(ParticipantStatus.Active, status.Value);

        // pinned to that block, later registrations are not seen
        await r.RegisterOriginAsync(BwMiner, "BW", 1);
        var pinned = r.Reader.Batch(head.Value.Tag);
        var all = pinned.Logs<ParcelRegisteredEvent>(null, r.Deployment.BlockNumber);
        await pinned.SendAsync();
        Assert.Equal(2, all.Value.Count);
    }

    [Fact]
    public async Task A_failing_read_fails_alone_and_a_cancelled_batch_is_not_sent()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var batch = r.Reader.Batch();
        var ok = batch.Call<ParticipantsFunction, Bytes2ArrayOutput>(new());
        var header = batch.Header();
        var broken = new RegistryBatch(new RegistryReader(r.Rpc, "0x0000000000000000000000000000000000000001"), "0x7fffffff");
        var missing = broken.Header();
        await batch.SendAsync();
        Assert.NotEmpty(ok.Value.Value);
        Assert.True(header.Value.Number > 0);
        await broken.SendAsync();
        Assert.NotNull(missing.Error); // no such block: this read fails, with a clear error
        Assert.ThrowsAny<Exception>(() => missing.Value);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var before = r.Rpc.RoundTrips;
        var never = r.Reader.Batch();
        never.Header();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => never.SendAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => r.Rpc.RequestAsync(new RpcCall("eth_blockNumber"), cancelled.Token));
        Assert.Equal(before, r.Rpc.RoundTrips); // neither was sent
    }

    /// <summary>A view the registry does not have: its call reverts (no fallback function).</summary>
    [Function("noSuchView", "bool")]
    public sealed class NoSuchViewFunction : FunctionMessage;

    [Fact]
    public async Task The_views_of_a_batch_go_in_one_multicall_and_a_view_that_reverts_fails_alone()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var hashes = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 2));
        var bw = ParticipantCode.Parse("BW");

        var calls = r.Rpc.Calls;
        var batch = r.Reader.Batch();
        var states = batch.Parcels(hashes);
        var status = batch.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = bw.ToBytes() }, o => (ParticipantStatus)o.Value);
        var participants = batch.Call<ParticipantsFunction, Bytes2ArrayOutput>(new());
        await batch.SendAsync();
        Assert.Equal(1, r.Rpc.Calls - calls); // three views, one eth_call
        Assert.Equal(await r.Reader.ParcelsAsync(hashes), states.Value);
        Assert.Equal(ParticipantStatus.Active, status.Value);
        Assert.Contains(participants.Value.Value, c => ParticipantCodeOf(c) == "BW");

        // a multicall is all or nothing: the views are asked again one by one, and only the one that reverts fails
        var mixed = r.Reader.Batch();
        var before = mixed.Parcels(hashes);
        var missing = mixed.Call<NoSuchViewFunction, BoolOutput>(new());
        var after = mixed.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = bw.ToBytes() }, o => (ParticipantStatus)o.Value);
        await mixed.SendAsync();
        Assert.IsType<RevertException>(missing.Error);
        Assert.Equal(states.Value, before.Value);
        Assert.Equal(ParticipantStatus.Active, after.Value);
    }

    [Fact]
    public async Task Views_heavier_than_one_multicall_are_split_and_each_answered_in_its_place()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var registered = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 3));
        var unknown = Enumerable.Range(0, 2 * RegistryBatch.MulticallWeight).Select(i => Keccak.Hash($"never registered {i}")).ToList();

        var calls = r.Rpc.Calls;
        var batch = r.Reader.Batch();
        var heavy = batch.Parcels([.. unknown.Take(RegistryBatch.MulticallWeight + 10)]); // alone: heavier than a multicall
        var light = Enumerable.Range(0, 3).Select(i => batch.Parcels([registered[i], .. unknown.Skip(300 + 40 * i).Take(40)])).ToList();
        var last = batch.Parcels([.. unknown.Skip(10).Take(RegistryBatch.MulticallWeight - 20)]);
        await batch.SendAsync();

        Assert.Equal(3, r.Rpc.Calls - calls); // the heavy one alone, the three light ones in one multicall, the last in another
        Assert.All(heavy.Value, s => Assert.False(s.Exists));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(registered[i], light[i].Value[0].Hash);
            Assert.True(light[i].Value[0].Exists);
            Assert.All(light[i].Value.Skip(1), s => Assert.False(s.Exists));
        }
        Assert.Equal(RegistryBatch.MulticallWeight - 20, last.Value.Count);
    }

    private static string ParticipantCodeOf(byte[] code) => System.Text.Encoding.ASCII.GetString(code);
}
