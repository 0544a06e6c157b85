using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Traceability.Chain.Accounts;
using Traceability.Core.Json;
using Traceability.Lab.DevChain;
using Traceability.Service;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>kp submit, kp status, kp serve and kp demo.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class ServiceCommandTests(HardhatFixture fixture)
{
    [Fact]
    public async Task Submit_acknowledges_durably_status_tracks_and_serve_anchors()
    {
        var dir = Directory.CreateTempSubdirectory("kp-serve-").FullName;
        var kp = new Kp(new() { ["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json"), ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        Assert.Equal(0, (await kp.RunAsync("chain", "deploy", "--rpc", fixture.Node.Url)).ExitCode);
        Assert.Equal(0, (await kp.RunAsync("participant", "add", "BW")).ExitCode);
        Assert.Equal(0, (await kp.RunAsync("authority", "add", "BW", TestRegistry.Account(1).Address)).ExitCode);
        Assert.Equal(0, (await kp.RunAsync("member", "add", TestRegistry.Account(6).Address, "--account", "1")).ExitCode);

        var parcel = SampleRecords.OriginParcel("BW");
        var file = Path.Combine(dir, "parcel.json");
        await File.WriteAllTextAsync(file, RecordJson.Write(parcel));
        var submitted = await kp.RunAsync("submit", file);
        Assert.Equal(0, submitted.ExitCode);
        Assert.Contains("stored as #1", submitted.Out);
        var again = await kp.RunAsync("submit", file);
        Assert.Contains("already stored as #1", again.Out);

        var bad = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"schemaVersion\": 1}");
        var rejected = await kp.RunAsync("submit", bad);
        Assert.Equal(2, rejected.ExitCode);
        Assert.Contains("kind: missing", rejected.Err);

        var huge = Path.Combine(dir, "huge.json");
        await File.WriteAllTextAsync(huge, new string(' ', 2_000_000));
        var tooBig = await kp.RunAsync("submit", huge);
        Assert.Equal(2, tooBig.ExitCode);
        Assert.Contains("document: the document is 2,000,000 bytes", tooBig.Err);

        var before = await kp.RunAsync("status", "--json");
        using (var counts = JsonDocument.Parse(before.Out))
        {
            Assert.Equal(1, counts.RootElement.GetProperty("counts").GetProperty("received").GetInt64());
            Assert.Equal(2, counts.RootElement.GetProperty("counts").GetProperty("rejected").GetInt64());
        }

        // kp serve as a real process, stopped by SIGTERM once the record is anchored
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kp.dll"), "serve", "--account", "6", "--max-delay-ms", "10" }) psi.ArgumentList.Add(a);
        psi.Environment["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json");
        using var serve = Process.Start(psi)!;
        serve.OutputDataReceived += (_, _) => { };
        serve.ErrorDataReceived += (_, _) => { };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            Kp.Result where;
            do
            {
                await Task.Delay(100);
                where = await kp.RunAsync("status", parcel.Hash().ToString());
            } while (!where.Out.Contains("confirmed", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
            Assert.Contains("confirmed", where.Out);
            Assert.Contains("0x", where.Out);
        }
        finally
        {
            using var term = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            await serve.WaitForExitAsync();
        }
        Assert.Equal(0, serve.ExitCode);
        Assert.True((await new Chain.Registry.RegistryReader(new Chain.Rpc.ChainRpc(fixture.Node.Url), Chain.Deployment.DeploymentRecord.Read(Path.Combine(dir, "deployment.json")).Address)
            .ParcelAsync(parcel.Hash())).Exists);
    }

    [Theory]
    [InlineData(LocalNodeKind.Hardhat)]
    [InlineData(LocalNodeKind.Anvil)]
    public async Task The_demo_completes_every_attack_refused_and_leaves_no_node_running(LocalNodeKind node)
    {
        var dir = Directory.CreateTempSubdirectory("kp-demo-").FullName;
        var r = await new Kp().RunAsync("demo", "--out", dir, "--node", node.ToString());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("verifier says NotFound", r.Out);
        Assert.Contains("verifier says Tampered", r.Out);
        Assert.Contains("verifier says Unauthorized", r.Out);
        Assert.Contains("[ParcelNotActive]", r.Out);
        Assert.Contains("[UnknownParcel]", r.Out);
        Assert.Contains("CertificateExpired", r.Out);
        Assert.Contains("Verified: origins BW + CF", r.Out);
        Assert.DoesNotContain("  NO  ", r.Out);
        // the summary never cuts a step's name; a captured output gets no progress line drawn in place
        var summary = r.Out[r.Out.IndexOf("SUMMARY", StringComparison.Ordinal)..];
        Assert.Matches(@"confirm an import two days after a one-day certificate expired +yes  ", summary);
        // the sanctions step: the laundered Russian lot verifies under the KP alone and the EU policy stops it, in the summary
        Assert.Contains("Verified: every KP check passes, origins BW + RU", r.Out);
        Assert.Matches(@"verify AE2026-000902 with kp verify --policy eu-import-policy\.json +yes  Restricted: DXB-LOT-8802-A <- DXB-LOT-8802 <- YKT-UDA-2026-0007; 22\.9 % ", summary);
        Assert.True(File.Exists(Path.Combine(dir, "eu-import-policy.json")));
        Assert.True(File.Exists(Path.Combine(dir, "documents", "restricted", "certificate-AE2026-000902.json")));
        Assert.DoesNotContain("\u001b[2K", r.Out);
        var pid = int.Parse(Regex.Match(r.Out, @"process (\d+);").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        Assert.True(File.Exists(Path.Combine(dir, "documents", "certificate-AE2026-000815.json")));
        Assert.True(Directory.EnumerateFiles(new ServiceLayout(Path.Combine(dir, "service")).Rejected, "*.reason.json").Any());
    }
}

/// <summary>kp research simulate: measured on a real chain, projected by arithmetic on what was measured.</summary>
public class ResearchCommandTests
{
    [Fact]
    public async Task Simulates_a_trade_year_in_miniature_and_projects_its_cost()
    {
        var r = await new Kp().RunAsync("research", "simulate", "--certificates", "4", "--parcels", "3", "--producers", "2", "--reexport-share", "1", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(["RU", "BW"], root.GetProperty("producers").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        var certificates = root.GetProperty("certificates").GetInt32();
        Assert.InRange(certificates, 4, 8);
        Assert.Equal(certificates, root.GetProperty("verdicts").GetProperty("verified").GetInt32());
        var ops = root.GetProperty("gasByOperation");
        Assert.Equal(4, ops.GetProperty("relayer: issue certificate by signature").GetProperty("count").GetInt32());
        Assert.Equal(certificates, ops.GetProperty("authority: confirm import").GetProperty("count").GetInt32());
        var perCertificate = root.GetProperty("gasPerCertificate").GetInt64();
        Assert.InRange(perCertificate, 150_000, 2_000_000);
        Assert.Equal(perCertificate * root.GetProperty("certificatesPerYear").GetInt64(), root.GetProperty("projectedGasPerYear").GetInt64());
    }

    [Fact]
    public async Task Refuses_a_year_without_figures()
    {
        var r = await new Kp().RunAsync("research", "simulate", "--year", "1990", "--certificates", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--year: ", r.Err);
    }
}
