using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
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
    public async Task Its_configuration_files_are_read_once_never_watched()
    {
        // a watch covers every folder under the content root: none is set
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>());
        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files); // appsettings.json beside the program, optional
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
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
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(429, (int?)problem["status"]);
        Assert.Equal($"this client made more than 3 requests in 600 s; retry after {(int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds} s", (string?)problem["detail"]);
        Assert.False(problem.ContainsKey("field")); // no field is at fault: the client is
        Assert.StartsWith("https://", (string?)problem["type"], StringComparison.Ordinal);
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

    [Fact]
    public async Task Every_refusal_is_a_4xx_with_its_reason_as_problem_details_for_programs_and_api_redirects_relatively()
    {
        await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = DeadUrl(),
            ["Portal:RegistryAddress"] = NoRegistry,
        });
        await app.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(PortalHost.Address(app)) };

        // /api: the reference is at /api/, and the redirect names it relatively (right behind a proxy under any host or prefix)
        using var redirect = await http.GetAsync("/api");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.False(location.IsAbsoluteUri, location.ToString());
        Assert.Equal("/api/", new Uri(new Uri("http://portal.example/api"), location).AbsolutePath);

        async Task<(HttpStatusCode Status, string? Type, JsonObject? Problem)> Send(HttpMethod method, string path, HttpContent? content = null, string? accept = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (accept is not null) request.Headers.Accept.ParseAdd(accept);
            using var response = await http.SendAsync(request);
            var type = response.Content.Headers.ContentType?.MediaType;
            return (response.StatusCode, type, type == "application/problem+json" ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null);
        }
        static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

        var cases = new (HttpMethod Method, string Path, HttpContent? Content, string? Accept, HttpStatusCode Status, string Detail)[]
        {
            (HttpMethod.Post, "/api/v1/verify", Json("{"), null, HttpStatusCode.BadRequest, "body: is not valid JSON: it ends before an open object or array is closed"),
            (HttpMethod.Post, "/api/v1/verify", Json(new string('[', 40) + new string(']', 40)), null, HttpStatusCode.BadRequest, "body: is nested deeper than"),
            (HttpMethod.Post, "/verify", new StringContent("garbage", Encoding.UTF8, "multipart/form-data"), "application/json", HttpStatusCode.BadRequest, "body: is not a well-formed form"),
            (HttpMethod.Post, "/print", new StringContent("garbage", Encoding.UTF8, "text/plain"), "application/json", HttpStatusCode.UnsupportedMediaType, "Content-Type: expected a form"),
            (HttpMethod.Get, "/openapi/nope.json", null, null, HttpStatusCode.NotFound, "path: nothing is served at /openapi/nope.json"),
            (HttpMethod.Get, "/nothing", null, "application/json", HttpStatusCode.NotFound, "path: nothing is served at /nothing"),
            (HttpMethod.Put, "/", null, "application/problem+json", HttpStatusCode.MethodNotAllowed, "method: PUT is not allowed on /"),
            (HttpMethod.Get, "/api/v1/parcels/0x12", null, null, HttpStatusCode.BadRequest, "hash: is not a parcel hash"),
        };
        foreach (var c in cases)
        {
            var (status, type, problem) = await Send(c.Method, c.Path, c.Content, c.Accept);
            Assert.True(c.Status == status, $"{c.Method} {c.Path}: {status}");
            Assert.True(type == "application/problem+json", $"{c.Method} {c.Path}: {type}");
            Assert.StartsWith(c.Detail, (string?)problem!["detail"], StringComparison.Ordinal);
            Assert.Equal((int)c.Status, (int?)problem["status"]);
        }
        // a browser on a page route still gets a page with the reason
        var (pageStatus, pageType, _) = await Send(HttpMethod.Post, "/verify", new StringContent("garbage", Encoding.UTF8, "multipart/form-data"), "text/html");
        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (pageStatus, pageType));
        await app.StopAsync();
    }
}
