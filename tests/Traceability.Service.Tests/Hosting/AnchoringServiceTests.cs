using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Core.Json;
using Traceability.Lab.DevChain;
using Traceability.Service.Hosting;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Service.Tests.Hosting;

/// <summary>The service in-process against real nodes: the drop folder to confirmation, and every refusal kept with its reason.</summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class AnchoringServiceTests(HardhatFixture hardhat)
{
    private static async Task<(ServiceHarness H, TradeDocuments D)> PlayAsync(LocalNode node)
    {
        var h = await ServiceHarness.CreateAsync(node);
        var d = await TradeDocuments.CreateAsync(h.Registry);
        // children first in the inbox: the service must hold them until their parents are anchored. All are in the inbox
        // before the service starts: started first, a busy machine let it take in the children alone in one pass, and a
        // child whose parent is neither on chain nor held here is rejected (by design: a smuggled parcel never waits)
        h.Drop(d.Certificate);
        h.Drop(d.Sort);
        h.Drop([.. d.Mined]);
        using var host = h.StartInProcess();
        await h.WaitSettledAsync(d.Mined.Count + 2, TimeSpan.FromMinutes(3)); // a busy 2-core machine running the whole suite is slow, not wrong
        await host.StopAsync();
        return (h, d);
    }

    [Fact]
    public Task Anchors_parcels_a_transformation_and_a_relayed_certificate_on_Hardhat() => AnchorsEverything(hardhat.Node);

    [Fact]
    public async Task Anchors_parcels_a_transformation_and_a_relayed_certificate_on_Anvil()
    {
        await using var anvil = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        await AnchorsEverything(anvil);
    }

    [Fact]
    public async Task Anchors_parcels_a_transformation_and_a_relayed_certificate_on_the_Besu_like_node()
    {
        await using var besu = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.BesuLike); // 2 s blocks, zero fees, chain id 57831
        await AnchorsEverything(besu);
    }

    private static async Task AnchorsEverything(LocalNode node)
    {
        var (h, d) = await PlayAsync(node);
        using var _ = h;
        using var store = h.OpenStore();
        // on failure, every row with its stage and reason: what went wrong shows in the CI log
        var rows = string.Join("\n", store.WithStatus(RecordStage.Rejected, 100, withDocument: false).Concat(store.WithStatus(RecordStage.Confirmed, 100, withDocument: false))
            .Select(x => $"#{x.Id} {x.Source} {x.Stage} {x.Rule} {x.Field} {x.Reason}"));
        Assert.True(store.Counts()[RecordStage.Confirmed] == d.Mined.Count + 2, "not all confirmed:\n" + rows);
        Assert.True(store.Counts()[RecordStage.Rejected] == 0, "rejected:\n" + rows);
        var r = h.Registry.Reader;
        Assert.All(await r.ParcelsAsync(Hashes(d.Mined)), p => Assert.True(p.Exists));
        Assert.True((await r.TransformationAsync(d.Sort.Hash())).Exists);
        var cert = await r.CertificateAsync(d.Certificate.Exporter, d.Certificate.NumberHash);
        Assert.Equal(CertificateStatus.Issued, cert.Status);
        Assert.True(cert.Matches(d.Certificate.Hash()));
        var row = store.ByHash(d.Certificate.Hash().ToString()).Single();
        Assert.NotNull(row.TransactionHash);
        Assert.True(row.BlockNumber > 0);
    }

    [Fact]
    public async Task Refuses_hostile_and_malformed_input_with_reasons_while_the_rest_goes_through()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var d = await TradeDocuments.CreateAsync(h.Registry);
        using var host = h.StartInProcess();
        h.Drop([.. d.Mined]);
        await h.WaitSettledAsync(d.Mined.Count);

        var good = SampleRecords.OriginParcel("BW");
        var json = RecordJson.Write(good);
        h.DropText("truncated.json", json[..(json.Length / 2)]);
        h.DropText("wrong-type.json", json.Replace($"\"carats\": {good.Carats}", "\"carats\": \"heavy\"", StringComparison.Ordinal));
        h.DropText("unknown-field.json", json.Replace("\"mine\":", "\"colour\": \"D\",\n  \"mine\":", StringComparison.Ordinal));
        h.DropText("huge.json", "{\"schemaVersion\": 1, \"padding\": \"" + new string('x', 1_100_000) + "\"}");
        h.DropText("resubmitted.json", RecordJson.Write(d.Mined[0])); // a duplicate of an anchored record, under another name
        var foreign = SampleRecords.OriginParcel("AE");
        h.Drop(foreign); // an AE parcel given to a BW member's service
        var foreignSort = SampleRecords.Transformation("AE", [d.Mined[3].Hash()], [SampleRecords.DerivedParcel("AE", 1_000, "BW")]);
        h.Drop(foreignSort); // an AE transformation: the registry would hash it under BW
        var reuse = SampleRecords.Transformation("BW", [d.Mined[0].Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")]);
        h.Drop(d.Sort);
        await h.WaitSettledAsync(d.Mined.Count + 8);
        h.Drop(reuse); // the sort consumed it
        h.Drop(good);
        File.WriteAllText(Path.Combine(h.Inbox, "half-written.json.tmp"), "{\"schemaVersion\":"); // not renamed: never read
        await h.WaitSettledAsync(d.Mined.Count + 10);

        using var store = h.OpenStore();
        var rejected = store.WithStatus(RecordStage.Rejected, 100);
        string RuleOf(string source) => rejected.Single(r => r.Source.StartsWith(source, StringComparison.Ordinal)).Rule!;
        Assert.Equal("format", RuleOf("truncated.json"));
        Assert.Equal("format", RuleOf("wrong-type.json"));
        Assert.Equal("carats", rejected.Single(r => r.Source == "wrong-type.json").Field);
        Assert.Equal("colour", rejected.Single(r => r.Source == "unknown-field.json").Field);
        Assert.Equal("size", RuleOf("huge.json"));
        Assert.Equal("duplicate", rejected.Single(r => r.Source == "resubmitted.json").Rule);
        Assert.Equal(("participant", "participant"), rejected.Where(r => r.Hash == foreign.Hash()).Select(r => (r.Rule, r.Field)).Single());
        Assert.Equal(("participant", "participant"), rejected.Where(r => r.Hash == foreignSort.Hash()).Select(r => (r.Rule, r.Field)).Single());
        Assert.Equal("ParcelNotActive", rejected.Single(r => r.Hash == reuse.Hash()).Rule);
        Assert.Equal(RecordStage.Confirmed, store.ByHash(good.Hash().ToString()).Single().Stage);
        Assert.True(File.Exists(Path.Combine(h.Inbox, "half-written.json.tmp")));

        // every rejection is in the rejected area with a machine-readable reason
        foreach (var r in rejected)
        {
            var reason = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Rejected, $"{r.Id:D8}.reason.json"))).RootElement;
            Assert.Equal(r.Rule, reason.GetProperty("rule").GetString());
            Assert.Equal(r.Field, reason.GetProperty("field").GetString());
            Assert.True(File.Exists(Path.Combine(h.Rejected, $"{r.Id:D8}.json")));
        }
    }

    [Fact]
    public async Task Refuses_an_uncertified_parcel_and_a_signature_by_a_non_authority()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var d = await TradeDocuments.CreateAsync(h.Registry);
        using var host = h.StartInProcess();
        h.Drop([.. d.Mined]);
        await h.WaitSettledAsync(d.Mined.Count);
        var now = await h.Registry.Reader.BlockTimestampAsync();
        var smuggled = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [d.Mined[3].Hash(), SampleRecords.OriginParcel().Hash()], issuedAt: now),
            now + 3600, Account(BwAuthority), h.Registry.Domain);
        var impostor = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [d.Mined[3].Hash()], issuedAt: now), now + 3600, Account(Outsider), h.Registry.Domain);
        h.Drop(smuggled, impostor);
        await h.WaitSettledAsync(d.Mined.Count + 2);
        using var store = h.OpenStore();
        var s = store.ByHash(smuggled.Hash().ToString()).Single();
        Assert.Equal(("UnknownParcel", "parcels[1]"), (s.Rule, s.Field));
        var i = store.ByHash(impostor.Hash().ToString()).Single();
        Assert.Equal(("NotAnAuthority", "authorization"), (i.Rule, i.Field));
    }

    [Fact]
    public async Task Serves_health_and_counts_on_loopback()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var settings = h.Settings();
        var port = LocalNode.FreePort();
        settings["Anchoring:HttpPort"] = port.ToString(CultureInfo.InvariantCulture);
        using var host = h.StartInProcess(settings);
        h.Drop(SampleRecords.OriginParcel("BW"));
        await h.WaitSettledAsync(1);
        using var http = new HttpClient();
        var health = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/health")).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var status = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/status")).RootElement;
        Assert.Equal(1, status.GetProperty("confirmed").GetInt64());
    }

    [Fact]
    public async Task Refuses_to_start_with_invalid_settings_naming_them()
    {
        using var h = await ServiceHarness.CreateAsync(hardhat.Node);
        var settings = h.Settings();
        settings["Anchoring:MaxBatchSize"] = "5000";
        settings["Anchoring:RegistryAddress"] = "0x123";
        settings["Anchoring:SignerUrl"] = "ftp://127.0.0.1:8550";
        settings["Anchoring:SignerTimeoutSeconds"] = "0";
        using var host = ServiceHost.Build([], settings, logging: _ => { });
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(e.Failures, f => f.Contains("MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("RegistryAddress", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("SignerUrl", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("SignerTimeoutSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stops_with_a_clear_error_when_the_chain_is_reset_under_it()
    {
        await using var anvil = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var h = await ServiceHarness.CreateAsync(anvil);
        using var child = h.StartChild();
        h.Drop(SampleRecords.OriginParcel("BW"));
        await h.WaitSettledAsync(1);
        await h.Registry.Rpc.RequestAsync("anvil_reset");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync(timeout.Token);
        Assert.Equal(3, child.ExitCode);
        h.Drop(SampleRecords.OriginParcel("BW"));
        await Task.Delay(300);
        using var store = h.OpenStore();
        Assert.Equal(0, store.Counts()[RecordStage.Pending] + store.Counts()[RecordStage.Submitted]);
    }
}
