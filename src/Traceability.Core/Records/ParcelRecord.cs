using System.Collections.Immutable;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Records;

/// <summary>
/// A rough-diamond parcel: an origin parcel from a mine, or an output of a transformation.
/// </summary>
/// <param name="ParcelId">The holder's own reference for the parcel.</param>
/// <param name="Participant">The participant that holds it when registered.</param>
/// <param name="Origins">Countries of origin of its diamonds (one for unmixed origin).</param>
/// <param name="Mine">Mine or zone of production (for example "Jwaneng", or the compliant zone "Berbérati"); empty for a derived parcel.</param>
/// <param name="Carats">Weight in hundredths of a carat.</param>
/// <param name="ValueUsdCents">Declared value in US cents.</param>
/// <param name="HsCode">7102.10 (unsorted), 7102.21 (industrial) or 7102.31 (non-industrial).</param>
/// <param name="RecordedAt">When it was produced or made, Unix seconds.</param>
/// <param name="Salt">Random 32 bytes.</param>
public sealed record ParcelRecord(
    string ParcelId,
    ParticipantCode Participant,
    ImmutableArray<ParticipantCode> Origins,
    string Mine,
    ulong Carats,
    ulong ValueUsdCents,
    string HsCode,
    ulong RecordedAt,
    Hash32 Salt) : KpRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Parcel;

    /// <inheritdoc />
    public override Eip712Struct ToEip712() =>
        new(RecordSchema.Parcel.Name, [ParcelId, Participant, Origins, Mine, Carats, ValueUsdCents, HsCode, RecordedAt, Salt]);
}
