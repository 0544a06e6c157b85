using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Participants;
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
}
