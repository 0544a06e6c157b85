using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Traceability.Chain.Deployment;
using Traceability.Chain.Transactions;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Commands;

/// <summary>kp chain up|down|deploy|status: the local dev chain and the deployment record.</summary>
internal static class ChainCommands
{
    public static Command Chain(CommandRunner run)
    {
        var command = new Command("chain", "start or stop a local node (Hardhat, or Anvil timed like the KP's Besu network), deploy the registry, check the deployment\nExample: kp chain up && kp chain deploy");

        var port = StrictOptions.Port("--port", "port on 127.0.0.1 (0: any free port)", 8545, zeroMeans: "any free port");
        var like = LocalNodeChoice.Create().Like;
        var up = new Command("up", "start a local node on 127.0.0.1, detached, recorded in kp's home (later commands find it): Hardhat, mining a block per transaction, "
            + "or with --like besu Anvil timed and priced like the KP's Besu network, its chain kept in kp's home across kp chain down and up\n"
            + "Example: kp chain up --port 8545") { port, like };
        run.Bind(up, async ctx =>
        {
            var besu = ctx.Parse.GetValue(like) is not null;
            string[] args = ["--port", ctx.Parse.GetValue(port).ToString(CultureInfo.InvariantCulture), "--json", .. besu ? new[] { "--like", "besu" } : []];
            var (code, stdout, stderr) = await LocalChain.RunScriptAsync(ctx, "start.js", args, besu);
            if (code != 0) throw new CliEnvironmentException(stderr.Trim().Replace("chain start failed: ", "", StringComparison.Ordinal));
            var node = JsonSerializer.Deserialize<LocalNodeRecord>(stdout.Trim(), Output.JsonOptions)!;
            if (ctx.Json) Output.WriteJson(ctx.Out, node);
            else
            {
                ctx.Out.WriteLine($"✓ {(besu ? "Besu-like Anvil" : "Hardhat")} node ready at {node.Url} (chain id {node.ChainId}, pid {node.Pid})");
                if (besu) ctx.Out.WriteLine($"  a block every 2 s, zero fees; chain kept in {node.State}; kp signs with the dev test phrase on this node only");
                ctx.Out.WriteLine($"  log: {node.Log}");
                ctx.Out.WriteLine($"  next: kp chain deploy (it finds this node); stop it with kp chain down");
            }
            return ExitCodes.Ok;
        });

        var downPort = StrictOptions.Port("--port", "port of the node to stop (default: the one node kp chain up runs, else 8545)", 0).NoDefaultInHelp();
        var down = new Command("down", "stop a local node kp chain up started, by its process id\nExample: kp chain down --port 8545") { downPort };
        run.Bind(down, async ctx =>
        {
            var p = ctx.Parse.GetValue(downPort) is > 0 and var given ? given : LocalChain.TheRunningNode(ctx)?.Port ?? 8545;
            var (code, stdout, stderr) = await LocalChain.RunScriptAsync(ctx, "stop.js", ["--port", p.ToString(CultureInfo.InvariantCulture)]);
            if (code != 0) throw new CliEnvironmentException(stderr.Trim());
            var stopped = stdout.StartsWith("stopped", StringComparison.Ordinal);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { port = p, stopped });
            else ctx.Out.WriteLine(stopped ? $"✓ stopped the node on port {p}" : $"no node recorded on port {p} (nothing to stop)");
            return ExitCodes.Ok;
        });

