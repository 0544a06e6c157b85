using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Merkle;
using Traceability.Core.Records;
using Traceability.Print;

namespace Traceability.Cli.Commands;

/// <summary>kp parcel register|transform|status, kp anchor: what members do.</summary>
internal static class ParcelCommands
{
    public static Command Parcel(CommandRunner run)
    {
        var command = new Command("parcel", "member: register origin parcels and transformations\nExample: kp parcel register p1.json p2.json");

        var files = new Argument<FileInfo[]>("documents") { Description = "parcel documents (JSON); all go in one transaction", Arity = ArgumentArity.OneOrMore };
        var register = new Command("register", "register origin parcels mined in your participant\nExample: kp parcel register p1.json p2.json") { files };
        run.Bind(register, async ctx =>
        {
            var parcels = new List<ParcelRecord>();
            var names = new List<string>();
            foreach (var f in ctx.Parse.GetValue(files)!)
            {
                parcels.Add(Documents.LoadValid<ParcelRecord>(f, originParcel: true));
                names.Add(f.Name);
            }
            for (var i = 0; i < parcels.Count; i++) await WriteChecks.RequireMemberOfAsync(ctx, parcels[i].Participant, names[i]);
            var tx = await (await ctx.WriterAsync()).RegisterParcelsAsync(parcels, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "parcel hashes", [.. parcels.Select(p => p.Hash())],
                WriteChecks.Emitted<Chain.Registry.ParcelRegisteredEvent>(tx, ctx.RegistryAddress, e => e.Parcel));
            return TransactionOutput.Report(ctx, $"registered {parcels.Count} origin parcel(s)", tx,
                parcels.Select(p => new { parcelId = p.ParcelId, hash = p.Hash().ToString() }));
        });

        var transformation = new Argument<FileInfo>("transformation") { Description = "the transformation document (JSON)" };
        var outputs = new Option<FileInfo[]>("--outputs") { Description = "documents of the output parcels, to check their carats against the inputs'", AllowMultipleArgumentsPerToken = true };
        var inputs = new Option<FileInfo[]>("--inputs") { Description = "documents of the input parcels", AllowMultipleArgumentsPerToken = true };
        var transform = new Command("transform", "record a split, merge or sort of parcels your participant holds\nExample: kp parcel transform split.json --inputs p1.json --outputs p3.json p4.json") { transformation, inputs, outputs };
        run.Bind(transform, async ctx =>
        {
            var t = Documents.LoadValid<TransformationRecord>(ctx.Parse.GetValue(transformation)!);
            var ins = (ctx.Parse.GetValue(inputs) ?? []).Select(f => Documents.LoadValid<ParcelRecord>(f)).ToList();
            var outs = (ctx.Parse.GetValue(outputs) ?? []).Select(f => Documents.LoadValid<ParcelRecord>(f)).ToList();
            if (outs.Count > 0)
            {
                var unknown = outs.Where(o => !t.Outputs.Contains(o.Hash())).ToList();
                if (unknown.Count > 0) throw new CliUsageException($"--outputs: parcel {unknown[0].ParcelId} is not an output of {t.TransformationId}");
                if (ins.Count == t.Inputs.Length && outs.Count == t.Outputs.Length && outs.Sum(o => (decimal)o.Carats) > ins.Sum(i => (decimal)i.Carats))
                {
                    throw new CliUsageException($"--outputs: the outputs weigh more than the inputs ({outs.Sum(o => (decimal)o.Carats) / 100:0.00} ct > {ins.Sum(i => (decimal)i.Carats) / 100:0.00} ct)");
                }
            }
            await WriteChecks.RequireMemberOfAsync(ctx, t.Participant, ctx.Parse.GetValue(transformation)!.Name);
            var tx = await (await ctx.WriterAsync()).TransformAsync(t, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "transformation hash", [t.Hash()],
                WriteChecks.Emitted<Chain.Registry.ParcelsTransformedEvent>(tx, ctx.RegistryAddress, e => e.Transformation));
            WriteChecks.RequireRegistered(tx, "output parcel hashes", [.. t.Outputs],
                WriteChecks.Emitted<Chain.Registry.ParcelDerivedEvent>(tx, ctx.RegistryAddress, e => e.Parcel));
            return TransactionOutput.Report(ctx, $"{t.Operation} {t.TransformationId}: {t.Inputs.Length} parcel(s) consumed, {t.Outputs.Length} created", tx,
                new { transformation = t.Hash().ToString() });
        });

        var statusParcel = new Argument<string>("parcel") { Description = "a parcel document (JSON), or a parcel hash (0x followed by 64 hex digits)" };
        var status = new Command("status", "show a parcel's on-chain state, by its document or its hash (the same output either way)\n"
            + "Example: kp parcel status p1.json\nExample: kp parcel status 0x<parcel hash>") { statusParcel };
        run.Bind(status, async ctx =>
        {
            var (hash, parcelId) = ParcelOf(ctx.Parse.GetValue(statusParcel)!);
            var s = await (await ctx.ReaderAsync()).ParcelAsync(hash);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { hash = s.Hash.ToString(), exists = s.Exists, holder = s.Holder?.Value, status = s.Status, flag = s.Flag, origin = s.IsOrigin, registeredAt = s.RegisteredAt });
            else Output.WriteFields(ctx.Out, [.. parcelId is null ? [] : new[] { ("parcel", parcelId) }, ("hash", s.Hash.ToString()), ("status", s.Status.ToString()),
                ("holder", s.Holder?.Value ?? "-"), ("origin parcel", s.IsOrigin ? "yes" : "no"), ("flag", s.Flag.ToString())]);
            return s.Exists ? ExitCodes.Ok : ExitCodes.NotVerified;
        });

