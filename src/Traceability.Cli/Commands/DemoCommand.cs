using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.Demo;
using Traceability.Lab.DevChain;

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
        var parties = new Option<bool>("--parties")
        {
            Description = "instead of the story: many parties, one chain: five anchoring services (two members, three authorities), each a kp serve process with its own folder "
                + "and account, fed at once, one killed and restarted mid-run; then the chain is checked: every record anchored once, every account's nonces gapless",
        };
        var parcels = StrictOptions.Integer("--parcels", "with --parties: origin parcels each member mines (an even number, 10-5000); a tenth are sorted, the rest certified two a certificate", 10, 5000, 300);
        var command = new Command("demo", "the whole story on a fresh local chain: mine to export to import to verification, then the attacks it stops\n"
            + "Example: kp demo --node anvil --out /tmp/kp-demo\nExample: kp demo --portal\nExample: kp demo --parties --like besu") { output, node.Node, node.Like, portal, portalPort, parties, parcels };
        run.Bind(command, async ctx =>
        {
            var root = Paths.RequireRepositoryRoot();
            var kind = node.Resolve(ctx.Parse);
            if (ctx.Parse.GetValue(parties))
            {
                if (ctx.Parse.GetResult(portal) is { Implicit: false }) throw new CliUsageException("--portal: not with --parties (the parties' run stops its chain when it ends)", "--portal");
                var count = ctx.Parse.GetValue(parcels);
                if (count % 2 != 0) throw new CliUsageException($"--parcels: {count} is odd; the parcels not sorted are certified two a certificate: give an even number", "--parcels");
                return await DemoParties.RunAsync(ctx, root, ctx.Parse.GetValue(output)?.FullName, kind, count);
            }
            if (ctx.Parse.GetResult(parcels) is { Implicit: false }) throw new CliUsageException("--parcels: only with --parties", "--parcels");
            if (kind == LocalNodeKind.BesuLike) throw new CliUsageException("--like: only with --parties (the story runs on a node mining a block per transaction: --node)", "--like");
            var folder = ctx.Parse.GetValue(output)?.FullName ?? Path.Combine(root, "chain-dev", "run", "demo");
            bool ok;
            DemoStory story;
            using (var progress = ProgressLine.For(ctx.Json ? ctx.Err : ctx.Out))
            {
                // on a terminal, the steps scroll above one line saying how far the story is; in a log, the step lines are the progress;
                // with --json the story's narrative goes to stderr and stdout holds one document: the steps and their outcomes
                story = new DemoStory(root, folder, progress.Writer, kind);
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
