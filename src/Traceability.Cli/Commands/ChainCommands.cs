using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Traceability.Chain.Deployment;
using Traceability.Chain.Transactions;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Commands;

/// <summary>kp chain up|down|deploy|status: the local dev chain and the deployment record.</summary>
internal static class ChainCommands
{
    public static Command Chain(CommandRunner run)
    {
        var command = new Command("chain", "start or stop the local Hardhat node, deploy the registry, check the deployment");

        var port = StrictOptions.Port("--port", "port on 127.0.0.1 (0: any free port)", 8545, zeroMeans: "any free port");
        var up = new Command("up", "start a local Hardhat node (from node_modules) on 127.0.0.1") { port };
        run.Bind(up, async ctx => await NodeScriptAsync(ctx, "start.js", ctx.Parse.GetValue(port)));

        var downPort = StrictOptions.Port("--port", "port of the node to stop", 8545);
        var down = new Command("down", "stop the local node started on a port, by its process id") { downPort };
        run.Bind(down, async ctx => await NodeScriptAsync(ctx, "stop.js", ctx.Parse.GetValue(downPort)));

        var governor = new Option<string?>("--governor") { Description = "governance account (default: the deployer); a multisig in production" };
        var output = new Option<FileInfo?>("--out") { Description = "where to write the deployment record (default: the --deployment path)" };
        var deployRpc = StrictOptions.Port("--port", "with no --rpc: the local node's port", 8545);
        var deploy = new Command("deploy", "deploy the registry from .NET and write the deployment record later commands read") { governor, output, deployRpc };
        run.Bind(deploy, async ctx =>
        {
            var gov = ctx.Parse.GetValue(governor) is { } g ? GovernanceCommands.Address(g, "--governor") : null;
            InputFiles.RequireWritable(ctx.Parse.GetValue(output) ?? new FileInfo(ctx.DeploymentPath), ctx.Parse.GetValue(output) is null ? "--deployment" : "--out");
            var rpcUrl = ctx.Parse.GetValue(GlobalOptions.Rpc) ?? ctx.Env("KP_RPC_URL") ?? $"http://127.0.0.1:{ctx.Parse.GetValue(deployRpc)}";
            using var rpc = new Traceability.Chain.Rpc.ChainRpc(rpcUrl);
            var chainId = await rpc.ChainIdAsync();
            var account = await ctx.AccountAsync(rpc);
            var sender = new TransactionSender(rpc, account, chainId, ctx.TransactionOptions);
            var record = await RegistryDeployer.DeployAsync(rpc, sender, gov);
            var path = ctx.Parse.GetValue(output)?.FullName ?? ctx.DeploymentPath;
            record.Write(path);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { record, path });
            else
            {
                ctx.Out.WriteLine($"✓ KimberleyRegistry deployed at {record.Address} on chain {record.ChainId} (block {record.BlockNumber})");
                ctx.Out.WriteLine($"  governance: {record.Governor}");
                ctx.Out.WriteLine($"  deployment record: {path}");
            }
            return ExitCodes.Ok;
        });

        var status = new Command("status", "check that the deployment record still matches the chain (detects a reset chain)");
        run.Bind(status, async ctx =>
        {
            var record = ctx.Deployment ?? throw new CliEnvironmentException($"no deployment record at {ctx.DeploymentPath}: run kp chain deploy");
            var problems = await DeploymentGuard.CheckAsync(ctx.Rpc, record.Address, record);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { ok = problems.Count == 0, problems, record });
            else
            {
                Output.WriteFields(ctx.Out, [("registry", record.Address), ("chain", record.ChainId.ToString(CultureInfo.InvariantCulture)), ("rpc", ctx.RpcUrl),
                    ("deployed in block", record.BlockNumber.ToString(CultureInfo.InvariantCulture)), ("state", problems.Count == 0 ? "ok" : "STALE")]);
                foreach (var p in problems) ctx.Out.WriteLine($"  ! {p}");
            }
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Environment;
        });

        command.Subcommands.Add(up);
        command.Subcommands.Add(down);
        command.Subcommands.Add(deploy);
        command.Subcommands.Add(status);
        return command;
    }

    private static async Task<int> NodeScriptAsync(CliContext ctx, string script, int port)
    {
        var root = Paths.RequireRepositoryRoot();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(root, "chain-dev", script));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(psi) ?? throw new CliEnvironmentException("cannot run node");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await ctx.Out.WriteAsync(stdout);
        await ctx.Err.WriteAsync(stderr);
        return process.ExitCode == 0 ? ExitCodes.Ok : ExitCodes.Environment;
    }
}
