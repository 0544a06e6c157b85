using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Service.Intake;

/// <summary>
/// Takes documents in from the drop folder. A file counts once it is complete: writers write it
/// under a name that does not end in ".json" (or starts with a dot) and rename it when done.
/// Each document is stored (durably) before its file is removed; after a crash in between, the
/// re-read file is recognised by name and content and not stored twice.
/// </summary>
public sealed class DropFolderIntake(RecordStore store, RejectedArea rejected, IOptions<AnchoringOptions> options, ILogger<DropFolderIntake> logger) : BackgroundService
{
    private const int MaxFilesPerRound = 2_000;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.DropFolder);
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = TakeIn(o.DropFolder);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Reading the drop folder failed; retrying");
            }
            if (taken < MaxFilesPerRound) await Task.Delay(o.PollIntervalMs, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over the drop folder; returns the number of files taken in.</summary>
    public int TakeIn(string folder)
    {
        var files = new DirectoryInfo(folder).EnumerateFiles("*.json")
            .Where(f => !f.Name.StartsWith('.'))
            .Take(MaxFilesPerRound)
            .ToList();
        if (files.Count == 0) return 0;
        var incoming = new List<(FileInfo File, IncomingDocument Document, bool Oversized)>();
        foreach (var f in files)
        {
            try
            {
                var oversized = f.Length > RecordJson.MaxDocumentBytes;
                var bytes = oversized ? System.Text.Encoding.UTF8.GetBytes($"(a file of {f.Length:N0} bytes, over the limit)") : File.ReadAllBytes(f.FullName);
                incoming.Add((f, new IncomingDocument(f.Name, bytes), oversized));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Cannot read {File} yet: {Message}", f.Name, e.Message);
            }
        }
        var stored = store.Receive([.. incoming.Select(i => i.Document)]);
        for (var i = 0; i < incoming.Count; i++)
        {
            var (file, document, oversized) = incoming[i];
            if (oversized && stored[i].IsNew)
            {
                var reason = $"the file is {file.Length:N0} bytes; a document may have at most {RecordJson.MaxDocumentBytes:N0}";
                var record = store.ById(stored[i].Id)!;
                rejected.Write(record, "size", "document", reason, null);
                store.Reject([(record.Id, null, null, "size", "document", reason)]);
                Log.Rejected(logger, record.Id, document.Source, "size", "document", reason);
            }
            file.Delete();
        }
        Log.Received(logger, incoming.Count);
        return files.Count;
    }
}
