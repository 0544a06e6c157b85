using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Traceability.Lab.DevChain;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests;

/// <summary>The user stories through kp against a real Hardhat node: register, issue, confirm, verify.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class UserStoryTests(HardhatFixture fixture)
{
    private static Task<(Kp Kp, string Dir)> DeployedAsync(HardhatFixture fixture) => KpStory.DeployedAsync(fixture.Node.Url, "kp-story-");

    /// <summary>Deployed, the documents made, the origin parcels registered and sorted by the BW miner.</summary>
    private static async Task<(Kp Kp, string Dir, Dictionary<string, string> Documents)> SortedAsync(HardhatFixture fixture)
    {
        var (kp, dir) = await DeployedAsync(fixture);
        var d = await DocumentsAsync(kp, dir);
        Ok(await kp.RunAsync("parcel", "register", d["p1"], d["p2"], "--account", "6"));
        Ok(await kp.RunAsync("parcel", "transform", d["t"], "--account", "6"));
        return (kp, dir, d);
    }

    private static async Task<Dictionary<string, string>> DocumentsAsync(Kp kp, string dir)
    {
        string F(string name) => Path.Combine(dir, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", F("p1.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Orapa", "--carats", "500.25", "--value-usd", "50000", "--out", F("p2.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "1400", "--hs", "7102.31", "--value-usd", "160000", "--out", F("s1.json")));
        Ok(await kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "sort", "--inputs", F("p1.json"), F("p2.json"), "--outputs", F("s1.json"), "--out", F("t.json")));
        Ok(await kp.RunAsync("new", "certificate", "--number", "BW2026-000777", "--exporter", "BW", "--importer", "AE", "--parcels", F("s1.json"),
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", F("cert.json")));
        Ok(await kp.RunAsync("new", "confirmation", F("cert.json"), "--authority-name", "UAE KP Office", "--out", F("conf.json")));
        return new[] { "p1", "p2", "s1", "t", "cert", "conf" }.ToDictionary(n => n, n => F(n + ".json"));
    }

    [Fact]
    public async Task Member_authority_and_importer_stories_end_in_Verified_and_attacks_are_caught()
    {
        var (kp, dir) = await DeployedAsync(fixture);
        var d = await DocumentsAsync(kp, dir);

        // member: register origin parcels, record the sort
        Ok(await kp.RunAsync("parcel", "register", d["p1"], d["p2"], "--account", BwMiner.ToString(CultureInfo.InvariantCulture)));
        Ok(await kp.RunAsync("parcel", "transform", d["t"], "--inputs", d["p1"], d["p2"], "--outputs", d["s1"], "--account", "6"));

        // authority: sign for a relayer; the relayer sends it; the importing authority confirms
        var signed = Path.Combine(dir, "signed.json");
        Ok(await kp.RunAsync("cert", "issue", d["cert"], "--sign-only", "--account", "1", "--out", signed));
        Ok(await kp.RunAsync("cert", "relay", signed, "--account", "11"));
        Ok(await kp.RunAsync("cert", "confirm", d["cert"], d["conf"], "--account", "2"));

        // importer: verify, with and without ancestors; JSON for machines
        var verified = await kp.RunAsync("verify", signed, "--ancestors", d["p1"], d["p2"], d["s1"], d["t"]);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("VERDICT: Verified", verified.Out);
        Assert.Contains("origin parcel registered in BW", verified.Out);
        var json = await kp.RunAsync("verify", d["cert"], "--json");
        Assert.Equal(0, json.ExitCode);
        using var report = JsonDocument.Parse(json.Out);
        Assert.Equal("verified", report.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("BW", report.RootElement.GetProperty("origins")[0].GetString());

        // one field changed: Tampered, exit 1
        var tampered = Path.Combine(dir, "tampered.json");
        await File.WriteAllTextAsync(tampered, (await File.ReadAllTextAsync(d["cert"])).Replace("\"importerName\": \"Rough DMCC, Dubai\"", "\"importerName\": \"Someone Else, Dubai\"", StringComparison.Ordinal));
        var t = await kp.RunAsync("verify", tampered);
        Assert.Equal(1, t.ExitCode);
        Assert.Contains("VERDICT: Tampered", t.Out);

        // malformed: names the field, exit 2
        var malformed = Path.Combine(dir, "malformed.json");
        await File.WriteAllTextAsync(malformed, (await File.ReadAllTextAsync(d["cert"])).Replace("\"parcelCount\"", "\"parcelCuont\"", StringComparison.Ordinal));
        var m = await kp.RunAsync("verify", malformed);
        Assert.Equal(2, m.ExitCode);
        Assert.Contains("details.parcelCount: missing", m.Err);

        // a forged number: NotFound, exit 1
        var forged = Path.Combine(dir, "forged.json");
        await File.WriteAllTextAsync(forged, (await File.ReadAllTextAsync(d["cert"])).Replace("BW2026-000777", "BW2026-000778", StringComparison.Ordinal));
        var f = await kp.RunAsync("verify", forged);
        Assert.Equal(1, f.ExitCode);
        Assert.Contains("VERDICT: NotFound", f.Out);

        // a refused transaction: exit 1 with the registry's reason
        var again = await kp.RunAsync("parcel", "register", d["p1"], "--account", "6");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("refused by the registry", again.Err);
        Assert.Contains("AlreadyRegistered", again.Err);

        Ok(await kp.RunAsync("chain", "status"));
        var status = Ok(await kp.RunAsync("cert", "status", "BW2026-000777", "--json"));
        Assert.Contains("\"confirmed\"", status.Out);
    }

    [Fact]
    public async Task On_the_Besu_like_node_the_member_authority_and_importer_story_ends_in_Verified()
    {
        // 2 s blocks, zero fees, chain id 57831: every write waits for its block, as on the KP's network
        await using var besu = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike);
        (Kp Kp, string Dir) deployed;
        await using (await BesuLikeMining.AutomineAsync(besu)) deployed = await KpStory.DeployedAsync(besu.Url, "kp-story-besu-"); // set-up: a block per transaction
        var (kp, dir) = deployed;
        var d = await DocumentsAsync(kp, dir);
        Ok(await kp.RunAsync("parcel", "register", d["p1"], d["p2"], "--account", "6"));
        Ok(await kp.RunAsync("parcel", "transform", d["t"], "--account", "6"));
        var signed = Path.Combine(dir, "signed.json");
        Ok(await kp.RunAsync("cert", "issue", d["cert"], "--sign-only", "--account", "1", "--out", signed));
        Ok(await kp.RunAsync("cert", "relay", signed, "--account", "11"));
        Ok(await kp.RunAsync("cert", "confirm", d["cert"], d["conf"], "--account", "2"));
        var report = JsonDocument.Parse(Ok(await kp.RunAsync("verify", signed, "--json", "--ancestors", d["p1"], d["p2"], d["s1"], d["t"])).Out).RootElement;
        Assert.Equal("verified", report.GetProperty("verdict").GetString());
        var again = await kp.RunAsync("parcel", "register", d["p1"], "--account", "6"); // refused at the estimate: never sent, no block waited for
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("AlreadyRegistered", again.Err);
    }

    [Fact]
    public async Task A_signed_certificate_by_a_non_authority_is_refused_on_relay_and_NotFound_on_verify()
    {
        var (kp, dir, d) = await SortedAsync(fixture);
        var signed = Path.Combine(dir, "signed-by-member.json");
        // signing still writes the file (the authority may be added before the relay), but says now what the relay would say
        var sign = Ok(await kp.RunAsync("cert", "issue", d["cert"], "--sign-only", "--account", "6", "--out", signed));
        Assert.Contains($"warning: {A(BwMiner)} is not an authority of BW on this registry; the relay will refuse this signature", sign.Err);
        Assert.True(File.Exists(signed));
        var byAuthority = Ok(await kp.RunAsync("cert", "issue", d["cert"], "--sign-only", "--account", "1", "--out", Path.Combine(dir, "signed-by-authority.json")));
        Assert.DoesNotContain("warning:", byAuthority.Err);
        var relay = await kp.RunAsync("cert", "relay", signed, "--account", "11");
        Assert.Equal(1, relay.ExitCode);
        Assert.Contains("is not an authority of BW", relay.Err);
        // the chain is the ground truth: it never anchored that certificate
        var v = await kp.RunAsync("verify", signed);
        Assert.Equal(1, v.ExitCode);
        Assert.Contains("VERDICT: NotFound", v.Out);
    }

    [Fact]
    public async Task A_signed_certificate_with_one_field_changed_is_Tampered_and_the_report_names_the_chain()
    {
        var (kp, dir, d) = await SortedAsync(fixture);
        var signed = Path.Combine(dir, "signed.json");
        Ok(await kp.RunAsync("cert", "issue", d["cert"], "--sign-only", "--account", "1", "--out", signed));
        Ok(await kp.RunAsync("cert", "relay", signed, "--account", "11"));
        var genuine = Ok(await kp.RunAsync("verify", signed, "--json"));
        using var report = JsonDocument.Parse(genuine.Out);
        Assert.Equal("verified", report.RootElement.GetProperty("verdict").GetString());
        var against = report.RootElement.GetProperty("checkedAgainst");
        Assert.Equal(31337UL, against.GetProperty("chainId").GetUInt64());
        Assert.True(against.GetProperty("blockNumber").GetUInt64() > 0);
        Assert.StartsWith("0x", against.GetProperty("registry").GetString(), StringComparison.Ordinal);

        var text = File.ReadAllText(signed);
        var alterations = new Dictionary<string, string>
        {
            ["carats"] = text.Replace("\"carats\": 140000", "\"carats\": 140001", StringComparison.Ordinal),
            ["salt"] = text.Replace(SaltOf(text), FlipLastDigit(SaltOf(text)), StringComparison.Ordinal),
        };
        foreach (var (field, changed) in alterations)
        {
            Assert.NotEqual(text, changed);
            var altered = Path.Combine(dir, $"altered-{field}.json");
            File.WriteAllText(altered, changed);
            var v = await kp.RunAsync("verify", altered);
            Assert.Equal(1, v.ExitCode);
            Assert.Contains("VERDICT: Tampered", v.Out);
            Assert.Contains("checked against chain 31337", v.Out);
        }
    }

    private static string SaltOf(string certificateJson)
    {
        using var doc = JsonDocument.Parse(certificateJson);
        return doc.RootElement.GetProperty("details").GetProperty("salt").GetString()!;
    }

    private static string FlipLastDigit(string hex) => hex[..^1] + (hex[^1] == '0' ? '1' : '0');

    [Fact]
    public async Task Secrets_never_appear_in_output_and_a_bad_phrase_is_refused()
    {
        var (kp, _) = await DeployedAsync(fixture);
        var outputs = new List<Kp.Result>
        {
            await kp.RunAsync("participant", "list"),
            await kp.RunAsync("member", "add", A(Outsider), "--account", "1", "--json"),
        };
        foreach (var r in outputs) Assert.DoesNotContain("test test test", r.Out + r.Err);
        kp.Environment["KP_MNEMONIC"] = "test test test test test test test test test test test test";
        var bad = await kp.RunAsync("member", "add", A(Relayer), "--account", "1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("KP_MNEMONIC: the mnemonic's checksum is wrong", bad.Err);
        Assert.DoesNotContain("test test", bad.Err);
    }

    [Fact]
    public async Task Keystore_accounts_work_with_the_password_from_the_environment()
    {
        var (kp, dir) = await DeployedAsync(fixture);
        var keystore = Path.Combine(dir, "bw-authority.json");
        await File.WriteAllTextAsync(keystore, Account(BwAuthority).ToKeystore("s3cret"));
        kp.Environment["KP_KEYSTORE_PASSWORD"] = "s3cret";
        Ok(await kp.RunAsync("member", "add", A(Outsider), "--keystore", keystore));
        kp.Environment["KP_KEYSTORE_PASSWORD"] = "wrong";
        var wrong = await kp.RunAsync("member", "add", A(Relayer), "--keystore", keystore);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--keystore: cannot open the keystore", wrong.Err);
        Assert.DoesNotContain("s3cret", wrong.Err + wrong.Out);
    }

    [Fact]
    public async Task A_member_anchors_auxiliary_records_and_anyone_checks_one_with_its_proof()
    {
        var (kp, dir) = await DeployedAsync(fixture);
        var leaves = Path.Combine(dir, "sorting-logs.txt");
        var values = Enumerable.Range(0, 7).Select(_ => Core.Primitives.Salt.New().ToString()).ToList();
        await File.WriteAllLinesAsync(leaves, values);
        var anchored = Ok(await kp.RunAsync("anchor", leaves, "--account", "6", "--json"));
        var root = JsonDocument.Parse(anchored.Out).RootElement.GetProperty("details").GetProperty("root").GetString()!;
        Assert.Equal(root, Ok(await kp.RunAsync("merkle", "root", leaves)).Out.Trim());
        var proof = Path.Combine(dir, "proof-4.txt");
        await File.WriteAllTextAsync(proof, Ok(await kp.RunAsync("merkle", "proof", leaves, "4")).Out);

        var check = await kp.RunAsync("anchor", "check", root, values[4], proof);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains($"anchored by {A(BwMiner)} (BW)", check.Out);
        var wrongLeaf = await kp.RunAsync("anchor", "check", root, values[3], proof);
        Assert.Equal(1, wrongLeaf.ExitCode);
        var unknownRoot = await kp.RunAsync("anchor", "check", values[0], values[4], proof);
        Assert.Equal(1, unknownRoot.ExitCode);
        Assert.Contains("no batch with root", unknownRoot.Out);
        var otherParticipant = await kp.RunAsync("anchor", "check", root, values[4], proof, "--participant", "AE");
        Assert.Equal(1, otherParticipant.ExitCode);
        Assert.Contains($"no batch with root {root} was anchored by AE", otherParticipant.Out); // it was, by BW: the sentence names whom it asked about
    }

    [Fact]
    public async Task The_real_program_returns_its_exit_codes_to_the_shell()
    {
        var kpDll = Path.Combine(AppContext.BaseDirectory, "kp.dll");
        async Task<int> Run(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(kpDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            await p.StandardOutput.ReadToEndAsync();
            await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            return p.ExitCode;
        }
        Assert.Equal(0, await Run("hash", RepoPaths.Under("samples", "certificate-bw-ae.json")));
        Assert.Equal(2, await Run("hash", RepoPaths.Under("samples", "bad", "truncated.json")));
        Assert.Equal(3, await Run("verify", RepoPaths.Under("samples", "certificate-bw-ae.json"), "--rpc", $"http://127.0.0.1:{LocalNode.FreePort()}", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    }
}
