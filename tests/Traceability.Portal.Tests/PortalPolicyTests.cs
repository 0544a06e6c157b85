using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Portal.Hosting;
using Traceability.Testing;

namespace Traceability.Portal.Tests;

/// <summary>
/// Origin policies on the portal: a policy in the API request, the portal's default (Portal:PolicyPath),
/// a broken policy named in a 422, and a broken default refused at start. Its own registry and portals
/// on the shared node (the story's portal is left as it is).
/// </summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class PortalPolicyTests(PortalStoryFixture f)
{
    private static string SamplePolicy => RepoPaths.Under("samples", "policies", "eu-import.json");

    private static StringContent Body(KpRecord document, IEnumerable<KpRecord> ancestors, string? policy)
    {
        var json = $"{{\"document\": {RecordJson.Write(document)}, \"ancestors\": [{string.Join(",", ancestors.Select(RecordJson.Write))}]" +
            (policy is null ? "" : $", \"policy\": {policy}") + "}";
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<(TestRegistry R, LaunderingStory S, WebApplication Portal, HttpClient Http)> PortalAsync(string? defaultPolicy = null)
    {
        var r = await TestRegistry.DeployAsync(f.Node);
        var s = await LaunderingStory.PlayAsync(r);
        var portal = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = f.Node.Url,
            ["Portal:RegistryAddress"] = r.Deployment.Address,
            ["Portal:PolicyPath"] = defaultPolicy,
            ["Portal:RequestsPerWindow"] = "100000",
        });
        await portal.StartAsync();
        return (r, s, portal, new HttpClient { BaseAddress = new Uri(PortalHost.Address(portal)), Timeout = TimeSpan.FromMinutes(2) });
    }

    private static async Task StopAsync(TestRegistry r, WebApplication portal, HttpClient http)
    {
        http.Dispose();
        await portal.StopAsync();
        await portal.DisposeAsync();
        r.Dispose();
    }

    [Fact]
    public async Task A_policy_in_the_request_makes_the_laundered_certificate_Restricted_and_gets_its_own_report()
    {
        var (r, s, portal, http) = await PortalAsync();
        try
        {
            using var plain = await http.PostAsync("/api/v1/verify", Body(s.AeToEu, s.Ancestors, null));
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            var verified = JsonNode.Parse(await plain.Content.ReadAsStringAsync())!;
            Assert.Equal("verified", (string?)verified["verdict"]);
            Assert.Null(verified["policy"]);

            // the same documents at the same block, with a policy: not the report kept for the plain request
            using var screened = await http.PostAsync("/api/v1/verify", Body(s.AeToEu, s.Ancestors, File.ReadAllText(SamplePolicy)));
            Assert.Equal(HttpStatusCode.OK, screened.StatusCode);
            Assert.Equal("fresh", screened.Headers.GetValues("X-KP-Report").Single());
            var report = JsonNode.Parse(await screened.Content.ReadAsStringAsync())!;
            Assert.Equal("restricted", (string?)report["verdict"]);
            Assert.Equal("EU rough-diamond import screening", (string?)report["policy"]!["name"]);
            var finding = report["policy"]!["findings"]!.AsArray().Single()!;
            Assert.Equal(s.Russian.Hash().ToString(), (string?)finding["parcel"]);
            Assert.Equal([s.Halves[0].Hash().ToString(), s.Lot.Hash().ToString(), s.Russian.Hash().ToString()],
                finding["paths"]![0]!.AsArray().Select(h => (string?)h));
            Assert.Equal(0.1m, (decimal)finding["share"]!);

            // the verify page: the policy as a file of the form
            using var form = new MultipartFormDataContent
            {
                { new StringContent(RecordJson.Write(s.AeToEu)), "documentText" },
                { new StringContent("[" + string.Join(",", s.Ancestors.Select(RecordJson.Write)) + "]"), "ancestorsText" },
                { new ByteArrayContent(File.ReadAllBytes(SamplePolicy)), "policyFile", "eu-import.json" },
            };
            using var page = await http.PostAsync("/verify", form);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Restricted", html, StringComparison.Ordinal);
            Assert.Contains("policy.restricted-origins", html, StringComparison.Ordinal);

            using var broken = await http.PostAsync("/api/v1/verify", Body(s.AeToEu, s.Ancestors,
                File.ReadAllText(SamplePolicy).Replace("\"RU\"", "\"ru\"", StringComparison.Ordinal)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
            Assert.Equal("policy.restrictedOrigins[0]", (string?)JsonNode.Parse(await broken.Content.ReadAsStringAsync())!["field"]);
        }
        finally
        {
            await StopAsync(r, portal, http);
        }
    }

    [Fact]
    public async Task The_portals_default_policy_applies_to_a_request_without_one()
    {
        var (r, s, portal, http) = await PortalAsync(SamplePolicy);
        try
        {
            using var response = await http.PostAsync("/api/v1/verify", Body(s.AeToEu, s.Ancestors, null));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("restricted", (string?)report["verdict"]);
            Assert.Contains(report["checks"]!.AsArray(), c => (string?)c!["name"] == "policy.restricted-origins" && (string?)c["status"] == "fail");

            // the verify page applies it too
            using var form = new MultipartFormDataContent { { new StringContent(RecordJson.Write(s.AeToEu)), "documentText" } };
            using var page = await http.PostAsync("/verify", form);
            Assert.Contains("Restricted", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(r, portal, http);
        }
    }

    [Fact]
    public async Task A_broken_default_policy_stops_the_portal_at_start_naming_the_setting()
    {
        var bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, File.ReadAllText(SamplePolicy).Replace("\"refuse\"", "\"ignore\"", StringComparison.Ordinal));
            await using var app = PortalStoryFixture.BuildPortal(new Dictionary<string, string?>
            {
                ["Portal:RpcUrl"] = f.Node.Url,
                ["Portal:RegistryAddress"] = f.Registry.Deployment.Address,
                ["Portal:PolicyPath"] = bad,
            });
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(e.Failures, m => m.Contains("Portal:PolicyPath", StringComparison.Ordinal) && m.Contains("untraced.action", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
