using System.Buffers.Binary;
using System.Numerics;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>
/// The packed storage layouts of parcels and anchors (contracts/libraries/RecordSlots.sol): bit
/// offsets from the low end of the 32-byte word, as Solidity packs the structs. Decodes a raw slot
/// read with eth_getStorageAt (an indexer, or a check that the contract's layout is what its
/// views say; a test compares both on a real chain).
/// </summary>
public static class RecordSlots
{
    /// <summary>Parcel: holder participant, bits 0-15.</summary>
    public const int ParcelParticipantShift = 0;

    /// <summary>Parcel: status, bits 16-23.</summary>
    public const int ParcelStatusShift = 16;

    /// <summary>Parcel: flag, bits 24-31.</summary>
    public const int ParcelFlagShift = 24;

    /// <summary>Parcel: registrant member index, bits 32-63.</summary>
    public const int ParcelRegistrantShift = 32;

    /// <summary>Parcel: registration time, bits 64-95.</summary>
    public const int ParcelRegisteredAtShift = 64;

    /// <summary>Parcel: parent commitment, bits 96-255.</summary>
    public const int ParcelParentsShift = 96;

    /// <summary>Anchor: participant, bits 0-15.</summary>
    public const int AnchorParticipantShift = 0;

    /// <summary>Anchor: flag, bits 16-23.</summary>
    public const int AnchorFlagShift = 16;

    /// <summary>Anchor: registrant member index, bits 24-55.</summary>
    public const int AnchorRegistrantShift = 24;

    /// <summary>Anchor: anchoring time, bits 56-87.</summary>
    public const int AnchorAnchoredAtShift = 56;

    /// <summary>Anchor: leaf count, bits 88-119.</summary>
    public const int AnchorLeafCountShift = 88;

    /// <summary>Decodes a parcel's raw slot (32 bytes, big-endian as eth_getStorageAt returns it).</summary>
    public static ParcelState DecodeParcel(Hash32 hash, ReadOnlySpan<byte> word)
    {
        var w = Word(word);
        var parents = word[..((256 - ParcelParentsShift) / 8)].ToArray(); // the top 160 bits: the word's first 20 bytes, big-endian
        return new ParcelState(hash, Code(w, ParcelParticipantShift), (ParcelStatus)Bits(w, ParcelStatusShift, 8), (RecordFlag)Bits(w, ParcelFlagShift, 8),
            (uint)Bits(w, ParcelRegistrantShift, 32), (uint)Bits(w, ParcelRegisteredAtShift, 32), parents.All(b => b == 0) ? null : parents);
    }

    /// <summary>Decodes an anchor's raw slot.</summary>
    public static AnchorState DecodeAnchor(Hash32 root, ReadOnlySpan<byte> word)
    {
        var w = Word(word);
        return new AnchorState(root, Code(w, AnchorParticipantShift), (RecordFlag)Bits(w, AnchorFlagShift, 8), (uint)Bits(w, AnchorRegistrantShift, 32),
            (uint)Bits(w, AnchorAnchoredAtShift, 32), (uint)Bits(w, AnchorLeafCountShift, 32));
    }

    /// <summary>The storage slot of <paramref name="key"/> in a mapping at base slot <paramref name="mappingSlot"/>: keccak256(key ‖ slot).</summary>
    public static Hash32 MappingSlot(Hash32 key, BigInteger mappingSlot)
    {
        Span<byte> buffer = stackalloc byte[64];
        key.CopyTo(buffer);
        var slot = mappingSlot.ToByteArray(isUnsigned: true, isBigEndian: true);
        slot.CopyTo(buffer[(64 - slot.Length)..]);
        return Keccak.Hash(buffer);
    }

    private static BigInteger Word(ReadOnlySpan<byte> word) =>
        word.Length == 32 ? new BigInteger(word, isUnsigned: true, isBigEndian: true) : throw new ArgumentException("a storage slot is 32 bytes", nameof(word));

    private static ulong Bits(BigInteger w, int shift, int bits) => (ulong)((w >> shift) & ((BigInteger.One << bits) - 1));

    private static Core.Participants.ParticipantCode? Code(BigInteger w, int shift)
    {
        Span<byte> code = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(code, (ushort)Bits(w, shift, 16));
        return AbiValues.Code(code.ToArray());
    }
}