        var governor = new Option<string?>("--governor") { Description = "governance account (default: the deployer); a multisig in production" };
        var output = new Option<FileInfo?>("--out") { Description = "where to write the deployment record (default: the --deployment path)" };
        var deployPort = StrictOptions.Port("--port", "with no --rpc, --network or $KP_RPC_URL: the port of a local node on 127.0.0.1 (default: the node kp chain up started)", 0).NoDefaultInHelp();
        var force = new Option<bool>("--force") { Description = "replace a deployment record whose registry still stands on its chain" };
        var deploy = new Command("deploy", "deploy the registry from .NET and write the deployment record later commands read\n"
            + "Example: kp chain up && kp chain deploy") { governor, output, deployPort, force };
        run.Bind(deploy, async ctx =>
        {
            var gov = ctx.Parse.GetValue(governor) is { } g ? GovernanceCommands.Address(g, "--governor") : null;
            var path = ctx.Parse.GetValue(output)?.FullName ?? ctx.DeploymentPath;
            InputFiles.RequireWritable(new FileInfo(path), ctx.Parse.GetValue(output) is null ? "--deployment" : "--out");
            var rpcUrl = DeployTarget(ctx, ctx.Parse.GetValue(deployPort));
            if (!ctx.Parse.GetValue(force) && await LiveRecordAsync(path) is { } live)
            {
                throw new CliUsageException($"--force: {path} records the registry {live.Address} on chain {live.ChainId} ({live.RpcUrl}), and it still stands there; "
                    + "give --force to replace that record, or --out (or --deployment) to write another", "--force");
            }
            using var rpc = new Traceability.Chain.Rpc.ChainRpc(rpcUrl);
            var chainId = await rpc.ChainIdAsync();
            var account = await ctx.AccountAsync(rpc);
            var sender = new TransactionSender(rpc, account, chainId, ctx.TransactionOptions);
            var record = await RegistryDeployer.DeployAsync(rpc, sender, gov);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            record.Write(path);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { record, path });
            else
            {
                ctx.Out.WriteLine($"✓ KimberleyRegistry deployed at {record.Address} on chain {record.ChainId} (block {record.BlockNumber}) via {RpcEndpoint.Redact(record.RpcUrl)}");
                ctx.Out.WriteLine($"  governance: {record.Governor}");
                ctx.Out.WriteLine($"  deployment record: {path}");
            }
            return ExitCodes.Ok;
        });

        var status = new Command("status", "check that the deployment record still matches the chain (detects a reset chain)\nExample: kp chain status");
        run.Bind(status, async ctx =>
        {
            var record = ctx.Deployment ?? throw new CliEnvironmentException($"no deployment record at {ctx.DeploymentPath}: run kp chain deploy");
            var problems = await DeploymentGuard.CheckAsync(ctx.Rpc, record.Address, record);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { ok = problems.Count == 0, problems = problems.Select(p => new { message = p }), record });
            else
            {
                Output.WriteFields(ctx.Out, [("registry", record.Address), ("chain", record.ChainId.ToString(CultureInfo.InvariantCulture)), ("rpc", RpcEndpoint.Redact(ctx.RpcUrl)),
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

    // where kp chain deploy sends: --rpc, $KP_RPC_URL or the network's; else the local node on --port, or the one kp chain up started; never a guess
    private static string DeployTarget(CliContext ctx, int port)
    {
        if (ctx.Parse.GetValue(GlobalOptions.Rpc) is { } rpc) return rpc;
        if (ctx.Env("KP_RPC_URL") is { Length: > 0 } e) return StrictOptions.ParseUrl(e, "KP_RPC_URL");
        if (ctx.Network is { Value.Rpc: { } n }) return StrictOptions.ParseUrl(n, $"networks.{ctx.NetworkName!.Value}.rpc");
        if (port > 0) return $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        return LocalChain.TheRunningNode(ctx)?.Url
            ?? throw new CliEnvironmentException("no chain to deploy to: start one with `kp chain up`, or name it with --rpc, --network or $KP_RPC_URL");
    }

    // the record at path, when its registry still stands on its chain (an unreachable or reset chain is not live)
    private static async Task<DeploymentRecord?> LiveRecordAsync(string path)
    {
        if (!File.Exists(path)) return null;
        InputFiles.RequireRegular(path, InputFiles.DeploymentBytes, "deployment record");
        var record = DeploymentRecord.Read(path);
        try
        {
            using var rpc = new Traceability.Chain.Rpc.ChainRpc(record.RpcUrl, TimeSpan.FromSeconds(5));
            return (await DeploymentGuard.CheckAsync(rpc, record.Address, record)).Count == 0 ? record : null;
        }
        catch (Exception e) when (e is Traceability.Chain.Rpc.ChainUnavailableException or Traceability.Chain.Rpc.ChainRpcException or TimeoutException or HttpRequestException)
        {
            return null;
        }
    }
}
