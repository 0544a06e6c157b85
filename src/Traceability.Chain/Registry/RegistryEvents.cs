using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Traceability.Chain.Registry;

// Typed events of KimberleyRegistry, checked against the compiled ABI by the tests.

/// <summary>ParticipantAdded(bytes2 indexed code).</summary>
[Event("ParticipantAdded")]
public sealed class ParticipantAddedEvent : IEventDTO
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "code", 1, true)] public byte[] Code { get; set; } = [];
}

/// <summary>ParticipantSuspended(bytes2 indexed code).</summary>
[Event("ParticipantSuspended")]
public sealed class ParticipantSuspendedEvent : IEventDTO
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "code", 1, true)] public byte[] Code { get; set; } = [];
}

/// <summary>ParticipantReinstated(bytes2 indexed code).</summary>
[Event("ParticipantReinstated")]
public sealed class ParticipantReinstatedEvent : IEventDTO
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "code", 1, true)] public byte[] Code { get; set; } = [];
}

/// <summary>AuthorityAdded(bytes2 indexed participant, address indexed account).</summary>
[Event("AuthorityAdded")]
public sealed class AuthorityAddedEvent : IEventDTO, IDirectoryEvent
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 1, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The authority's account.</summary>
    [Parameter("address", "account", 2, true)] public string Account { get; set; } = "";
}

/// <summary>AuthorityRemoved(bytes2 indexed participant, address indexed account).</summary>
[Event("AuthorityRemoved")]
public sealed class AuthorityRemovedEvent : IEventDTO, IDirectoryEvent
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 1, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The former authority's account.</summary>
    [Parameter("address", "account", 2, true)] public string Account { get; set; } = "";
}

/// <summary>MemberAdded(bytes2 indexed participant, address indexed account, uint32 index).</summary>
[Event("MemberAdded")]
public sealed class MemberAddedEvent : IEventDTO, IDirectoryEvent
{
    /// <inheritdoc />
    uint? IDirectoryEvent.MemberIndex => Index;

    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 1, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The member's account.</summary>
    [Parameter("address", "account", 2, true)] public string Account { get; set; } = "";

    /// <summary>The member's index.</summary>
    [Parameter("uint32", "index", 3, false)] public uint Index { get; set; }
}

/// <summary>MemberRemoved(bytes2 indexed participant, address indexed account).</summary>
[Event("MemberRemoved")]
public sealed class MemberRemovedEvent : IEventDTO, IDirectoryEvent
{
    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 1, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The former member's account.</summary>
    [Parameter("address", "account", 2, true)] public string Account { get; set; } = "";
}

/// <summary>ParcelRegistered(bytes32 indexed parcel, bytes2 indexed participant, address indexed registrant).</summary>
[Event("ParcelRegistered")]
public sealed class ParcelRegisteredEvent : IEventDTO
{
    /// <summary>The parcel's hash.</summary>
    [Parameter("bytes32", "parcel", 1, true)] public byte[] Parcel { get; set; } = [];

    /// <summary>The holder participant.</summary>
    [Parameter("bytes2", "participant", 2, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The registering member.</summary>
    [Parameter("address", "registrant", 3, true)] public string Registrant { get; set; } = "";
}

/// <summary>ParcelDerived(bytes32 indexed parcel, bytes32 indexed transformation, bytes2 indexed participant, bytes32[] inputs).</summary>
[Event("ParcelDerived")]
public sealed class ParcelDerivedEvent : IEventDTO
{
    /// <summary>The output parcel.</summary>
    [Parameter("bytes32", "parcel", 1, true)] public byte[] Parcel { get; set; } = [];

    /// <summary>The transformation that made it.</summary>
    [Parameter("bytes32", "transformation", 2, true)] public byte[] Transformation { get; set; } = [];

    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 3, true)] public byte[] Participant { get; set; } = [];

    /// <summary>All the inputs (sorted) of the transformation that made it: the parcel's parents.</summary>
    [Parameter("bytes32[]", "inputs", 4, false)] public List<byte[]> Inputs { get; set; } = [];
}

/// <summary>ParcelsTransformed(bytes32 indexed transformation, bytes2 indexed participant, address indexed registrant, bytes32[] outputDetails); the inputs are in each output's <see cref="ParcelDerivedEvent"/>.</summary>
[Event("ParcelsTransformed")]
public sealed class ParcelsTransformedEvent : IEventDTO
{
    /// <summary>The transformation's hash.</summary>
    [Parameter("bytes32", "transformation", 1, true)] public byte[] Transformation { get; set; } = [];

