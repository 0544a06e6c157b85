using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp demo --portal: the story, then its chain left up with the portal and a printed certificate, until SIGTERM stops both.</summary>
[Trait("Category", "Chain")]
public class DemoPortalTests
{
    [Fact]
    public async Task The_demo_leaves_its_chain_and_the_portal_up_prints_where_to_look_and_stops_everything_on_SIGTERM()
    {
        var folder = Directory.CreateTempSubdirectory("kp-demo-portal-").FullName;
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kp.dll"), "demo", "--portal", "--portal-port", "0", "--out", folder }) psi.ArgumentList.Add(a);
        psi.Environment["KP_REPO"] = RepoPaths.Root;
        using var demo = Process.Start(psi)!;
        var output = new StringBuilder();
        void Append(string? line)
        {
            lock (output) output.AppendLine(line);
        }
        string Text()
        {
            lock (output) return output.ToString();
        }
        demo.OutputDataReceived += (_, e) => Append(e.Data);
        demo.ErrorDataReceived += (_, e) => Append(e.Data);
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (!Text().Contains("registry overview:", StringComparison.Ordinal) && !demo.HasExited && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.True(Text().Contains("registry overview:", StringComparison.Ordinal), "no portal addresses printed:\n" + Text());
            var lookup = Regex.Match(Text(), @"lookup of AE2026-000815: (\S+)").Groups[1].Value;
            var chain = new Uri(Regex.Match(Text(), @"chain:\s+(http://127\.0\.0\.1:\d+)").Groups[1].Value);
            using (var http = new HttpClient())
            {
                var page = await http.GetStringAsync(lookup);
                Assert.Contains("confirmed", page);
                Assert.Contains("matches</span> the anchored certificate hash", page);
            }
            // the documents folder as the README describes it: the trade's parcel-*.json and transformation-*.json are the certificate's lineage
            var docs = Path.Combine(folder, "documents");
            var ancestors = Directory.GetFiles(docs, "parcel-*.json").Concat(Directory.GetFiles(docs, "transformation-*.json"))
                .Select(f => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(f))).ToArray();
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["document"] = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(docs, "certificate-AE2026-000815.json"))),
                ["ancestors"] = new System.Text.Json.Nodes.JsonArray(ancestors),
            };
            var api = new Uri(new Uri(lookup), "/api/v1/verify");
            using (var http = new HttpClient())
            using (var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))
            {
                var verified = System.Text.Json.Nodes.JsonNode.Parse(await (await http.PostAsync(api, content)).Content.ReadAsStringAsync())!;
                Assert.Equal("verified", (string?)verified["verdict"]);
            }
            var pdf = Path.Combine(folder, "documents", "certificate-AE2026-000815.pdf");
            Assert.Equal([lookup], PdfPages.QrCodes(File.ReadAllBytes(pdf))); // the printed code opens that same lookup

            Kill(demo.Id, "TERM");
            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(60)), "kp demo --portal did not stop on SIGTERM:\n" + Text());
            Assert.Equal(0, demo.ExitCode);
            using var probe = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, chain.Port)); // the demo's node is gone too
        }
        finally
        {
            if (!demo.HasExited) demo.Kill(entireProcessTree: true);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
