using System.Globalization;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Merkle;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// The lookups through kp on a Hardhat node: kp cert history, kp participant show, kp authority list,
/// kp member list, kp parcel status by hash, kp status with whole transaction hashes, kp merkle leaves.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class LookupCommandTests(HardhatFixture fixture)
{
    private static string Acct(int index) => index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs a write with --json and returns its transaction hash and block.</summary>
    private static async Task<(string Tx, ulong Block)> SentAsync(Kp kp, params string[] args)
    {
        var r = Ok(await kp.RunAsync([.. args, "--json"]));
        using var doc = JsonDocument.Parse(r.Out);
        var tx = doc.RootElement.GetProperty("transaction").GetString()!;
        Assert.Matches("^0x[0-9a-f]{64}$", tx);
        return (tx, doc.RootElement.GetProperty("block").GetUInt64());
    }

    private static async Task<string> NewParcelAsync(Kp kp, string dir, string name)
    {
        var file = Path.Combine(dir, name + ".json");
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", file));
        return file;
    }

    private static async Task<string> NewCertificateAsync(Kp kp, string dir, string number, string parcel)
    {
        var file = Path.Combine(dir, number + ".json");
        Ok(await kp.RunAsync("new", "certificate", "--number", number, "--exporter", "BW", "--importer", "AE", "--parcels", parcel,
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", file));
        return file;
    }

    [Fact]
    public async Task Cert_history_lists_every_event_in_order_with_the_transactions_that_made_them()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-lookup-cert-");
        var parcel = await NewParcelAsync(kp, dir, "p1");
        Ok(await kp.RunAsync("parcel", "register", parcel, "--account", Acct(BwMiner)));

        // a first certificate issued then voided; its parcel, released, goes on a second one
        var voidedCert = await NewCertificateAsync(kp, dir, "BW2026-000901", parcel);
        var issuedA = await SentAsync(kp, "cert", "issue", voidedCert, "--account", Acct(BwAuthority));
        var voided = await SentAsync(kp, "cert", "void", voidedCert, "--account", Acct(BwAuthority));

        var cert = await NewCertificateAsync(kp, dir, "BW2026-000902", parcel);
        var confirmation = Path.Combine(dir, "conf.json");
        Ok(await kp.RunAsync("new", "confirmation", cert, "--authority-name", "UAE KP Office", "--out", confirmation));
        var issued = await SentAsync(kp, "cert", "issue", cert, "--account", Acct(BwAuthority));
        var flagged = await SentAsync(kp, "flag", "Certificate", "BW2026-000902", "--level", "Suspicious", "--category", "Smuggling", "--reason", "case 17");
        var clearing = Ok(await kp.RunAsync("flag", "Certificate", "BW2026-000902", "--level", "None", "--category", "InvestigationClosed", "--reason", "case 17 closed", "--json"));
        (string Tx, ulong Block) cleared;
        using (var c = JsonDocument.Parse(clearing.Out))
        {
            Assert.EndsWith(": flag cleared", c.RootElement.GetProperty("message").GetString()); // not "flagged None"
            cleared = (c.RootElement.GetProperty("transaction").GetString()!, c.RootElement.GetProperty("block").GetUInt64());
        }
        var confirmed = await SentAsync(kp, "cert", "confirm", cert, confirmation, "--account", Acct(AeAuthority));

        var json = Ok(await kp.RunAsync("cert", "history", "BW2026-000902", "--json"));
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var root = doc.RootElement;
            Assert.Equal("BW2026-000902", root.GetProperty("number").GetString());
            Assert.Equal("BW", root.GetProperty("exporter").GetString());
            Assert.Equal(Keccak.Hash("BW2026-000902").ToString(), root.GetProperty("numberHash").GetString());
            Assert.Equal("confirmed", root.GetProperty("status").GetString());
            var events = root.GetProperty("events").EnumerateArray().ToList();
            Assert.Equal(["issued", "flagged", "unflagged", "confirmed"], events.Select(e => e.GetProperty("kind").GetString()));
            Assert.Equal([issued.Tx, flagged.Tx, cleared.Tx, confirmed.Tx], events.Select(e => e.GetProperty("transaction").GetString()));
            Assert.Equal([issued.Block, flagged.Block, cleared.Block, confirmed.Block], events.Select(e => e.GetProperty("block").GetUInt64()));
            var times = events.Select(e => e.GetProperty("blockTime").GetUInt64()).ToList();
            Assert.All(times, t => Assert.InRange(t, 1_600_000_000UL, 4_000_000_000UL));
            Assert.Equal(times.Order(), times);
            Assert.Equal(A(BwAuthority), events[0].GetProperty("authority").GetString());
            Assert.Equal("AE", events[0].GetProperty("importer").GetString());
            Assert.Equal(1, events[0].GetProperty("parcelCount").GetInt32());
            Assert.Equal("suspicious", events[1].GetProperty("flag").GetString());
            Assert.Equal("smuggling", events[1].GetProperty("category").GetString());
            Assert.Equal(Keccak.Hash("case 17").ToString(), events[1].GetProperty("evidenceHash").GetString());
            Assert.Equal("none", events[2].GetProperty("flag").GetString());
            Assert.Equal(A(AeAuthority), events[3].GetProperty("authority").GetString());
        }

        // the table: whole transaction hashes, ISO-8601 UTC times, in the same order
        var table = Ok(await kp.RunAsync("cert", "history", "BW2026-000902"));
        var lines = table.Out.Split('\n');
        int LineOf(string tx) => Array.FindIndex(lines, l => l.Contains(tx, StringComparison.Ordinal));
        Assert.True(LineOf(issued.Tx) > 0 && LineOf(issued.Tx) < LineOf(flagged.Tx) && LineOf(flagged.Tx) < LineOf(cleared.Tx) && LineOf(cleared.Tx) < LineOf(confirmed.Tx), table.Out);
        Assert.StartsWith("Unflagged", lines[LineOf(cleared.Tx)], StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", lines[LineOf(confirmed.Tx)]);

        // the voided one, its exporter named explicitly
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("cert", "history", "BW2026-000901", "--exporter", "BW", "--json")).Out))
        {
            var events = doc.RootElement.GetProperty("events").EnumerateArray().ToList();
            Assert.Equal(["issued", "voided"], events.Select(e => e.GetProperty("kind").GetString()));
            Assert.Equal([issuedA.Tx, voided.Tx], events.Select(e => e.GetProperty("transaction").GetString()));
            Assert.Equal("voided", doc.RootElement.GetProperty("status").GetString());
        }

        // refusals: a number never issued (exit 1, a sentence; JSON error on stderr), a number of another exporter, a bad exporter (exit 2)
        var unknown = await kp.RunAsync("cert", "history", "BW2026-9");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("certificate BW2026-9 was never issued by BW here", unknown.Err);
        Assert.Equal("", unknown.Out);
        var unknownJson = await kp.RunAsync("cert", "history", "BW2026-9", "--json");
        Assert.Equal(1, unknownJson.ExitCode);
        using (var error = JsonDocument.Parse(unknownJson.Err))
        {
            Assert.Equal("not-found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("number", error.RootElement.GetProperty("error").GetProperty("field").GetString());
        }
        var otherExporter = await kp.RunAsync("cert", "history", "BW2026-000902", "--exporter", "AE");
        Assert.Equal(1, otherExporter.ExitCode);
        Assert.Contains("was never issued by AE here", otherExporter.Err);
        var badExporter = await kp.RunAsync("cert", "history", "BW2026-000902", "--exporter", "B1");
        Assert.Equal(2, badExporter.ExitCode);
        Assert.Contains("--exporter:", badExporter.Err);
    }

    [Fact]
    public async Task Participant_show_and_the_authority_and_member_lists_follow_the_events()
    {
        var (kp, _) = await DeployedAsync(fixture.Node.Url, "kp-lookup-dir-");
        var addedIn = await SentAsync(kp, "participant", "add", "IN");
        var inAuthority = await SentAsync(kp, "authority", "add", "IN", A(InAuthority));
        var suspended = await SentAsync(kp, "participant", "suspend", "IN");
        var trader = await SentAsync(kp, "member", "add", A(BwTrader), "--account", Acct(BwAuthority));
        Ok(await kp.RunAsync("member", "add", A(AeTrader), "--account", Acct(BwAuthority)));
        Ok(await kp.RunAsync("member", "remove", A(AeTrader), "--account", Acct(BwAuthority)));
        Ok(await kp.RunAsync("authority", "remove", A(AeAuthority)));

        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("participant", "show", "IN", "--json")).Out))
        {
            var root = doc.RootElement;
            Assert.Equal("IN", root.GetProperty("code").GetString());
            Assert.Equal("suspended", root.GetProperty("status").GetString());
            Assert.Equal(addedIn.Tx, root.GetProperty("added").GetProperty("transaction").GetString());
            Assert.Equal(addedIn.Block, root.GetProperty("added").GetProperty("block").GetUInt64());
            Assert.Equal(["added", "suspended"], root.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
            Assert.Equal(suspended.Tx, root.GetProperty("events")[1].GetProperty("transaction").GetString());
            Assert.Equal([A(InAuthority)], root.GetProperty("authorities").EnumerateArray().Select(a => a.GetProperty("account").GetString()));
            Assert.Equal(inAuthority.Tx, root.GetProperty("authorities")[0].GetProperty("transaction").GetString());
            Assert.Equal(0, root.GetProperty("memberCount").GetInt32());
        }
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("participant", "show", "BW", "--json")).Out))
        {
            Assert.Equal("active", doc.RootElement.GetProperty("status").GetString());
            Assert.Equal(2, doc.RootElement.GetProperty("memberCount").GetInt32()); // the miner and the trader; the removed one not counted
        }
        var show = Ok(await kp.RunAsync("participant", "show", "IN"));
        Assert.Contains(addedIn.Tx, show.Out);
        Assert.Contains(A(InAuthority), show.Out);
        Assert.Contains("Suspended", show.Out);

        // members: added then removed disappear; the block each was added in
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("member", "list", "BW", "--json")).Out))
        {
            var members = doc.RootElement.GetProperty("members").EnumerateArray().ToList();
            Assert.Equal([A(BwMiner), A(BwTrader)], members.Select(m => m.GetProperty("account").GetString()));
            Assert.Equal(trader.Block, members[1].GetProperty("block").GetUInt64());
            Assert.Equal(trader.Tx, members[1].GetProperty("transaction").GetString());
            Assert.True(members[1].GetProperty("index").GetUInt32() > 0);
        }
        var memberTable = Ok(await kp.RunAsync("member", "list"));
        Assert.Contains(A(BwTrader), memberTable.Out);
        Assert.Contains(trader.Tx, memberTable.Out);
        Assert.DoesNotContain(A(AeTrader), memberTable.Out);

        // re-activated: listed again, with the block of its new addition
        var again = await SentAsync(kp, "member", "add", A(AeTrader), "--account", Acct(BwAuthority));
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("member", "list", "BW", "--json")).Out))
        {
            var last = doc.RootElement.GetProperty("members").EnumerateArray().Last();
            Assert.Equal(A(AeTrader), last.GetProperty("account").GetString());
            Assert.Equal(again.Block, last.GetProperty("block").GetUInt64());
        }

        // authorities: the removed AE authority is gone; every participant's without a code
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("authority", "list", "--json")).Out))
        {
            var all = doc.RootElement.GetProperty("authorities").EnumerateArray().Select(a => (a.GetProperty("participant").GetString(), a.GetProperty("account").GetString())).ToList();
            Assert.Equal([("BW", A(BwAuthority)), ("IN", A(InAuthority))], all);
        }
        var none = Ok(await kp.RunAsync("authority", "list", "AE"));
        Assert.Contains("no current authorities of AE", none.Out);
        var authorityTable = Ok(await kp.RunAsync("authority", "list", "IN"));
        Assert.Contains(inAuthority.Tx, authorityTable.Out);

        // refusals: never added (exit 1), not a code (exit 2 naming the argument)
        var unknown = await kp.RunAsync("participant", "show", "ZZ");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("participant ZZ was never added here", unknown.Err);
        Assert.Equal(1, (await kp.RunAsync("member", "list", "ZZ")).ExitCode);
        var bad = await kp.RunAsync("authority", "list", "Botswana", "--json");
        Assert.Equal(2, bad.ExitCode);
        using var error = JsonDocument.Parse(bad.Err);
        Assert.Equal("code", error.RootElement.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Parcel_status_by_hash_prints_what_it_prints_by_document()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-lookup-parcel-");
        var parcel = await NewParcelAsync(kp, dir, "p1");
        Ok(await kp.RunAsync("parcel", "register", parcel, "--account", Acct(BwMiner)));
        var hash = Ok(await kp.RunAsync("hash", parcel)).Out.Trim();

        var byDocument = Ok(await kp.RunAsync("parcel", "status", parcel, "--json"));
        var byHash = Ok(await kp.RunAsync("parcel", "status", hash, "--json"));
        Assert.Equal(byDocument.Out, byHash.Out);
        using (var doc = JsonDocument.Parse(byHash.Out))
        {
            Assert.Equal(hash, doc.RootElement.GetProperty("hash").GetString());
            Assert.Equal("active", doc.RootElement.GetProperty("status").GetString());
            Assert.Equal("BW", doc.RootElement.GetProperty("holder").GetString());
        }
        var table = Ok(await kp.RunAsync("parcel", "status", hash.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)));
        Assert.Contains($"hash:", table.Out);
        Assert.Contains(hash, table.Out);
        Assert.Contains("Active", table.Out);
        Assert.EndsWith(table.Out, Ok(await kp.RunAsync("parcel", "status", parcel)).Out); // the document adds only its reference line

        // an unknown hash: exit 1; a short or non-hex hash: exit 2 naming the argument
        var unknown = await kp.RunAsync("parcel", "status", Keccak.Hash("nothing").ToString());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("None", unknown.Out);
        foreach (var bad in new[] { "0x1234", hash + "00", "0x" + new string('g', 64) })
        {
            var r = await kp.RunAsync("parcel", "status", bad, "--json");
            Assert.True(r.ExitCode == 2, r.ToString());
            using var error = JsonDocument.Parse(r.Err);
            Assert.Equal("parcel", error.RootElement.GetProperty("error").GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Status_prints_whole_transaction_hashes()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-lookup-status-");
        var parcel = await NewParcelAsync(kp, dir, "p1");
        var submitted = Ok(await kp.RunAsync("submit", parcel, "--json"));
        long id;
        using (var doc = JsonDocument.Parse(submitted.Out)) id = doc.RootElement[0].GetProperty("id").GetInt64();
        var sent = await SentAsync(kp, "parcel", "register", parcel, "--account", Acct(BwMiner));
        using (var store = new RecordStore(new ServiceLayout(Path.Combine(dir, "service")).StorePath))
        {
            // as the service records it: validated (pending with its hash), then confirmed by the transaction that anchored it
            var record = (ParcelRecord)RecordJson.Parse(File.ReadAllBytes(parcel));
            store.MarkPending([(id, record, record.Hash())]);
            store.MarkConfirmed([id], sent.Tx, (long)sent.Block);
        }
        var hash = Ok(await kp.RunAsync("hash", parcel)).Out.Trim();
        var table = Ok(await kp.RunAsync("status", hash));
        Assert.Contains(sent.Tx, table.Out);
        Assert.DoesNotContain("…", table.Out);
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("status", hash, "--json")).Out))
        {
            Assert.Equal(sent.Tx, doc.RootElement[0].GetProperty("transactionHash").GetString());
        }
        var bad = await kp.RunAsync("status", "0x12");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: hash: ", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merkle_leaves_feed_merkle_root_proof_and_anchor()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-lookup-leaves-");
        var files = new[] { "sorting-log.csv", "photo.jpg", "movement.txt" }.Select(n => Path.Combine(dir, n)).ToArray();
        for (var i = 0; i < files.Length; i++) await File.WriteAllBytesAsync(files[i], [.. Enumerable.Range(0, 1000 * (i + 1)).Select(b => (byte)(b * (i + 7)))]);
        var expected = files.Select(f => Keccak.Hash(File.ReadAllBytes(f))).ToList();

        var printed = Ok(await kp.RunAsync(["merkle", "leaves", .. files]));
        Assert.Equal(string.Concat(expected.Select(h => h + "\n")), printed.Out); // one 0x leaf a line, in the order given, nothing else
        var leavesFile = Path.Combine(dir, "leaves.txt");
        await File.WriteAllTextAsync(leavesFile, printed.Out);

        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync(["merkle", "leaves", .. files, "--json"])).Out))
        {
            var leaves = doc.RootElement.GetProperty("leaves").EnumerateArray().ToList();
            Assert.Equal(files, leaves.Select(l => l.GetProperty("file").GetString()));
            Assert.Equal(expected.Select(h => h.ToString()), leaves.Select(l => l.GetProperty("leaf").GetString()));
        }

        var root = StandardMerkleTree.Of(expected).Root.ToString();
        Assert.Equal(root, Ok(await kp.RunAsync("merkle", "root", leavesFile)).Out.Trim());
        var proofFile = Path.Combine(dir, "proof.txt");
        await File.WriteAllTextAsync(proofFile, Ok(await kp.RunAsync("merkle", "proof", leavesFile, "1")).Out);
        using (var doc = JsonDocument.Parse(Ok(await kp.RunAsync("anchor", leavesFile, "--account", Acct(BwMiner), "--json")).Out))
        {
            Assert.Equal(root, doc.RootElement.GetProperty("details").GetProperty("root").GetString());
        }
        Ok(await kp.RunAsync("anchor", "check", root, expected[1].ToString(), proofFile));

        var missing = await kp.RunAsync("merkle", "leaves", files[0], Path.Combine(dir, "nope.bin"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.bin: no such file", missing.Err);
        Assert.Equal("", missing.Out);
    }
}
