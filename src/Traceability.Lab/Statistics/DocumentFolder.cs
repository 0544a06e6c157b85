using System.Buffers;
using System.Globalization;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Service.Files;

namespace Traceability.Lab.Statistics;

/// <summary>A documents file kp stats will not read (a JSON Lines line over the document limit): the message names the file and the line.</summary>
public sealed class DocumentFileException(string message) : Exception(message);

/// <summary>
/// The KP documents under a folder: every *.json file (one document) and *.jsonl file (one a line), in subfolders
/// too; regular files only (a FIFO or a device is skipped and counted, a symbolic link or a hidden file not followed).
/// A .json file over the document limit (<see cref="RecordJson.MaxDocumentBytes"/>, the service's) is skipped and
/// counted; a .jsonl line over it stops the reading (<see cref="DocumentFileException"/>): lines are read up to
/// the limit, never whole, so one line of gigabytes is never held in memory.
/// </summary>
internal static class DocumentFolder
{
    private const int Max = RecordJson.MaxDocumentBytes;

    public static IEnumerable<KpRecord> Read(string folder, Action fileRead, Action skipped)
    {
        var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var opened = UnixFile.OpenRegular(path);
            if (opened.Handle is null)
            {
                skipped();
                continue;
            }
            fileRead();
            using var stream = new FileStream(opened.Handle, FileAccess.Read);
            if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var line in Lines(stream, path))
                {
                    if (Parse(line) is { } r) yield return r;
                    else skipped();
                }
                continue;
            }
            if (stream.Length > Max)
            {
                skipped();
                continue;
            }
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            if (Parse(bytes) is { } record) yield return record;
            else skipped();
        }
    }

    /// <summary>The non-empty lines of a JSON Lines file (without their line break, a UTF-8 byte order mark nor a carriage return), each at most <see cref="Max"/> bytes.</summary>
    /// <exception cref="DocumentFileException">A line is longer.</exception>
    internal static IEnumerable<byte[]> Lines(Stream stream, string path)
    {
        var buffer = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>();
        var number = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var start = 0; start < read;)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                var complete = end >= 0;
                if (!complete) end = read;
                // a byte order mark and a carriage return besides: the line itself is judged exactly when it ends
                if (line.WrittenCount + (end - start) > Max + 4) throw TooLong(path, number + 1);
                Append(line, buffer, start, end - start);
                start = end + 1;
                if (!complete) break;
                number++;
                var bytes = Finish(line, number, path);
                if (bytes.Length > 0) yield return bytes;
            }
        }
        if (line.WrittenCount > 0 && Finish(line, number + 1, path) is { Length: > 0 } last) yield return last;
    }

    private static void Append(ArrayBufferWriter<byte> line, byte[] buffer, int start, int count) => line.Write(buffer.AsSpan(start, count));

    private static byte[] Finish(ArrayBufferWriter<byte> line, int number, string path)
    {
        var text = line.WrittenSpan;
        if (number == 1 && text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) text = text[3..];
        if (text.EndsWith((ReadOnlySpan<byte>)[(byte)'\r'])) text = text[..^1];
        if (text.Length > Max) throw TooLong(path, number);
        var bytes = text.ToArray();
        line.ResetWrittenCount();
        return bytes;
    }

    private static DocumentFileException TooLong(string path, int number) => new(
        $"{path}, line {number.ToString("N0", CultureInfo.InvariantCulture)}: the line is over {Max.ToString("N0", CultureInfo.InvariantCulture)} bytes, "
        + "the most a document may have (the service refuses it too); split the document or remove the line");

    private static KpRecord? Parse(byte[] utf8)
    {
        try
        {
            return RecordJson.Parse(utf8);
        }
        catch (FormatException)
        {
            return null; // not a KP document (a deployment record, a report): skipped and counted
        }
    }
}
