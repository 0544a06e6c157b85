using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Traceability.Core.Epcis;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Diagnostics;
using Traceability.Service.Files;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Service.Intake;

/// <summary>
/// Takes documents in from the drop folder: one record per *.json file, one per line of a
/// *.jsonl file (bulk exports), or one per event of an EPCIS 2.0 document (*.jsonld, <see cref="EpcisIntake"/>). A file counts once it is complete: writers write it under a name
/// that does not end in ".json" or ".jsonl" (or starts with a dot) and rename it when done.
/// <para>
/// Each file is first renamed out of the inbox into the service's own folder <c>taken/</c> (0700)
/// under a name of its own, then opened there only if it is a regular file (<see cref="UnixFile.OpenRegular"/>:
/// a symbolic link, FIFO, device or socket is never read, only recorded as rejected), stored durably,
/// and only then deleted. After a crash, whatever is left in <c>taken/</c> is taken in again and
/// recognised by its own key, so nothing is lost or stored twice; the same file dropped again later
/// is a new arrival (validated again: a record rejected for a cause that has passed can be re-dropped).
/// A file too large to store is kept as it came in the rejected area.
/// </para>
/// <para>
/// Any entry with a document's name that is not a regular file (a symbolic link to anything, a
/// directory, a FIFO, a device, a socket) is moved out of the inbox the same way (<c>rename(2)</c> on the
/// entry itself), rejected once as <c>file-type</c>, and removed: a directory is deleted when empty and
/// otherwise moved, unread, into the rejected area (<c>&lt;id&gt;.original</c>). An entry that cannot be
/// moved at all is logged once and skipped for a while, so it never starves the files behind it.
/// </para>
/// </summary>
public sealed class DropFolderIntake(RecordStore store, RejectedArea rejected, ParsedRecords parsed, IOptions<AnchoringOptions> options, ILogger<DropFolderIntake> logger) : BackgroundService
{
    private const int MaxFilesPerRound = 2_000;

    /// <summary>The largest bulk (*.jsonl) file taken in whole; a larger one is kept aside, rejected (split it).</summary>
    public const long MaxBulkFileBytes = 64L << 20;

    /// <summary>How long an inbox entry that could not be moved is skipped before it is tried again.</summary>
    private static readonly TimeSpan StuckRetry = TimeSpan.FromSeconds(30);

    private readonly HashSet<string> _stuck = new(StringComparer.Ordinal);
    private DateTime _stuckSince = DateTime.UtcNow;
    /// <summary>
    /// Taken files to delete, by a thread of its own: the intake's thread hands them over without waking a thread-pool worker (a
    /// worker the pool created from the intake's thread would inherit its lower priority for good: Linux threads inherit their
    /// creator's nice value).
    /// </summary>
    private readonly BlockingCollection<string> _toDelete = [];
    private string _taken = "";

    private enum Arrival
    {
        Document,
        Kept, // not stored: too large or unreadable; the file goes to the rejected area as it came
        NotRegular, // a link, FIFO, device or socket: never read; the entry is removed
    }

