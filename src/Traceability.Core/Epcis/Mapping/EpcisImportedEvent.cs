using Traceability.Core.Records;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>One event of an imported EPCIS document: the KP records it gives, or why it was rejected.</summary>
/// <param name="Index">The event's place in the document, from 0.</param>
/// <param name="HashId">Its EPCIS Event Hash ID (ni:///sha-256;…?ver=CBV2.0): how the event is named.</param>
/// <param name="Records">The records it gives (none when rejected).</param>
/// <param name="Rejection">Why it cannot be mapped, or null.</param>
/// <param name="Json">The event as the document writes it (JSON).</param>
public sealed record EpcisImportedEvent(int Index, string HashId, IReadOnlyList<KpRecord> Records, EpcisMappingException? Rejection, string Json)
{
    /// <summary>Whether the event gave its records.</summary>
    public bool IsMapped => Rejection is null;

    /// <summary>The rejection as one sentence naming the event by its hash and the field.</summary>
    public string? Reason => Rejection is { } r ? $"event {Index} ({HashId}) cannot be mapped to a KP record: {r.Field}: {r.Problem}" : null;
}
