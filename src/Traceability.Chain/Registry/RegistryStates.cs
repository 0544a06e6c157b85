using System.Text;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>Lifecycle of a participant on-chain.</summary>
public enum ParticipantStatus : byte
{
    /// <summary>Not a participant.</summary>
    None,

    /// <summary>Active.</summary>
    Active,

    /// <summary>Suspended by governance.</summary>
    Suspended,
}

/// <summary>Lifecycle of a parcel on-chain.</summary>
public enum ParcelStatus : byte
{
    /// <summary>Not registered.</summary>
    None,

    /// <summary>Held and usable.</summary>
    Active,

    /// <summary>Consumed by a transformation.</summary>
    Consumed,

    /// <summary>Locked to an issued, unconfirmed certificate.</summary>
    Locked,
}

/// <summary>Lifecycle of a certificate on-chain.</summary>
public enum CertificateStatus : byte
{
    /// <summary>Not issued.</summary>
    None,

    /// <summary>Issued, not yet confirmed or voided.</summary>
    Issued,

    /// <summary>Import confirmed.</summary>
    Confirmed,

    /// <summary>Voided by the exporter.</summary>
    Voided,
}

/// <summary>Governance's mark on a record.</summary>
public enum RecordFlag : byte
{
    /// <summary>No flag.</summary>
    None,

    /// <summary>Under suspicion.</summary>
    Suspicious,

    /// <summary>Found fraudulent.</summary>
    Fraudulent,
}

/// <summary>Why governance set or cleared a flag (the contract's FlagCategory); the text stays off-chain.</summary>
public enum FlagCategory : byte
{
    /// <summary>Another reason.</summary>
    Other,

    /// <summary>A forged document.</summary>
    ForgedDocument,

    /// <summary>A tampered document.</summary>
    TamperedDocument,

    /// <summary>Goods of suspicious origin.</summary>
    SuspiciousOrigin,

    /// <summary>Smuggled goods.</summary>
    Smuggling,

    /// <summary>Under- or over-valuation.</summary>
    Valuation,

    /// <summary>Sanctioned origin or party.</summary>
    Sanctions,

    /// <summary>An investigation closed (typically with the flag cleared).</summary>
    InvestigationClosed,
}

/// <summary>The kinds of record governance can flag (the contract's RecordKind).</summary>
public enum FlaggableKind : byte
{
    /// <summary>A parcel, by its hash.</summary>
    Parcel,

    /// <summary>A transformation, by its hash.</summary>
    Transformation,

    /// <summary>A certificate, by <see cref="RegistryKeys.Certificate"/> (exporter and number hash).</summary>
    Certificate,

    /// <summary>A batch anchor, by <see cref="RegistryKeys.Anchor"/> (participant and root).</summary>
    Anchor,
}

/// <summary>A parcel's on-chain state.</summary>
/// <param name="Hash">The parcel's hash.</param>
/// <param name="Holder">The participant holding it (null if unknown parcel).</param>
/// <param name="Status">Its status.</param>
/// <param name="Flag">Governance's flag.</param>
/// <param name="Registrant">Member index of the registrant.</param>
/// <param name="RegisteredAt">Registration time, Unix seconds.</param>
/// <param name="Parents">The 20-byte parent commitment, or null for an origin parcel.</param>
public sealed record ParcelState(Hash32 Hash, ParticipantCode? Holder, ParcelStatus Status, RecordFlag Flag, uint Registrant,
    uint RegisteredAt, byte[]? Parents)
{
    /// <summary>Whether the chain knows the parcel.</summary>
    public bool Exists => Status != ParcelStatus.None;

    /// <summary>Whether it was registered as an origin parcel (no parents).</summary>
    public bool IsOrigin => Exists && Parents is null;
}

