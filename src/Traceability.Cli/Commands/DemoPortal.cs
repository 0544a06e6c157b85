using System.Globalization;
using Microsoft.Extensions.Hosting;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Demo;
using Traceability.Portal.Hosting;
using Traceability.Print;

namespace Traceability.Cli.Commands;

/// <summary>kp demo --portal: the demo's chain left up with the verification portal over it, until Ctrl+C.</summary>
internal static class DemoPortal
{
    /// <summary>Serves the portal over <paramref name="chain"/> on 127.0.0.1:<paramref name="port"/>, prints where to look, and waits for Ctrl+C (or SIGTERM).</summary>
    public static async Task ServeAsync(CliContext ctx, DemoChain chain, int port)
    {
        await using var app = PortalHost.Build([], new Dictionary<string, string?>
        {
            ["Portal:DeploymentPath"] = chain.DeploymentPath,
            ["Portal:Port"] = port.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            await app.StartAsync(ctx.Cancel);
        }
        catch (IOException e)
        {
            throw new CliEnvironmentException($"--portal-port: the portal cannot listen on 127.0.0.1:{port}: {e.Message} (give another --portal-port, or 0 for any free port)");
        }
        var address = PortalHost.Address(app);
        var link = LookupLink.For(chain.Showcase, new Uri(address), chain.ChainId, chain.Registry);
        var pdf = Path.Combine(Path.GetDirectoryName(chain.ShowcasePath)!, Path.GetFileNameWithoutExtension(chain.ShowcasePath) + ".pdf");
        File.WriteAllBytes(pdf, CertificatePdf.Render(chain.Showcase, link));
        var w = ctx.Json ? ctx.Err : ctx.Out;
        w.WriteLine();
        w.WriteLine("PORTAL (the demo's chain stays up until Ctrl+C)");
        Output.WriteFields(w,
        [
            ("verify page", address + "/  (drop the documents of " + Path.GetDirectoryName(chain.ShowcasePath) + ")"),
            ($"lookup of {chain.Showcase.Number}", link.ToString()),
            ("its printed certificate", pdf + "  (the QR code opens the lookup)"),
            ("registry overview", address + "/registry"),
            ("API reference", address + "/api  (OpenAPI: " + address + "/openapi/v1.json)"),
            ("chain", $"{chain.RpcUrl} (chain {chain.ChainId}, registry {chain.Registry})"),
        ]);
        try
        {
            await app.WaitForShutdownAsync(ctx.Cancel);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the portal stops, then the node
        }
        await app.StopAsync(CancellationToken.None);
        w.WriteLine("portal stopped; stopping the demo's chain");
    }
}
