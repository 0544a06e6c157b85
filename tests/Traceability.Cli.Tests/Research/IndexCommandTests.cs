using System.Text.Json;
using Traceability.Core.Primitives;
using Traceability.Lab.Index;
using Traceability.Testing;
using Xunit.Abstractions;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Research;

/// <summary>kp index on a real Hardhat node: a second run reads only the new blocks; a reorganisation (evm_snapshot, evm_revert, other blocks) is found by the stored hashes and rolled back.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public sealed class IndexCommandTests(HardhatFixture hardhat, ITestOutputHelper log)
{
    private static async Task<JsonElement> IndexAsync(TestRegistry r, string db)
    {
        var result = Ok(await new Kp().RunAsync("index", "--db", db, "--rpc", r.Rpc.Url, "--registry", r.Deployment.Address, "--json"));
        JsonSchemas.AssertValid("index", result.Out, "kp index --json");
        return JsonDocument.Parse(result.Out).RootElement;
    }

    private static int Events(JsonElement run, string name) => run.GetProperty("events").TryGetProperty(name, out var n) ? n.GetInt32() : 0;

    [Fact]
    public async Task A_second_run_reads_only_the_blocks_after_the_first()
    {
        using var r = await DeployAsync(hardhat.Node);
        var db = Path.Combine(Directory.CreateTempSubdirectory("kp-index-").FullName, "index.sqlite");

        var first = await IndexAsync(r, db);
        Assert.Equal(5, Events(first, "participantAdded"));
        Assert.Equal(5, Events(first, "authorityAdded"));
        Assert.Equal(5, Events(first, "memberAdded"));
        var head = first.GetProperty("lastBlock").GetUInt64();

        var again = await IndexAsync(r, db);
        Assert.Equal(0UL, again.GetProperty("blocksRead").GetUInt64());
        Assert.Empty(again.GetProperty("events").EnumerateObject());

        var parcels = await r.RegisterOriginAsync(BwMiner, "BW", 3);
        var third = await IndexAsync(r, db);
        Assert.Equal(head + 1, third.GetProperty("firstBlock").GetUInt64());
        Assert.Equal(third.GetProperty("lastBlock").GetUInt64() - head, third.GetProperty("blocksRead").GetUInt64());
        Assert.Equal(["parcelRegistered"], third.GetProperty("events").EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, Events(third, "parcelRegistered"));
        Assert.Equal(3, third.GetProperty("rows").GetProperty("parcels").GetInt32());
        Assert.Equal(10, third.GetProperty("rows").GetProperty("directoryEvents").GetInt32()); // 5 authorities and 5 members, nothing read twice
        using var store = IndexStore.Open(db, create: false);
        Assert.Equal(Hashes(parcels).Select(h => h.ToString()).Order(), Parcels(store).Order());
    }

    [Fact]
    public async Task A_reorganisation_is_found_by_the_block_hashes_and_rolled_back_to_the_common_ancestor()
    {
        using var r = await DeployAsync(hardhat.Node);
        var db = Path.Combine(Directory.CreateTempSubdirectory("kp-index-").FullName, "index.sqlite");
        await IndexAsync(r, db);
        var snapshot = (string)(await r.Rpc.RequestAsync("evm_snapshot"))!;
        var ancestor = (ulong)await r.Rpc.BlockNumberAsync();
        try
        {
            var lost = await r.RegisterOriginAsync(BwMiner, "BW", 2);
            await r.RegisterOriginAsync(BwMiner, "BW", 1);
            var before = await IndexAsync(r, db);
            Assert.Equal(3, before.GetProperty("rows").GetProperty("parcels").GetInt32());
            Assert.False(before.TryGetProperty("reorganisation", out _));
        }
        finally
        {
            Assert.True((bool)(await r.Rpc.RequestAsync("evm_revert", snapshot))!);
        }
        // the other branch: another member's parcels (the first member's nonces belong to the lost branch), and more blocks than before
        var kept = await r.RegisterOriginAsync(BwTrader, "BW", 4);
        for (var i = 0; i < 3; i++) await r.Rpc.RequestAsync("evm_mine");

        var after = await IndexAsync(r, db);
        var reorg = after.GetProperty("reorganisation");
        Assert.Equal(ancestor, reorg.GetProperty("ancestor").GetUInt64());
        Assert.Equal(ancestor + 2, reorg.GetProperty("indexedTo").GetUInt64());
        Assert.Equal(ancestor + 1, after.GetProperty("firstBlock").GetUInt64());
        Assert.Equal(4, after.GetProperty("rows").GetProperty("parcels").GetInt32());
        using var store = IndexStore.Open(db, create: false);
        Assert.Equal(Hashes(kept).Select(h => h.ToString()).Order(), Parcels(store).Order());
        Assert.Equal((string)(await r.Rpc.RequestAsync("eth_getBlockByNumber", "latest", false))["hash"]!, store.LastIndexed!.Hash, ignoreCase: true);
    }

    [Fact]
    public async Task Ten_thousand_parcels_are_read_in_rounds_of_batched_ranges_and_each_once()
    {
        using var r = await DeployAsync(hardhat.Node);
        const int Batches = 20, PerBatch = 500;
        for (var b = 0; b < Batches; b++) await r.RegisterOriginAsync(BwMiner, "BW", PerBatch);
        var db = Path.Combine(Directory.CreateTempSubdirectory("kp-index-").FullName, "index.sqlite");

        // ranges of 4 blocks, 8 a round: several rounds, each one JSON-RPC batch of eth_getLogs and one of headers
        var result = Ok(await new Kp().RunAsync("index", "--db", db, "--rpc", r.Rpc.Url, "--registry", r.Deployment.Address, "--range", "4", "--json"));
        var run = JsonDocument.Parse(result.Out).RootElement;
        var rounds = run.GetProperty("rounds").GetInt32();
        var blocks = run.GetProperty("blocksRead").GetInt32();
        Assert.Equal((blocks + 31) / 32, rounds);
        Assert.Equal(Batches * PerBatch, Events(run, "parcelRegistered"));
        Assert.Equal(Batches * PerBatch, run.GetProperty("rows").GetProperty("parcels").GetInt32());
        Assert.InRange(run.GetProperty("roundTrips").GetInt32(), rounds * 2, rounds * 2 + 6); // the deployment check and the head besides
        log.WriteLine($"{Batches * PerBatch} parcels in {blocks} blocks: {rounds} rounds, {run.GetProperty("roundTrips")} round trips, "
            + $"{run.GetProperty("seconds")} s wall, {run.GetProperty("cpuSeconds")} s CPU (kp's process)");
    }

    [Fact]
    public async Task An_index_of_one_registry_refuses_another()
    {
        using var r = await DeployAsync(hardhat.Node);
        using var other = await DeployAsync(hardhat.Node);
        var db = Path.Combine(Directory.CreateTempSubdirectory("kp-index-").FullName, "index.sqlite");
        await IndexAsync(r, db);
        var refused = await new Kp().RunAsync("index", "--db", db, "--rpc", other.Rpc.Url, "--registry", other.Deployment.Address, "--json");
        Assert.Equal(2, refused.ExitCode);
        var error = JsonDocument.Parse(refused.Err).RootElement.GetProperty("error");
        Assert.Equal("--db", error.GetProperty("field").GetString());
        Assert.Contains(r.Deployment.Address.ToLowerInvariant(), error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Parcels(IndexStore store)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT hash FROM parcels";
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(Hash32.FromBytes((byte[])reader[0]).ToString());
        return list;
    }
}
