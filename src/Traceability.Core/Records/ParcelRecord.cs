using System.Buffers.Binary;
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

    /// <summary>
    /// The EIP-712 struct hash of the details: what a member sends to register the parcel. Encoded here
    /// directly, on the stack (equal to <see cref="Eip712Encoder.HashStruct"/> of <see cref="DetailsToEip712"/>,
    /// which the tests compare): the anchoring service hashes every parcel it receives.
    /// </summary>
    public Hash32 DetailsHash()
    {
        Span<byte> buffer = stackalloc byte[32 * 9];
        buffer.Clear();
        DetailsTypeHash.CopyTo(buffer);
        Keccak.Hash(ParcelId).CopyTo(buffer[32..]);
        var origins = Origins.Length <= 16 ? stackalloc byte[32 * Origins.Length] : new byte[32 * Origins.Length];
        origins.Clear();
        for (var i = 0; i < Origins.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(origins[(32 * i)..], Origins[i].AsUInt16);
        Keccak.Hash(origins).CopyTo(buffer[64..]);
        Keccak.Hash(Mine).CopyTo(buffer[96..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[(128 + 24)..], Carats);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[(160 + 24)..], ValueUsdCents);
        Keccak.Hash(HsCode).CopyTo(buffer[192..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[(224 + 24)..], RecordedAt);
        Salt.CopyTo(buffer[256..]);
        return Keccak.Hash(buffer);
    }

    private static readonly Hash32 DetailsTypeHash = RecordSchema.Schema.TypeHash(RecordSchema.ParcelDetails.Name);

    private static readonly Hash32 ParcelTypeHash = RecordSchema.Schema.TypeHash(RecordSchema.Parcel.Name);

    /// <inheritdoc />
    public override Hash32 Hash() => HashOf(Participant, DetailsHash());

    /// <inheritdoc />
    public override Eip712Struct ToEip712() => new(RecordSchema.Parcel.Name, [Participant, DetailsToEip712()]);

    /// <summary>
    /// The hash the registry computes for a parcel from its participant and the hash of its
    /// details (equal to <see cref="KpRecord.Hash"/> of the document).
    /// </summary>
    public static Hash32 HashOf(ParticipantCode participant, Hash32 detailsHash)
    {
        Span<byte> buffer = stackalloc byte[96];
        buffer.Clear();
        ParcelTypeHash.CopyTo(buffer);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[32..], participant.AsUInt16);
        detailsHash.CopyTo(buffer[64..]);
        return Keccak.Hash(buffer);
    }
}
