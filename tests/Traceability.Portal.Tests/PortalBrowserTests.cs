using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Traceability.Core.Json;
using Traceability.Core.Records;
using static Microsoft.Playwright.Assertions;

namespace Traceability.Portal.Tests;

/// <summary>The portal's pages in a real browser (Chromium via Playwright) over the trade story on Hardhat.</summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class PortalBrowserTests(PortalStoryFixture f, BrowserFixture b) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> PageAsync(bool javaScript = true, int width = 1100)
    {
        var context = await b.Browser.NewContextAsync(new() { JavaScriptEnabled = javaScript, ViewportSize = new() { Width = width, Height = 900 } });
        return await context.NewPageAsync();
    }

    private async Task<IPage> VerifyAsync(KpRecord document, IEnumerable<KpRecord>? ancestors = null)
    {
        var page = await PageAsync();
        await page.GotoAsync(f.BaseUrl + "/");
        await page.GetByLabel("…or paste it").FillAsync(RecordJson.Write(document));
        if (ancestors is not null) await page.Locator("#ancestorsText").FillAsync("[" + string.Join(",", ancestors.Select(RecordJson.Write)) + "]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task A_genuine_certificate_shows_Verified_with_its_checks_lineage_and_origins()
    {
        var page = await VerifyAsync(f.Story.AeToIn, f.Story.Ancestors);
        await Expect(page.Locator("#verdict")).ToHaveTextAsync("Verified");
        await Expect(page.Locator("#reason")).ToHaveTextAsync("Every check passed.");
        await Expect(page.Locator("table.checks tbody tr")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("ul.origins")).ToContainTextAsync("BW (Botswana)");
        await Expect(page.Locator("ul.origins")).ToContainTextAsync("CF (Central African Republic)");
        await Expect(page.Locator("ul.tree .node.origin").First).ToContainTextAsync("registered in");
        await Expect(page.Locator("main")).ToContainTextAsync("Chain id");
        await Expect(page.Locator("main")).ToContainTextAsync(f.Registry.Deployment.Address);
        await BrowserFixture.ScreenshotAsync(page, "verify-verified");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_tampered_certificate_shows_Tampered_and_a_forged_number_NotFound()
    {
        var s = f.Story;
        var tampered = await VerifyAsync(s.AeToIn with { Details = s.AeToIn.Details with { ValueUsdCents = s.AeToIn.Details.ValueUsdCents / 2 } });
        await Expect(tampered.Locator("#verdict")).ToHaveTextAsync("Tampered");
        await Expect(tampered.Locator("#reason")).ToContainTextAsync("content differs");
        await BrowserFixture.ScreenshotAsync(tampered, "verify-tampered");
        await tampered.Context.CloseAsync();

        var forged = await VerifyAsync(s.AeToIn with { Number = "AE2026999999" });
        await Expect(forged.Locator("#verdict")).ToHaveTextAsync("NotFound");
        await Expect(forged.Locator("#reason")).ToContainTextAsync("never issued a certificate numbered AE2026999999");
        await forged.Context.CloseAsync();
    }

    [Fact]
    public async Task A_voided_certificate_uploaded_as_a_file_shows_Voided()
    {
        var page = await PageAsync();
        await page.GotoAsync(f.BaseUrl + "/");
        await page.Locator("#documentFile").SetInputFilesAsync(new FilePayload
        {
            Name = "voided.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes(RecordJson.Write(f.Voided)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.Locator("#verdict")).ToHaveTextAsync("Voided");
        await Expect(page.Locator("#reason")).ToHaveTextAsync("the exporting authority voided it");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_printed_code_of_a_confirmed_certificate_opens_its_status_and_hash_match_without_JavaScript()
    {
        var c = f.Story.BwToAe;
        var url = $"{f.BaseUrl}/c/31337/{f.Registry.Deployment.Address.ToLowerInvariant()}/BW/{c.Number}?h={c.Hash()}";
        foreach (var (width, name) in new[] { (1100, "lookup-confirmed"), (390, "lookup-confirmed-phone") })
        {
            var page = await PageAsync(javaScript: false, width);
            var response = await page.GotoAsync(url);
            Assert.Equal(200, response!.Status);
            await Expect(page.Locator("#status")).ToHaveTextAsync("confirmed");
            await Expect(page.Locator("#hash-match")).ToContainTextAsync("matches the anchored certificate hash");
            await Expect(page.Locator("main")).ToContainTextAsync("AE (United Arab Emirates)");
            await BrowserFixture.ScreenshotAsync(page, name);
            if (width < 500)
            {
                var scroll = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
                Assert.True(scroll <= width, $"the page is {scroll} px wide on a {width} px phone");
            }
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_printed_code_of_a_flagged_certificate_says_flagged()
    {
        var c = f.Flagged;
        var page = await PageAsync(javaScript: false);
        await page.GotoAsync($"{f.BaseUrl}/c/31337/{f.Registry.Deployment.Address}/CF/{c.Number}?h={c.Hash()}");
        await Expect(page.Locator("#status")).ToHaveTextAsync("flagged");
        await Expect(page.Locator(".verdict .meaning")).ToContainTextAsync("flagged this certificate as suspicious");
        await Expect(page.Locator("#hash-match")).ToContainTextAsync("matches");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_registry_overview_lists_participants_and_is_keyboard_navigable()
    {
        var page = await PageAsync(javaScript: false);
        await page.GotoAsync(f.BaseUrl + "/registry");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Registry overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "BW (Botswana)" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "registry");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("a.skip")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Verify a document" })).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_valid_and_the_API_reference_renders_offline()
    {
        var page = await PageAsync();
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") violations.Add(m.Text); };
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(f.BaseUrl, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(r.Url); };

        var response = await page.GotoAsync(f.BaseUrl + "/openapi/v1.json");
        Assert.Equal(200, response!.Status);
        using var doc = JsonDocument.Parse(await response.TextAsync());
        Assert.True(doc.RootElement.GetProperty("paths").TryGetProperty("/api/v1/verify", out _));
        Assert.Equal("KP verification portal API", doc.RootElement.GetProperty("info").GetProperty("title").GetString());

        await page.GotoAsync(f.BaseUrl + "/api");
        await Expect(page.GetByText("KP verification portal API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Empty(external);
        Assert.DoesNotContain(violations, v => v.Contains("Content Security Policy", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }
}
