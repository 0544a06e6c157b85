using System.CommandLine;
using Traceability.Cli.Demo;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Commands;

/// <summary>kp demo: the main job.</summary>
internal static class DemoCommand
{
    public static Command Create(CommandRunner run)
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for the documents, the service's store and rejected area (default: chain-dev/run/demo)" };
        var node = new Option<Traceability.Chain.DevChain.LocalNodeKind>("--node") { Description = "the local EVM node: Hardhat or Anvil", DefaultValueFactory = _ => Traceability.Chain.DevChain.LocalNodeKind.Hardhat };
        var command = new Command("demo", "the whole story on a fresh local chain: mine to export to import to verification, then the attacks it stops") { output, node };
        run.Bind(command, async ctx =>
        {
            var root = Paths.RequireRepositoryRoot();
            var folder = ctx.Parse.GetValue(output)?.FullName ?? Path.Combine(root, "chain-dev", "run", "demo");
            var ok = await new DemoStory(root, folder, ctx.Out, ctx.Parse.GetValue(node)).RunAsync();
            return ok ? ExitCodes.Ok : ExitCodes.NotVerified;
        });
        return command;
    }
}
