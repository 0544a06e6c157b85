using System.Globalization;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests;

/// <summary>
/// F8 and F3: kp refuses, before sending, a write the registry would record under another hash than the
/// document's (the sender's participant is not the document's), and a confirmation of another weight.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class WriteClaimTests(HardhatFixture fixture)
{
    private async Task<(Kp Kp, string Dir)> DeployedAsync()
    {
        var (kp, dir) = await KpStory.DeployedAsync(fixture.Node.Url, "kp-claims-");
        Ok(await kp.RunAsync("member", "add", A(AeTrader), "--account", "2"));
        return (kp, dir);
    }

    [Fact]
    public async Task Registering_or_transforming_another_participants_document_is_refused_before_sending()
    {
        var (kp, dir) = await DeployedAsync();
        string F(string name) => Path.Combine(dir, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "1000", "--out", F("p.json")));
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "900", "--value-usd", "1000", "--out", F("s.json")));
        Ok(await kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "sort", "--inputs", F("p.json"), "--outputs", F("s.json"), "--out", F("t.json")));
        var parcel = RecordJson.Parse<ParcelRecord>(File.ReadAllText(F("p.json")));

        // the AE trader sends a BW parcel: the registry would record it under AE, with another hash
        var r = await kp.RunAsync("parcel", "register", F("p.json"), "--account", AeTrader.ToString(CultureInfo.InvariantCulture));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("participant", r.Err);
        Assert.Contains("BW", r.Err);
        Assert.Contains("AE", r.Err);
        Assert.DoesNotContain(parcel.Hash().ToString(), r.Out);

        // an account that is no member at all is told so
        var outsider = await kp.RunAsync("parcel", "register", F("p.json"), "--account", Outsider.ToString(CultureInfo.InvariantCulture));
        Assert.True(outsider.ExitCode == 2, outsider.ToString());
        Assert.Contains("not a member", outsider.Err);

        var state = await kp.RunAsync("parcel", "status", F("p.json"));
        Assert.True(state.ExitCode == 1, state.ToString()); // nothing was registered

        Ok(await kp.RunAsync("parcel", "register", F("p.json"), "--account", "6"));
        var t = await kp.RunAsync("parcel", "transform", F("t.json"), "--account", AeTrader.ToString(CultureInfo.InvariantCulture));
        Assert.True(t.ExitCode == 2, t.ToString());
        Assert.Contains("participant", t.Err);
        Ok(await kp.RunAsync("parcel", "transform", F("t.json"), "--account", "6"));
    }

    [Fact]
    public async Task A_confirmation_stating_other_carats_than_the_certificate_is_refused()
    {
        var (kp, dir) = await DeployedAsync();
        string F(string name) => Path.Combine(dir, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "1000", "--out", F("p.json")));
        Ok(await kp.RunAsync("parcel", "register", F("p.json"), "--account", "6"));
        Ok(await kp.RunAsync("new", "certificate", "--number", "BW2026-000901", "--exporter", "BW", "--importer", "AE", "--parcels", F("p.json"),
            "--authority-name", "Ministry", "--exporter-name", "ODC", "--importer-name", "Rough DMCC", "--out", F("cert.json")));
        Ok(await kp.RunAsync("cert", "issue", F("cert.json"), "--account", "1"));
        Ok(await kp.RunAsync("new", "confirmation", F("cert.json"), "--authority-name", "UAE KP Office", "--out", F("conf.json")));
        var conf = RecordJson.Parse<ImportConfirmationRecord>(File.ReadAllText(F("conf.json")));
        File.WriteAllText(F("inflated.json"), RecordJson.Write(conf with { Carats = conf.Carats * 100 }));
        var r = await kp.RunAsync("cert", "confirm", F("cert.json"), F("inflated.json"), "--account", "2");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("carats", r.Err);
        Ok(await kp.RunAsync("cert", "confirm", F("cert.json"), F("conf.json"), "--account", "2"));
    }

    [Fact]
    public async Task Anchor_check_reports_every_participant_that_anchored_the_same_root_and_credits_none_over_the_others()
    {
        var (kp, dir) = await DeployedAsync();
        var leaves = Path.Combine(dir, "logs.txt");
        var values = Enumerable.Range(0, 5).Select(_ => Core.Primitives.Salt.New().ToString()).ToList();
        await File.WriteAllLinesAsync(leaves, values);
        Ok(await kp.RunAsync("anchor", leaves, "--account", AeTrader.ToString(CultureInfo.InvariantCulture))); // AE copies the root first
        Ok(await kp.RunAsync("anchor", leaves, "--account", "6"));
        var root = Ok(await kp.RunAsync("merkle", "root", leaves)).Out.Trim();
        var proof = Path.Combine(dir, "proof.txt");
        await File.WriteAllTextAsync(proof, Ok(await kp.RunAsync("merkle", "proof", leaves, "2")).Out);

        var check = Ok(await kp.RunAsync("anchor", "check", root, values[2], proof));
        Assert.Contains("2 participants", check.Out);
        Assert.Contains($"BW: by {A(BwMiner)}", check.Out);
        Assert.Contains($"AE: by {A(AeTrader)}", check.Out);
        var json = JsonDocument.Parse(Ok(await kp.RunAsync("anchor", "check", root, values[2], proof, "--json")).Out).RootElement;
        Assert.Equal(2, json.GetProperty("anchors").GetArrayLength());
        Assert.True(!json.TryGetProperty("participant", out var credited) || credited.ValueKind == JsonValueKind.Null); // no one credited
        var named = Ok(await kp.RunAsync("anchor", "check", root, values[2], proof, "--participant", "BW"));
        Assert.Contains($"anchored by {A(BwMiner)} (BW)", named.Out);
    }
}
