using System.Globalization;
using System.Text.Json;
using Traceability.Chain.Deployment;
using Traceability.Core.Epcis;
using Traceability.Core.Json;
using Traceability.Core.Merkle;
using Traceability.Print;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// Issue 12's user story against a real Hardhat node: a member exports what it holds on-chain to EPCIS, anchors the
/// document's events as one batch, anyone proves one event against the chain, and the document imports back to
/// records that verify.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public sealed class EpcisStoryTests(HardhatFixture fixture)
{
    private static readonly string Miner = BwMiner.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_member_exports_its_records_anchors_the_events_and_anyone_proves_one_event()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-epcis-story-");
        var docs = Directory.CreateDirectory(Path.Combine(dir, "documents")).FullName;
        string F(string name) => Path.Combine(docs, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", F("p1.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Orapa", "--carats", "500.25", "--value-usd", "50000", "--out", F("p2.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "1500.25", "--hs", "7102.31", "--value-usd", "160000", "--out", F("s1.json")));
        Ok(await kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "sort", "--inputs", F("p1.json"), F("p2.json"), "--outputs", F("s1.json"), "--out", F("t.json")));
        Ok(await kp.RunAsync("new", "certificate", "--number", "BW2026-000778", "--exporter", "BW", "--importer", "AE", "--parcels", F("s1.json"),
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", F("cert.json")));
        Ok(await kp.RunAsync("parcel", "register", F("p1.json"), F("p2.json"), "--account", Miner));
        Ok(await kp.RunAsync("parcel", "transform", F("t.json"), "--account", Miner));

        // export what the chain holds: the certificate is not issued yet, so it is left out
        var trade = Path.Combine(dir, "trade.jsonld");
        var export = Ok(await kp.RunAsync("epcis", "export", docs, "--onchain", "--out", trade, "--json"));
        JsonSchemas.AssertValid("epcis export", export.Out, "kp epcis export --onchain --json");
        var summary = JsonDocument.Parse(export.Out).RootElement;
        Assert.Equal(3, summary.GetProperty("events").GetArrayLength()); // p1, p2 commissioned; the sort (carrying s1)
        Assert.Equal("certificate", summary.GetProperty("leftOut").EnumerateArray().Single().GetProperty("kind").GetString());

        // anchor the events as one batch, then prove the transformation's event
        var anchored = Ok(await kp.RunAsync("anchor", "--epcis", trade, "--account", Miner, "--json"));
        JsonSchemas.AssertValid("anchor", anchored.Out, "kp anchor --epcis --json");
        Assert.Equal(3, JsonDocument.Parse(anchored.Out).RootElement.GetProperty("details").GetProperty("events").GetInt32());
        var check = Ok(await kp.RunAsync("anchor", "check", "--epcis", trade, "2", "--json"));
        JsonSchemas.AssertValid("anchor check", check.Out, "kp anchor check --epcis --json");
        var c = JsonDocument.Parse(check.Out).RootElement;
        Assert.True(c.GetProperty("included").GetBoolean());
        Assert.Equal("BW", c.GetProperty("participant").GetString());
        Assert.Equal(summary.GetProperty("events")[2].GetProperty("hash").GetString(), c.GetProperty("event").GetProperty("hash").GetString());
        Assert.Contains("✓", Ok(await kp.RunAsync("anchor", "check", "--epcis", trade, "0")).Out, StringComparison.Ordinal);
        Assert.False(c.TryGetProperty("lookup", out _)); // no portal configured: no link

        // with a portal configured, the check prints the portal's lookup of the event (the one format of EventLink)
        var hashes = EpcisEventHasher.HashDocument(File.ReadAllText(trade));
        var tree = StandardMerkleTree.Of([.. hashes.Select(h => h.Digest)]);
        var deployment = DeploymentRecord.Read(Path.Combine(dir, "deployment.json"));
        var expected = new EventLink(new Uri("https://kp-portal.example.org/"), (ulong)deployment.ChainId, deployment.Address, tree.Root, hashes[2].HashId, tree.GetProof(2)).ToString();
        var linked = Ok(await kp.RunAsync("anchor", "check", "--epcis", trade, "2", "--portal-url", "https://kp-portal.example.org/", "--json"));
        JsonSchemas.AssertValid("anchor check", linked.Out, "kp anchor check --epcis --portal-url --json");
        Assert.Equal(expected, JsonDocument.Parse(linked.Out).RootElement.GetProperty("lookup").GetString());
        kp.Environment["KP_PORTAL_URL"] = "https://kp-portal.example.org";
        Assert.Contains($"on the portal: {expected}", Ok(await kp.RunAsync("anchor", "check", "--epcis", trade, "2")).Out, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "none.txt"), "");
        var notEpcis = await kp.RunAsync("anchor", "check", c.GetProperty("root").GetString()!, hashes[2].Digest.ToString(), Path.Combine(dir, "none.txt"), "--portal-url", "https://kp-portal.example.org");
        Assert.Equal(2, notEpcis.ExitCode);
        Assert.Contains("--portal-url", notEpcis.Err, StringComparison.Ordinal);
        kp.Environment.Remove("KP_PORTAL_URL");

        // a changed document is not the anchored batch: exit 1
        var changed = Path.Combine(dir, "changed.jsonld");
        File.WriteAllText(changed, File.ReadAllText(trade).Replace("\"quantity\": 1000,", "\"quantity\": 1001,", StringComparison.Ordinal));
        var refused = await kp.RunAsync("anchor", "check", "--epcis", changed, "0", "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.False(JsonDocument.Parse(refused.Out).RootElement.GetProperty("anchored").GetBoolean());

        // import back: the same record hashes, and the sorted parcel verifies with the imported lineage
        var imported = Path.Combine(dir, "imported");
        Ok(await kp.RunAsync("epcis", "import", trade, "--out", imported));
        var back = Directory.GetFiles(imported).Select(f => RecordJson.Parse(File.ReadAllText(f)).Hash()).Order();
        var held = new[] { "p1", "p2", "s1", "t" }.Select(n => RecordJson.Parse(File.ReadAllText(F(n + ".json"))).Hash()).Order();
        Assert.Equal(held, back);
        var s1 = Directory.GetFiles(imported).Single(f => RecordJson.Parse(File.ReadAllText(f)).Hash() == RecordJson.Parse(File.ReadAllText(F("s1.json"))).Hash());
        var verified = await kp.RunAsync("verify", s1, "--ancestors", imported);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }
}
