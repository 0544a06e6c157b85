using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Traceability.Cli.Infrastructure;
using Traceability.Portal.Hosting;

namespace Traceability.Cli.Commands;

/// <summary>kp portal: the read-only verification portal and REST API on 127.0.0.1, over kp's chain and registry.</summary>
internal static class PortalCommand
{
    public static Command Create(CommandRunner run)
    {
        var port = StrictOptions.Port("--port", "loopback port to serve on (0: any free port)", 8080, zeroMeans: "any free port");
        var publicUrl = new Option<string?>("--public-url") { Description = "the base URL the portal is reached by from outside (lookup links); default: the address it listens on" };
        var policy = new Option<FileInfo>("--policy")
        {
            Description = "an origin policy (JSON, docs/schemas/origin-policy.schema.json) applied to every verification that brings none of its own (Portal:PolicyPath)",
        };
        var command = new Command("portal", "run the verification portal (verify page, lookup of printed codes, registry overview, REST API under /api/v1) on 127.0.0.1 until stopped (Ctrl+C)\nExample: kp portal --port 8080 --public-url https://kp-portal.example.org")
        {
            port, publicUrl, policy,
        };
        run.Bind(command, async ctx =>
        {
            // read through kp's checks first: a broken policy is exit 2 naming --policy and its field, before any chain is asked
            var policyFile = ctx.Parse.GetValue(policy);
            if (policyFile is not null) Policies.Load(policyFile);
            var settings = new Dictionary<string, string?>
            {
                ["Portal:ListenAddress"] = "127.0.0.1",
                ["Portal:Port"] = ctx.Parse.GetValue(port).ToString(CultureInfo.InvariantCulture),
                ["Portal:RpcUrl"] = ctx.RpcUrl,
                ["Portal:RegistryAddress"] = ctx.RegistryAddress,
            };
            if (ctx.Parse.GetValue(publicUrl) is { } url) settings["Portal:PublicBaseUrl"] = StrictOptions.ParseUrl(url, "--public-url");
            if (policyFile is not null) settings["Portal:PolicyPath"] = policyFile.FullName;
            if (ctx.Deployment is not null && string.Equals(ctx.Deployment.Address, ctx.RegistryAddress, StringComparison.OrdinalIgnoreCase))
            {
                settings["Portal:DeploymentPath"] = ctx.DeploymentPath; // read through kp's checks: never a FIFO or a device
            }
            await ctx.EnsureDeploymentAsync(); // a portal over a registry that does not stand would only answer 503
            await using var app = PortalHost.Build([], settings);
            try
            {
                await app.StartAsync(ctx.Cancel);
            }
            catch (OptionsValidationException e)
            {
                throw new CliUsageException("invalid portal settings: " + string.Join("; ", e.Failures));
            }
            catch (IOException e)
            {
                throw new CliEnvironmentException($"the portal cannot listen on 127.0.0.1:{ctx.Parse.GetValue(port)}: {e.Message}");
            }
            var address = PortalHost.Address(app);
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new { url = address + "/", api = address + "/api/v1", reference = address + "/api", openApi = address + "/openapi/v1.json", registry = ctx.RegistryAddress });
                ctx.Out.Flush();
            }
            ctx.Err.WriteLine($"verification portal on {address}/ (API reference {address}/api, OpenAPI {address}/openapi/v1.json); Ctrl+C stops");
            await app.WaitForShutdownAsync(ctx.Cancel); // Ctrl+C or SIGTERM: the host's own signal handling, or kp's
            return ExitCodes.Ok;
        });
        return command;
    }
}
