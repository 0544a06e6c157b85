using System.CommandLine;
using System.Text;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Records;

namespace Traceability.Cli.Commands;

/// <summary>kp epcis export: the record documents a participant holds as one EPCIS 2.0 JSON-LD document (the mapping is Core's <see cref="EpcisExporter"/>).</summary>
internal static class EpcisExportCommand
{
    public static Command Create(CommandRunner run)
    {
        var paths = new Argument<FileSystemInfo[]>("documents")
        {
            Description = "record documents: files, or folders whose *.json files directly in them are all KP documents",
            Arity = ArgumentArity.OneOrMore,
        };
        var out_ = new Option<FileInfo>("--out") { Description = "write the EPCIS document to this file (default: standard output; required with --json, whose summary goes to standard output)" };
        var onChain = new Option<bool>("--onchain") { Description = "leave out every record the registry does not hold as it is (reads the chain: a parcel or transformation registered, a certificate issued, a confirmation recorded)" };
        var command = new Command("export", "turn record documents into one EPCIS 2.0 JSON-LD document: origin parcels as commissioning ObjectEvents, transformations as "
            + "TransformationEvents, certificates as shipping and confirmations as receiving ObjectEvents, each named by its Event Hash ID (eventID); "
            + "kp epcis import gives the same records back\nExample: kp epcis export demo-output/documents --out trade.jsonld") { paths, out_, onChain };
        run.Bind(command, async ctx =>
        {
            var file = ctx.Parse.GetValue(out_);
            if (ctx.Json && file is null) throw new CliUsageException("--out: with --json the EPCIS document is written to a file (give --out) and its summary to standard output");
            var records = Documents.LoadAll(ctx.Parse.GetValue(paths)!).DistinctBy(r => r.Hash()).ToList();
            var leftOut = new List<KpRecord>();
            if (ctx.Parse.GetValue(onChain))
            {
                var reader = await ctx.ReaderAsync();
                var held = new List<KpRecord>();
                foreach (var r in records) (await EpcisRecordState.IsOnChainAsync(reader, r) ? held : leftOut).Add(r);
                records = held;
            }
            if (records.Count == 0) throw new CliUsageException($"documents: no record to export{(leftOut.Count > 0 ? $" ({leftOut.Count} not on the chain)" : "")}", "documents");
            string document;
            try
            {
                document = EpcisExporter.Export(records);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException($"documents: {e.Message}", "documents");
            }
            // the document read back: the events and the records each gives (and proof that they are the same records)
            var events = EpcisImporter.Import(Encoding.UTF8.GetBytes(document));
            if (events.Any(e => !e.IsMapped) || events.Sum(e => e.Records.Count) != records.Count)
            {
                throw new InvalidOperationException("the EPCIS export does not import back to its records: " + events.FirstOrDefault(e => !e.IsMapped)?.Reason);
            }
            if (file is not null)
            {
                InputFiles.RequireWritable(file);
                file.Directory?.Create();
                await File.WriteAllTextAsync(file.FullName, document, ctx.Cancel);
            }
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    @out = file!.FullName,
                    events = events.Select(EpcisImportCommand.EventJson),
                    leftOut = leftOut.Select(r => new { kind = r.Kind.ToJsonName(), hash = r.Hash().ToString() }),
                });
            }
            else if (file is null) ctx.Out.Write(document);
            else
            {
                ctx.Out.WriteLine($"wrote {events.Count} EPCIS event(s) for {records.Count} record(s) to {file.FullName}");
                if (leftOut.Count > 0) ctx.Out.WriteLine($"left out {leftOut.Count} record(s) the registry does not hold: {string.Join(", ", leftOut.Select(r => $"{r.Kind.ToJsonName()} {r.Hash().ToShortString()}"))}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
