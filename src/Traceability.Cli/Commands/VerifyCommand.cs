using System.CommandLine;
using Traceability.Cli.Infrastructure;
using Traceability.Verifier;

namespace Traceability.Cli.Commands;

/// <summary>kp verify: the importer's command.</summary>
internal static class VerifyCommand
{
    public static Command Create(CommandRunner run)
    {
        var file = new Argument<FileInfo>("document") { Description = "a certificate, parcel, transformation or import confirmation (JSON)" };
        var ancestors = new Option<FileSystemInfo[]>("--ancestors")
        {
            Description = "documents of ancestor parcels and transformations, as files or folders (a folder: the *.json files directly in it but kp.config.json, not its subfolders): carats and claimed parents are checked too",
            AllowMultipleArgumentsPerToken = true,
        };
        var at = StrictOptions.AnyDate("--at", "judge expiry at this time (yyyy-MM-dd or Unix seconds) instead of the chain's latest block");
        var maxDepth = StrictOptions.Integer("--max-depth",
            $"transformations to walk back before the lineage counts as cut (Inconclusive), 1-10000", 1, 10_000, LineageBounds.Default.MaxDepth);
        var policy = new Option<FileInfo>("--policy")
        {
            Description = "an origin policy (JSON, docs/schemas/origin-policy.schema.json) applied to the lineage after the chain checks: restricted origins, compliant zones, untraced parts (Restricted)",
        };
        var command = new Command("verify", "importer: check a document against the chain; exit 0 if Verified, 1 if not (NotFound, Tampered, Unauthorized, "
            + "OtherDeployment, Invalid, Voided, Expired, Flagged, BrokenLineage, Restricted, Inconclusive)\nExample: kp verify cert.json --ancestors parcels/") { file, ancestors, at, maxDepth, policy };
        run.Bind(command, async ctx =>
        {
            var document = Documents.Load(ctx.Parse.GetValue(file)!);
            var given = Documents.LoadAll(ctx.Parse.GetValue(ancestors) ?? []);
            var rules = ctx.Parse.GetValue(policy) is { } policyFile ? Policies.Load(policyFile) : null;
            var reader = await ctx.ReaderAsync();
            var depth = ctx.Parse.GetValue(maxDepth);
            var verifier = new DocumentVerifier(reader, await ctx.DomainAsync(), ctx.FromBlock) { Bounds = LineageBounds.Default with { MaxDepth = depth }, Policy = rules };
            var report = await verifier.VerifyAsync(document, given, ctx.Parse.GetValue(at), ctx.Cancel);
            if (ctx.Json) Output.WriteJson(ctx.Out, ReportJson.From(report));
            else WriteReport(ctx.Out, report);
            return report.IsVerified ? ExitCodes.Ok : ExitCodes.NotVerified;
        });
        return command;
    }

    private static void WriteReport(TextWriter w, VerificationReport r)
    {
        w.WriteLine($"{r.Title}  {r.Hash.ToShortString()}");
        w.WriteLine($"VERDICT: {r.Verdict}");
        w.WriteLine($"checked against chain {r.CheckedAgainst.ChainId}, registry {r.CheckedAgainst.Registry}, block {r.CheckedAgainst.BlockNumber} ({r.CheckedAgainst.BlockHash})");
        w.WriteLine();
        Output.WriteTable(w, ["CHECK", "RESULT", "REASON"], r.Checks.Select(c => (IReadOnlyList<string>)[c.Name, c.Status.ToString().ToUpperInvariant(), c.Reason]));
        if (r.Lineage.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("LINEAGE (parcel, holder, status <- transformation that made it)");
            var seen = new HashSet<Core.Primitives.Hash32>();
            foreach (var n in r.Lineage) WriteNode(w, n, 0, seen);
        }
        if (r.Origins.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"ORIGINS on chain: {string.Join(", ", r.Origins.Select(o => $"{o} ({Core.Participants.KpParticipants.Find(o)?.Name ?? "?"})"))}");
        }
        if (r.Policy is { } p)
        {
            w.WriteLine();
            w.WriteLine(p.Findings.Count == 0 ? $"POLICY \"{p.Name}\": nothing caught" : $"POLICY \"{p.Name}\" caught (path from the shipment down):");
            foreach (var f in p.Findings)
            {
                var share = f.Share is { } s ? $"  {s * 100:0.##} % of the shipment's carats" + (f.Carats is { } c ? $" ({c / 100m:0.00} ct)" : "") : "";
                w.WriteLine($"  {f.Rule} {f.Parcel.ToShortString()}{(f.Origin is { } o ? $" ({o}{(f.Mine is { Length: > 0 } m ? $", {m}" : "")})" : "")}{share}");
                foreach (var path in f.Paths) w.WriteLine("    " + string.Join(" <- ", path.Select(h => h.ToShortString())));
            }
        }
        if (r.Missing.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"WOULD SETTLE IT: the documents of {r.Missing.Count} parcel(s): {string.Join(", ", r.Missing.Take(10))}{(r.Missing.Count > 10 ? ", …" : "")}");
        }
        w.WriteLine($"({r.RoundTrips} JSON-RPC round trip{(r.RoundTrips == 1 ? "" : "s")})");
    }

    private static void WriteNode(TextWriter w, LineageNode n, int depth, HashSet<Core.Primitives.Hash32> seen)
    {
        var indent = new string(' ', depth * 2);
        var label = n.Document?.ParcelId is { } id ? $" {id}" : "";
        var origin = n.State.IsOrigin ? $"  origin parcel registered in {n.RegisteredIn?.Value ?? "?"}" : n.Transformation is { } t ? $"  <- {t.ToShortString()}" : "";
        var flag = n.State.Flag == Chain.Registry.RecordFlag.None ? "" : $"  FLAGGED {n.State.Flag}";
        if (!seen.Add(n.Parcel))
        {
            // a parcel shared by several descendants is printed in full once
            w.WriteLine($"{indent}{(depth == 0 ? "" : "└ ")}{n.Parcel.ToShortString()}{label}  (shown above)");
            return;
        }
        w.WriteLine($"{indent}{(depth == 0 ? "" : "└ ")}{n.Parcel.ToShortString()}{label}  {n.State.Holder?.Value ?? "-"} {n.State.Status}{origin}{flag}");
        foreach (var p in n.Parents) WriteNode(w, p, depth + 1, seen);
    }
}
