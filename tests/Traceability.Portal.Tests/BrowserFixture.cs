using Microsoft.Playwright;
using Traceability.Testing;

namespace Traceability.Portal.Tests;

/// <summary>
/// One Chromium per test class, driven by Playwright: Debian's /usr/bin/chromium (scripts/setup.sh
/// installs it), never a downloaded browser build.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The browser Playwright drives.</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>What to do when it is missing, in one line.</summary>
    public const string Missing = "the browser tests need Chromium at /usr/bin/chromium: run scripts/setup.sh as root, or 'sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core'";

    private IPlaywright? _playwright;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException(Missing);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium });
    }

    /// <summary>Whether screenshots are wanted (KP_SCREENSHOTS=1): then they are written to docs/screenshots/, otherwise not at all.</summary>
    public static bool Screenshots => Environment.GetEnvironmentVariable("KP_SCREENSHOTS") == "1";

    /// <summary>Saves a full-page screenshot of <paramref name="page"/> as docs/screenshots/<paramref name="name"/>.png when <see cref="Screenshots"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (!Screenshots) return;
        var path = RepoPaths.Under("docs", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
