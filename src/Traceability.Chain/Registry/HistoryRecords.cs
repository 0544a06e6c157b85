using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>Where and when an event was logged: its transaction, block, block time and place in the block.</summary>
/// <param name="TransactionHash">The transaction's hash (0x and 64 hex digits).</param>
/// <param name="BlockNumber">The block number.</param>
/// <param name="BlockTime">The block's time, Unix seconds.</param>
/// <param name="LogIndex">The log's index in its block.</param>
public sealed record EventMark(string TransactionHash, ulong BlockNumber, ulong BlockTime, ulong LogIndex);

/// <summary>What happened to a certificate.</summary>
public enum CertificateEventKind
{
    /// <summary>Issued by an authority of the exporter (directly or relayed): CertificateIssued.</summary>
    Issued,

    /// <summary>Import confirmed by an authority of the importer: ImportConfirmed.</summary>
    Confirmed,

    /// <summary>Voided by an authority of the exporter: CertificateVoided.</summary>
    Voided,

    /// <summary>Governance set a flag (Suspicious or Fraudulent): RecordFlagged.</summary>
    Flagged,

    /// <summary>Governance cleared its flag: RecordFlagged with flag None.</summary>
    Unflagged,
}

/// <summary>One event of a certificate's life, with the facts the event carries.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Mark">Where and when it was logged.</param>
public sealed record CertificateEvent(CertificateEventKind Kind, EventMark Mark)
{
    /// <summary>The authority that issued, confirmed or voided (the signer when relayed).</summary>
    public string? Authority { get; init; }

    /// <summary>Issued: the account that sent the transaction (differs from the authority when relayed).</summary>
    public string? Relayer { get; init; }

    /// <summary>Issued, Confirmed: the importing participant.</summary>
    public ParticipantCode? Importer { get; init; }

    /// <summary>Issued: the certificate's EIP-712 hash; Confirmed: the import confirmation's.</summary>
    public Hash32? RecordHash { get; init; }

    /// <summary>Issued: the expiry, Unix seconds.</summary>
    public ulong? ExpiresAt { get; init; }

    /// <summary>Issued: how many parcels the certificate locked.</summary>
    public int? ParcelCount { get; init; }

    /// <summary>Flagged, Unflagged: the flag set (None when cleared).</summary>
    public RecordFlag? Flag { get; init; }

    /// <summary>Flagged, Unflagged: governance's category.</summary>
    public FlagCategory? Category { get; init; }

    /// <summary>Flagged, Unflagged: keccak256 of the off-chain reason.</summary>
    public Hash32? EvidenceHash { get; init; }
}

/// <summary>Every event of one certificate, in chain order, read at one block.</summary>
/// <param name="Exporter">The exporting participant (a number belongs to its exporter).</param>
/// <param name="NumberHash">keccak256 of the number.</param>
/// <param name="Key">The registry's key of the certificate, <see cref="RegistryKeys.Certificate"/>.</param>
/// <param name="State">Its state at <paramref name="Block"/>.</param>
/// <param name="Events">Its events, oldest first.</param>
/// <param name="Block">The block the history was read at.</param>
public sealed record CertificateHistory(ParticipantCode Exporter, Hash32 NumberHash, Hash32 Key, CertificateState State,
    IReadOnlyList<CertificateEvent> Events, ulong Block)
{
    /// <summary>Whether the certificate was ever issued.</summary>
    public bool Exists => Events.Any(e => e.Kind == CertificateEventKind.Issued);
}

/// <summary>What governance did to a participant.</summary>
public enum ParticipantEventKind
{
    /// <summary>ParticipantAdded.</summary>
    Added,

    /// <summary>ParticipantSuspended.</summary>
    Suspended,

    /// <summary>ParticipantReinstated.</summary>
    Reinstated,
}

/// <summary>One governance event of a participant.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Mark">Where and when.</param>
public sealed record ParticipantEvent(ParticipantEventKind Kind, EventMark Mark);

/// <summary>An account currently in a participant's directory (an authority or an active member), and when it was (last) added.</summary>
/// <param name="Participant">The participant.</param>
/// <param name="Account">The account, EIP-55 checksummed.</param>
/// <param name="Added">The event that added it (for a re-activated member: the latest).</param>
/// <param name="MemberIndex">A member's index (see memberAt); null for an authority.</param>
public sealed record DirectoryEntry(ParticipantCode Participant, string Account, EventMark Added, uint? MemberIndex = null);

/// <summary>A participant as the registry knows it, read at one block.</summary>
/// <param name="Code">The participant.</param>
/// <param name="Status">Its status.</param>
/// <param name="Events">Added, suspended, reinstated, oldest first.</param>
/// <param name="Authorities">Its current authorities, in the order they were added.</param>
/// <param name="Members">Its current active members, in the order they were (last) added.</param>
/// <param name="Block">The block it was read at.</param>
public sealed record ParticipantProfile(ParticipantCode Code, ParticipantStatus Status, IReadOnlyList<ParticipantEvent> Events,
    IReadOnlyList<DirectoryEntry> Authorities, IReadOnlyList<DirectoryEntry> Members, ulong Block)
{
    /// <summary>Whether governance ever added the participant.</summary>
    public bool Exists => Status != ParticipantStatus.None;

    /// <summary>When it was added, if it was.</summary>
    public EventMark? Added => Events.FirstOrDefault(e => e.Kind == ParticipantEventKind.Added)?.Mark;
}
