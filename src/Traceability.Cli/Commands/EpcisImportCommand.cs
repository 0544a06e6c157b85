using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Epcis;
using Traceability.Core.Epcis.Mapping;
using Traceability.Core.Json;
using Traceability.Core.Records;

namespace Traceability.Cli.Commands;

/// <summary>kp epcis import: an EPCIS 2.0 document from a member's system -> KP record documents (the mapping is Core's <see cref="EpcisImporter"/>).</summary>
internal static class EpcisImportCommand
{
    public static Command Create(CommandRunner run)
    {
        var file = new Argument<FileInfo>("document") { Description = $"an EPCIS 2.0 JSON-LD document, a regular file of at most {EpcisEventHasher.MaxDocumentBytes >> 20} MiB" };
        var out_ = new Option<DirectoryInfo>("--out") { Description = "write the record documents into this folder (kind-reference.json; default: only report what the events give)" };
        var command = new Command("import", "map the events of an EPCIS 2.0 document to KP record documents (commissioning: parcel; TransformationEvent: transformation "
            + "and its output parcels; shipping and receiving with their KP data: certificate and import confirmation); all or nothing: an event that "
            + "cannot be mapped is named by its Event Hash ID with the field, and nothing is written (exit 2)\nExample: kp epcis import trade.jsonld --out records") { file, out_ };
        run.Bind(command, ctx =>
        {
            var bytes = InputFiles.ReadBytes(ctx.Parse.GetValue(file)!.FullName, EpcisEventHasher.MaxDocumentBytes, "document");
            IReadOnlyList<EpcisImportedEvent> events;
            try
            {
                events = EpcisImporter.Import(bytes);
            }
            catch (EpcisFormatException e)
            {
                throw new RecordFormatException(e.Field, e.Problem);
            }
            var rejected = events.Where(e => !e.IsMapped).ToList();
            if (rejected.Count > 0)
            {
                var first = rejected[0];
                var more = rejected.Count > 1 ? $" ({rejected.Count - 1} more event(s) rejected: {string.Join(", ", rejected.Skip(1).Take(5).Select(r => $"{r.Index} at {r.Rejection!.Field}"))}{(rejected.Count > 6 ? ", …" : "")})" : "";
                throw new RecordFormatException(first.Rejection!.Field, $"event {first.Index} ({first.HashId}) cannot be mapped to a KP record: {first.Rejection.Problem}{more}");
            }
            var folder = ctx.Parse.GetValue(out_);
            var written = folder is null ? 0 : Write(folder, events.SelectMany(e => e.Records));
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new { @out = folder?.FullName, events = events.Select(EventJson) });
                return Task.FromResult(ExitCodes.Ok);
            }
            Output.WriteTable(ctx.Out, ["event", "Event Hash ID", "record", "hash"],
                events.SelectMany(e => e.Records.Select(r => (IReadOnlyList<string>)[e.Index.ToString(CultureInfo.InvariantCulture), e.HashId, r.Kind.ToJsonName(), r.Hash().ToString()])));
            if (folder is not null) ctx.Out.WriteLine($"wrote {written} record document(s) to {folder.FullName}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>One event and the records it gives, for --json.</summary>
    public static object EventJson(EpcisImportedEvent e) => new
    {
        index = e.Index,
        hash = e.HashId,
        records = e.Records.Select(r => new { kind = r.Kind.ToJsonName(), hash = r.Hash().ToString(), file = RecordFileNames.Of(r) }),
    };

    // every document checked before any is written: an existing file with other content is refused
    private static int Write(DirectoryInfo folder, IEnumerable<KpRecord> records)
    {
        var documents = records.DistinctBy(r => r.Hash()).Select(r => (Path: Path.Combine(folder.FullName, RecordFileNames.Of(r)), Json: RecordJson.Write(r))).ToList();
        foreach (var same in documents.GroupBy(d => d.Path, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new CliUsageException($"--out: two records would be written to {Path.GetFileName(same.Key)} (the same reference): import into separate folders", "--out");
        }
        foreach (var (path, json) in documents)
        {
            if (File.Exists(path) && File.ReadAllText(path) != json)
            {
                throw new CliUsageException($"--out: {path} exists with other content: kp does not overwrite a record document", "--out");
            }
        }
        folder.Create();
        foreach (var (path, json) in documents) File.WriteAllText(path, json);
        return documents.Count;
    }
}
