using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Service.Intake;

/// <summary>
/// Takes documents in from the drop folder: one record per *.json file, or one per line of a
/// *.jsonl file (bulk exports). A file counts once it is complete: writers write it under a name
/// that does not end in ".json" or ".jsonl" (or starts with a dot) and rename it when done.
/// Each document is stored (durably) before its file is removed; after a crash in between, the
/// re-read file is recognised by name and content and not stored twice.
/// </summary>
public sealed class DropFolderIntake(RecordStore store, RejectedArea rejected, IOptions<AnchoringOptions> options, ILogger<DropFolderIntake> logger) : BackgroundService
{
    private const int MaxFilesPerRound = 2_000;

    /// <summary>The largest bulk (*.jsonl) file taken in whole; a larger one is kept aside, rejected (split it).</summary>
    public const long MaxBulkFileBytes = 64L << 20;

    private readonly System.Threading.Channels.Channel<string> _toDelete = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private string _taken = "";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.DropFolder);
        // Taken files are renamed out of the inbox at once (cheap) and deleted by a second loop:
        // on disks mounted with discard, an unlink blocks for about a millisecond.
        _taken = Path.Combine(o.ServiceDirectory, "taken");
        Directory.CreateDirectory(_taken);
        foreach (var leftover in Directory.EnumerateFiles(_taken)) _toDelete.Writer.TryWrite(leftover);
        var cleaner = Task.Run(async () =>
        {
            await foreach (var path in _toDelete.Reader.ReadAllAsync(CancellationToken.None))
            {
                try { File.Delete(path); } catch (IOException) { }
            }
        }, CancellationToken.None);
        try
        {
            await IntakeLoopAsync(o, stoppingToken);
        }
        finally
        {
            _toDelete.Writer.TryComplete();
            await cleaner;
        }
    }

    private async Task IntakeLoopAsync(AnchoringOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = TakeIn(o.DropFolder);
            }
            catch (IOException e)
            {
                Log.DropFolderUnreadable(logger, e.Message);
            }
            if (taken < MaxFilesPerRound) await Task.Delay(o.PollIntervalMs, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over the drop folder; returns the number of files taken in.</summary>
    public int TakeIn(string folder)
    {
        var files = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.') && (f.Name.EndsWith(".json", StringComparison.Ordinal) || f.Name.EndsWith(".jsonl", StringComparison.Ordinal)))
            .Take(MaxFilesPerRound)
            .ToList();
        if (files.Count == 0) return 0;
        var documents = 0;
        var singles = new List<(FileInfo File, IncomingDocument Document, bool Oversized)>();
        foreach (var f in files)
        {
            try
            {
                if (f.Name.EndsWith(".jsonl", StringComparison.Ordinal) && f.Length <= MaxBulkFileBytes)
                {
                    documents += TakeInLines(f);
                    continue;
                }
                var oversized = f.Length > (f.Name.EndsWith(".jsonl", StringComparison.Ordinal) ? MaxBulkFileBytes : RecordJson.MaxDocumentBytes);
                singles.Add((f, oversized ? Oversized(f.Name, f.Length) : new IncomingDocument(f.Name, File.ReadAllBytes(f.FullName)), oversized));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FileUnreadable(logger, f.Name, e.Message);
            }
        }
        var stored = store.Receive([.. singles.Select(i => i.Document)]);
        for (var i = 0; i < singles.Count; i++)
        {
            var (file, document, oversized) = singles[i];
            if (oversized && stored[i].IsNew)
            {
                WriteRejected(stored[i].Id);
                file.MoveTo(Path.Combine(rejected.Folder, $"{stored[i].Id:D8}.original"), overwrite: true); // kept as it came, not read
            }
            else Take(file);
        }
        documents += singles.Count;
        Log.Received(logger, documents);
        return files.Count;
    }

    /// <summary>
    /// A JSON Lines file (*.jsonl): one record document a line, for bulk exports. Each line is stored
    /// as its own record (source "file#line"), in chunks, before the file is removed.
    /// </summary>
    private int TakeInLines(FileInfo file)
    {
        var chunk = new List<IncomingDocument>();
        var oversized = new List<(int Index, long Length)>();
        var count = 0;
        var line = 0;
        using (var reader = new StreamReader(file.FullName, System.Text.Encoding.UTF8))
        {
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Trim().Length == 0) continue;
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                var source = $"{file.Name}#{line}";
                if (bytes.Length > RecordJson.MaxDocumentBytes)
                {
                    oversized.Add((chunk.Count, bytes.Length));
                    chunk.Add(Oversized(source, bytes.Length));
                }
                else chunk.Add(new IncomingDocument(source, bytes));
                if (chunk.Count == 2_000) count += Flush(chunk, oversized);
            }
        }
        count += Flush(chunk, oversized);
        Take(file);
        return count;
    }

    private int Flush(List<IncomingDocument> chunk, List<(int Index, long Length)> oversized)
    {
        if (chunk.Count == 0) return 0;
        var stored = store.Receive(chunk);
        foreach (var (index, _) in oversized)
        {
            if (stored[index].IsNew) WriteRejected(stored[index].Id);
        }
        var n = chunk.Count;
        chunk.Clear();
        oversized.Clear();
        return n;
    }

    /// <summary>Moves a stored file out of the inbox (a rename) and queues it for deletion.</summary>
    private void Take(FileInfo file)
    {
        if (_taken.Length == 0)
        {
            file.Delete();
            return;
        }
        var target = Path.Combine(_taken, Guid.NewGuid().ToString("N") + "-" + file.Name);
        file.MoveTo(target);
        _toDelete.Writer.TryWrite(target);
    }

    /// <summary>A document too large to keep: stored already rejected (a note in place of its bytes), so no validator ever reads it.</summary>
    private static IncomingDocument Oversized(string source, long length) => new(source,
        System.Text.Encoding.UTF8.GetBytes($"(a document of {length:N0} bytes, over the limit: not kept)"),
        ("size", "document", $"the document is {length:N0} bytes; a document may have at most {RecordJson.MaxDocumentBytes:N0}"));

    private void WriteRejected(long id)
    {
        var record = store.ById(id)!;
        rejected.Write(record, record.Rule!, record.Field!, record.Reason!, null);
        Log.Rejected(logger, record.Id, record.Source, record.Rule!, record.Field!, record.Reason!);
    }
}
