using System.Text;
using Traceability.Core.Records;

namespace Traceability.Cli.Infrastructure;

/// <summary>The file name kp gives a record document: its kind and the holder's reference (parcel-DEB-JW-1.json), as the demo writes them.</summary>
public static class RecordFileNames
{
    /// <summary>kind-reference.json, any character outside letters, digits, '.', '_' and '-' written '_'.</summary>
    public static string Of(KpRecord record) => record switch
    {
        ParcelRecord p => Name("parcel", p.ParcelId),
        TransformationRecord t => Name("transformation", t.TransformationId),
        CertificateRecord c => Name("certificate", c.Number),
        ImportConfirmationRecord i => Name("confirmation", i.CertificateNumber),
        _ => $"{record.Hash()}.json",
    };

    private static string Name(string kind, string reference)
    {
        var sb = new StringBuilder(kind).Append('-');
        foreach (var ch in reference) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '_');
        return sb.Append(".json").ToString();
    }
}
