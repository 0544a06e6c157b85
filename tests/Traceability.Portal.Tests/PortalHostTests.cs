using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Tests;

/// <summary>The portal without a chain: settings validated at start, a chain that is down, rate limiting.</summary>
[Trait("Category", "Fast")]
public class PortalHostTests
{
    private static readonly string NoRegistry = "0x" + new string('5', 40);

    /// <summary>A loopback URL where nothing listens.</summary>
    private static string DeadUrl()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return $"http://127.0.0.1:{port}";
    }

    [Fact]
    public async Task Settings_are_checked_when_the_portal_starts()
    {
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RegistryAddress"] = "0x1234",
            ["Portal:MaxAncestors"] = "-1",
        });
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(e.Failures, m => m.Contains("Portal:RpcUrl", StringComparison.Ordinal));
        Assert.Contains(e.Failures, m => m.Contains("Portal:RegistryAddress", StringComparison.Ordinal));
        Assert.Contains(e.Failures, m => m.Contains("MaxAncestors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_that_is_down_is_a_503_problem_and_a_page_saying_so()
    {
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = DeadUrl(),
            ["Portal:RegistryAddress"] = NoRegistry,
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(PortalHost.Address(app)) };
        using var health = await http.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("application/problem+json", health.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(health.Headers.RetryAfter);
        Assert.Contains("cannot be reached", (string?)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["detail"]);
        using var page = await http.GetAsync("/registry");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("Chain unavailable", await page.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task A_chain_that_accepts_but_never_answers_is_a_503_at_the_deadline()
    {
        // a black hole: connections are accepted and held, nothing is ever answered
        using var hole = new TcpListener(IPAddress.Loopback, 0);
        hole.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) held.Add(await hole.AcceptTcpClientAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = $"http://127.0.0.1:{((IPEndPoint)hole.LocalEndpoint).Port}",
            ["Portal:RegistryAddress"] = NoRegistry,
            ["Portal:ChainTimeoutSeconds"] = "1",
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(PortalHost.Address(app)) };
        var started = DateTime.UtcNow;
        using var response = await http.GetAsync($"/api/v1/certificates/BW/BW2026000001");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the deadline was not kept");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await app.StopAsync();
        await stop.CancelAsync();
        await accepting;
        foreach (var c in held) c.Dispose();
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_Retry_After()
    {
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = DeadUrl(),
            ["Portal:RegistryAddress"] = NoRegistry,
            ["Portal:RequestsPerWindow"] = "3",
            ["Portal:WindowSeconds"] = "600",
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(PortalHost.Address(app)) };
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetAsync("/static/site.css");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await http.GetAsync("/api/v1/participants");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, refused.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        await app.StopAsync();
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_problems_under_the_API_and_pages_elsewhere()
    {
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = DeadUrl(),
            ["Portal:RegistryAddress"] = NoRegistry,
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(PortalHost.Address(app)) };
        using var api = await http.GetAsync("/api/v1/nothing");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        using var method = await http.DeleteAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        using var page = await http.GetAsync("/nothing");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var form = await http.GetAsync("/");
        Assert.Contains("<label for=\"documentText\">", await form.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
