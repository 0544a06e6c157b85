using Traceability.Chain.Accounts;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Infrastructure;

/// <summary>
/// Issue 7, item 8: no false success. After the chain is reset under a deployment record (kp chain
/// down; kp chain up; no redeploy), every kp command that writes refuses with exit code 3 and the fix,
/// and every read says so with exit code 3 instead of crashing.
/// </summary>
[Trait("Category", "Chain")]
public class DeploymentGuardTests
{
    private static void Unavailable(Kp.Result r, string? words = null)
    {
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.DoesNotContain("✓", r.Out + r.Err);
        Assert.DoesNotContain("Unhandled", r.Out + r.Err);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        if (words is not null) Assert.Contains(words, r.Err);
    }

    /// <summary>A deployment with BW and AE, their authorities, a BW member, and documents for every write.</summary>
    private static async Task<(Kp Kp, Dictionary<string, string> Files)> DeployAndWriteDocumentsAsync(LocalNode node)
    {
        var dir = Directory.CreateTempSubdirectory("kp-reset-").FullName;
        var kp = new Kp(new() { ["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json"), ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        Ok(await kp.RunAsync("chain", "deploy", "--rpc", node.Url));
        Ok(await kp.RunAsync("participant", "add", "BW"));
        Ok(await kp.RunAsync("participant", "add", "AE"));
        Ok(await kp.RunAsync("authority", "add", "BW", A(BwAuthority)));
        Ok(await kp.RunAsync("member", "add", A(BwMiner), "--account", "1"));
        string F(string name) => Path.Combine(dir, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", F("p1.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "900", "--value-usd", "100000", "--out", F("s1.json")));
        Ok(await kp.RunAsync("parcel", "register", F("p1.json"), "--account", "6"));
        Ok(await kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "sort", "--inputs", F("p1.json"), "--outputs", F("s1.json"), "--out", F("t.json")));
        Ok(await kp.RunAsync("parcel", "transform", F("t.json"), "--account", "6"));
        Ok(await kp.RunAsync("new", "certificate", "--number", "BW2026-000901", "--exporter", "BW", "--importer", "AE", "--parcels", F("s1.json"),
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", F("cert.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Orapa", "--carats", "10", "--out", F("p2.json")));
        await File.WriteAllLinesAsync(F("leaves.txt"), [Salt.New().ToString(), Salt.New().ToString()]);
        return (kp, new[] { "p1", "p2", "s1", "t", "cert" }.ToDictionary(n => n, n => F(n + ".json")).Append(new("leaves", F("leaves.txt"))).ToDictionary());
    }

    [Fact]
    public async Task After_kp_chain_down_and_up_without_a_redeploy_every_write_refuses_with_exit_3_and_the_fix_and_every_read_says_so()
    {
        var first = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        var port = first.Port;
        Kp kp;
        Dictionary<string, string> f;
        try
        {
            (kp, f) = await DeployAndWriteDocumentsAsync(first);
            Assert.Equal(1, (await kp.RunAsync("cert", "status", "BW2026-000901")).ExitCode); // a read that works: not on record yet
        }
        finally
        {
            await first.DisposeAsync(); // kp chain down
        }
        await using var reset = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat, port: port); // kp chain up: a fresh chain at the same URL
        Assert.Equal(first.Url, reset.Url);

        // every write: exit 3, the fix, and nothing sent (the fresh chain has no transaction at all)
        string[][] writes =
        [
            ["cert", "issue", f["cert"], "--account", "1"],
            ["cert", "issue", f["cert"], "--sign-only", "--account", "1"],
            ["parcel", "register", f["p2"], "--account", "6"],
            ["parcel", "transform", f["t"], "--account", "6"],
            ["participant", "add", "IN"],
            ["participant", "suspend", "BW"],
            ["authority", "add", "AE", A(AeAuthority)],
            ["authority", "remove", A(BwAuthority)],
            ["member", "add", A(BwTrader), "--account", "1"],
            ["member", "remove", A(BwMiner), "--account", "1"],
            ["flag", "Parcel", TestRegistryHash(f["p1"]), "--reason", "test"],
            ["anchor", f["leaves"], "--account", "6"],
        ];
        foreach (var w in writes) Unavailable(await kp.RunAsync(w), "kp chain deploy");
        using (var rpc = new Chain.Rpc.ChainRpc(reset.Url)) Assert.Equal(0, (int)await rpc.BlockNumberAsync());

        // every read: exit 3 and a sentence, not a crash
        Unavailable(await kp.RunAsync("cert", "status", "BW2026-000901"), "no contract");
        Unavailable(await kp.RunAsync("verify", f["cert"]), "no contract");
        Unavailable(await kp.RunAsync("verify", f["cert"], "--json"), "no contract");
        Unavailable(await kp.RunAsync("parcel", "status", f["p1"]), "no contract");
        Unavailable(await kp.RunAsync("participant", "list"), "no contract");
        Unavailable(await kp.RunAsync("anchor", "check", Salt.New().ToString(), Salt.New().ToString(), f["leaves"]), "no contract");
        Unavailable(await kp.RunAsync("chain", "status"));

        // the fix works: redeploy, and the same commands go through
        Ok(await kp.RunAsync("chain", "deploy", "--rpc", reset.Url));
        Ok(await kp.RunAsync("participant", "add", "BW"));
        Ok(await kp.RunAsync("participant", "list"));
    }

    [Fact]
    public async Task A_registry_redeployed_at_the_same_address_on_a_fresh_chain_is_not_taken_for_the_recorded_one()
    {
        await using var first = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        var (kp, f) = await DeployAndWriteDocumentsAsync(first);
        await using var fresh = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        await Task.Delay(1_100); // another second: another block hash even for the same transaction
        using (var other = await DevNetwork.DeployAsync(fresh.Url)) // same deployer, same nonce: same address, same code
        {
            Assert.Equal(kp.Environment["KP_DEPLOYMENT"] is { } path ? Chain.Deployment.DeploymentRecord.Read(path).Address : null, other.Deployment.Address);
        }
        // the old record pointed at the fresh chain: the code is there, but the deployment block is not the recorded one
        var r = await kp.RunAsync("parcel", "register", f["p2"], "--account", "6", "--rpc", fresh.Url);
        Unavailable(r, "kp chain deploy");
        Assert.Contains("was deployed in", r.Err);
        Unavailable(await kp.RunAsync("cert", "status", "BW2026-000901", "--rpc", fresh.Url));
    }

    [Fact]
    public async Task A_bare_registry_address_with_no_contract_is_refused_with_exit_3()
    {
        await using var node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        var kp = new Kp(new() { ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        var nowhere = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        Unavailable(await kp.RunAsync("participant", "add", "BW", "--rpc", node.Url, "--registry", nowhere, "--deployment", "/nonexistent.json"), "kp chain deploy");
        Unavailable(await kp.RunAsync("cert", "status", "BW1", "--rpc", node.Url, "--registry", nowhere, "--deployment", "/nonexistent.json"), "no contract");
        // an account, not a registry
        Unavailable(await kp.RunAsync("participant", "list", "--rpc", node.Url, "--registry", A(Governor), "--deployment", "/nonexistent.json"));
    }

    private static string TestRegistryHash(string parcelFile) => RecordJson.Parse(File.ReadAllText(parcelFile)).Hash().ToString();
}
