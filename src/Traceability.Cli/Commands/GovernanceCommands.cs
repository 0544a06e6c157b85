using System.CommandLine;
using Traceability.Chain.Registry;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Validation;

namespace Traceability.Cli.Commands;

/// <summary>kp participant, kp authority, kp member, kp flag: who may do what (the lookups are in <see cref="LookupCommands"/>).</summary>
internal static class GovernanceCommands
{
    public static Command Participant(CommandRunner run)
    {
        var command = new Command("participant", "governance: add, suspend, reinstate participants; anyone: list them, show one\nExample: kp participant list");
        foreach (var (name, description) in new[]
        {
            ("add", "add a participant (governance)\nExample: kp participant add BW"),
            ("suspend", "suspend a participant (governance)\nExample: kp participant suspend BW"),
            ("reinstate", "lift a suspension (governance)\nExample: kp participant reinstate BW"),
        })
        {
            var code = new Argument<string>("code") { Description = "ISO 3166-1 alpha-2 code, or EU" };
            var sub = new Command(name, description) { code };
            run.Bind(sub, async ctx =>
            {
                var c = ParticipantInput.Parse(ctx.Parse.GetValue(code), "code", allowUnlisted: true);
                var writer = await ctx.WriterAsync();
                var tx = name switch
                {
                    "add" => await writer.AddParticipantAsync(c),
                    "suspend" => await writer.SuspendParticipantAsync(c),
                    _ => await writer.ReinstateParticipantAsync(c),
                };
                var label = KpParticipants.Find(c)?.Name ?? c.Value;
                return TransactionOutput.Report(ctx, $"participant {c} ({label}) {(name == "add" ? "added" : name == "suspend" ? "suspended" : "reinstated")}", tx);
            });
            command.Subcommands.Add(sub);
        }
        var list = new Command("list", "list the registry's participants and their status\nExample: kp participant list --json");
        run.Bind(list, async ctx =>
        {
            var reader = await ctx.ReaderAsync();
            var rows = new List<(ParticipantCode Code, ParticipantStatus Status)>();
            foreach (var c in await reader.ParticipantsAsync()) rows.Add((c, await reader.ParticipantStatusAsync(c)));
            if (ctx.Json) Output.WriteJson(ctx.Out, rows.Select(r => new { code = r.Code.Value, name = KpParticipants.Find(r.Code)?.Name, status = r.Status }));
            else Output.WriteTable(ctx.Out, ["CODE", "NAME", "STATUS"], rows.Select(r => (IReadOnlyList<string>)[r.Code.Value, KpParticipants.Find(r.Code)?.Name ?? "", r.Status.ToString()]));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(LookupCommands.ParticipantShow(run));
        return command;
    }

    public static Command Authority(CommandRunner run)
    {
        var command = new Command("authority", "governance: assign and remove national KP authority accounts; anyone: list them\nExample: kp authority add BW 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        var code = new Argument<string>("code") { Description = "the participant" };
        var account = new Argument<string>("account") { Description = "the authority's address" };
        var add = new Command("add", "make an account an authority of a participant (governance)\nExample: kp authority add BW 0x70997970C51812dc3A010C7d01b50e0d17dc79C8") { code, account };
        run.Bind(add, async ctx =>
        {
            var c = ParticipantInput.Parse(ctx.Parse.GetValue(code), "code", allowUnlisted: true);
            var a = Address(ctx.Parse.GetValue(account), "account");
            return TransactionOutput.Report(ctx, $"{a} is now an authority of {c}", await (await ctx.WriterAsync()).AddAuthorityAsync(c, a));
        });
        var removed = new Argument<string>("account") { Description = "the authority's address" };
        var remove = new Command("remove", "remove an authority (governance)\nExample: kp authority remove 0x70997970C51812dc3A010C7d01b50e0d17dc79C8") { removed };
        run.Bind(remove, async ctx =>
        {
            var a = Address(ctx.Parse.GetValue(removed), "account");
            return TransactionOutput.Report(ctx, $"{a} is no longer an authority", await (await ctx.WriterAsync()).RemoveAuthorityAsync(a));
        });
        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        command.Subcommands.Add(LookupCommands.AuthorityList(run));
        return command;
    }

    public static Command Member(CommandRunner run)
    {
        var command = new Command("member", "authority: register and remove the members (miners, traders, exporters, cutters) of its participant; anyone: list them\nExample: kp member add 0x976EA74026E726554dB657fA54763abd0C3a0aa9 --account bw-authority");
        foreach (var name in new[] { "add", "remove" })
        {
            var account = new Argument<string>("account") { Description = "the member's address" };
            var sub = new Command(name, name == "add" ? "register a member of your participant (authority)\nExample: kp member add 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
                : "remove a member of your participant (authority)\nExample: kp member remove 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC") { account };
            run.Bind(sub, async ctx =>
            {
                var a = Address(ctx.Parse.GetValue(account), "account");
                var writer = await ctx.WriterAsync();
                var tx = name == "add" ? await writer.AddMemberAsync(a) : await writer.RemoveMemberAsync(a);
                return TransactionOutput.Report(ctx, $"member {a} {(name == "add" ? "registered" : "removed")}", tx);
            });
            command.Subcommands.Add(sub);
        }
        command.Subcommands.Add(LookupCommands.MemberList(run));
        return command;
    }

    public static Command Flag(CommandRunner run)
    {
        var kind = StrictOptions.ChoiceArgument<FlaggableKind>("kind", "Parcel, Transformation, Certificate or Anchor");
        var key = new Argument<string>("key") { Description = "the record's hash; a certificate by its number (exporter from its prefix), an anchor by its root with --participant" };
        var level = StrictOptions.Choice("--level", "Suspicious, Fraudulent, or None to clear", RecordFlag.Suspicious);
        var category = StrictOptions.Choice("--category",
            "Other, ForgedDocument, TamperedDocument, SuspiciousOrigin, Smuggling, Valuation, Sanctions or InvestigationClosed", FlagCategory.Other);
        var reason = new Option<string>("--reason") { Description = "why; only its keccak256 goes on-chain (keep the text in your case file)", Required = true };
        var participant = new Option<string>("--participant") { Description = "the certificate's exporter or the anchor's participant" };
        var command = new Command("flag", "governance: mark a record as suspicious or fraudulent (verifiers report it)\nExample: kp flag certificate BW-2026-000123 --level suspicious --category ForgedDocument --reason \"case 42\"") { kind, key, level, category, reason, participant };
        run.Bind(command, async ctx =>
        {
            if (ctx.Parse.GetValue(reason) is not { } why || why.Trim().Length == 0)
            {
                throw new CliUsageException("--reason: must not be empty: say why (only its keccak256 goes on-chain; keep the text in your case file)");
            }
            var k = ctx.Parse.GetValue(kind);
            var text = ctx.Parse.GetValue(key)!;
            var code = ctx.Parse.GetValue(participant);
            var hash = k switch
            {
                FlaggableKind.Certificate => RegistryKeys.Certificate(CertCommands.ExporterOf(text, code, "--participant"),
                    Hash32.TryParse(text, out var nh) ? nh : Keccak.Hash(text)),
                FlaggableKind.Anchor when Hash32.TryParse(text, out var root) => RegistryKeys.Anchor(
                    code is null ? throw new CliUsageException("--participant: an anchor is flagged by its participant and root: give --participant") : ParticipantInput.Parse(code, "--participant"), root),
                _ when Hash32.TryParse(text, out var h) => h,
                _ => throw new CliUsageException($"key: '{text}' is not a 32-byte hash (a certificate may be named by its number)"),
            };
            var tx = await (await ctx.WriterAsync()).SetFlagAsync(k, hash, ctx.Parse.GetValue(level), ctx.Parse.GetValue(category), ctx.Parse.GetValue(reason)!);
            // a certificate is named as people know it (its number), not by its registry key
            var named = k == FlaggableKind.Certificate && !Hash32.TryParse(text, out _) ? $"certificate {text} (registry key {hash.ToShortString()})" : $"{k} {hash.ToShortString()}";
            var set = ctx.Parse.GetValue(level);
            return TransactionOutput.Report(ctx, set == RecordFlag.None ? $"{named}: flag cleared" : $"{named} flagged {set}", tx);
        });
        return command;
    }

    /// <summary>An address typed by a person, parsed strictly (<see cref="StrictValues.Address"/>: a mixed-case address must carry its EIP-55 checksum).</summary>
    public static string Address(string? text, string field)
    {
        try
        {
            return StrictValues.Address(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"{field}: {e.Message}");
        }
    }
}
