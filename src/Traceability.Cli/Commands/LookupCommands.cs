using System.CommandLine;
using System.Globalization;
using Traceability.Chain.Registry;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Cli.Commands;

/// <summary>
/// kp cert history, kp participant show, kp authority list, kp member list: records looked up by the
/// registry's events (<see cref="RegistryHistory"/>). Tables for people (times ISO-8601 UTC, hashes
/// whole), one JSON document with --json (times Unix seconds).
/// </summary>
internal static class LookupCommands
{
    public static Command CertHistory(CommandRunner run)
    {
        var number = new Argument<string>("number") { Description = "the certificate number" };
        var exporter = new Option<string>("--exporter") { Description = "the exporting participant (default: the number's two-letter prefix)" };
        var command = new Command("history", "every event of a certificate, oldest first: issued, confirmed, voided, flagged, unflagged, each with its transaction, block and time\n"
            + "Example: kp cert history BW2026-004711 --exporter BW") { number, exporter };
        run.Bind(command, async ctx =>
        {
            var text = ctx.Parse.GetValue(number)!;
            var code = CertCommands.ExporterOf(text, ctx.Parse.GetValue(exporter));
            var history = await (await HistoryAsync(ctx)).CertificateAsync(code, Keccak.Hash(text), ctx.Cancel);
            if (!history.Exists) throw new CliNotFoundException($"certificate {text} was never issued by {code} here", "number");
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    number = text,
                    exporter = code.Value,
                    numberHash = history.NumberHash.ToString(),
                    key = history.Key.ToString(),
                    status = history.State.Status,
                    flag = history.State.Flag,
                    block = history.Block,
                    events = history.Events.Select(e => new
                    {
                        kind = e.Kind,
                        transaction = e.Mark.TransactionHash,
                        block = e.Mark.BlockNumber,
                        blockTime = e.Mark.BlockTime,
                        authority = e.Authority,
                        relayer = e.Kind == CertificateEventKind.Issued ? e.Relayer : null,
                        importer = e.Importer?.Value,
                        certificateHash = e.Kind == CertificateEventKind.Issued ? e.RecordHash?.ToString() : null,
                        confirmationHash = e.Kind == CertificateEventKind.Confirmed ? e.RecordHash?.ToString() : null,
                        expiresAt = e.ExpiresAt,
                        parcelCount = e.ParcelCount,
                        flag = e.Flag,
                        category = e.Category,
                        evidenceHash = e.EvidenceHash?.ToString(),
                    }),
                });
                return ExitCodes.Ok;
            }
            Output.WriteFields(ctx.Out, [("certificate", text), ("exporter", code.Value), ("number hash", history.NumberHash.ToString()),
                ("status", history.State.Flag == RecordFlag.None ? history.State.Status.ToString() : $"{history.State.Status}, flagged {history.State.Flag}")]);
            ctx.Out.WriteLine();
            Output.WriteTable(ctx.Out, ["EVENT", "BLOCK", "TIME (UTC)", "TRANSACTION", "DETAILS"],
                history.Events.Select(e => (IReadOnlyList<string>)[e.Kind.ToString(), Number(e.Mark.BlockNumber), Iso(e.Mark.BlockTime), e.Mark.TransactionHash, Details(e)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command ParticipantShow(CommandRunner run)
    {
        var code = new Argument<string>("code") { Description = "ISO 3166-1 alpha-2 code, or EU" };
        var command = new Command("show", "a participant: status, when it was added (and suspended or reinstated), its authorities, how many members it has\n"
            + "Example: kp participant show BW") { code };
        run.Bind(command, async ctx =>
        {
            var c = ParticipantInput.Parse(ctx.Parse.GetValue(code), "code", allowUnlisted: true);
            var p = await (await HistoryAsync(ctx)).ParticipantAsync(c, ctx.Cancel);
            if (!p.Exists) throw new CliNotFoundException($"participant {c} was never added here", "code");
            var name = KpParticipants.Find(c)?.Name;
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    code = c.Value,
                    name,
                    status = p.Status,
                    added = p.Added is { } a ? Mark(a) : null,
                    events = p.Events.Select(e => new { kind = e.Kind, transaction = e.Mark.TransactionHash, block = e.Mark.BlockNumber, blockTime = e.Mark.BlockTime }),
                    authorities = p.Authorities.Select(Entry),
                    memberCount = p.Members.Count,
                    block = p.Block,
                });
                return ExitCodes.Ok;
            }
            Output.WriteFields(ctx.Out, [
                ("participant", name is null ? c.Value : $"{c} ({name})"),
                ("status", p.Status.ToString()),
                ("added", p.Added is { } added ? $"{Iso(added.BlockTime)} in block {Number(added.BlockNumber)}, transaction {added.TransactionHash}" : "-"),
                ("authorities", p.Authorities.Count == 0 ? "none" : string.Join(", ", p.Authorities.Select(x => x.Account))),
                ("members", Number((ulong)p.Members.Count) + " active (kp member list " + c + ")"),
            ]);
            ctx.Out.WriteLine();
            Output.WriteTable(ctx.Out, ["EVENT", "BLOCK", "TIME (UTC)", "TRANSACTION"],
                p.Events.Select(e => (IReadOnlyList<string>)[e.Kind.ToString(), Number(e.Mark.BlockNumber), Iso(e.Mark.BlockTime), e.Mark.TransactionHash]));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command AuthorityList(CommandRunner run) => DirectoryList(run, "authorities",
        "the current authorities (added and not removed), with the block each was added in, of one participant or of all\nExample: kp authority list BW",
        (h, code, ct) => h.AuthoritiesAsync(code, ct));

    public static Command MemberList(CommandRunner run) => DirectoryList(run, "members",
        "the current active members (added and not removed), with the block each was (last) added in, of one participant or of all\nExample: kp member list BW",
        (h, code, ct) => h.MembersAsync(code, ct));

    private static Command DirectoryList(CommandRunner run, string what, string description,
        Func<RegistryHistory, ParticipantCode?, CancellationToken, Task<IReadOnlyList<DirectoryEntry>>> read)
    {
        var code = new Argument<string?>("code") { Description = "the participant (default: every participant)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", description) { code };
        var members = what == "members";
        run.Bind(command, async ctx =>
        {
            ParticipantCode? c = ctx.Parse.GetValue(code) is { } text ? ParticipantInput.Parse(text, "code", allowUnlisted: true) : null;
            var reader = await ctx.ReaderAsync();
            if (c is { } named && await reader.ParticipantStatusAsync(named) == ParticipantStatus.None)
            {
                throw new CliNotFoundException($"participant {named} was never added here", "code");
            }
            var entries = await read(new RegistryHistory(reader, ctx.FromBlock), c, ctx.Cancel);
            if (ctx.Json)
            {
                var list = entries.Select(Entry);
                Output.WriteJson(ctx.Out, members ? new { participant = c?.Value, members = list } : new { participant = c?.Value, authorities = list });
            }
            else if (entries.Count == 0) ctx.Out.WriteLine($"no current {what}{(c is null ? "" : $" of {c}")}");
            else
            {
                IReadOnlyList<string> header = members ? ["PARTICIPANT", "ACCOUNT", "INDEX", "BLOCK", "TIME (UTC)", "TRANSACTION"] : ["PARTICIPANT", "ACCOUNT", "BLOCK", "TIME (UTC)", "TRANSACTION"];
                Output.WriteTable(ctx.Out, header, entries.Select(e => (IReadOnlyList<string>)(members
                    ? [e.Participant.Value, e.Account, Number(e.MemberIndex ?? 0), Number(e.Added.BlockNumber), Iso(e.Added.BlockTime), e.Added.TransactionHash]
                    : [e.Participant.Value, e.Account, Number(e.Added.BlockNumber), Iso(e.Added.BlockTime), e.Added.TransactionHash])));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<RegistryHistory> HistoryAsync(CliContext ctx) => new(await ctx.ReaderAsync(), ctx.FromBlock);

    private static object Mark(EventMark m) => new { transaction = m.TransactionHash, block = m.BlockNumber, blockTime = m.BlockTime };

    private static object Entry(DirectoryEntry e) => new
    {
        participant = e.Participant.Value,
        account = e.Account,
        index = e.MemberIndex,
        transaction = e.Added.TransactionHash,
        block = e.Added.BlockNumber,
        blockTime = e.Added.BlockTime,
    };

    private static string Details(CertificateEvent e) => e.Kind switch
    {
        CertificateEventKind.Issued => $"to {e.Importer?.Value ?? "?"}, {e.ParcelCount} parcel(s), expires {Iso(e.ExpiresAt ?? 0)}, by {e.Authority}"
            + (e.Relayer is { } r && !string.Equals(r, e.Authority, StringComparison.OrdinalIgnoreCase) ? $" relayed by {r}" : ""),
        CertificateEventKind.Confirmed => $"import by {e.Importer?.Value ?? "?"} confirmed by {e.Authority}",
        CertificateEventKind.Voided => $"by {e.Authority}",
        _ => $"{e.Flag}, category {e.Category}, evidence {e.EvidenceHash}",
    };

    /// <summary>Unix seconds as ISO-8601 UTC (2026-11-27T10:27:45Z).</summary>
    public static string Iso(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(ulong n) => n.ToString(CultureInfo.InvariantCulture);
}
