using System.Text.Json;
using Traceability.Chain.Registry;
using Traceability.Portal.Chain;

namespace Traceability.Portal.Api;

/// <summary>The body of POST /api/v1/verify.</summary>
/// <param name="Document">The certificate, parcel, transformation or import confirmation to verify (as kp writes it).</param>
/// <param name="Ancestors">Documents of its parcels and their ancestors (parcels, transformations), optional.</param>
/// <param name="Policy">An origin policy (docs/schemas/origin-policy.schema.json) applied after the chain checks, optional; without it, the portal's default (Portal:PolicyPath), if any.</param>
public sealed record VerifyRequest(JsonElement Document, IReadOnlyList<JsonElement>? Ancestors, JsonElement? Policy = null);

/// <summary>A certificate's on-chain status (GET /api/v1/certificates/{exporter}/{number}).</summary>
/// <param name="Exporter">The exporting participant.</param>
/// <param name="Number">The number.</param>
/// <param name="NumberHash">keccak256 of the number.</param>
/// <param name="Status">issued, confirmed, voided or expired (notFound is a 404).</param>
/// <param name="Flag">Governance's flag: none, suspicious or fraudulent.</param>
/// <param name="Importer">The importing participant.</param>
/// <param name="ParcelCount">Parcels it covers.</param>
/// <param name="ExpiresAt">Expiry, Unix seconds.</param>
/// <param name="CertificateHash">The certificate's EIP-712 hash as anchored.</param>
/// <param name="PrintedHash">The hash given as h, if any.</param>
/// <param name="HashMatches">Whether h equals the anchored hash (absent without h).</param>
/// <param name="LookupUrl">The portal page of this certificate (what its printed code opens).</param>
/// <param name="Events">Its events, oldest first.</param>
/// <param name="Block">The block read.</param>
/// <param name="BlockTime">Its time, Unix seconds.</param>
public sealed record CertificateJson(string Exporter, string Number, string NumberHash, LookupStatus Status, RecordFlag Flag, string? Importer,
    int ParcelCount, ulong ExpiresAt, string? CertificateHash, string? PrintedHash, bool? HashMatches, string LookupUrl,
    IReadOnlyList<CertificateEventJson> Events, ulong Block, ulong BlockTime);

/// <summary>One event of a certificate.</summary>
/// <param name="Kind">issued, confirmed, voided, flagged or unflagged.</param>
/// <param name="Block">Its block.</param>
/// <param name="Time">Its block's time, Unix seconds.</param>
/// <param name="Transaction">Its transaction.</param>
/// <param name="Authority">The authority that acted (absent for governance).</param>
public sealed record CertificateEventJson(CertificateEventKind Kind, ulong Block, ulong Time, string Transaction, string? Authority);

/// <summary>A parcel's on-chain state (GET /api/v1/parcels/{hash}).</summary>
/// <param name="Parcel">Its hash.</param>
/// <param name="Holder">The participant holding it.</param>
/// <param name="Status">active, consumed or locked.</param>
/// <param name="Flag">Governance's flag.</param>
/// <param name="Origin">Whether it was registered as an origin parcel (no parents).</param>
/// <param name="RegisteredAt">When it was registered, Unix seconds.</param>
/// <param name="Block">The block read.</param>
public sealed record ParcelJson(string Parcel, string? Holder, ParcelStatus Status, RecordFlag Flag, bool Origin, uint RegisteredAt, ulong Block);

/// <summary>The participants (GET /api/v1/participants).</summary>
/// <param name="Participants">Each participant with its status and what its events record.</param>
/// <param name="Certificates">Certificates issued in all.</param>
/// <param name="Parcels">Parcels registered in all.</param>
/// <param name="Block">The block read.</param>
public sealed record ParticipantsJson(IReadOnlyList<ParticipantJson> Participants, int Certificates, int Parcels, ulong Block);

/// <summary>One participant.</summary>
/// <param name="Code">Its code.</param>
/// <param name="Name">Its name in the KP list, if known.</param>
/// <param name="Status">active or suspended.</param>
/// <param name="CertificatesIssued">Certificates it issued.</param>
/// <param name="CertificatesImported">Certificates naming it as importer.</param>
/// <param name="ImportsConfirmed">Imports it confirmed.</param>
/// <param name="CertificatesVoided">Certificates it voided.</param>
/// <param name="OriginParcels">Origin parcels its members registered.</param>
/// <param name="DerivedParcels">Parcels its transformations made.</param>
/// <param name="Transformations">Transformations it registered.</param>
/// <param name="Anchors">Batch anchors of its members.</param>
public sealed record ParticipantJson(string Code, string? Name, ParticipantStatus Status, int CertificatesIssued, int CertificatesImported,
    int ImportsConfirmed, int CertificatesVoided, int OriginParcels, int DerivedParcels, int Transformations, int Anchors);

/// <summary>The portal's health (GET /api/v1/health).</summary>
/// <param name="Status">"ok".</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Registry">The registry's address.</param>
/// <param name="BlockNumber">The chain's head.</param>
/// <param name="BlockTime">Its time, Unix seconds.</param>
public sealed record HealthJson(string Status, ulong ChainId, string Registry, ulong BlockNumber, ulong BlockTime);

/// <summary>An anchored batch (GET /api/v1/anchors/{root}).</summary>
/// <param name="Root">The Merkle root.</param>
/// <param name="Anchors">Each participant's anchor of the root (anchors are kept under participant and root), oldest first.</param>
/// <param name="Event">The EPCIS event asked about, with its proof and the answer (absent without event).</param>
/// <param name="LookupUrl">The portal page of this answer (what kp anchor check --epcis links to).</param>
/// <param name="Block">The block read.</param>
/// <param name="BlockTime">Its time, Unix seconds.</param>
public sealed record AnchorJson(string Root, IReadOnlyList<AnchorEntryJson> Anchors, AnchoredEventJson? Event, string LookupUrl, ulong Block, ulong BlockTime);

/// <summary>One participant's anchor of a root.</summary>
/// <param name="Participant">The anchoring member's participant.</param>
/// <param name="Registrant">The anchoring member's account.</param>
/// <param name="LeafCount">Leaves declared.</param>
/// <param name="AnchoredAt">When, Unix seconds.</param>
/// <param name="Flag">Governance's flag: none, suspicious or fraudulent.</param>
/// <param name="AnchorBlock">The block of its BatchAnchored event.</param>
/// <param name="Transaction">Its transaction.</param>
/// <param name="Included">Whether the registry's isAnchored accepts the event's leaf and proof for this anchor (absent without event).</param>
public sealed record AnchorEntryJson(string Participant, string Registrant, uint LeafCount, ulong AnchoredAt, RecordFlag Flag, ulong AnchorBlock, string Transaction, bool? Included);

/// <summary>The EPCIS event asked about.</summary>
/// <param name="Hash">Its EPCIS Event Hash ID.</param>
/// <param name="Leaf">The leaf: the SHA-256 digest the hash ID names.</param>
/// <param name="Proof">The proof given.</param>
/// <param name="ProofMatches">Whether the leaf with the proof reproduces the root.</param>
/// <param name="Included">Whether the event is in an anchored batch of the root (the registry's isAnchored).</param>
public sealed record AnchoredEventJson(string Hash, string Leaf, IReadOnlyList<string> Proof, bool ProofMatches, bool Included);
