using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Lab.Demo;
using Traceability.Lab.DevChain;
using Traceability.Portal.Hosting;

namespace Traceability.Cli.Bench;

/// <summary>
/// The border's load: the portal's <c>POST /api/v1/verify</c> on the demo's mixed-origin AE -> IN certificate
/// (three transformations deep), on a fresh local node, with <c>concurrency</c> clients at once; once against the
/// chain alone and once with every ancestor document. Figures, not a test.
/// </summary>
public static class VerificationBench
{
    /// <summary>Plays the demo silently on a fresh node, serves the portal on 127.0.0.1, and measures.</summary>
    /// <param name="root">The checkout (for the node).</param>
    /// <param name="requests">Verifications per series.</param>
    /// <param name="concurrency">Clients at once.</param>
    /// <param name="kind">The node.</param>
    /// <param name="cache">Whether the portal keeps the reports of its current head block (<c>VerificationCacheEntries</c>).</param>
    /// <param name="progress">Where to say what it does.</param>
    /// <param name="ct">Stops it.</param>
    public static async Task<VerificationBenchResult> RunAsync(string root, int requests, int concurrency, LocalNodeKind kind, bool cache, TextWriter progress, CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory("kp-bench-verify-").FullName;
        try
        {
            VerificationBenchResult? result = null;
            var story = new DemoStory(root, folder, TextWriter.Null, kind);
            progress.WriteLine($"playing the demo's trade on a fresh {kind} node (a depth-3 certificate and its documents) ...");
            var ok = await story.RunAsync(async chain =>
            {
                await using var portal = PortalHost.Build([], new Dictionary<string, string?>
                {
                    ["Portal:DeploymentPath"] = chain.DeploymentPath,
                    ["Portal:Port"] = "0",
                    ["Portal:RequestsPerWindow"] = "1000000", // one client here is the whole border: no rate limit in the way
                    ["Portal:VerificationCacheEntries"] = cache ? "1000" : "0",
                }, logging: l => l.SetMinimumLevel(LogLevel.Warning), inProcess: true);
                await portal.StartAsync(ct);
                try
                {
                    var url = PortalHost.Address(portal) + "/api/v1/verify";
                    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                    {
                        Timeout = TimeSpan.FromSeconds(60),
                    };
                    var ancestors = chain.ShowcaseAncestors;
                    progress.WriteLine($"portal on {PortalHost.Address(portal)}; {requests:N0} verifications of {chain.Showcase.Number}, {concurrency} at once, without and with its {ancestors.Count} ancestor documents ...");
                    var alone = await MeasureAsync(http, url, Body(chain.Showcase, []), requests, concurrency, ct);
                    var documented = await MeasureAsync(http, url, Body(chain.Showcase, ancestors), requests, concurrency, ct);
                    result = new VerificationBenchResult(kind, requests, concurrency, cache, chain.Showcase.Number, ancestors.Count, alone, documented);
                }
                finally
                {
                    await portal.StopAsync(CancellationToken.None);
                }
            });
            if (!ok || result is null) throw new InvalidOperationException("the demo's story did not complete: no certificate to verify");
            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Body(KpRecord document, IReadOnlyList<KpRecord> ancestors)
    {
        var body = new JsonObject
        {
            ["document"] = JsonNode.Parse(RecordJson.Write(document)),
            ["ancestors"] = new JsonArray([.. ancestors.Select(a => JsonNode.Parse(RecordJson.Write(a)))]),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static async Task<VerificationRun> MeasureAsync(HttpClient http, string url, byte[] body, int requests, int concurrency, CancellationToken ct)
    {
        for (var i = 0; i < Math.Min(20, requests); i++) await PostAsync(http, url, body, ct); // warm: JIT, connections, the node's caches
        var latencies = new double[requests];
        var roundTrips = new int[requests];
        var verdicts = new string?[requests];
        var cachedCount = 0;
        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                var (report, cached) = await PostAsync(http, url, body, ct);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (cached) Interlocked.Increment(ref cachedCount);
                roundTrips[i] = report.GetProperty("rpcRoundTrips").GetInt32();
                verdicts[i] = report.GetProperty("verdict").GetString();
            }
        }));
        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Array.Sort(latencies);
        double Pct(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * requests) - 1, 0, requests - 1)];
        var wrong = verdicts.Count(v => v != "verified");
        if (wrong > 0) throw new InvalidOperationException($"{wrong} of {requests} verifications were not Verified ({string.Join(", ", verdicts.Distinct())}): the bench measures the genuine case only");
        return new VerificationRun(Math.Round(requests / clock.Elapsed.TotalSeconds, 1), Math.Round(Pct(0.50), 1), Math.Round(Pct(0.95), 1), Math.Round(Pct(0.99), 1),
            Math.Round(roundTrips.Average(), 2), Math.Round(cpuUsed.TotalMilliseconds * 1000 / requests, 0), Math.Round(100.0 * cachedCount / requests, 1));
    }

    private static async Task<(JsonElement Report, bool Cached)> PostAsync(HttpClient http, string url, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/verify answered {(int)response.StatusCode}: {text}");
        var cached = response.Headers.TryGetValues("X-KP-Report", out var v) && v.Contains("cached");
        return (JsonDocument.Parse(text).RootElement.Clone(), cached);
    }
}