    /// <summary>The participant.</summary>
    [Parameter("bytes2", "participant", 2, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The registering member.</summary>
    [Parameter("address", "registrant", 3, true)] public string Registrant { get; set; } = "";

    /// <summary>ParcelDetails hashes of the created parcels (each output is ParcelRecord.HashOf(participant, d)).</summary>
    [Parameter("bytes32[]", "outputDetails", 4, false)] public List<byte[]> OutputDetails { get; set; } = [];
}

/// <summary>CertificateIssued(bytes32 indexed numberHash, bytes2 indexed exporter, bytes2 indexed importer, bytes32 certificateHash, uint64 expiresAt, address authority, address relayer, bytes32[] parcels).</summary>
[Event("CertificateIssued")]
public sealed class CertificateIssuedEvent : IEventDTO
{
    /// <summary>keccak256 of the number.</summary>
    [Parameter("bytes32", "numberHash", 1, true)] public byte[] NumberHash { get; set; } = [];

    /// <summary>Exporting participant.</summary>
    [Parameter("bytes2", "exporter", 2, true)] public byte[] Exporter { get; set; } = [];

    /// <summary>Importing participant.</summary>
    [Parameter("bytes2", "importer", 3, true)] public byte[] Importer { get; set; } = [];

    /// <summary>The full EIP-712 struct hash.</summary>
    [Parameter("bytes32", "certificateHash", 4, false)] public byte[] CertificateHash { get; set; } = [];

    /// <summary>Expiry.</summary>
    [Parameter("uint64", "expiresAt", 5, false)] public ulong ExpiresAt { get; set; }

    /// <summary>The issuing authority (signer when relayed).</summary>
    [Parameter("address", "authority", 6, false)] public string Authority { get; set; } = "";

    /// <summary>The account that sent the transaction.</summary>
    [Parameter("address", "relayer", 7, false)] public string Relayer { get; set; } = "";

    /// <summary>The shipment's parcels.</summary>
    [Parameter("bytes32[]", "parcels", 8, false)] public List<byte[]> Parcels { get; set; } = [];
}

/// <summary>ImportConfirmed(bytes32 indexed numberHash, bytes2 indexed exporter, bytes2 indexed importer, bytes32 confirmationHash, address authority).</summary>
[Event("ImportConfirmed")]
public sealed class ImportConfirmedEvent : IEventDTO
{
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 1, true)] public byte[] NumberHash { get; set; } = [];

    /// <summary>exporter.</summary>
    [Parameter("bytes2", "exporter", 2, true)] public byte[] Exporter { get; set; } = [];

    /// <summary>importer.</summary>
    [Parameter("bytes2", "importer", 3, true)] public byte[] Importer { get; set; } = [];

    /// <summary>confirmationHash.</summary>
    [Parameter("bytes32", "confirmationHash", 4, false)] public byte[] ConfirmationHash { get; set; } = [];

    /// <summary>authority.</summary>
    [Parameter("address", "authority", 5, false)] public string Authority { get; set; } = "";
}

/// <summary>CertificateVoided(bytes32 indexed numberHash, bytes2 indexed exporter, address authority).</summary>
[Event("CertificateVoided")]
public sealed class CertificateVoidedEvent : IEventDTO
{
    /// <summary>keccak256 of the number.</summary>
    [Parameter("bytes32", "numberHash", 1, true)] public byte[] NumberHash { get; set; } = [];

    /// <summary>Exporting participant.</summary>
    [Parameter("bytes2", "exporter", 2, true)] public byte[] Exporter { get; set; } = [];

    /// <summary>The voiding authority.</summary>
    [Parameter("address", "authority", 3, false)] public string Authority { get; set; } = "";
}

/// <summary>RecordFlagged(uint8 indexed kind, bytes32 indexed key, uint8 flag, uint8 category, bytes32 evidenceHash).</summary>
[Event("RecordFlagged")]
public sealed class RecordFlaggedEvent : IEventDTO
{
    /// <summary>0 Parcel, 1 Transformation, 2 Certificate, 3 Anchor.</summary>
    [Parameter("uint8", "kind", 1, true)] public byte Kind { get; set; }

    /// <summary>The record's key.</summary>
    [Parameter("bytes32", "key", 2, true)] public byte[] Key { get; set; } = [];

    /// <summary>0 None, 1 Suspicious, 2 Fraudulent.</summary>
    [Parameter("uint8", "flag", 3, false)] public byte Flag { get; set; }

    /// <summary>Governance's reason.</summary>
    [Parameter("uint8", "category", 4, false)] public byte Category { get; set; }

    /// <summary>evidenceHash: keccak256 of the off-chain reason.</summary>
    [Parameter("bytes32", "evidenceHash", 5, false)] public byte[] EvidenceHash { get; set; } = [];
}

/// <summary>BatchAnchored(bytes32 indexed root, bytes2 indexed participant, address indexed registrant, uint32 leafCount).</summary>
[Event("BatchAnchored")]
public sealed class BatchAnchoredEvent : IEventDTO
{
    /// <summary>The Merkle root.</summary>
    [Parameter("bytes32", "root", 1, true)] public byte[] Root { get; set; } = [];

    /// <summary>The anchoring member's participant.</summary>
    [Parameter("bytes2", "participant", 2, true)] public byte[] Participant { get; set; } = [];

    /// <summary>The anchoring member.</summary>
    [Parameter("address", "registrant", 3, true)] public string Registrant { get; set; } = "";

    /// <summary>Declared number of leaves.</summary>
    [Parameter("uint32", "leafCount", 4, false)] public uint LeafCount { get; set; }
}
