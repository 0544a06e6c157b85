using Traceability.Core.Primitives;

namespace Traceability.Core.Epcis;

/// <summary>The EPCIS Event Hash ID of one event of a document.</summary>
/// <param name="Index">The event's place in the document, from 0.</param>
/// <param name="EventType">ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent.</param>
/// <param name="EventId">The event's own eventID, when it has one (not part of the hash).</param>
/// <param name="PreHash">The canonical pre-hash string the hash is taken of.</param>
/// <param name="HashId">ni:///sha-256;&lt;64 hex digits&gt;?ver=CBV2.0</param>
public sealed record EpcisEventHash(int Index, string EventType, string? EventId, string PreHash, string HashId)
{
    /// <summary>The 32-byte SHA-256 digest the hash ID names: the leaf an anchored batch of events holds (kp anchor --epcis).</summary>
    public Hash32 Digest => Hash32.Parse("0x" + HashId["ni:///sha-256;".Length..^"?ver=CBV2.0".Length]);
}
