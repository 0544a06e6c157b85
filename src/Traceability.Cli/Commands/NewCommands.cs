using System.CommandLine;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Core.Validation;

namespace Traceability.Cli.Commands;

/// <summary>kp new parcel|transformation|certificate|confirmation: make valid documents with fresh salts.</summary>
internal static class NewCommands
{
    public static Command New(CommandRunner run)
    {
        var command = new Command("new", "make a new record document (fresh random salt, KP rules checked)\nExample: kp new parcel --participant BW --carats 12.5 --mine Jwaneng --out p1.json");
        command.Subcommands.Add(Parcel(run));
        command.Subcommands.Add(Transformation(run));
        command.Subcommands.Add(Certificate(run));
        command.Subcommands.Add(Confirmation(run));
        return command;
    }

    private static Option<FileInfo?> Out() => new("--out") { Description = "file to write (default: standard output)" };

    private static Option<ulong?> Date() => StrictOptions.DocumentDate("--date", $"date (yyyy-MM-dd, UTC) or Unix seconds, at most {Plausibility.MaxDaysAhead} days ahead (default: now)");

    private static Command Parcel(CommandRunner run)
    {
        var participant = new Option<string>("--participant") { Description = "participant holding the parcel (ISO code)", Required = true };
        var carats = StrictOptions.Carats("--carats", $"weight in carats: digits, a dot and at most two decimals (12.5), at most {Plausibility.MaxCarats:N0}", required: true);
        var value = StrictOptions.UsDollars("--value-usd", $"declared value in US$: digits, a dot and at most two decimals, at most {Plausibility.MaxValueUsd:N0} (default 0)");
        var mine = new Option<string>("--mine") { Description = "mine or zone of production (empty for a derived parcel)", DefaultValueFactory = _ => "" };
        var origins = new Option<string[]>("--origin") { Description = "country of origin (repeat for mixed origin; default: the participant)", AllowMultipleArgumentsPerToken = true };
        var hs = new Option<string>("--hs") { Description = "HS code 7102.10, 7102.21 or 7102.31", DefaultValueFactory = _ => "7102.10" };
        var id = new Option<string?>("--id") { Description = "your reference for the parcel (default: generated)" };
        var date = Date();
        var output = Out();
        var command = new Command("parcel", "a parcel document\nExample: kp new parcel --participant BW --carats 12.5 --mine Jwaneng --out p1.json") { participant, carats, value, mine, origins, hs, id, date, output };
        run.Bind(command, ctx =>
        {
            var code = ParticipantInput.Parse(ctx.Parse.GetValue(participant), "--participant");
            var originCodes = (ctx.Parse.GetValue(origins) is { Length: > 0 } o ? o : [code.Value]).Select(x => ParticipantInput.Parse(x, "--origin")).ToList();
            var record = new ParcelRecord(
                ctx.Parse.GetValue(id) ?? $"{code}-{DateTime.UtcNow:yyyyMMdd}-{Random.Shared.Next(1_000_000):D6}",
                code, [.. originCodes], ctx.Parse.GetValue(mine) ?? "",
                ctx.Parse.GetValue(carats), ctx.Parse.GetValue(value),
                ctx.Parse.GetValue(hs)!, Seconds(ctx.Parse.GetValue(date)), Salt.New());
            return Emit(ctx, record, ctx.Parse.GetValue(output));
        });
        return command;
    }

