using System.Diagnostics;
using System.Text.Json;
using Traceability.Cli.Commands;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.DevChain;
using Traceability.Lab.Parties;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp demo --parties: many parties, one chain. Five anchoring services (two members, three authorities), each a kp serve process with its
/// own folder and account, fed at once on one Hardhat node; the Debswana member's service killed with SIGKILL mid-run and started again.
/// </summary>
[Trait("Category", "Chain")]
public sealed class PartiesDemoTests
{
    private static readonly string[] Checks = ["everyRecordAnchoredOnce", "ownAccountsOnly", "noncesGapless", "noReverts", "killedMidRunAndRestarted", "othersUndisturbed"];

    [Fact]
    public async Task Every_record_of_every_party_is_anchored_once_by_its_own_account_with_gapless_nonces_across_a_kill_and_restart()
    {
        var dir = Directory.CreateTempSubdirectory("kp-parties-").FullName;
        try
        {
            var r = await new Kp().RunAsync("demo", "--parties", "--parcels", "200", "--out", dir, "--json");
            Assert.True(r.ExitCode == 0, r.ToString());
            JsonSchemas.AssertValid("demo", r.Out, "kp demo --parties --json");
            using var doc = JsonDocument.Parse(r.Out);
            var root = doc.RootElement;
            Assert.True(root.GetProperty("ok").GetBoolean());
            Assert.Equal("hardhat", root.GetProperty("node").GetString());

            // every invariant checked from the chain, and each holds
            var checks = root.GetProperty("checks").EnumerateArray().ToList();
            Assert.Equal(Checks, checks.Select(c => c.GetProperty("name").GetString()));
            Assert.All(checks, c => Assert.True(c.GetProperty("ok").GetBoolean(), c.GetProperty("message").GetString()));

            // 200 parcels and 20 sorts (of 40 of them) a member; the other 160 certified two a certificate: 80 an exporting authority, 160 imports confirmed
            var parties = root.GetProperty("parties").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
            Assert.Equal(new Dictionary<string, int> { ["debswana"] = 220, ["berberati"] = 220, ["bw-authority"] = 80, ["cf-authority"] = 80, ["ae-authority"] = 160 },
                parties.ToDictionary(p => p.Key, p => p.Value.GetProperty("records").GetInt32()));
            Assert.Equal(5, parties.Values.Select(p => p.GetProperty("account").GetString()).Distinct().Count()); // an account each
            foreach (var (name, p) in parties)
            {
                Assert.Equal(p.GetProperty("records").GetInt32(), p.GetProperty("anchored").GetInt32()); // each record on chain once, by its own account
                Assert.True(p.GetProperty("noncesGapless").GetBoolean(), name);
                var sent = p.GetProperty("transactions").GetInt32();
                Assert.True(sent > 1, $"{name} sent {sent} transactions"); // several batches each: the streams interleave
                Assert.Equal((ulong)sent, p.GetProperty("nextNonce").GetUInt64() - p.GetProperty("firstNonce").GetUInt64());
                Assert.Equal(0, p.GetProperty("reverted").GetInt32());
                Assert.Equal(name == "debswana" ? 1 : 0, p.GetProperty("restarts").GetInt32());
            }

            var kill = root.GetProperty("kill");
            Assert.Equal("debswana", kill.GetProperty("party").GetString());
            Assert.InRange(kill.GetProperty("confirmedAtKill").GetInt32(), 1, 219); // mid-run: some anchored, some not
            Assert.True(kill.GetProperty("restartedAtSeconds").GetDouble() > kill.GetProperty("killedAtSeconds").GetDouble());

            // nothing left running: no service process over this run's folders
            Assert.DoesNotContain(Processes(), c => c.Contains(dir, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The command lines of the machine's processes (a process gone meanwhile is skipped).</summary>
    private static IEnumerable<string> Processes()
    {
        foreach (var p in Process.GetProcesses())
        {
            string? line = null;
            try
            {
                line = File.ReadAllText($"/proc/{p.Id}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            p.Dispose();
            if (line is not null) yield return line;
        }
    }
}

/// <summary>kp demo --parties's few lines, from a run's result; and the options it refuses (before any node starts).</summary>
[Trait("Category", "Fast")]
public sealed class PartiesDemoOutputTests
{
    [Theory]
    [InlineData("--parcels", "demo", "--parties", "--parcels", "11")]
    [InlineData("--parcels", "demo", "--parcels", "20")]
    [InlineData("--portal", "demo", "--parties", "--portal")]
    [InlineData("--like", "demo", "--like", "besu")]
    [InlineData("--node", "demo", "--parties", "--like", "besu", "--node", "anvil")]
    public async Task Refuses_options_that_do_not_fit_naming_the_option(string field, params string[] args)
    {
        var r = await new Kp().RunAsync([.. args, "--json"]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal("", r.Out);
        using var doc = JsonDocument.Parse(r.Err);
        Assert.Equal(field, doc.RootElement.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public void One_line_a_party_then_the_kill_the_blocks_and_each_invariant()
    {
        var result = new PartyRunResult(LocalNodeKind.BesuLike, 57831, "0x5FbDB2315678afecb367f032d93F642f64180aa3", "/tmp/parties",
            [
                new("debswana", PartyRole.Member, "BW", "0x976EA74026E726554dB657fA54763abd0C3a0aa9", 330, 330, 14, 0, 0, 14, true, 1),
                new("ae-authority", PartyRole.ImportingAuthority, "AE", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 240, 240, 10, 0, 0, 10, true, 0),
            ],
            new PartyKill("debswana", 3.14, 4.71, 120, 330, 9), 12, 7, 3, 21.5,
            [new("everyRecordAnchoredOnce", true, "570 records of 2 parties: each one event on chain"), new("noncesGapless", false, "ae-authority: nonces 0,2")]);
        using var o = new StringWriter();
        DemoParties.Print(o, result);
        var text = o.ToString();
        Assert.Contains("2 anchoring services on one BesuLike node (chain 57831), 21.5 s", text);
        Assert.Matches(@"debswana +BW member +0x976EA74026E726554dB657fA54763abd0C3a0aa9 +330 +330 +14 +0-13 gapless +1", text);
        Assert.Matches(@"ae-authority +AE authority \(imports\) .* 240 +240 +10 +0-9 gapless +0", text);
        Assert.Contains("killed debswana's service (SIGKILL) at 3.1 s with 120 of 330 records confirmed; restarted at 4.7 s; 9 transactions of the others mined meanwhile", text);
        Assert.Contains("12 blocks with the parties' transactions, 7 of them shared by several parties (at most 3 in one)", text);
        Assert.Contains("✓ everyRecordAnchoredOnce: 570 records", text);
        Assert.Contains("✗ noncesGapless: ae-authority: nonces 0,2", text);

        var json = JsonSerializer.Serialize(DemoParties.Json(result), Output.JsonOptions);
        JsonSchemas.AssertValid("demo", json, "kp demo --parties --json");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("besuLike", doc.RootElement.GetProperty("node").GetString());
        Assert.Equal("importingAuthority", doc.RootElement.GetProperty("parties")[1].GetProperty("role").GetString());
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(3.1, doc.RootElement.GetProperty("kill").GetProperty("killedAtSeconds").GetDouble());
    }
}