        command.Subcommands.Add(register);
        command.Subcommands.Add(transform);
        command.Subcommands.Add(status);
        return command;
    }

    /// <summary>
    /// The parcel named by kp parcel status: a 0x hash (exactly 32 bytes), else a parcel document
    /// (its hash and reference). Text that starts with 0x and is no file must be a whole hash.
    /// </summary>
    internal static (Core.Primitives.Hash32 Hash, string? ParcelId) ParcelOf(string text)
    {
        if (Core.Primitives.Hash32.TryParse(text, out var hash)) return (hash, null);
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !Path.Exists(text))
        {
            throw new CliUsageException($"parcel: '{text}' is not a parcel hash (0x followed by 64 hex digits) nor a parcel document", "parcel");
        }
        var p = Documents.Load<ParcelRecord>(new FileInfo(text));
        return (p.Hash(), p.ParcelId);
    }

    public static Command Anchor(CommandRunner run)
    {
        var leaves = new Argument<FileInfo>("leaves") { Description = "file with one 0x-prefixed bytes32 a line (hashes of sorting logs, photos, movements)", Arity = ArgumentArity.ZeroOrOne };
        var epcis = new Option<FileInfo>("--epcis") { Description = "anchor the EPCIS Event Hash IDs of this EPCIS 2.0 document's events instead (their SHA-256 digests, in document order)" };
        var command = new Command("anchor", "member: anchor the Merkle root of a batch of auxiliary records or of an EPCIS document's events; check a record's inclusion\nExample: kp anchor leaves.txt") { leaves, epcis };
        run.Bind(command, async ctx =>
        {
            var document = ctx.Parse.GetValue(epcis);
            var file = ctx.Parse.GetValue(leaves);
            if ((document is null) == (file is null)) throw new CliUsageException("leaves: give a leaves file or --epcis <document>, not both", "leaves");
            IReadOnlyList<Core.Primitives.Hash32> values = document is null ? HashCommands.ReadLeaves(file!) : [.. EpcisCommands.HashesOf(document).Select(h => h.Digest)];
            var tree = StandardMerkleTree.Of(values);
            var tx = await (await ctx.WriterAsync()).AnchorBatchAsync(tree.Root, (uint)values.Count, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "Merkle root", [tree.Root], WriteChecks.Emitted<Chain.Registry.BatchAnchoredEvent>(tx, ctx.RegistryAddress, e => e.Root));
            var what = document is null ? "record(s)" : "EPCIS event(s)";
            return TransactionOutput.Report(ctx, $"anchored {values.Count} {what} under root {tree.Root}", tx,
                new { root = tree.Root.ToString(), events = document is null ? (int?)null : values.Count });
        });

        var root = new Argument<string>("root") { Description = "the anchored Merkle root (with --epcis: the event's index in the document, from 0)" };
        var leaf = new Argument<string>("leaf") { Description = "the record's hash (the leaf)", Arity = ArgumentArity.ZeroOrOne };
        var proof = new Argument<FileInfo>("proof") { Description = "the proof, one 0x-prefixed bytes32 a line (kp merkle proof writes it)", Arity = ArgumentArity.ZeroOrOne };
        var participant = new Option<string>("--participant") { Description = "the anchoring participant (default: every participant that anchored the root, from the events, each reported)" };
        var epcisCheck = new Option<FileInfo>("--epcis") { Description = "the anchored EPCIS document: give the event's index instead of root, leaf and proof (kp computes them)" };
        var portalUrl = new Option<string?>("--portal-url") { Description = "with --epcis: the portal whose lookup of the event to print (default: $KP_PORTAL_URL, else the network's portal in kp.config.json; none: no link)" };
        var check = new Command("check", "anyone: check on-chain that a record (or an EPCIS event, with --epcis) is in an anchored batch (read-only); exit 0 if it is, 1 if not; "
            + "with --epcis and a portal configured, also the portal's lookup of the event\n"
            + "Example: kp anchor check 0x<root> 0x<leaf> proof.txt --participant BW") { root, leaf, proof, participant, epcisCheck, portalUrl };
        run.Bind(check, async ctx =>
        {
            var (r, l, nodes, epcisEvent) = ctx.Parse.GetValue(epcisCheck) is { } document
                ? EpcisAnchor.Proof(document, ctx.Parse.GetValue(root), ctx.Parse.GetValue(leaf) is not null || ctx.Parse.GetValue(proof) is not null)
                : Given(ctx.Parse.GetValue(root), ctx.Parse.GetValue(leaf), ctx.Parse.GetValue(proof));
            var reader = await ctx.ReaderAsync();
            if (epcisEvent is null && ctx.Parse.GetValue(portalUrl) is not null)
            {
                throw new CliUsageException("--portal-url: the portal's lookup is of an EPCIS event: give --epcis <document> <event index>", "--portal-url");
            }
            // the portal's lookup of the event, when a portal is configured (as kp cert print finds it, without its default)
            var lookup = epcisEvent is { } linked && PrintCommand.ConfiguredPortal(ctx, ctx.Parse.GetValue(portalUrl)) is { } portalBase
                ? new EventLink(portalBase, (ulong)(await reader.DomainAsync()).ChainId, ctx.RegistryAddress, r, linked.HashId, nodes).ToString()
                : null;
            var named = ctx.Parse.GetValue(participant);
            IReadOnlyList<Core.Participants.ParticipantCode> candidates = named is null ? await reader.AnchoringParticipantsAsync(r)
                : [ParticipantInput.Parse(named, "--participant")];
            // An anchor belongs to the participant that anchored it (a root seen in a pending transaction
            // cannot be taken first by another). Without --participant, every participant that anchored this
            // root is reported, none is credited over the others (the first need not be the author).
            var anchors = new List<(Chain.Registry.AnchorState Anchor, string By, bool Included)>();
            foreach (var c in candidates)
            {
                var a = await reader.AnchorAsync(c, r);
                if (!a.Exists) continue;
                anchors.Add((a, await reader.MemberAtAsync(a.Registrant), await reader.IsAnchoredAsync(c, r, l, nodes)));
            }
            var included = anchors.Any(a => a.Included);
            var single = anchors.Count == 1 ? anchors[0] : default;
            string When(Chain.Registry.AnchorState a) => DateTimeOffset.FromUnixTimeSeconds(a.AnchoredAt).ToString("u", CultureInfo.InvariantCulture);
            string Flag(Chain.Registry.AnchorState a) => a.Flag == Chain.Registry.RecordFlag.None ? "" : $"; the batch is flagged {a.Flag}";
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    included,
                    anchored = anchors.Count > 0,
                    participant = anchors.Count == 1 ? single.Anchor.Participant?.Value : null,
                    by = anchors.Count == 1 ? single.By : null,
                    anchoredAt = anchors.Count == 1 ? single.Anchor.AnchoredAt : (ulong?)null,
                    leafCount = anchors.Count == 1 ? single.Anchor.LeafCount : (uint?)null,
                    flag = anchors.Count == 1 ? single.Anchor.Flag : (Chain.Registry.RecordFlag?)null,
                    anchors = anchors.Select(a => new { participant = a.Anchor.Participant?.Value, by = a.By, anchoredAt = a.Anchor.AnchoredAt, leafCount = a.Anchor.LeafCount, flag = a.Anchor.Flag, included = a.Included }),
                    root = epcisEvent is null ? null : r.ToString(),
                    @event = epcisEvent is { } ev ? new { index = ev.Index, hash = ev.HashId, leaf = l.ToString() } : null,
                    lookup,
                });
            }
            else if (anchors.Count == 0) ctx.Out.WriteLine($"✗ no batch with root {r} was anchored{(named is null ? "" : $" by {candidates[0]}")}");
            else if (!included) ctx.Out.WriteLine($"✗ the proof does not put the record in the batch anchored under {r}");
            else if (anchors.Count == 1) ctx.Out.WriteLine($"✓ the record is in the batch anchored by {single.By} ({single.Anchor.Participant}) at {When(single.Anchor)}{Flag(single.Anchor)}");
            else
            {
                ctx.Out.WriteLine($"✓ the record is in the batch with root {r}, anchored by {anchors.Count} participants (the same root: none is credited over the others; name one with --participant):");
                foreach (var a in anchors) ctx.Out.WriteLine($"  {a.Anchor.Participant}: by {a.By} at {When(a.Anchor)}{(a.Included ? ", includes the record" : ", does not include the record")}{Flag(a.Anchor)}");
            }
            if (!ctx.Json && lookup is not null) ctx.Out.WriteLine($"  on the portal: {lookup}");
            return included ? ExitCodes.Ok : ExitCodes.NotVerified;
        });
        command.Subcommands.Add(check);
        return command;
    }

    // root, leaf and proof as given on the command line
    private static (Core.Primitives.Hash32 Root, Core.Primitives.Hash32 Leaf, IReadOnlyList<Core.Primitives.Hash32> Proof, Core.Epcis.EpcisEventHash? Event) Given(string? root, string? leaf, FileInfo? proof)
    {
        var r = Core.Primitives.Hash32.TryParse(root, out var rh) ? rh : throw new CliUsageException("root: expected 0x followed by 64 hex digits");
        var l = Core.Primitives.Hash32.TryParse(leaf, out var lh) ? lh : throw new CliUsageException(leaf is null ? "leaf: missing: give root, leaf and proof (or --epcis <document> <event index>)" : "leaf: expected 0x followed by 64 hex digits");
        if (proof is null) throw new CliUsageException("proof: missing: give root, leaf and proof (or --epcis <document> <event index>)", "proof");
        IReadOnlyList<Core.Primitives.Hash32> nodes = HashCommands.ReadLines(proof).All(x => x.Trim().Length == 0) ? [] : HashCommands.ReadLeaves(proof);
        return (r, l, nodes, null);
    }
}
