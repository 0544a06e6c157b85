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

    /// <summary>The details (everything but the participant) as an EIP-712 struct value.</summary>
    public Eip712Struct DetailsToEip712() =>
        new(RecordSchema.ParcelDetails.Name, [ParcelId, Origins, Mine, Carats, ValueUsdCents, HsCode, RecordedAt, Salt]);

    /// <summary>The EIP-712 struct hash of the details: what a member sends to register the parcel.</summary>
    public Hash32 DetailsHash() => Eip712Encoder.HashStruct(RecordSchema.Schema, DetailsToEip712());

    /// <inheritdoc />
    public override Eip712Struct ToEip712() => new(RecordSchema.Parcel.Name, [Participant, DetailsToEip712()]);

    /// <summary>
    /// The hash the registry computes for a parcel from its participant and the hash of its
    /// details (equal to <see cref="KpRecord.Hash"/> of the document).
    /// </summary>
    public static Hash32 HashOf(ParticipantCode participant, Hash32 detailsHash)
    {
        Span<byte> buffer = stackalloc byte[96];
        RecordSchema.Schema.TypeHash(RecordSchema.Parcel.Name).CopyTo(buffer);
        participant.ToBytes().CopyTo(buffer[32..]);
        detailsHash.CopyTo(buffer[64..]);
        return Keccak.Hash(buffer);
    }
}