    private static Command Transformation(CommandRunner run)
    {
        var participant = new Option<string>("--participant") { Description = "participant where it happens", Required = true };
        var operation = StrictOptions.Word("--operation", "split, merge or sort", TransformationRecord.Operations, required: true);
        var inputs = new Option<FileInfo[]>("--inputs") { Description = "documents of the consumed parcels", Required = true, AllowMultipleArgumentsPerToken = true };
        var outputs = new Option<FileInfo[]>("--outputs") { Description = "documents of the created parcels", Required = true, AllowMultipleArgumentsPerToken = true };
        var id = new Option<string?>("--id") { Description = "your reference (default: generated)" };
        var date = Date();
        var output = Out();
        var command = new Command("transformation", "a transformation document from its input and output parcel documents\nExample: kp new transformation --participant BW --operation split --inputs p1.json --outputs p3.json p4.json --out split.json") { participant, operation, inputs, outputs, id, date, output };
        run.Bind(command, ctx =>
        {
            var code = ParticipantInput.Parse(ctx.Parse.GetValue(participant), "--participant");
            var ins = ctx.Parse.GetValue(inputs)!.Select(f => Documents.LoadValid<ParcelRecord>(f)).ToList();
            var outs = ctx.Parse.GetValue(outputs)!.Select(f => Documents.LoadValid<ParcelRecord>(f)).ToList();
            var foreign = ctx.Parse.GetValue(outputs)!.Zip(outs).FirstOrDefault(x => x.Second.Participant != code);
            if (foreign.Second is { } f)
            {
                // the registry computes each output's hash under the transformation's participant
                throw new CliUsageException($"--outputs: {foreign.First.Name} names participant {f.Participant}; the outputs of a transformation in {code} are held by {code}");
            }
            if (outs.Sum(p => (decimal)p.Carats) > ins.Sum(p => (decimal)p.Carats))
            {
                throw new CliUsageException("--outputs: the outputs weigh more than the inputs: carats cannot grow");
            }
            var record = TransformationRecord.Create(
                ctx.Parse.GetValue(id) ?? $"{code}-T-{DateTime.UtcNow:yyyyMMdd}-{Random.Shared.Next(1_000_000):D6}",
                code, ctx.Parse.GetValue(operation)!, ins.Select(p => p.Hash()).Order(), outs,
                Seconds(ctx.Parse.GetValue(date)), Salt.New());
            return Emit(ctx, record, ctx.Parse.GetValue(output));
        });
        return command;
    }

    private static Command Certificate(CommandRunner run)
    {
        var number = new Option<string>("--number") { Description = "certificate number, prefixed with the exporter's code", Required = true };
        var exporter = new Option<string>("--exporter") { Description = "exporting participant", Required = true };
        var importer = new Option<string>("--importer") { Description = "importing participant", Required = true };
        var parcels = new Option<FileInfo[]>("--parcels") { Description = "documents of the shipment's parcels (weight, value and origins are summed from them)", Required = true, AllowMultipleArgumentsPerToken = true };
        var authority = new Option<string>("--authority-name") { Description = "issuing authority's name", Required = true };
        var exporterName = new Option<string>("--exporter-name") { Description = "exporter's name and address", Required = true };
        var importerName = new Option<string>("--importer-name") { Description = "importer's name and address", Required = true };
        var hs = new Option<string>("--hs") { Description = "HS code 7102.10, 7102.21 or 7102.31", DefaultValueFactory = _ => "7102.31" };
        var validDays = StrictOptions.Integer("--valid-days", $"days from issue to expiry (1-{Plausibility.MaxDaysAhead})", 1, Plausibility.MaxDaysAhead, 60);
        var date = Date();
        var output = Out();
        var command = new Command("certificate", "a KP certificate document for a shipment of parcels\nExample: kp new certificate --number BW-2026-000123 --exporter BW --importer AE --parcels p3.json --authority-name \"Ministry of Minerals\" --exporter-name \"Exporter Ltd, Gaborone\" --importer-name \"Importer LLC, Dubai\" --out cert.json")
            { number, exporter, importer, parcels, authority, exporterName, importerName, hs, validDays, date, output };
        run.Bind(command, ctx =>
        {
            var docs = ctx.Parse.GetValue(parcels)!.Select(f => Documents.LoadValid<ParcelRecord>(f)).ToList();
            var issued = Seconds(ctx.Parse.GetValue(date));
            var days = ctx.Parse.GetValue(validDays);
            var origins = docs.SelectMany(d => d.Origins).Distinct().OrderBy(c => c.Value, StringComparer.Ordinal).ToList();
            var record = new CertificateRecord(ctx.Parse.GetValue(number)!, ParticipantInput.Parse(ctx.Parse.GetValue(exporter), "--exporter"),
                ParticipantInput.Parse(ctx.Parse.GetValue(importer), "--importer"), issued + (ulong)days * 86_400, [.. docs.Select(d => d.Hash())],
                new CertificateDetails(issued, ctx.Parse.GetValue(authority)!, ctx.Parse.GetValue(exporterName)!, ctx.Parse.GetValue(importerName)!,
                    (uint)docs.Count, Total(docs.Select(d => d.Carats), "--parcels: their carats"), Total(docs.Select(d => d.ValueUsdCents), "--parcels: their value"), ctx.Parse.GetValue(hs)!,
                    [.. origins], Salt.New()));
            return Emit(ctx, record, ctx.Parse.GetValue(output));
        });
        return command;
    }

