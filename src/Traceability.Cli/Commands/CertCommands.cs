using System.CommandLine;
using System.Globalization;
using Traceability.Chain.Signing;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Records;
using Traceability.Core.Validation;

namespace Traceability.Cli.Commands;

/// <summary>kp cert issue|relay|confirm|void|status (and history, in <see cref="LookupCommands"/>): what authorities do.</summary>
internal static class CertCommands
{
    public static Command Cert(CommandRunner run)
    {
        var command = new Command("cert", "authority: issue, confirm and void KP certificates; anyone: look one up (status, history)\nExample: kp cert issue cert.json");

        var file = new Argument<FileInfo>("certificate") { Description = "the certificate document (JSON)" };
        var signOnly = new Option<bool>("--sign-only") { Description = "sign the certificate (EIP-712) for another account to relay, instead of sending it" };
        var validMinutes = StrictOptions.Integer("--valid-minutes", $"with --sign-only: how long the signature may be relayed, in minutes (1-{Plausibility.MaxDaysAhead * 24 * 60})",
            1, Plausibility.MaxDaysAhead * 24 * 60, 24 * 60);
        var output = new Option<FileInfo?>("--out") { Description = "with --sign-only: where to write the signed certificate (default: standard output)" };
        var issue = new Command("issue", "issue a certificate as an authority of its exporting participant\nExample: kp cert issue cert.json --sign-only --out signed.json") { file, signOnly, validMinutes, output };
        run.Bind(issue, async ctx =>
        {
            var cert = Documents.LoadValid<CertificateRecord>(ctx.Parse.GetValue(file)!);
            if (ctx.Parse.GetValue(signOnly))
            {
                var minutes = ctx.Parse.GetValue(validMinutes);
                var account = await ctx.AccountAsync();
                var domain = await ctx.DomainAsync();
                var reader = await ctx.ReaderAsync();
                var deadline = await reader.BlockTimestampAsync() + (ulong)minutes * 60;
                var signed = CertificateSigner.Sign(cert with { Authorization = null }, deadline, account, domain);
                await WarnUnlessAuthorityAsync(ctx, reader, cert.Exporter, account.Address);
                Documents.Write(signed, ctx.Parse.GetValue(output), ctx.Out);
                if (ctx.Json && ctx.Parse.GetValue(output) is { } written) Output.WriteJson(ctx.Out, new { path = written.FullName, hash = cert.Hash().ToString(), kind = "certificate", authority = account.Address, deadline });
                if (ctx.Parse.GetValue(output) is { } o) ctx.Err.WriteLine($"✓ signed {cert.Number} as {account.Address}, relayable until {DateTimeOffset.FromUnixTimeSeconds((long)deadline):u}: {o.FullName}");
                return ExitCodes.Ok;
            }
            var tx = await (await ctx.WriterAsync()).IssueCertificateAsync(cert with { Authorization = null }, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "certificate hash", [cert.Hash()],
                WriteChecks.Emitted<Chain.Registry.CertificateIssuedEvent>(tx, ctx.RegistryAddress, e => e.CertificateHash));
            return TransactionOutput.Report(ctx, $"certificate {cert.Number} issued {cert.Exporter} -> {cert.Importer}, {cert.Parcels.Length} parcel(s) locked", tx,
                new { certificate = cert.Hash().ToString(), numberHash = cert.NumberHash.ToString() });
        });

        var relayFile = new Argument<FileInfo>("certificate") { Description = "a certificate signed with kp cert issue --sign-only" };
        var relay = new Command("relay", "send a certificate signed by its exporting authority (any account may relay it)\nExample: kp cert relay signed.json") { relayFile };
        run.Bind(relay, async ctx =>
        {
            var cert = Documents.LoadValid<CertificateRecord>(ctx.Parse.GetValue(relayFile)!);
            if (cert.Authorization is null) throw new CliUsageException($"{ctx.Parse.GetValue(relayFile)!.Name}: authorization: missing: sign it first with kp cert issue --sign-only");
            var tx = await (await ctx.WriterAsync()).RelayCertificateAsync(cert, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "certificate hash", [cert.Hash()],
                WriteChecks.Emitted<Chain.Registry.CertificateIssuedEvent>(tx, ctx.RegistryAddress, e => e.CertificateHash));
            return TransactionOutput.Report(ctx, $"certificate {cert.Number} issued on behalf of {cert.Authorization.Authority}", tx,
                new { certificate = cert.Hash().ToString() });
        });

        var confirmCert = new Argument<FileInfo>("certificate") { Description = "the certificate document" };
        var confirmation = new Argument<FileInfo>("confirmation") { Description = "the import confirmation document" };
        var confirm = new Command("confirm", "confirm an import as an authority of the importing participant\nExample: kp cert confirm cert.json confirmation.json") { confirmCert, confirmation };
        run.Bind(confirm, async ctx =>
        {
            var cert = Documents.Load<CertificateRecord>(ctx.Parse.GetValue(confirmCert)!);
            var conf = Documents.LoadValid<ImportConfirmationRecord>(ctx.Parse.GetValue(confirmation)!);
            if (conf.CertificateNumber != cert.Number || conf.Importer != cert.Importer || conf.Exporter != cert.Exporter || conf.ParcelCount != cert.Parcels.Length)
            {
                throw new CliUsageException("confirmation: its certificate number, parties and parcel count must be the certificate's");
            }
            if (conf.Carats != cert.Details.Carats)
            {
                throw new CliUsageException($"{ctx.Parse.GetValue(confirmation)!.Name}: carats: the confirmation states {conf.Carats / 100m:0.00} ct but certificate {cert.Number} certifies {cert.Details.Carats / 100m:0.00} ct "
                    + "(details.carats): an import is confirmed for the certified weight. Nothing was sent.");
            }
            var tx = await (await ctx.WriterAsync()).ConfirmImportAsync(cert, conf, ctx.Cancel);
            WriteChecks.RequireRegistered(tx, "confirmation hash", [conf.Hash()],
                WriteChecks.Emitted<Chain.Registry.ImportConfirmedEvent>(tx, ctx.RegistryAddress, e => e.ConfirmationHash));
            return TransactionOutput.Report(ctx, $"import of {cert.Number} confirmed: {cert.Parcels.Length} parcel(s) now held by {cert.Importer}", tx,
                new { confirmation = conf.Hash().ToString() });
        });

        var voidFile = new Argument<FileInfo>("certificate") { Description = "the certificate document" };
        var voidCommand = new Command("void", "void an unconfirmed certificate as an authority of its exporting participant\nExample: kp cert void cert.json") { voidFile };
        run.Bind(voidCommand, async ctx =>
        {
            var cert = Documents.Load<CertificateRecord>(ctx.Parse.GetValue(voidFile)!);
            var tx = await (await ctx.WriterAsync()).VoidCertificateAsync(cert, ctx.Cancel);
            return TransactionOutput.Report(ctx, $"certificate {cert.Number} voided; its parcels are released", tx);
        });

        var number = new Argument<string>("number") { Description = "the certificate number" };
        var exporter = new Option<string>("--exporter") { Description = "the exporting participant (default: the number's two-letter prefix)" };
        var status = new Command("status", "show a certificate's on-chain state by its number (a number belongs to its exporter)\nExample: kp cert status BW-2026-000123") { number, exporter };
        run.Bind(status, async ctx =>
        {
            var text = ctx.Parse.GetValue(number)!;
            var owner = ExporterOf(text, ctx.Parse.GetValue(exporter)); // a bad code is refused before the chain is asked
            var s = await (await ctx.ReaderAsync()).CertificateAsync(owner, text);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { numberHash = s.NumberHash.ToString(), exists = s.Exists, status = s.Status, exporter = s.Exporter?.Value, importer = s.Importer?.Value, expiresAt = s.ExpiresAt, parcelCount = s.ParcelCount, flag = s.Flag });
            else if (!s.Exists) ctx.Out.WriteLine($"no certificate numbered {ctx.Parse.GetValue(number)} is on record");
            else Output.WriteFields(ctx.Out, [("status", s.Status.ToString()), ("exporter", s.Exporter?.Value ?? ""), ("importer", s.Importer?.Value ?? ""),
                ("expires", DateTimeOffset.FromUnixTimeSeconds(s.ExpiresAt).ToString("u", CultureInfo.InvariantCulture)), ("parcels", s.ParcelCount.ToString(CultureInfo.InvariantCulture)), ("flag", s.Flag.ToString())]);
            return s.Exists ? ExitCodes.Ok : ExitCodes.NotVerified;
        });

