using System.Text.Json.Nodes;

namespace Traceability.Portal.Tests;

/// <summary>The portal's reports of the head block: the same documents at the same block get the report already made; a new block or other documents, a fresh one.</summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class ReportCacheTests(PortalStoryFixture f)
{
    private async Task<(string Kind, JsonNode Report)> VerifyAsync(Core.Records.KpRecord document, IEnumerable<Core.Records.KpRecord>? ancestors = null)
    {
        using var response = await f.Http.PostAsync("/api/v1/verify", PortalStoryFixture.VerifyBody(document, ancestors));
        response.EnsureSuccessStatusCode();
        return (response.Headers.GetValues("X-KP-Report").Single(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task The_same_documents_at_the_same_block_get_the_same_report_and_a_new_block_a_fresh_one()
    {
        await f.Registry.Rpc.RequestAsync("evm_mine"); // a head no other test verified at
        var (first, report) = await VerifyAsync(f.Story.AeToIn, f.Story.Ancestors);
        var (second, again) = await VerifyAsync(f.Story.AeToIn, f.Story.Ancestors);
        Assert.Equal(("fresh", "cached"), (first, second));
        Assert.Equal(report.ToJsonString(), again.ToJsonString()); // the very report, block and all

        var (other, _) = await VerifyAsync(f.Story.AeToIn); // other documents (no ancestors): another verification
        Assert.Equal("fresh", other);
        var (tampered, tamperedReport) = await VerifyAsync(f.Story.AeToIn with { Details = f.Story.AeToIn.Details with { Carats = f.Story.AeToIn.Details.Carats + 1 } });
        Assert.Equal("fresh", tampered);
        Assert.Equal("tampered", (string?)tamperedReport["verdict"]);

        await f.Registry.Rpc.RequestAsync("evm_mine");
        var (afterBlock, newer) = await VerifyAsync(f.Story.AeToIn, f.Story.Ancestors);
        Assert.Equal("fresh", afterBlock);
        Assert.NotEqual((string?)report["checkedAgainst"]!["blockHash"], (string?)newer["checkedAgainst"]!["blockHash"]);
    }
}