    private static Command Confirmation(CommandRunner run)
    {
        var certificate = new Argument<FileInfo>("certificate") { Description = "the certificate being confirmed" };
        var authority = new Option<string>("--authority-name") { Description = "confirming authority's name", Required = true };
        var date = Date();
        var output = Out();
        var command = new Command("confirmation", "an import confirmation of a certificate\nExample: kp new confirmation cert.json --authority-name \"Dubai Multi Commodities Centre\" --out confirmation.json") { certificate, authority, date, output };
        run.Bind(command, ctx =>
        {
            var cert = Documents.Load<CertificateRecord>(ctx.Parse.GetValue(certificate)!);
            var record = new ImportConfirmationRecord(cert.Number, cert.Exporter, cert.Importer, (uint)cert.Parcels.Length, cert.Details.Carats,
                Seconds(ctx.Parse.GetValue(date)), ctx.Parse.GetValue(authority)!, Salt.New());
            return Emit(ctx, record, ctx.Parse.GetValue(output));
        });
        return command;
    }

    private static Task<int> Emit(CliContext ctx, KpRecord record, FileInfo? file)
    {
        // what kp writes, kp (and the service) must read back: the document goes through the same strict
        // reader as any other before anything is written (a 101-character id, a blank name: refused here)
        string json;
        KpRecord back;
        try
        {
            json = RecordJson.Write(record);
            back = RecordJson.Parse(json);
        }
        catch (RecordFormatException e)
        {
            throw new CliUsageException($"the document would not be readable: {e.Field}: {e.Problem}. Nothing was written.");
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"the document would not be readable: {e.Message}. Nothing was written.");
        }
        if (back.Hash() != record.Hash()) throw new CliUsageException("the document would not read back as written (its hash changes). Nothing was written.");
        var errors = Plausibility.CheckAll(record, DateTimeOffset.UtcNow);
        if (errors.Count > 0)
        {
            // named by the option that set the field when there is one (--number), else by the document's field
            var first = errors[0];
            var option = OptionOf(first.Field);
            throw new CliUsageException($"{(option is null ? "" : option + ": ")}{first.Field}: {first.Message}{(errors.Count > 1 ? "; also " + string.Join("; ", errors.Skip(1)) : "")}. Nothing was written.", option ?? first.Field);
        }
        Documents.Write(record, file, ctx.Out);
        // with --json and --out, one document says what was written (without --out, the document itself is the output)
        if (file is not null && ctx.Json) Output.WriteJson(ctx.Out, new { path = file.FullName, hash = record.Hash().ToString(), kind = record.Kind.ToJsonName() });
        else if (file is not null) ctx.Err.WriteLine($"✓ {record.Kind.ToJsonName()} {record.Hash()} written to {file.FullName}");
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>The date given (already parsed strictly by its option), or now.</summary>
    private static ulong Seconds(ulong? given) => given ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A sum of amounts from documents; a sum too large for the record is a usage error (the plausibility bound then names it).</summary>
    private static ulong Total(IEnumerable<ulong> amounts, string what)
    {
        UInt128 total = 0;
        foreach (var a in amounts) total += a;
        return total <= ulong.MaxValue ? (ulong)total : throw new CliUsageException($"{what} add up to more than a document can hold");
    }

    // the kp new option that sets a document field, where one does
    private static string? OptionOf(string field) => field.Split('.')[^1] switch
    {
        "number" => "--number",
        "exporter" => "--exporter",
        "importer" => "--importer",
        "participant" => "--participant",
        "carats" => "--carats",
        "valueUsdCents" => "--value-usd",
        "mine" => "--mine",
        "parcels" or "parcelCount" => "--parcels",
        "issuingAuthority" or "authorityName" => "--authority-name",
        "exporterName" => "--exporter-name",
        "importerName" => "--importer-name",
        "hsCode" => "--hs",
        "operation" => "--operation",
        "inputs" => "--inputs",
        "outputs" => "--outputs",
        _ => null,
    };
}
