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
        var output = new Option<FileInfo?>("--out") { Description = "with --sign-only: where to write the signed certificate, or with --typed-data the typed data (default: standard output)" };
        var typedData = new Option<bool>("--typed-data")
        {
            Description = "with --sign-only: print the complete eth_signTypedData_v4 document (types, domain, primaryType, message: the certificate and its deadline) "
                + "for a hardware wallet, a browser wallet or an HSM to sign, instead of signing; then kp cert attach-signature",
        };
        var issue = new Command("issue", "issue a certificate as an authority of its exporting participant\nExample: kp cert issue cert.json --sign-only --out signed.json") { file, signOnly, validMinutes, output, typedData };
        run.Bind(issue, async ctx =>
        {
            var cert = Documents.LoadValid<CertificateRecord>(ctx.Parse.GetValue(file)!);
            if (ctx.Parse.GetValue(typedData) && !ctx.Parse.GetValue(signOnly)) throw new CliUsageException("--typed-data: only with --sign-only (what to sign for a relay)", "--typed-data");
            if (ctx.Parse.GetValue(signOnly))
            {
                var minutes = ctx.Parse.GetValue(validMinutes);
                if (ctx.Parse.GetValue(typedData)) return await TypedDataAsync(ctx, cert, ctx.Parse.GetValue(file)!.Name, minutes, ctx.Parse.GetValue(output));
                var account = await ctx.AccountAsync();
                var domain = await ctx.DomainAsync();
                var reader = await ctx.ReaderAsync();
                var deadline = await reader.BlockTimestampAsync() + (ulong)minutes * 60;
                var signed = await CertificateSigner.SignAsync(cert with { Authorization = null }, deadline, account, domain, ctx.Cancel);
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

        var attachFile = new Argument<FileInfo>("certificate") { Description = "the certificate document whose typed data was signed (kp cert issue --sign-only --typed-data)" };
        var signature = StrictOptions.Text("--signature", $"the authority's signature of the typed data: {SignatureForm.Rule}", ParseSignature);
        signature.Required = true;
        signature.HelpName = "0x…";
        var deadlineOption = StrictOptions.AnyDate("--deadline", "the deadline in the signed typed data (message.deadline, Unix seconds)");
        deadlineOption.Required = true;
        var authorityOption = StrictOptions.Address("--authority", "the authority that signed: the signature must recover this address");
        authorityOption.Required = true;
        var attachOutput = new Option<FileInfo?>("--out") { Description = "where to write the signed certificate (default: standard output)" };
        var attach = new Command("attach-signature",
            "attach an authority's signature made outside kp (hardware or browser wallet, HSM) to a certificate, after checking it recovers the authority; any account may then relay it\n"
            + "Example: kp cert attach-signature cert.json --signature 0x… --deadline 1790086400 --authority 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --out signed.json")
        { attachFile, signature, deadlineOption, authorityOption, attachOutput };
        run.Bind(attach, async ctx =>
        {
            var cert = Documents.LoadValid<CertificateRecord>(ctx.Parse.GetValue(attachFile)!) with { Authorization = null };
            var sig = ctx.Parse.GetValue(signature)!;
            var deadline = ctx.Parse.GetValue(deadlineOption)!.Value;
            var authority = ctx.Parse.GetValue(authorityOption)!;
            var domain = await ctx.DomainAsync();
            var signer = CertificateSigner.Recover(sig, CertificateSigner.Digest(cert, deadline, domain));
            if (!string.Equals(signer, authority, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliUsageException($"--signature: it is {(signer is null ? "nobody's" : signer + "'s")} signature of certificate {cert.Number} with deadline {deadline} on this registry "
                    + $"(chain {domain.ChainId}, {domain.VerifyingContract}), not {authority}'s: sign the typed data of kp cert issue --sign-only --typed-data as printed, and give its deadline. Nothing was written.", "--signature");
            }
            var signed = CertificateSigner.Attach(cert, deadline, authority, sig, domain);
            await WarnUnlessAuthorityAsync(ctx, await ctx.ReaderAsync(), cert.Exporter, authority);
            var o = ctx.Parse.GetValue(attachOutput);
            Documents.Write(signed, o, ctx.Out);
            if (o is not null)
            {
                if (ctx.Json) Output.WriteJson(ctx.Out, new { path = o.FullName, hash = cert.Hash().ToString(), kind = "certificate", authority, deadline });
                else ctx.Err.WriteLine($"✓ {authority}'s signature attached to {cert.Number}, relayable until {DateTimeOffset.FromUnixTimeSeconds((long)deadline):u}: {o.FullName}");
            }
            return ExitCodes.Ok;
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
        command.Subcommands.Add(attach);
        command.Subcommands.Add(relay);
        command.Subcommands.Add(confirm);
        command.Subcommands.Add(voidCommand);
        command.Subcommands.Add(status);
        command.Subcommands.Add(LookupCommands.CertHistory(run));
        command.Subcommands.Add(PrintCommand.Create(run));
        return command;
    }

    /// <summary>
    /// The typed data an authority signs outside kp: the certificate and a deadline <paramref name="minutes"/> from the chain's
    /// time, over the registry's domain. No account is opened and nothing secret is written.
    /// </summary>
    private static async Task<int> TypedDataAsync(CliContext ctx, CertificateRecord cert, string fileName, int minutes, FileInfo? output)
    {
        var domain = await ctx.DomainAsync();
        var reader = await ctx.ReaderAsync();
        var deadline = await reader.BlockTimestampAsync() + (ulong)minutes * 60;
        var json = CertificateSigner.TypedData(cert, deadline, domain);
        var digest = CertificateSigner.Digest(cert with { Authorization = null }, deadline, domain).ToString();
        if (output is null)
        {
            ctx.Out.Write(json);
        }
        else
        {
            InputFiles.RequireWritable(output);
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, json, ctx.Cancel);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { path = output.FullName, kind = "typedData", deadline, digest });
        }
        if (!ctx.Json)
        {
            await ctx.Err.WriteLineAsync($"sign this typed data (eth_signTypedData_v4, digest {digest}) with the authority's wallet before {DateTimeOffset.FromUnixTimeSeconds((long)deadline):u}, then: "
                + $"kp cert attach-signature {fileName} --signature 0x… --deadline {deadline} --authority 0x… --out signed.json");
        }
        return ExitCodes.Ok;
    }

    /// <summary>A signature's text: 0x and 128 or 130 hex digits (the form rule is checked with the digest), returned as 0x and lower-case hex.</summary>
    private static string ParseSignature(string text)
    {
        var t = text.Trim();
        if (t.Length is not (130 or 132) || !t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !t[2..].All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"'{(t.Length > 20 ? t[..20] + "…" : t)}' is not a signature: expected 0x and 130 hex digits (65 bytes) or 128 (64 bytes, EIP-2098)");
        }
        if (!SignatureForm.IsAccepted(t)) throw new FormatException($"not in a form the registry accepts: {SignatureForm.Rule}");
        return "0x" + t[2..].ToLowerInvariant(); // written as documents are read: 0x and lower-case hex, in the form given
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
