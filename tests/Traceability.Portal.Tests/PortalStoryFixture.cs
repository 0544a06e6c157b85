using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Traceability.Chain.Registry;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Portal.Hosting;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Portal.Tests;

/// <summary>
/// One Hardhat node, a registry with the trade story played on it (and one certificate issued then
/// voided), and the portal over it on a real Kestrel at 127.0.0.1 with a free port: shared by the
/// portal's chain tests (they only read).
/// </summary>
public sealed class PortalStoryFixture : IAsyncLifetime
{
    /// <summary>The node.</summary>
    public LocalNode Node { get; private set; } = null!;

    /// <summary>The registry.</summary>
    public TestRegistry Registry { get; private set; } = null!;

    /// <summary>The story's documents.</summary>
    public TradeStory Story { get; private set; } = null!;

    /// <summary>A CF -> EU certificate its authority voided.</summary>
    public CertificateRecord Voided { get; private set; } = null!;

    /// <summary>A CF -> EU certificate, issued, that governance flagged suspicious.</summary>
    public CertificateRecord Flagged { get; private set; } = null!;

    /// <summary>The running portal.</summary>
    public WebApplication Portal { get; private set; } = null!;

    /// <summary>The portal's address, for example http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A client of the portal.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        Registry = await TestRegistry.DeployAsync(Node);
        Story = await TradeStory.PlayAsync(Registry);
        var now = await Registry.Reader.BlockTimestampAsync();
        var parcels = await Registry.RegisterOriginAsync(CfMiner, "CF", 1, 30_000);
        Voided = SampleRecords.Certificate("CF", "EU", Hashes(parcels), carats: 30_000, issuedAt: now, origins: ["CF"]);
        await Registry.As(CfAuthority).IssueCertificateAsync(Voided);
        await Registry.As(CfAuthority).VoidCertificateAsync(Voided);
        var more = await Registry.RegisterOriginAsync(CfMiner, "CF", 1, 40_000);
        Flagged = SampleRecords.Certificate("CF", "EU", Hashes(more), carats: 40_000, issuedAt: now, origins: ["CF"]);
        await Registry.As(CfAuthority).IssueCertificateAsync(Flagged);
        await Registry.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(Flagged.Exporter, Flagged.NumberHash),
            RecordFlag.Suspicious, FlagCategory.SuspiciousOrigin, "reported at the border");
        Portal = BuildPortal(new Dictionary<string, string?>
        {
            ["Portal:RpcUrl"] = Node.Url,
            ["Portal:RegistryAddress"] = Registry.Deployment.Address,
            ["Portal:RequestsPerWindow"] = "100000",
        });
        await Portal.StartAsync();
        BaseUrl = PortalHost.Address(Portal);
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>A portal on 127.0.0.1 with a free port and no log output, with <paramref name="settings"/> (not started).</summary>
    public static WebApplication BuildPortal(IDictionary<string, string?> settings)
    {
        settings["Portal:ListenAddress"] = "127.0.0.1";
        settings["Portal:Port"] = "0";
        return PortalHost.Build([], settings, logging: _ => { });
    }

    /// <summary>The body of POST /api/v1/verify for <paramref name="document"/> and <paramref name="ancestors"/>.</summary>
    public static StringContent VerifyBody(KpRecord document, IEnumerable<KpRecord>? ancestors = null)
    {
        var json = $"{{\"document\": {RecordJson.Write(document)}, \"ancestors\": [{string.Join(",", (ancestors ?? []).Select(RecordJson.Write))}]}}";
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Portal is not null)
        {
            await Portal.StopAsync();
            await Portal.DisposeAsync();
        }
        Registry?.Dispose();
        if (Node is not null) await Node.DisposeAsync();
    }
}

/// <summary>The portal's chain tests share one node, story and portal.</summary>
[CollectionDefinition("portal")]
public sealed class PortalCollection : ICollectionFixture<PortalStoryFixture>;