/// <summary>One series of verifications.</summary>
/// <param name="PerSecond">Verifications per second, all clients together.</param>
/// <param name="P50Ms">Median latency of one verification (request to response), milliseconds.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="RoundTrips">JSON-RPC round trips of the verification behind each report (mean; a cached report cost one more, for the head block, when it was made, and one when served).</param>
/// <param name="CpuMicrosecondsPerVerification">CPU of the bench's process (portal included, the node not) per verification, microseconds.</param>
/// <param name="CachedPercent">Share of answers served from the portal's reports of the current head block.</param>
public sealed record VerificationRun(double PerSecond, double P50Ms, double P95Ms, double P99Ms, double RoundTrips, double CpuMicrosecondsPerVerification, double CachedPercent);

/// <summary>What kp bench verify measured.</summary>
/// <param name="Node">The node.</param>
/// <param name="Requests">Verifications per series.</param>
/// <param name="Concurrency">Clients at once.</param>
/// <param name="Cache">Whether the portal kept the reports of its head block.</param>
/// <param name="Certificate">The certificate verified.</param>
/// <param name="AncestorDocuments">Ancestor documents sent in the second series.</param>
/// <param name="ChainAlone">Against the chain alone.</param>
/// <param name="WithAncestors">With every ancestor document.</param>
public sealed record VerificationBenchResult(LocalNodeKind Node, int Requests, int Concurrency, bool Cache, string Certificate, int AncestorDocuments, VerificationRun ChainAlone, VerificationRun WithAncestors)
{
    /// <summary>The figures for people, in print order.</summary>
    public IEnumerable<(string Key, string Value)> Fields()
    {
        var c = CultureInfo.InvariantCulture;
        yield return ("node", Node.ToString());
        yield return ("certificate", $"{Certificate} (mixed origin, 3 transformations deep)");
        yield return ("verifications per series", Requests.ToString("N0", c));
        yield return ("clients at once", Concurrency.ToString(c));
        yield return ("portal's report cache", Cache ? "on (the same documents at the same head block: the report already made)" : "off (every request walks the chain)");
        foreach (var (name, run) in new[] { ("chain alone", ChainAlone), ($"with {AncestorDocuments} ancestor documents", WithAncestors) })
        {
            yield return ($"{name}: verifications/s", run.PerSecond.ToString("N1", c));
            yield return ($"{name}: latency p50 / p95 / p99", string.Create(c, $"{run.P50Ms:0.0} / {run.P95Ms:0.0} / {run.P99Ms:0.0} ms"));
            yield return ($"{name}: JSON-RPC round trips", run.RoundTrips.ToString("0.##", c));
            yield return ($"{name}: kp CPU per verification", string.Create(c, $"{run.CpuMicrosecondsPerVerification:N0} µs"));
            if (Cache) yield return ($"{name}: answers from the cache", string.Create(c, $"{run.CachedPercent:0.#} %"));
        }
    }
}
