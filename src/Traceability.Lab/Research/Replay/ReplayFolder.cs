using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Traceability.Core.Json;
using Traceability.Core.Records;

namespace Traceability.Lab.Research.Replay;

/// <summary>
/// Writes the replay's documents to its output folder, one document a line (JSON Lines, each line what
/// <see cref="RecordJson"/> reads): documents/origin-parcels.jsonl, lot-parcels.jsonl, transformations.jsonl,
/// certificates.jsonl (every certificate anchored, signed), confirmations.jsonl; attacks/&lt;class&gt;.jsonl (the attack
/// documents, one file a class) and attacks/&lt;class&gt;-ancestors.jsonl (documents handed over with them that are not
/// the trade's own, such as a doctored transformation).
/// </summary>
internal static partial class ReplayFolder
{
    public static long Write(TradeYear year, string folder)
    {
        var docs = Path.Combine(folder, "documents");
        var attacks = Path.Combine(folder, "attacks");
        Directory.CreateDirectory(docs);
        Directory.CreateDirectory(attacks);
        long written = 0;
        written += Lines(Path.Combine(docs, "origin-parcels.jsonl"), year.OriginParcels.SelectMany(p => p).Select(p => p.Record));
        written += Lines(Path.Combine(docs, "lot-parcels.jsonl"), year.Lots.SelectMany(l => l.Outputs));
        written += Lines(Path.Combine(docs, "transformations.jsonl"), year.Lots.Select(l => l.Transformation));
        written += Lines(Path.Combine(docs, "certificates.jsonl"), year.Certificates.Select(c => c.Document));
        written += Lines(Path.Combine(docs, "confirmations.jsonl"), year.Certificates.Where(c => c.Confirmation is not null).Select(c => c.Confirmation!));
        var own = year.Certificates.SelectMany(c => c.Ancestors).Concat(year.Lots.Select(l => l.Transformation)).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var group in year.Attacks.GroupBy(a => a.Class))
        {
            var name = JsonNamingPolicy.KebabCaseLower.ConvertName(group.Key.ToString());
            written += Lines(Path.Combine(attacks, name + ".jsonl"), group.Select(a => a.Document));
            var foreign = group.SelectMany(a => a.Ancestors).Where(a => !own.Contains(a)).Distinct().ToList();
            if (foreign.Count > 0) written += Lines(Path.Combine(attacks, name + "-ancestors.jsonl"), foreign);
        }
        return written;
    }

    private static long Lines(string path, IEnumerable<KpRecord> records)
    {
        long n = 0;
        using var writer = new StreamWriter(path + ".tmp", false, new UTF8Encoding(false), 1 << 16);
        foreach (var r in records)
        {
            writer.Write(Compact(RecordJson.Write(r)));
            writer.Write('\n');
            n++;
        }
        writer.Close();
        File.Move(path + ".tmp", path, overwrite: true);
        return n;
    }

    /// <summary>One line: the indented document without its line breaks and indentation (a JSON string holds no raw line break).</summary>
    private static string Compact(string json) => LineBreak().Replace(json, "");

    [GeneratedRegex(@"\r?\n *")]
    private static partial Regex LineBreak();
}
