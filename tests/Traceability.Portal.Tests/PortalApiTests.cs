using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traceability.Core.Json;
using Traceability.Verifier;

namespace Traceability.Portal.Tests;

/// <summary>The REST API on a real Kestrel over a Hardhat chain with the trade story.</summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class PortalApiTests(PortalStoryFixture f)
{
    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Equal(field, (string?)problem["field"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        return problem;
    }

    [Fact]
    public async Task Verify_returns_exactly_the_report_kp_verify_json_prints()
    {
        var s = f.Story;
        using var response = await f.Http.PostAsync("/api/v1/verify", PortalStoryFixture.VerifyBody(s.AeToIn, s.Ancestors));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var api = await JsonOf(response);

        var verifier = new DocumentVerifier(f.Registry.Reader, f.Registry.Domain);
        var direct = JsonNode.Parse(ReportJson.Serialize(await verifier.VerifyAsync(s.AeToIn, s.Ancestors)))!;
        Assert.Equal("verified", (string?)api["verdict"]);
        Assert.Equal(["BW", "CF"], api["origins"]!.AsArray().Select(o => (string?)o));
        Assert.Equal("certificate", (string?)api["kind"]);
        Assert.True(JsonNode.DeepEquals(direct, api), $"kp: {direct}\nportal: {api}");
    }

    [Fact]
    public async Task Concurrent_verifications_each_report_their_own_round_trips()
    {
        var s = f.Story;
        async Task<long> RoundTripsAsync()
        {
            using var response = await f.Http.PostAsync("/api/v1/verify", PortalStoryFixture.VerifyBody(s.AeToIn, s.Ancestors));
            var report = await JsonOf(response);
            Assert.Equal("verified", (string?)report["verdict"]);
            return (long)report["rpcRoundTrips"]!;
        }
        var alone = await RoundTripsAsync();
        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RoundTripsAsync()));
        Assert.All(together, n => Assert.Equal(alone, n));
    }

    [Fact]
    public async Task Verify_names_tampered_and_forged_documents_in_camel_case()
    {
        var s = f.Story;
        var tampered = s.AeToIn with { Details = s.AeToIn.Details with { ValueUsdCents = s.AeToIn.Details.ValueUsdCents / 2 } };
        using var t = await f.Http.PostAsync("/api/v1/verify", PortalStoryFixture.VerifyBody(tampered));
        Assert.Equal("tampered", (string?)(await JsonOf(t))["verdict"]);
        using var n = await f.Http.PostAsync("/api/v1/verify", PortalStoryFixture.VerifyBody(s.AeToIn with { Number = "AE2026999999" }));
        var report = await JsonOf(n);
        Assert.Equal("notFound", (string?)report["verdict"]);
        Assert.Contains(report["checks"]!.AsArray(), c => (string?)c!["name"] == "certificate.registered" && (string?)c["status"] == "fail");
    }

    [Fact]
    public async Task A_certificate_lookup_gives_its_status_and_whether_the_printed_hash_is_the_anchored_one()
    {
        var c = f.Story.BwToAe;
        using var ok = await f.Http.GetAsync($"/api/v1/certificates/BW/{c.Number}?h={c.Hash()}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var json = await JsonOf(ok);
        Assert.Equal("confirmed", (string?)json["status"]);
        Assert.Equal("AE", (string?)json["importer"]);
        Assert.Equal(c.Parcels.Length, (int)json["parcelCount"]!);
        Assert.True((bool)json["hashMatches"]!);
        Assert.Equal(c.Hash().ToString(), (string?)json["certificateHash"]);
        Assert.EndsWith($"/c/31337/{f.Registry.Deployment.Address.ToLowerInvariant()}/BW/{c.Number}?h={c.Hash()}", (string?)json["lookupUrl"]);
        Assert.Equal(["issued", "confirmed"], json["events"]!.AsArray().Select(e => (string?)e!["kind"]));

        using var other = await f.Http.GetAsync($"/api/v1/certificates/BW/{c.Number}?h={f.Story.AeToIn.Hash()}");
        Assert.False((bool)(await JsonOf(other))["hashMatches"]!);
        using var voided = await f.Http.GetAsync($"/api/v1/certificates/CF/{f.Voided.Number}");
        Assert.Equal("voided", (string?)(await JsonOf(voided))["status"]);
        using var issued = await f.Http.GetAsync($"/api/v1/certificates/AE/{f.Story.AeToIn.Number}");
        Assert.Equal("issued", (string?)(await JsonOf(issued))["status"]);
        using var flagged = await f.Http.GetAsync($"/api/v1/certificates/CF/{f.Flagged.Number}");
        var flaggedJson = await JsonOf(flagged);
        Assert.Equal("issued", (string?)flaggedJson["status"]);
        Assert.Equal("suspicious", (string?)flaggedJson["flag"]);
        Assert.Equal(["issued", "flagged"], flaggedJson["events"]!.AsArray().Select(e => (string?)e!["kind"]));

        await Problem(await f.Http.GetAsync("/api/v1/certificates/BW/BW2026999999"), HttpStatusCode.NotFound, "number");
        await Problem(await f.Http.GetAsync("/api/v1/certificates/bw1/X1"), HttpStatusCode.BadRequest, "exporter");
        await Problem(await f.Http.GetAsync($"/api/v1/certificates/BW/{c.Number}?h=0x12"), HttpStatusCode.BadRequest, "h");
    }

    [Fact]
    public async Task Parcels_participants_and_health_read_the_chain()
    {
        var mined = f.Story.Mined[0].Hash();
        using var parcel = await f.Http.GetAsync($"/api/v1/parcels/{mined}");
        var p = await JsonOf(parcel);
        Assert.Equal(mined.ToString(), (string?)p["parcel"]);
        Assert.True((bool)p["origin"]!);
        Assert.Equal("consumed", (string?)p["status"]);
        await Problem(await f.Http.GetAsync($"/api/v1/parcels/0x{new string('7', 64)}"), HttpStatusCode.NotFound, "hash");
        await Problem(await f.Http.GetAsync("/api/v1/parcels/not-a-hash"), HttpStatusCode.BadRequest, "hash");

        var participants = await JsonOf(await f.Http.GetAsync("/api/v1/participants"));
        var bw = participants["participants"]!.AsArray().Single(x => (string?)x!["code"] == "BW")!;
        Assert.Equal("active", (string?)bw["status"]);
        Assert.Equal("Botswana", (string?)bw["name"]);
        Assert.Equal(1, (int)bw["certificatesIssued"]!);
        Assert.Equal(4, (int)bw["originParcels"]!);
        var cf = participants["participants"]!.AsArray().Single(x => (string?)x!["code"] == "CF")!;
        Assert.Equal(1, (int)cf["certificatesVoided"]!);
        Assert.Equal(5, (int)participants["certificates"]!);

        var health = await JsonOf(await f.Http.GetAsync("/api/v1/health"));
        Assert.Equal("ok", (string?)health["status"]);
        Assert.Equal(31337, (int)health["chainId"]!);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_route_and_pages_carry_security_headers()
    {
        using var response = await f.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/verify", "/api/v1/certificates/{exporter}/{number}", "/api/v1/parcels/{hash}", "/api/v1/participants", "/api/v1/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString());

        using var page = await f.Http.GetAsync("/");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' 'nonce-", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", page.Headers.GetValues("Permissions-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.DoesNotContain("<script>", html); // no inline script
    }

    [Fact]
    public async Task A_lookup_code_for_another_chain_or_registry_says_so()
    {
        var c = f.Story.BwToAe;
        using var chain = await f.Http.GetAsync($"/c/1/{f.Registry.Deployment.Address}/BW/{c.Number}?h={c.Hash()}");
        Assert.Equal(HttpStatusCode.NotFound, chain.StatusCode);
        Assert.Contains("This code is for another registry", await chain.Content.ReadAsStringAsync());
        using var registry = await f.Http.GetAsync($"/c/31337/0x{new string('1', 40)}/BW/{c.Number}");
        Assert.Equal(HttpStatusCode.NotFound, registry.StatusCode);
        Assert.Contains("printed for chain 31337", await registry.Content.ReadAsStringAsync());
        using var forged = await f.Http.GetAsync($"/c/31337/{f.Registry.Deployment.Address}/BW/BW2026999999");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("not found", await forged.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string?> HostileBodies() => new()
    {
        { "invalid JSON", "application/json", "{\"document\": " },
        { "not JSON at all", "application/json", "hello" },
        { "empty body", "application/json", "" },
        { "a JSON array", "application/json", "[1, 2, 3]" },
        { "document a string", "application/json", "{\"document\": \"x\"}" },
        { "document missing", "application/json", "{\"ancestors\": []}" },
        { "unknown field", "application/json", "{\"document\": {}, \"extra\": 1}" },
        { "huge number", "application/json", "{\"document\": {\"kind\": \"parcel\", \"carats\": 1e99999999}}" },
        { "huge integer in a field", "application/json", "{\"document\": {\"kind\": \"certificate\", \"expiresAt\": 999999999999999999999999999999999999999}}" },
        { "deep nesting", "application/json", "{\"document\": " + new string('[', 5000) + new string(']', 5000) + "}" },
        { "ancestors not an array", "application/json", "{\"document\": {}, \"ancestors\": {}}" },
        { "too many ancestors", "application/json", "{\"document\": {}, \"ancestors\": [" + string.Join(",", Enumerable.Repeat("{}", 201)) + "]}" },
        { "wrong content type", "text/plain", "{\"document\": {}}" },
        { "no content type", "", "{\"document\": {}}" },
        { "a form", "application/x-www-form-urlencoded", "document=1" },
        { "NUL bytes", "application/json", "{\"document\": \"\u0000\u0000\"}" },
        { "empty document", "application/json", "{\"document\": {}}" },
        { "document of an unknown kind", "application/json", "{\"document\": {\"kind\": \"diamond\"}}" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_hostile_body_gets_a_4xx_problem_with_a_reason_never_a_500(string what, string contentType, string? body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
        if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        await AssertRefused(what, await f.Http.PostAsync("/api/v1/verify", content));
    }

    [Fact]
    public async Task A_binary_upload_invalid_UTF8_and_a_10_MB_body_get_a_4xx_problem()
    {
        var random = new byte[64 * 1024];
        new Random(7).NextBytes(random);
        var binary = new ByteArrayContent(random);
        binary.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        await AssertRefused("binary", await f.Http.PostAsync("/api/v1/verify", binary));

        var utf8 = new ByteArrayContent([.. "{\"document\": \""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);
        utf8.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        await AssertRefused("invalid UTF-8", await f.Http.PostAsync("/api/v1/verify", utf8));

        var big = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"document\": \"" + new string('a', 10 * 1024 * 1024) + "\"}"));
        big.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        // Expect: 100-continue, as a well-behaved client sends a large body: the portal refuses it before it is sent
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = big };
        request.Headers.ExpectContinue = true;
        using var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertRefused("10 MB", response);

        var form = new MultipartFormDataContent { { new ByteArrayContent(random), "documentFile", "x.json" } };
        await AssertRefusedPage("binary file on the verify page", await f.Http.PostAsync("/verify", form));
        var empty = new MultipartFormDataContent { { new StringContent(""), "documentText" } };
        await AssertRefusedPage("no document on the verify page", await f.Http.PostAsync("/verify", empty));
        var many = new MultipartFormDataContent
        {
            { new StringContent(RecordJson.Write(f.Story.AeToIn)), "documentText" },
            { new StringContent("[" + string.Join(",", Enumerable.Repeat("{}", 201)) + "]"), "ancestorsText" },
        };
        await AssertRefusedPage("201 ancestors on the verify page", await f.Http.PostAsync("/verify", many));
        // a form over the body limit is a 413 on the verify page too, not "not a well-formed form"
        var huge = new MultipartFormDataContent { { new StringContent(new string(' ', 3 << 20) + RecordJson.Write(f.Story.AeToIn)), "documentText" } };
        // Expect: 100-continue, as a well-behaved client sends a large body (without it the portal's refusal can race the upload)
        using var hugeRequest = new HttpRequestMessage(HttpMethod.Post, "/verify") { Content = huge };
        hugeRequest.Headers.ExpectContinue = true;
        using var hugeResponse = await f.Http.SendAsync(hugeRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeResponse.StatusCode);
    }

    private static async Task AssertRefused(string what, HttpResponseMessage response)
    {
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), $"{what}: {body}");
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["field"]), $"{what}: {body}");
    }

    private static async Task AssertRefusedPage(string what, HttpResponseMessage response)
    {
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Contains("Field:", body);
    }
}
