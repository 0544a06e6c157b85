using System.CommandLine;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Epcis;
using Traceability.Core.Json;

namespace Traceability.Cli.Commands;

/// <summary>kp epcis: GS1 EPCIS 2.0 documents (hash: the CBV 2.0 EPCIS Event Hash ID of each event; export and import: KP records to and from EPCIS events).</summary>
internal static class EpcisCommands
{
    public static Command Epcis(CommandRunner run)
    {
        var command = new Command("epcis", "GS1 EPCIS 2.0 JSON-LD documents, the supply chain's event format: event hashes, KP records to and from EPCIS events\nExample: kp epcis hash events.jsonld");
        command.Subcommands.Add(Hash(run));
        command.Subcommands.Add(EpcisExportCommand.Create(run));
        command.Subcommands.Add(EpcisImportCommand.Create(run));
        return command;
    }

    private static Command Hash(CommandRunner run)
    {
        var file = new Argument<FileInfo>("document")
        {
            Description = $"an EPCIS 2.0 JSON-LD document (EPCISDocument, EPCISQueryDocument or a single event), a regular file of at most {EpcisEventHasher.MaxDocumentBytes >> 20} MiB",
        };
        var preHash = new Option<bool>("--prehash") { Description = "also print each event's canonical pre-hash string (the line after its hash; in JSON, preHash)" };
        var command = new Command("hash", "print the CBV 2.0 EPCIS Event Hash ID of each event, one ni:///sha-256;…?ver=CBV2.0 line an event in document order "
            + "(the GS1 context resolves to kp's own copy: nothing is fetched)\nExample: kp epcis hash events.jsonld") { file, preHash };
        run.Bind(command, ctx =>
        {
            var hashes = HashesOf(ctx.Parse.GetValue(file)!);
            var withPreHash = ctx.Parse.GetValue(preHash);
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    events = hashes.Select(h => new { index = h.Index, type = h.EventType, eventId = h.EventId, hash = h.HashId, preHash = withPreHash ? h.PreHash : null }),
                });
                return Task.FromResult(ExitCodes.Ok);
            }
            foreach (var h in hashes)
            {
                ctx.Out.WriteLine(h.HashId);
                if (withPreHash) ctx.Out.WriteLine(h.PreHash);
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The Event Hash IDs of the EPCIS document in <paramref name="file"/>; a document that cannot be hashed is invalid-document (exit 2), naming the field.</summary>
    public static IReadOnlyList<EpcisEventHash> HashesOf(FileInfo file)
    {
        var bytes = InputFiles.ReadBytes(file.FullName, EpcisEventHasher.MaxDocumentBytes, "document");
        try
        {
            return EpcisEventHasher.HashDocument(bytes);
        }
        catch (EpcisFormatException e)
        {
            // reported as any document kp cannot read: invalid-document, naming the field (exit 2)
            throw new RecordFormatException(e.Field, e.Problem);
        }
    }
}
