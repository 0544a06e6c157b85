using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Core.Validation;

namespace Traceability.Cli.Infrastructure;

/// <summary>Reading record documents from files: every problem names the file and the field.</summary>
public static class Documents
{
    /// <summary>Reads and parses a document; a problem is a <see cref="CliUsageException"/> (exit code 2).</summary>
    public static KpRecord Load(FileInfo file)
    {
        var bytes = InputFiles.ReadBytes(file.FullName, InputFiles.DocumentBytes, "document");
        try
        {
            return RecordJson.Parse(bytes);
        }
        catch (RecordFormatException e)
        {
            throw new CliUsageException($"{file.Name}: {e.Message}");
        }
    }

    /// <summary>Reads a document of type <typeparamref name="T"/>.</summary>
    public static T Load<T>(FileInfo file) where T : KpRecord =>
        Load(file) as T ?? throw new CliUsageException($"{file.Name}: kind: expected a {KindName<T>()} document");

    /// <summary>
    /// Reads a document and checks the KP rules and the plausibility bounds (<see cref="Plausibility"/>);
    /// a broken rule is a <see cref="CliUsageException"/>. Every document kp writes to the chain or builds
    /// another document from is read this way.
    /// </summary>
    public static T LoadValid<T>(FileInfo file, bool originParcel = false) where T : KpRecord
    {
        var record = Load<T>(file);
        var errors = Plausibility.CheckAll(record, DateTimeOffset.UtcNow, originParcel);
        if (errors.Count > 0) throw new CliUsageException($"{file.Name}: breaks KP rules:\n  " + string.Join("\n  ", errors));
        return record;
    }

    /// <summary>
    /// Every document in files and folders, for ancestors. A folder is read non-recursively: the
    /// *.json files directly in it, never its subfolders (samples/ holds good documents, samples/bad/
    /// broken ones); each of them must be a document.
    /// </summary>
    public static IReadOnlyList<KpRecord> LoadAll(IEnumerable<FileSystemInfo> paths)
    {
        var records = new List<KpRecord>();
        foreach (var p in paths)
        {
            if (p is DirectoryInfo { Exists: true } d)
            {
                // kp's own configuration is never a document; an empty file (a shell redirect's target, kp verify ... > v.json) neither
                foreach (var f in d.EnumerateFiles("*.json", SearchOption.TopDirectoryOnly)
                    .Where(f => f.Name != Configuration.ConfigFile.FileName && !(f.LinkTarget is null && f.Length == 0))
                    .OrderBy(f => f.FullName, StringComparer.Ordinal))
                {
                    try
                    {
                        records.Add(Load(f));
                    }
                    catch (CliUsageException e)
                    {
                        throw new CliUsageException($"{e.Message} (every *.json file directly in an --ancestors folder must be a KP document; kp.config.json and empty files excepted)", e.Field);
                    }
                }
            }
            else records.Add(Load(new FileInfo(p.FullName)));
        }
        return records;
    }

    /// <summary>Writes a document to a file (creating its folder) or to <paramref name="fallback"/>.</summary>
    public static void Write(KpRecord record, FileInfo? file, TextWriter fallback)
    {
        var json = RecordJson.Write(record);
        if (file is null)
        {
            fallback.Write(json);
            return;
        }
        InputFiles.RequireWritable(file);
        file.Directory?.Create();
        File.WriteAllText(file.FullName, json);
    }

    private static string KindName<T>() => typeof(T).Name switch
    {
        nameof(ParcelRecord) => "parcel",
        nameof(TransformationRecord) => "transformation",
        nameof(CertificateRecord) => "certificate",
        _ => "importConfirmation",
    };
}
