using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Traceability.Portal.Tests;

/// <summary>The EPCIS event form in a real browser with JavaScript off: paste the anchored document, give an event's index, read the answer.</summary>
[Collection("portal")]
[Trait("Category", "Chain")]
public class AnchoredEventBrowserTests(PortalStoryFixture f, BrowserFixture b) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Without_JavaScript_the_form_proves_an_anchored_event_and_its_link_opens_the_same_answer()
    {
        await AnchoredEventTests.AnchoredAsync(f);
        var context = await b.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(f.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Check an EPCIS event" }).ClickAsync();
        await page.GetByLabel("EPCIS document (JSON-LD)").FillAsync(AnchoredEventTests.Document);
        await page.GetByLabel("Event index").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("anchored and proven");
        await Expect(page.Locator("#event-hash")).ToHaveTextAsync(AnchoredEventTests.Events[4].HashId);
        await Expect(page.Locator("#proof-match")).ToContainTextAsync("reproduces");
        await Expect(page.Locator("main")).ToContainTextAsync("BW (Botswana)");

        // the page's own link opens the same answer
        await page.Locator("main a.wrap").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/e/31337/0x[0-9a-f]{40}/0x[0-9a-f]{64}\\?event=ni"));
        await Expect(page.Locator("#status")).ToHaveTextAsync("anchored and proven");
        await context.CloseAsync();
    }
}