/// <summary>A certificate's on-chain state.</summary>
/// <param name="NumberHash">keccak256 of the number.</param>
/// <param name="Exporter">Exporting participant (null if unknown).</param>
/// <param name="Importer">Importing participant (null if unknown).</param>
/// <param name="Status">Its status.</param>
/// <param name="Flag">Governance's flag.</param>
/// <param name="ExpiresAt">Expiry, Unix seconds.</param>
/// <param name="ParcelCount">Number of parcels.</param>
/// <param name="ContentHash">First 20 bytes of its EIP-712 hash.</param>
public sealed record CertificateState(Hash32 NumberHash, ParticipantCode? Exporter, ParticipantCode? Importer,
    CertificateStatus Status, RecordFlag Flag, uint ExpiresAt, ushort ParcelCount, byte[] ContentHash)
{
    /// <summary>Whether the chain knows the certificate number.</summary>
    public bool Exists => Status != CertificateStatus.None;

    /// <summary>Whether <paramref name="certificateHash"/> is the hash on record.</summary>
    public bool Matches(Hash32 certificateHash) => ContentHash.AsSpan().SequenceEqual(certificateHash.First20Bytes());
}

/// <summary>A transformation's on-chain state.</summary>
/// <param name="Hash">The transformation's hash.</param>
/// <param name="Participant">Where it happened (null if unknown).</param>
/// <param name="Flag">Governance's flag.</param>
/// <param name="InputCount">Inputs.</param>
/// <param name="OutputCount">Outputs.</param>
/// <param name="Registrant">Member index (zero: unknown).</param>
/// <param name="RegisteredAt">Registration time.</param>
public sealed record TransformationState(Hash32 Hash, ParticipantCode? Participant, RecordFlag Flag, ushort InputCount,
    ushort OutputCount, uint Registrant, uint RegisteredAt)
{
    /// <summary>Whether the chain knows it.</summary>
    public bool Exists => Registrant != 0;
}

/// <summary>A batch anchor's on-chain state.</summary>
/// <param name="Root">The Merkle root.</param>
/// <param name="Participant">The anchoring member's participant (null if unknown).</param>
/// <param name="Flag">Governance's flag.</param>
/// <param name="Registrant">Member index (zero: unknown).</param>
/// <param name="AnchoredAt">Anchoring time.</param>
/// <param name="LeafCount">Declared leaves.</param>
public sealed record AnchorState(Hash32 Root, ParticipantCode? Participant, RecordFlag Flag, uint Registrant, uint AnchoredAt, uint LeafCount)
{
    /// <summary>Whether the chain knows the root.</summary>
    public bool Exists => Registrant != 0;
}

/// <summary>Conversions between Core types and ABI values.</summary>
public static class AbiValues
{
    /// <summary>A code as bytes2.</summary>
    public static byte[] Bytes2(ParticipantCode code) => code.ToBytes();

    /// <summary>A bytes2 as a code, or null for zero or a malformed value.</summary>
    public static ParticipantCode? Code(byte[] bytes2) =>
        bytes2.Length == 2 && ParticipantCode.TryParse(Encoding.ASCII.GetString(bytes2), out var c) ? c : null;

    /// <summary>Hashes as bytes32 values.</summary>
    public static List<byte[]> Bytes32(IEnumerable<Hash32> hashes) => [.. hashes.Select(h => h.ToArray())];

    /// <summary>A parcel DTO as a state.</summary>
    public static ParcelState ToState(Hash32 hash, ParcelDto p) => new(hash, Code(p.Participant), (ParcelStatus)p.Status,
        (RecordFlag)p.Flag, p.Registrant, p.RegisteredAt, p.Parents.All(b => b == 0) ? null : p.Parents);

    /// <summary>A certificate DTO as a state.</summary>
    public static CertificateState ToState(Hash32 numberHash, CertificateDto c) => new(numberHash, Code(c.Exporter),
        Code(c.Importer), (CertificateStatus)c.Status, (RecordFlag)c.Flag, c.ExpiresAt, c.ParcelCount, c.ContentHash);
}
