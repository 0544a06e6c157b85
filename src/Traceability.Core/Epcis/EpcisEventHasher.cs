using System.Security.Cryptography;
using System.Text;

namespace Traceability.Core.Epcis;

/// <summary>
/// The CBV 2.0 EPCIS Event Hash ID of every event of an EPCIS 2.0 JSON-LD document: the SHA-256 of the event's
/// canonical pre-hash string (<see cref="EpcisPreHash"/>) as a named-information URI, ni:///sha-256;&lt;hex&gt;?ver=CBV2.0.
/// Offline and deterministic; equal to the reference implementation (github.com/RalphTro/epcis-event-hash-generator)
/// on the vectors in data/epcis/hash-vectors.
/// </summary>
public static class EpcisEventHasher
{
    /// <summary>The largest document accepted, in bytes.</summary>
    public const int MaxDocumentBytes = 16 << 20;

    /// <summary>The hash IDs of the document's events, in document order.</summary>
    /// <param name="json">The document (or a single event), JSON-LD.</param>
    /// <exception cref="EpcisFormatException">The document, or one of its events, cannot be hashed: the exception names the field.</exception>
    public static IReadOnlyList<EpcisEventHash> HashDocument(string json) => HashDocument(Encoding.UTF8.GetBytes(json));

    /// <summary>The hash IDs of the events of the document read from <paramref name="utf8"/> (at most <see cref="MaxDocumentBytes"/>).</summary>
    /// <exception cref="EpcisFormatException">The document, or one of its events, cannot be hashed: the exception names the field.</exception>
    public static IReadOnlyList<EpcisEventHash> HashDocument(Stream utf8)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = utf8.Read(chunk)) > 0)
        {
            if (buffer.Length + n > MaxDocumentBytes) throw TooLarge(buffer.Length + n);
            buffer.Write(chunk, 0, n);
        }
        return HashDocument(buffer.ToArray());
    }

    /// <summary>The hash IDs of the events of the UTF-8 document <paramref name="utf8"/>, in document order.</summary>
    /// <exception cref="EpcisFormatException">The document, or one of its events, cannot be hashed: the exception names the field.</exception>
    public static IReadOnlyList<EpcisEventHash> HashDocument(byte[] utf8)
    {
        if (utf8.Length > MaxDocumentBytes) throw TooLarge(utf8.Length);
        // canonical values take about the room of the document (an EPC URN as a Digital Link a little more); numbers written
        // out could take a thousand times more, and exhaust the memory of the service that reads the document
        var budget = new EpcisPreHash.Budget(2L * utf8.Length + 65_536);
        return [.. EpcisDocumentReader.Read(utf8).Select(e =>
        {
            var preHash = EpcisPreHash.Of(e, budget);
            return new EpcisEventHash(e.Index, e.Type, e.EventId, preHash, HashIdOf(preHash));
        })];
    }

    /// <summary>The pre-hash strings of the document's events, in document order.</summary>
    /// <exception cref="EpcisFormatException">The document, or one of its events, cannot be hashed.</exception>
    public static IReadOnlyList<string> PreHashes(string json) => [.. HashDocument(json).Select(h => h.PreHash)];

    /// <summary>The hash ID of a pre-hash string: ni:///sha-256;&lt;SHA-256 of its UTF-8, lower-case hex&gt;?ver=CBV2.0.</summary>
    public static string HashIdOf(string preHash) =>
        "ni:///sha-256;" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preHash))) + "?ver=CBV2.0";

    private static EpcisFormatException TooLarge(long length) =>
        new("document", $"is over {MaxDocumentBytes:N0} bytes ({length:N0} read); at most {MaxDocumentBytes:N0} are accepted");
}
