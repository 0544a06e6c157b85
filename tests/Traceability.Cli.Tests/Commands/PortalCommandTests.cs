using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp portal: the portal over kp's chain and registry, on 127.0.0.1, stopped by a signal.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class PortalCommandTests(HardhatFixture fixture)
{
    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    [Fact]
    public async Task Kp_portal_serves_the_deployment_kp_is_pointed_at_until_stopped()
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-portal-");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kp.dll"), "portal", "--port", port.ToString(CultureInfo.InvariantCulture), "--json" }) psi.ArgumentList.Add(a);
        psi.Environment["KP_DEPLOYMENT"] = kp.Environment["KP_DEPLOYMENT"];
        using var portal = Process.Start(psi)!;
        var err = new StringBuilder();
        var output = new StringBuilder();
        portal.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        portal.ErrorDataReceived += (_, e) => { lock (err) err.AppendLine(e.Data); };
        portal.BeginOutputReadLine();
        portal.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            HttpResponseMessage? health = null;
            while (DateTime.UtcNow < deadline && !portal.HasExited)
            {
                try
                {
                    health = await http.GetAsync("/api/v1/health");
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }
            Assert.True(health is { StatusCode: HttpStatusCode.OK }, $"{health?.StatusCode}\n{err}");
            using var json = JsonDocument.Parse(await health!.Content.ReadAsStringAsync());
            var registry = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "deployment.json"))).RootElement.GetProperty("address").GetString();
            Assert.Equal(registry, json.RootElement.GetProperty("registry").GetString());
            var participants = await http.GetStringAsync("/api/v1/participants");
            Assert.Contains("\"BW\"", participants);
            lock (err) Assert.Contains($"verification portal on http://127.0.0.1:{port}/", err.ToString());
            lock (output)
            {
                JsonSchemas.AssertValid("portal", output.ToString(), "kp portal --json"); // one document, its schema's shape
                using var started = JsonDocument.Parse(output.ToString());
                Assert.Equal($"http://127.0.0.1:{port}/", started.RootElement.GetProperty("url").GetString());
                Assert.Equal($"http://127.0.0.1:{port}/openapi/v1.json", started.RootElement.GetProperty("openApi").GetString());
            }
        }
        finally
        {
            using var term = Process.Start("kill", ["-TERM", portal.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await portal.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                portal.Kill(entireProcessTree: true);
                Assert.Fail($"kp portal did not stop on SIGTERM\n{err}");
            }
        }
        Assert.Equal(0, portal.ExitCode);
    }

    [Fact]
    public async Task Kp_portal_refuses_a_bad_port_naming_the_option()
    {
        var r = await new Kp().RunAsync("portal", "--port", "70000");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--port", r.Err);
    }
}
