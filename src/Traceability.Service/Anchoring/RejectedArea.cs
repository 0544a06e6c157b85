using System.Globalization;
using System.Text;
using System.Text.Json;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The rejected area: for every rejected record, its document (<c>&lt;id&gt;.json</c>) and a
/// machine-readable reason (<c>&lt;id&gt;.reason.json</c>: rule, field, reason, source, hash), and for a
/// file too large to store, the file as it came (<c>&lt;id&gt;.original</c>). Rejected documents may hold
/// what their sender did not mean to publish; a non-empty directory dropped into the inbox is moved
/// here as it came (<c>&lt;id&gt;.original</c>, unread): the folder is 0700 and every file 0600 (owner only).
/// It is written before a record is committed as rejected, and rebuilt from the store at start
/// (<see cref="Rebuild"/>), so no crash leaves a rejected record without its reason.
/// </summary>
public sealed class RejectedArea(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>Writes the document and its reason (overwriting on a retry, so a crash leaves no half state).</summary>
    public void Write(StoredRecord record, string rule, string field, string reason, string? hash)
    {
        CreateFolder();
        var name = Name(record.Id);
        WriteOwnerOnly(Path.Combine(Folder, name + ".json"), record.Document);
        var why = JsonSerializer.Serialize(new { id = record.Id, source = record.Source, rule, field, reason, recordHash = hash }, Json);
        WriteOwnerOnly(Path.Combine(Folder, name + ".reason.json"), Encoding.UTF8.GetBytes(why + "\n"));
    }

    /// <summary>Keeps a file that was too large to store, as it came, beside its record's reason (a rename: the file is not read).</summary>
    public void KeepOriginal(string path, long id)
    {
        CreateFolder();
        var target = Path.Combine(Folder, Name(id) + ".original");
        if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            // a directory dropped into the inbox: moved here as it came, its content unread
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Files.UnixFile.Rename(path, target);
            if (!OperatingSystem.IsWindows())
            {
                try { File.SetUnixFileMode(target, OwnerFolder); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
            return;
        }
        File.Move(path, target, overwrite: true);
        if (OperatingSystem.IsWindows()) return;
        try
        {
            File.SetUnixFileMode(target, OwnerFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // another user's file (it could not be read either): kept as it is, in the 0700 folder
        }
    }

    /// <summary>Keeps the bytes of a rejected bulk-file line as they came (<c>&lt;id&gt;.original</c>, owner only).</summary>
    public void KeepOriginalBytes(byte[] bytes, long id)
    {
        CreateFolder();
        WriteOwnerOnly(Path.Combine(Folder, Name(id) + ".original"), bytes);
    }

    /// <summary>Writes the document and reason of every rejected record in <paramref name="store"/> that has none (after a crash). Returns how many.</summary>
    public int Rebuild(RecordStore store)
    {
        var written = 0;
        foreach (var r in store.WithStatus(RecordStage.Rejected, int.MaxValue, withDocument: false))
        {
            if (File.Exists(Path.Combine(Folder, Name(r.Id) + ".reason.json"))) continue;
            var full = store.ById(r.Id)!;
            Write(full, full.Rule ?? "unknown", full.Field ?? "document", full.Reason ?? "rejected (reason lost)", full.Hash?.ToString());
            written++;
        }
        return written;
    }

    private void CreateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }
        Directory.CreateDirectory(Folder, OwnerFolder);
        File.SetUnixFileMode(Folder, OwnerFolder); // also a folder made before this rule
    }

    private static string Name(long id) => id.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Writes a file readable by its owner only, atomically (temporary name, then rename).</summary>
    private static void WriteOwnerOnly(string path, byte[] bytes)
    {
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerFile;
        using (var stream = new FileStream(tmp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, OwnerFile); // a leftover .tmp from before keeps its mode otherwise
        File.Move(tmp, path, overwrite: true);
    }
}
