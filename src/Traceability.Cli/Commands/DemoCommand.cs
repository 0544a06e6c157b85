using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Demo;

namespace Traceability.Cli.Commands;

/// <summary>kp demo: the main job (the story is <see cref="DemoStory"/>).</summary>
internal static class DemoCommand
{
    public static Command Create(CommandRunner run)
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for the documents, the service's store and rejected area (default: chain-dev/run/demo)" };
        var node = LocalNodeChoice.Create();
        var portal = new Option<bool>("--portal") { Description = "after the story, keep its chain up and serve the verification portal over it (with a printed certificate) until Ctrl+C" };
        var portalPort = StrictOptions.Port("--portal-port", "with --portal: the portal's port on 127.0.0.1 (0: any free port)", 8080, zeroMeans: "any free port");
        var command = new Command("demo", "the whole story on a fresh local chain: mine to export to import to verification, then the attacks it stops\n"
            + "Example: kp demo --node anvil --out /tmp/kp-demo\nExample: kp demo --portal") { output, node.Node, portal, portalPort };
        run.Bind(command, async ctx =>
        {
            var root = Paths.RequireRepositoryRoot();
            var folder = ctx.Parse.GetValue(output)?.FullName ?? Path.Combine(root, "chain-dev", "run", "demo");
            bool ok;
            DemoStory story;
            using (var progress = ProgressLine.For(ctx.Json ? ctx.Err : ctx.Out))
            {
                // on a terminal, the steps scroll above one line saying how far the story is; in a log, the step lines are the progress;
                // with --json the story's narrative goes to stderr and stdout holds one document: the steps and their outcomes
                story = new DemoStory(root, folder, progress.Writer, node.Resolve(ctx.Parse));
                if (progress.IsTerminal) story.Report.Work = progress;
                ok = await story.RunAsync(ctx.Parse.GetValue(portal) ? chain => DemoPortal.ServeAsync(ctx, chain, ctx.Parse.GetValue(portalPort)) : null);
            }
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    ok,
                    folder,
                    steps = story.Report.Steps.Select(r => new { actor = r.Actor, action = r.Action, ok = r.Ok, message = r.Outcome }),
                });
                return ok ? ExitCodes.Ok : ExitCodes.NotVerified;
            }
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("SUMMARY");
            Output.WriteTable(ctx.Out, ["#", "ACTOR", "STEP", "OK", "OUTCOME"],
                story.Report.Steps.Select((r, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), r.Actor, r.Action, r.Ok ? "yes" : "NO", r.Outcome]),
                neverCut: [2]);
            ctx.Out.WriteLine();
            ctx.Out.WriteLine($"Documents, the service's store and its rejected area: {folder}");
            return ok ? ExitCodes.Ok : ExitCodes.NotVerified;
        });
        return command;
    }
}