    private sealed record Staged(string Path, string Key, string Name);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.Layout.Inbox);
        // Taken files are renamed out of the inbox at once (cheap) and deleted by a second loop:
        // on disks mounted with discard, an unlink blocks for about a millisecond.
        _taken = o.Layout.Taken;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_taken);
        else
        {
            Directory.CreateDirectory(_taken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(_taken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var cleaner = new Thread(() =>
        {
            foreach (var path in _toDelete.GetConsumingEnumerable())
            {
                // a file left behind is taken in again at the next start and found stored by its key; an exception that escaped this
                // thread would end the process
                try { File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        })
        { IsBackground = true, Name = "kp drop cleaner" };
        cleaner.Start();
        try
        {
            var rebuilt = rejected.Rebuild(store);
            if (rebuilt > 0) Log.RejectedAreaRebuilt(logger, rebuilt);
            // files staged before a crash: stored or not, they are taken in again (their key tells)
            var leftovers = new DirectoryInfo(_taken).EnumerateFileSystemInfos()
                .Select(e => new Staged(e.FullName, "drop/" + e.Name, OriginalName(e.Name))).ToList();
            // the intake's own thread, at a lower priority (BackgroundPriority): bulk work takes the CPU the node and the batches leave
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var intake = new Thread(() =>
            {
                try
                {
                    BackgroundPriority.LowerCurrentThread();
                    foreach (var chunk in leftovers.Chunk(MaxFilesPerRound)) Process([.. chunk]);
                    IntakeLoop(o, stoppingToken);
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            })
            { IsBackground = true, Name = ThreadName };
            intake.Start();
            await done.Task.ConfigureAwait(false);
        }
        finally
        {
            _toDelete.CompleteAdding();
            cleaner.Join();
        }
    }

    /// <summary>The intake thread's name (Linux shows it in /proc/PID/task/TID/comm).</summary>
    public const string ThreadName = "kp drop intake";

    private void IntakeLoop(AnchoringOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = TakeIn(o.Layout.Inbox);
            }
            catch (IOException e)
            {
                Log.DropFolderUnreadable(logger, e.Message);
            }
            if (taken < MaxFilesPerRound) stoppingToken.WaitHandle.WaitOne(o.PollIntervalMs);
        }
    }

    /// <summary>One pass over the drop folder; returns the number of files taken in.</summary>
    public int TakeIn(string folder)
    {
        if (DateTime.UtcNow - _stuckSince > StuckRetry)
        {
            _stuck.Clear(); // entries that could not be moved are tried again now and then (the cause may have passed)
            _stuckSince = DateTime.UtcNow;
        }
        // every entry with a document's name: regular files, and anything else (a link to anything, a
        // directory, a FIFO, a device, a socket), which is taken out too, to be rejected once as file-type;
        // an entry that cannot be moved is skipped in later rounds, so it never starves the files behind it
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(f => !f.Name.StartsWith('.') && (f.Name.EndsWith(".json", StringComparison.Ordinal) || f.Name.EndsWith(".jsonl", StringComparison.Ordinal) || f.Name.EndsWith(".jsonld", StringComparison.Ordinal)) && !_stuck.Contains(f.Name))
            .Take(MaxFilesPerRound)
            .ToList();
        if (entries.Count == 0) return 0;
        var staged = new List<Staged>(entries.Count);
        foreach (var e in entries)
        {
            // a rename (rename(2) on the entry itself: a link stays a link, unread, and a directory moves whole) into a folder only the service can write
            var name = Guid.NewGuid().ToString("N") + "-" + e.Name;
            var target = Path.Combine(_taken, name);
            try
            {
                UnixFile.Rename(e.FullName, target);
                staged.Add(new Staged(target, "drop/" + name, e.Name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (_stuck.Add(e.Name)) Log.FileUnreadable(logger, e.Name, ex.Message);
            }
        }
        CrashPoints.Hit(CrashPoints.Staged);
        Process(staged);
        return entries.Count;
    }

    /// <summary>Stores the staged files' documents, then keeps, removes or deletes each file.</summary>
    private void Process(List<Staged> staged)
    {
        if (staged.Count == 0) return;
        var documents = 0;
        var singles = new List<(Staged File, IncomingDocument Document, Arrival Arrival)>();
        foreach (var f in staged)
        {
            OpenedEntry opened;
            try
            {
                opened = UnixFile.OpenRegular(f.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!Path.Exists(f.Path)) continue;
                singles.Add((f, Note(f, $"(a file that could not be read: {e.Message})", ("unreadable", "document", $"the file could not be read ({e.Message}); it is kept as it came")), Arrival.Kept));
                continue;
            }
            if (opened.Handle is not { } handle)
            {
                singles.Add((f, Note(f, $"({f.Name} is {opened.NotRegular}: not read)", ("file-type", "document",
                    $"{f.Name} is {opened.NotRegular}, not a regular file: the drop folder takes regular files only (write the document, then rename it into the inbox); it was not read")), Arrival.NotRegular));
                continue;
            }
            using (handle)
            {
                var length = RandomAccess.GetLength(handle);
                if (f.Name.EndsWith(".jsonld", StringComparison.Ordinal))
                {
                    var epcis = length > EpcisEventHasher.MaxDocumentBytes ? null : ReadAll(handle, EpcisEventHasher.MaxDocumentBytes);
                    var (mapped, whole) = epcis is null
                        ? ([Oversized(f.Name, length, f.Key) with { RejectedAs = ("size", "document", $"the EPCIS document is {length:N0} bytes; one may have at most {EpcisEventHasher.MaxDocumentBytes:N0}") }], true)
                        : EpcisIntake.Map(f.Name, f.Key, epcis);
                    if (whole)
                    {
                        singles.Add((f, mapped[0], Arrival.Kept));
                        continue;
                    }
                    documents += StoreEvents(mapped);
                    Take(f.Path);
                    continue;
                }
                var bulk = f.Name.EndsWith(".jsonl", StringComparison.Ordinal);
                if (bulk && length <= MaxBulkFileBytes)
                {
                    documents += TakeInLines(handle, f);
                    Take(f.Path);
                    continue;
                }
                var bytes = length > (bulk ? MaxBulkFileBytes : RecordJson.MaxDocumentBytes) ? null : ReadAll(handle, RecordJson.MaxDocumentBytes);
                singles.Add(bytes is null
                    ? (f, Oversized(f.Name, length, f.Key), Arrival.Kept)
                    : (f, new IncomingDocument(f.Name, bytes, Key: f.Key), Arrival.Document));
            }
        }
        var stored = Receive([.. singles.Select(i => i.Document)]);
        for (var i = 0; i < singles.Count; i++)
        {
            var (file, _, arrival) = singles[i];
            switch (arrival)
            {
                case Arrival.Kept:
                    // stored already rejected; its reason first, then the file as it came beside it (also when read again after a crash)
                    WriteRejected(stored[i].Id, stored[i].IsNew);
                    rejected.KeepOriginal(file.Path, stored[i].Id);
                    break;
                case Arrival.NotRegular:
                    WriteRejected(stored[i].Id, stored[i].IsNew);
                    RemoveEntry(file.Path, stored[i].Id);
                    break;
                default:
                    Take(file.Path);
                    break;
            }
        }
        documents += singles.Count;
        Log.Received(logger, documents);
    }

    /// <summary>
    /// A JSON Lines file (*.jsonl): one record document a line, for bulk exports. Each line is stored
    /// as its own record (source "file#line"), in chunks, before the file is removed. A line over the
    /// document limit, or one that is not valid UTF-8, is stored already rejected (<c>size</c> or
    /// <c>format</c>) and its bytes are kept as they came in the rejected area (<c>&lt;id&gt;.original</c>):
    /// nothing of a bulk file is lost or silently rewritten.
    /// </summary>
    private int TakeInLines(SafeFileHandle handle, Staged file)
    {
        var chunk = new List<IncomingDocument>();
        var kept = new List<(int Index, byte[] Original)>();
        var count = 0;
        var all = ReadAll(handle, (int)MaxBulkFileBytes) ?? throw new IOException($"{file.Name} grew over {MaxBulkFileBytes:N0} bytes while it was read");
        var text = all.AsSpan();
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) text = text[3..]; // a UTF-8 byte order mark
        var offset = all.Length - text.Length;
        var line = 0;
        while (offset < all.Length)
        {
            var rest = all.AsSpan(offset);
            var end = rest.IndexOf((byte)'\n');
            var raw = end < 0 ? rest : rest[..end];
            offset += end < 0 ? rest.Length : end + 1;
            if (raw.EndsWith((ReadOnlySpan<byte>)[(byte)'\r'])) raw = raw[..^1];
            line++;
            var source = $"{file.Name}#{line}";
            var key = $"{file.Key}#{line}";
            if (raw.Length > RecordJson.MaxDocumentBytes)
            {
                kept.Add((chunk.Count, raw.ToArray()));
                chunk.Add(Oversized(source, raw.Length, key) with
                {
                    RejectedAs = ("size", "document",
                    $"the document is {raw.Length:N0} bytes; a document may have at most {RecordJson.MaxDocumentBytes:N0} (the line is kept as it came in the rejected area)")
                });
            }
            else if (!Utf8.IsValid(raw))
            {
                var bad = FirstInvalidByte(raw);
                kept.Add((chunk.Count, raw.ToArray()));
                chunk.Add(new IncomingDocument(source, Encoding.UTF8.GetBytes($"(line {line} of {file.Name}: not valid UTF-8, not stored; kept as it came)"),
                    ("format", "document", $"line {line} is not valid UTF-8 (byte 0x{raw[bad]:X2} at offset {bad}); it was not read, and is kept as it came in the rejected area"), key));
            }
            else
            {
                // a blank line is skipped: ASCII blanks told at once, any other line that starts with a blank read as text (Unicode blanks too)
                var blank = raw.IndexOfAnyExcept(" \t\f\v"u8);
                if (blank < 0 || (raw[blank] >= 0x80 && Encoding.UTF8.GetString(raw).Trim().Length == 0)) continue;
                chunk.Add(new IncomingDocument(source, raw.ToArray(), Key: key));
            }
            if (chunk.Count == 2_000) count += Flush(chunk, kept);
        }
        count += Flush(chunk, kept);
        return count;
    }

    /// <summary>Stores the documents of an EPCIS file's events; an event that could not be mapped is stored already rejected, its reason written to the rejected area.</summary>
    private int StoreEvents(IReadOnlyList<IncomingDocument> mapped)
    {
        var stored = Receive(mapped);
        for (var i = 0; i < mapped.Count; i++)
        {
            if (mapped[i].RejectedAs is not null) WriteRejected(stored[i].Id, stored[i].IsNew);
        }
        return mapped.Count;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed);
            if (status != OperationStatus.Done) return at;
            at += consumed;
        }
        return 0;
    }

    private int Flush(List<IncomingDocument> chunk, List<(int Index, byte[] Original)> kept)
    {
        if (chunk.Count == 0) return 0;
        var stored = Receive(chunk);
        foreach (var (index, original) in kept)
        {
            WriteRejected(stored[index].Id, stored[index].IsNew);
            rejected.KeepOriginalBytes(original, stored[index].Id); // also when read again after a crash
        }
        var n = chunk.Count;
        chunk.Clear();
        kept.Clear();
        return n;
    }

    /// <summary>
    /// Validates the documents (spread over the cores) and stores them: a valid one pending at once, an invalid one (or a duplicate)
    /// rejected, its reason written to the rejected area; documents already refused (<see cref="IncomingDocument.RejectedAs"/>)
    /// are stored as they are, for the caller to write. Checked before storing, a record is written once, not stored received and
    /// then updated: the store takes it in one step (and validation waits for nothing). The parsed records are kept for the
    /// batch while there is room (<see cref="ParsedRecords.Capacity"/>).
    /// </summary>
    private IReadOnlyList<ReceivedRecord> Receive(IReadOnlyList<IncomingDocument> documents)
    {
        var open = Enumerable.Range(0, documents.Count).Where(i => documents[i].RejectedAs is null && documents[i].Validated is null).ToList();
        // on this thread only: spread over the cores at the normal priority, validation took the node's CPU (BackgroundPriority)
        var results = RecordValidator.ValidateAll([.. open.Select(i => documents[i].Document)], DateTimeOffset.UtcNow, parallel: false);
        var checkedDocuments = documents.ToArray();
        for (var k = 0; k < open.Count; k++)
        {
            var (v, hash) = results[k];
            checkedDocuments[open[k]] = checkedDocuments[open[k]] with
            {
                RejectedAs = v.IsValid ? null : (v.Rule!, v.Field!, v.Reason!),
                Validated = v.Record is { } record && hash is { } h ? (record, h) : null,
            };
        }
        var validatedHere = new bool[documents.Count];
        foreach (var i in open) validatedHere[i] = true;
        var room = ParsedRecords.Capacity(options.Value) - parsed.Count;
        var stored = store.Receive(checkedDocuments, committed: (i, r) =>
        {
            // kept before the store's lock is released: the worker cannot batch, confirm and forget a record before it is kept
            if (validatedHere[i] && r is { IsNew: true, Stage: RecordStage.Pending } && room-- > 0) parsed.Remember(r.Id, checkedDocuments[i].Validated!.Value.Record);
        });
        CrashPoints.Hit(CrashPoints.Stored);
        foreach (var i in open)
        {
            if (stored[i].Stage == RecordStage.Rejected) WriteRejected(stored[i].Id, stored[i].IsNew);
        }
        return stored;
    }

    /// <summary>Queues a stored file (already out of the inbox) for deletion.</summary>
    private void Take(string path) => _toDelete.Add(path);

    /// <summary>Reads a regular file whole, refusing (null) one that is, or grew, larger than <paramref name="max"/>.</summary>
    private static byte[]? ReadAll(SafeFileHandle handle, int max)
    {
        var buffer = new byte[(int)Math.Min(max + 1L, Math.Max(RandomAccess.GetLength(handle) + 1, 4096))];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > max) return null;
                Array.Resize(ref buffer, (int)Math.Min(max + 1L, buffer.Length * 2L));
            }
            var n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0) break;
            total += n;
        }
        return total > max ? null : buffer[..total];
    }

    /// <summary>A document too large to keep: stored already rejected (a note in place of its bytes), so no validator ever reads it.</summary>
    private static IncomingDocument Oversized(string source, long length, string key) => new(source,
        Encoding.UTF8.GetBytes($"(a document of {length:N0} bytes, over the limit: not kept)"),
        ("size", "document", $"the document is {length:N0} bytes; a document may have at most {RecordJson.MaxDocumentBytes:N0}"), key);

    private static IncomingDocument Note(Staged file, string note, (string Rule, string Field, string Reason) reason) =>
        new(file.Name, Encoding.UTF8.GetBytes(note), reason, file.Key);

    private void WriteRejected(long id, bool isNew)
    {
        var record = store.ById(id)!;
        rejected.Write(record, record.Rule!, record.Field!, record.Reason!, record.Hash?.ToString());
        if (isNew) Log.Rejected(logger, record.Id, record.Source, record.Rule!, record.Field!, record.Reason!);
    }

    /// <summary>
    /// Removes a staged entry that is not a regular file: a link, FIFO, device or socket is unlinked
    /// (never what it points at); a directory is removed when empty, otherwise moved as it came (unread)
    /// into the rejected area beside its record's reason.
    /// </summary>
    private void RemoveEntry(string path, long id)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && info.Attributes != (FileAttributes)(-1) && info.Attributes.HasFlag(FileAttributes.Directory))
        {
            if (!Directory.EnumerateFileSystemEntries(path).Any())
            {
                Directory.Delete(path);
                return;
            }
            rejected.KeepOriginal(path, id);
            return;
        }
        File.Delete(path); // unlink: removes the link itself, never what it points at
    }

    /// <summary>The inbox name of a staged file ("&lt;32 hex&gt;-name").</summary>
    private static string OriginalName(string staged) => staged.Length > 33 && staged[32] == '-' ? staged[33..] : staged;
}
