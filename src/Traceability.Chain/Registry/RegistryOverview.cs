using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>One participant of a <see cref="RegistryOverview"/> and what the events say it did.</summary>
/// <param name="Code">The participant.</param>
/// <param name="Status">Its status at the block read.</param>
/// <param name="CertificatesIssued">Certificates it issued as exporter (CertificateIssued).</param>
/// <param name="CertificatesImported">Certificates naming it as importer (CertificateIssued).</param>
/// <param name="ImportsConfirmed">Imports it confirmed (ImportConfirmed).</param>
/// <param name="CertificatesVoided">Certificates it voided (CertificateVoided).</param>
/// <param name="OriginParcels">Origin parcels registered by its members (ParcelRegistered).</param>
/// <param name="DerivedParcels">Parcels made by its transformations (ParcelDerived).</param>
/// <param name="Transformations">Transformations it registered (ParcelsTransformed).</param>
/// <param name="Anchors">Batch anchors of its members (BatchAnchored).</param>
public sealed record ParticipantActivity(ParticipantCode Code, ParticipantStatus Status, int CertificatesIssued, int CertificatesImported,
    int ImportsConfirmed, int CertificatesVoided, int OriginParcels, int DerivedParcels, int Transformations, int Anchors);

/// <summary>A batch anchor as its event tells it.</summary>
/// <param name="Root">The Merkle root.</param>
/// <param name="Participant">The anchoring member's participant (null if malformed).</param>
/// <param name="Registrant">The anchoring member, EIP-55 checksummed.</param>
/// <param name="LeafCount">Declared leaves.</param>
/// <param name="Mark">Where and when it was logged.</param>
public sealed record AnchorEntry(Hash32 Root, ParticipantCode? Participant, string Registrant, uint LeafCount, EventMark Mark);

/// <summary>A certificate issue as its event tells it.</summary>
/// <param name="Exporter">The exporting participant.</param>
/// <param name="Importer">The importing participant.</param>
/// <param name="NumberHash">keccak256 of its number (the number itself stays off-chain).</param>
/// <param name="CertificateHash">Its EIP-712 hash.</param>
/// <param name="ParcelCount">Parcels it locked.</param>
/// <param name="Mark">Where and when it was logged.</param>
public sealed record CertificateEntry(ParticipantCode? Exporter, ParticipantCode? Importer, Hash32 NumberHash, Hash32 CertificateHash, int ParcelCount, EventMark Mark);

/// <summary>The registry at a glance, read from its events at one block.</summary>
/// <param name="Participants">Every participant governance added, in the order it was added, with its activity.</param>
/// <param name="LatestAnchors">The most recent batch anchors, newest first.</param>
/// <param name="LatestCertificates">The most recent certificate issues, newest first.</param>
/// <param name="Certificates">Certificates issued in all.</param>
/// <param name="Parcels">Parcels registered in all (origin and derived).</param>
/// <param name="Block">The block the overview was read at.</param>
public sealed record RegistryOverview(IReadOnlyList<ParticipantActivity> Participants, IReadOnlyList<AnchorEntry> LatestAnchors,
    IReadOnlyList<CertificateEntry> LatestCertificates, int Certificates, int Parcels, ulong Block);
