using System.Globalization;
using System.Text;
using Traceability.Core.Epcis;
using Traceability.Core.Merkle;
using Traceability.Portal.Chain;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Verification;

/// <summary>
/// Reads the EPCIS event form (POST /e): an EPCIS 2.0 document, pasted or uploaded, and the place of one of its
/// events, within the portal's limits; gives the batch kp anchor --epcis anchors for that document (the root) and
/// the event with its proof. Every refusal is a <see cref="PortalInputException"/> naming the field; nothing is kept.
/// </summary>
public sealed class EpcisInput(PortalOptions options)
{
    /// <summary>The query of the event at the form's index in the form's document.</summary>
    public async Task<AnchorQuery> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new PortalInputException(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"expected a form (multipart/form-data), got '{request.ContentType ?? "none"}'");
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is (IOException or InvalidDataException) and not BadHttpRequestException && !ct.IsCancellationRequested) // a body over the limit stays a 413
        {
            throw new PortalInputException("body", "is not a well-formed form: it ends early or a part is malformed");
        }
        byte[] bytes;
        string field;
        if (form.Files.GetFile("documentFile") is { Length: > 0 } file)
        {
            if (file.Length > options.MaxBodyBytes) throw TooLarge("documentFile");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
            (bytes, field) = (buffer.ToArray(), $"documentFile ({file.FileName})");
        }
        else if (form["documentText"].ToString() is { } text && !string.IsNullOrWhiteSpace(text))
        {
            (bytes, field) = (Encoding.UTF8.GetBytes(text), "documentText");
        }
        else throw new PortalInputException("documentText", "is empty: paste the EPCIS document or choose its file");
        return Event(bytes, field, form["index"].ToString());
    }

    /// <summary>The event at <paramref name="indexText"/> of the EPCIS document <paramref name="bytes"/>: the root of all its events, its hash ID and its proof.</summary>
    public static AnchorQuery Event(byte[] bytes, string field, string? indexText)
    {
        IReadOnlyList<EpcisEventHash> hashes;
        try
        {
            hashes = EpcisEventHasher.HashDocument(bytes);
        }
        catch (EpcisFormatException e)
        {
            throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, e.Field == "document" ? field : $"{field}.{e.Field}", e.Problem);
        }
        if (hashes.Count == 0) throw new PortalInputException(StatusCodes.Status422UnprocessableEntity, field, "holds no EPCIS event");
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= hashes.Count)
        {
            throw new PortalInputException("index", $"'{(indexText is { Length: > 20 } ? indexText[..20] + "…" : indexText)}' is not the place of an event of the document (0 to {hashes.Count - 1})");
        }
        var tree = StandardMerkleTree.Of([.. hashes.Select(h => h.Digest)]);
        return new AnchorQuery(tree.Root, hashes[index].HashId, tree.GetProof(index));
    }

    private PortalInputException TooLarge(string field) =>
        new(StatusCodes.Status413PayloadTooLarge, field, $"is larger than the {options.MaxBodyBytes:N0} bytes this portal accepts");
}
