using System.Text;
using Microsoft.Win32.SafeHandles;
using Traceability.Core.Json;
using Traceability.Service.Files;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// The one place kp opens the files it reads (documents, ancestors, leaves, proofs, deployment records,
/// kp submit's documents) and checks the files it writes (--out). An input must be a regular file: a
/// symbolic link is resolved to its final target (a loop is refused), and a FIFO, device, socket or
/// directory is refused with a sentence, never opened for reading (a FIFO would block, /dev/zero would
/// never end); its size is capped before it is read. Every problem is a <see cref="CliUsageException"/>
/// (exit code 2) naming the path.
/// </summary>
public static class InputFiles
{
    /// <summary>The largest document: as the JSON reader's limit.</summary>
    public const long DocumentBytes = RecordJson.MaxDocumentBytes;

    /// <summary>The largest bulk input (leaves, proofs).</summary>
    public const long BulkBytes = 64L << 20;

    /// <summary>The largest deployment record.</summary>
    public const long DeploymentBytes = 256L << 10;

    /// <summary>Reads a regular file of at most <paramref name="max"/> bytes; <paramref name="what"/> names it in messages ("document", "leaves file").</summary>
    public static byte[] ReadBytes(string path, long max, string what)
    {
        using var handle = Open(path, what, out var length);
        if (length > max) throw TooLarge(path, what, length, max);
        var buffer = new byte[(int)Math.Min(max + 1, Math.Max(length + 1, 4096))];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > max) throw TooLarge(path, what, total, max);
                Array.Resize(ref buffer, (int)Math.Min(max + 1, buffer.Length * 2L));
            }
            var n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0) break;
            total += n;
        }
        if (total > max) throw TooLarge(path, what, total, max);
        return buffer[..total];
    }

    /// <summary>Reads a regular file of at most <paramref name="max"/> bytes as UTF-8 text.</summary>
    public static string ReadText(string path, long max, string what) => Encoding.UTF8.GetString(ReadBytes(path, max, what));

    /// <summary>The size of the regular file at <paramref name="path"/> (checked as for reading, not read).</summary>
    public static long Length(string path, string what)
    {
        using var handle = Open(path, what, out var length);
        return length;
    }

    /// <summary>Checks that <paramref name="path"/> is (or resolves to) a regular file kp may read; throws otherwise.</summary>
    public static void RequireRegular(string path, long max, string what)
    {
        if (Length(path, what) is var length && length > max) throw TooLarge(path, what, length, max);
    }

    /// <summary>
    /// Checks an --out target before anything is written: not a directory, and, when it exists, a
    /// regular file (or a link to one); its folder is created.
    /// </summary>
    public static void RequireWritable(FileInfo file, string option = "--out")
    {
        var path = file.FullName;
        if (Directory.Exists(path)) throw new CliUsageException($"{option}: {path} is a directory: give a file name");
        if (Path.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            var target = Resolve(path, option);
            if (Directory.Exists(target)) throw new CliUsageException($"{option}: {path} is a directory: give a file name");
            if (File.Exists(target))
            {
                try
                {
                    var opened = UnixFile.OpenRegular(target);
                    if (opened.Handle is null) throw new CliUsageException($"{option}: {path} is {opened.NotRegular}, not a regular file: kp writes regular files only");
                    opened.Handle.Dispose();
                }
                catch (IOException)
                {
                    // not readable: the write itself says whether it may be written
                }
            }
        }
    }

    private static SafeFileHandle Open(string path, string what, out long length)
    {
        var target = Resolve(path, what);
        if (!Path.Exists(target)) throw new CliUsageException($"{path}: no such file", what);
        OpenedEntry opened;
        try
        {
            opened = UnixFile.OpenRegular(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: the {what} cannot be read ({e.Message})", what);
        }
        if (opened.Handle is not { } handle)
        {
            throw new CliUsageException($"{path}: the {what} is {opened.NotRegular}, not a regular file: kp reads {what}s from regular files only", what);
        }
        try
        {
            length = RandomAccess.GetLength(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }

    /// <summary>The final target of <paramref name="path"/> when it is a symbolic link (a loop, or a chain too long, is refused), else the path.</summary>
    private static string Resolve(string path, string what)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null) return info.FullName;
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: the {what} cannot be opened: its symbolic link does not resolve ({e.Message})");
        }
    }

    private static CliUsageException TooLarge(string path, string what, long length, long max) =>
        new($"{Path.GetFileName(path)}: {(what == "document" ? "document" : $"the {what}")}: is {(length > max ? $"over {max:N0}" : $"{length:N0}")} bytes; at most {max:N0} are accepted");
}
