using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Traceability.Core.Epcis;
using Traceability.Core.Merkle;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Print;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Portal.Tests;

/// <summary>
/// Issue 12 item 4 on the portal: an EPCIS document's events anchored as one batch (what kp anchor --epcis sends) are
/// checkable by link (/e/…), by form (POST /e with the document) and by the API (/api/v1/anchors/{root}); wrong
/// proofs, events not in the batch, unanchored roots, other deployments and malformed parameters each get a clear answer.
/// </summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class AnchoredEventTests(PortalStoryFixture f)
{
    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The sample EPCIS document (the demo's trade exported).</summary>
    internal static readonly string Document = File.ReadAllText(RepoPaths.Under("samples", "epcis", "trade.jsonld"));
    /// <summary>Its events' hashes.</summary>
    internal static readonly IReadOnlyList<EpcisEventHash> Events = EpcisEventHasher.HashDocument(Document);
    /// <summary>The batch kp anchor --epcis anchors for it.</summary>
    internal static readonly StandardMerkleTree Tree = StandardMerkleTree.Of([.. Events.Select(e => e.Digest)]);

    /// <summary>The sample trade's events anchored by a BW member, as kp anchor --epcis does (once per node).</summary>
    internal static async Task AnchoredAsync(PortalStoryFixture f)
    {
        await Once.WaitAsync();
        try
        {
            if (!(await f.Registry.Reader.AnchorAsync(ParticipantCode.Parse("BW"), Tree.Root)).Exists)
            {
                await f.Registry.As(BwMiner).AnchorBatchAsync(Tree.Root, (uint)Events.Count);
            }
        }
        finally
        {
            Once.Release();
        }
    }

    private string Link(int index, Hash32? root = null, IReadOnlyList<Hash32>? proof = null) =>
        new EventLink(new Uri(f.BaseUrl), (ulong)f.Registry.ChainId, f.Registry.Deployment.Address, root ?? Tree.Root, Events[index].HashId, proof ?? Tree.GetProof(index)).ToString();

    private static async Task<string> PageAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return WebUtility.HtmlDecode(html);
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(field, (string?)problem["field"]);
        Assert.Contains(field, (string?)problem["detail"], StringComparison.Ordinal);
        return problem;
    }

    [Fact]
    public async Task An_anchored_events_link_shows_who_anchored_it_when_and_that_its_proof_reproduces_the_root()
    {
        await AnchoredAsync(f);
        var index = Events.Count - 1;
        using var response = await f.Http.GetAsync(new Uri(Link(index)));
        var html = await PageAsync(response, HttpStatusCode.OK);
        Assert.Contains("anchored and proven", html);
        Assert.Contains("reproduces</span> the root", html);
        Assert.Contains(Events[index].HashId, html);
        Assert.Contains(Tree.Root.ToString(), html);
        Assert.Contains("BW (Botswana)", html);
        Assert.Contains(Account(BwMiner).Address, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Link(index), html); // the page links to itself, in the one format kp prints

        // the short form: the event by its 0x digest, and the page of the root alone
        using var shortForm = await f.Http.GetAsync($"/e/{f.Registry.ChainId}/{f.Registry.Deployment.Address}/{Tree.Root}?event={Events[0].Digest}&proof={string.Join(',', Tree.GetProof(0))}");
        Assert.Contains("anchored and proven", await PageAsync(shortForm, HttpStatusCode.OK));
        using var rootOnly = await f.Http.GetAsync($"/e/{f.Registry.ChainId}/{f.Registry.Deployment.Address}/{Tree.Root}");
        var root = await PageAsync(rootOnly, HttpStatusCode.OK);
        Assert.Contains("This root is anchored on this registry.", root);
    }

    [Fact]
    public async Task The_form_takes_the_pasted_or_uploaded_document_and_an_event_index_and_answers_the_same()
    {
        await AnchoredAsync(f);
        using (var form = await f.Http.GetAsync("/e"))
        {
            var html = await PageAsync(form, HttpStatusCode.OK);
            Assert.Contains("<form method=\"post\" action=\"/e\" enctype=\"multipart/form-data\">", html);
            Assert.DoesNotContain("<script", html);
        }
        using (var pasted = await f.Http.PostAsync("/e", Form(("documentText", Document), ("index", "3"))))
        {
            var html = await PageAsync(pasted, HttpStatusCode.OK);
            Assert.Contains("anchored and proven", html);
            Assert.Contains(Events[3].HashId, html);
            Assert.Contains(Link(3), html);
        }
        using (var upload = Form(("index", "0")))
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Document));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/ld+json");
            upload.Add(file, "documentFile", "trade.jsonld");
            using var uploaded = await f.Http.PostAsync("/e", upload);
            Assert.Contains("anchored and proven", await PageAsync(uploaded, HttpStatusCode.OK));
        }

        // a changed document is another batch: its root is not anchored
        var changed = Document.Replace("\"quantity\": ", "\"quantity\": 1", StringComparison.Ordinal);
        Assert.NotEqual(Document, changed);
        using (var other = await f.Http.PostAsync("/e", Form(("documentText", changed), ("index", "0"))))
        {
            Assert.Contains("NOT ANCHORED", await PageAsync(other, HttpStatusCode.NotFound));
        }

        // a document over the portal's body limit (2 MiB by default) is a 413
        // (with Expect: 100-continue, as a well-behaved client sends a large body: without it the refusal can race the upload)
        using (var hugeRequest = new HttpRequestMessage(HttpMethod.Post, "/e") { Content = Form(("documentText", new string(' ', 3 << 20) + Document), ("index", "0")) })
        {
            hugeRequest.Headers.ExpectContinue = true;
            using var huge = await f.Http.SendAsync(hugeRequest);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        // refusals name the field: a page for the browser, problem details for a program
        foreach (var (fields, status, field) in new ((string, string)[], HttpStatusCode, string)[]
        {
            ([("documentText", Document), ("index", "99")], HttpStatusCode.BadRequest, "index"),
            ([("documentText", Document), ("index", "-1")], HttpStatusCode.BadRequest, "index"),
            ([("documentText", Document)], HttpStatusCode.BadRequest, "index"),
            ([("index", "0")], HttpStatusCode.BadRequest, "documentText"),
            ([("documentText", "{\"not\": "), ("index", "0")], HttpStatusCode.UnprocessableEntity, "documentText"),
        })
        {
            using var refused = await f.Http.PostAsync("/e", Form(fields));
            Assert.Contains(field, await PageAsync(refused, status));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/e") { Content = Form(fields) };
            request.Headers.Accept.ParseAdd("application/json");
            using var problem = await f.Http.SendAsync(request);
            Assert.Equal(status, problem.StatusCode);
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith(field, (string?)JsonNode.Parse(await problem.Content.ReadAsStringAsync())!["field"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wrong_proof_or_an_event_not_in_the_batch_does_not_match_and_an_unanchored_root_is_not_anchored()
    {
        await AnchoredAsync(f);
        // the proof of another event
        using (var wrong = await f.Http.GetAsync(new Uri(Link(1, proof: Tree.GetProof(2)))))
        {
            var html = await PageAsync(wrong, HttpStatusCode.OK); // the root is anchored ...
            Assert.Contains("DOES NOT MATCH", html); // ... the event with this proof is not in it
            Assert.Contains("DOES NOT MATCH</span> the root", html);
        }
        // an event of another document
        var stranger = EpcisEventHasher.HashDocument(Document.Replace("\"quantity\": ", "\"quantity\": 1", StringComparison.Ordinal))[0];
        using (var notIn = await f.Http.GetAsync($"/e/{f.Registry.ChainId}/{f.Registry.Deployment.Address}/{Tree.Root}?event={Uri.EscapeDataString(stranger.HashId)}&proof={string.Join(',', Tree.GetProof(0))}"))
        {
            Assert.Contains("DOES NOT MATCH", await PageAsync(notIn, HttpStatusCode.OK));
        }
        // a root nobody anchored
        var unanchored = StandardMerkleTree.Of([Events[0].Digest, Events[1].Digest]);
        using (var none = await f.Http.GetAsync(new Uri(Link(0, unanchored.Root, unanchored.GetProof(0)))))
        {
            Assert.Contains("NOT ANCHORED", await PageAsync(none, HttpStatusCode.NotFound));
        }
        // another chain, another registry
        using (var chain = await f.Http.GetAsync($"/e/1/{f.Registry.Deployment.Address}/{Tree.Root}"))
        {
            Assert.Contains("This link is for another registry", await PageAsync(chain, HttpStatusCode.NotFound));
        }
        using (var registry = await f.Http.GetAsync($"/e/{f.Registry.ChainId}/0x{new string('1', 40)}/{Tree.Root}"))
        {
            Assert.Contains("names chain 31337", await PageAsync(registry, HttpStatusCode.NotFound));
        }
    }

    [Theory]
    [InlineData("0x1234", null, null, "root")]
    [InlineData("ROOT", "ni:///sha-256;00?ver=CBV2.0", null, "event")]
    [InlineData("ROOT", "ni:///md5;0000000000000000000000000000000000000000000000000000000000000000?ver=CBV2.0", null, "event")]
    [InlineData("ROOT", "EVENT", "0x12,0x34", "proof")]
    [InlineData("ROOT", "EVENT", "PROOF,zz", "proof")]
    [InlineData("ROOT", null, "PROOF", "event")]
    public async Task Malformed_parameters_are_refused_naming_the_parameter_on_the_page_and_the_API(string root, string? @event, string? proof, string field)
    {
        await AnchoredAsync(f);
        root = root == "ROOT" ? Tree.Root.ToString() : root;
        @event = @event == "EVENT" ? Events[0].HashId : @event;
        proof = proof?.Replace("PROOF", Tree.GetProof(0)[0].ToString(), StringComparison.Ordinal);
        var query = string.Join('&', new[] { @event is null ? null : "event=" + Uri.EscapeDataString(@event), proof is null ? null : "proof=" + proof }.OfType<string>());
        var suffix = query.Length == 0 ? "" : "?" + query;

        using var page = await f.Http.GetAsync($"/e/{f.Registry.ChainId}/{f.Registry.Deployment.Address}/{root}{suffix}");
        Assert.Contains(field, await PageAsync(page, HttpStatusCode.BadRequest));
        using var api = await f.Http.GetAsync($"/api/v1/anchors/{root}{suffix}");
        await ProblemAsync(api, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task The_API_answers_in_JSON_and_is_in_the_OpenAPI_document()
    {
        await AnchoredAsync(f);
        var proof = Tree.GetProof(2);
        using var ok = await f.Http.GetAsync($"/api/v1/anchors/{Tree.Root}?event={Uri.EscapeDataString(Events[2].HashId)}&proof={string.Join(',', proof)}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var a = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
        Assert.Equal(Tree.Root.ToString(), (string?)a["root"]);
        var anchor = Assert.Single(a["anchors"]!.AsArray())!;
        Assert.Equal("BW", (string?)anchor["participant"]);
        Assert.Equal(Account(BwMiner).Address, (string?)anchor["registrant"], ignoreCase: true);
        Assert.Equal(Events.Count, (int)anchor["leafCount"]!);
        Assert.Equal("none", (string?)anchor["flag"]);
        Assert.True((bool)anchor["included"]!);
        Assert.True((ulong)anchor["anchoredAt"]! > 0 && (ulong)anchor["anchorBlock"]! > 0);
        Assert.Equal(Events[2].HashId, (string?)a["event"]!["hash"]);
        Assert.Equal(Events[2].Digest.ToString(), (string?)a["event"]!["leaf"]);
        Assert.True((bool)a["event"]!["proofMatches"]!);
        Assert.True((bool)a["event"]!["included"]!);
        Assert.Equal(Link(2), (string?)a["lookupUrl"]);

        using var wrong = await f.Http.GetAsync($"/api/v1/anchors/{Tree.Root}?event={Events[2].Digest}&proof={string.Join(',', Tree.GetProof(3))}");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var w = JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!;
        Assert.False((bool)w["event"]!["proofMatches"]!);
        Assert.False((bool)w["event"]!["included"]!);
        Assert.False((bool)w["anchors"]![0]!["included"]!);

        using var rootOnly = await f.Http.GetAsync($"/api/v1/anchors/{Tree.Root}");
        var r = JsonNode.Parse(await rootOnly.Content.ReadAsStringAsync())!;
        Assert.Null(r["event"]);
        Assert.Null(r["anchors"]![0]!["included"]);

        using var none = await f.Http.GetAsync($"/api/v1/anchors/0x{new string('7', 64)}");
        await ProblemAsync(none, HttpStatusCode.NotFound, "root");

        using var openApi = await f.Http.GetAsync("/openapi/v1.json");
        var paths = JsonNode.Parse(await openApi.Content.ReadAsStringAsync())!["paths"]!;
        var get = paths["/api/v1/anchors/{root}"]?["get"];
        Assert.NotNull(get);
        Assert.Equal(["event", "proof", "root"], get!["parameters"]!.AsArray().Select(p => (string?)p!["name"]).Order());
        Assert.NotNull(get["responses"]!["404"]);
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(part, name);
        }
        return form;
    }
}