        command.Subcommands.Add(issue);
        command.Subcommands.Add(relay);
        command.Subcommands.Add(confirm);
        command.Subcommands.Add(voidCommand);
        command.Subcommands.Add(status);
        command.Subcommands.Add(LookupCommands.CertHistory(run));
        command.Subcommands.Add(PrintCommand.Create(run));
        return command;
    }

    /// <summary>
    /// A signature by an account that is not an authority of the exporter is written all the same (the
    /// authority may be added before it is relayed), but said on stderr now rather than found at the relay.
    /// A chain that stops answering only skips the warning.
    /// </summary>
    private static async Task WarnUnlessAuthorityAsync(CliContext ctx, Chain.Registry.RegistryReader reader, Core.Participants.ParticipantCode exporter, string account)
    {
        bool authority;
        try
        {
            authority = await reader.IsAuthorityAsync(exporter, account, ct: ctx.Cancel);
        }
        catch (Exception e) when (e is Chain.Rpc.ChainUnavailableException or Chain.Rpc.ChainRpcException or TimeoutException)
        {
            return;
        }
        if (!authority)
        {
            await ctx.Err.WriteLineAsync($"warning: {account} is not an authority of {exporter} on this registry; the relay will refuse this signature "
                + $"(kp authority add {exporter} {account} makes it one)");
        }
    }

    /// <summary>The exporter a certificate number belongs to: the option <paramref name="option"/> (<paramref name="exporter"/>), or the number's KP prefix.</summary>
    internal static Core.Participants.ParticipantCode ExporterOf(string number, string? exporter, string option = "--exporter")
    {
        if (exporter is not null) return ParticipantInput.Parse(exporter, option);
        return Core.Participants.ParticipantCode.TryParse(number.Length >= 2 ? number[..2] : number, out var c) ? c
            : throw new CliUsageException($"number: '{number}' does not start with a participant code; give {option}", "number");
    }
}
