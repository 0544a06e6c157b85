using System.Text.Json;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The rejected area: for every rejected record, its document (<c>&lt;id&gt;.json</c>) and a
/// machine-readable reason (<c>&lt;id&gt;.reason.json</c>: rule, field, reason, source, hash).
/// </summary>
public sealed class RejectedArea(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>Writes the document and its reason (overwriting on a retry, so a crash leaves no half state).</summary>
    public void Write(StoredRecord record, string rule, string field, string reason, string? hash)
    {
        Directory.CreateDirectory(Folder);
        var name = record.Id.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllBytes(Path.Combine(Folder, name + ".json"), record.Document);
        var why = JsonSerializer.Serialize(new { id = record.Id, source = record.Source, rule, field, reason, recordHash = hash }, Json);
        var tmp = Path.Combine(Folder, name + ".reason.json.tmp");
        File.WriteAllText(tmp, why + "\n");
        File.Move(tmp, Path.Combine(Folder, name + ".reason.json"), overwrite: true);
    }
}
