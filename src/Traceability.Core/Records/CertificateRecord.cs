using System.Collections.Immutable;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Records;

/// <summary>
/// A KP certificate (KPCS core document, Annex I). The number, parties, expiry and parcel list
/// are the facts the contract enforces; <see cref="Details"/> holds the rest. The optional
/// <see cref="Authorization"/> is the exporting authority's signature for a relayed issue; it is
/// not part of the hash.
/// </summary>
/// <param name="Number">Unique number, prefixed with the exporting participant's code.</param>
/// <param name="Exporter">Exporting participant.</param>
/// <param name="Importer">Importing participant.</param>
/// <param name="ExpiresAt">Date of expiry, Unix seconds.</param>
/// <param name="Parcels">Hashes of the shipment's parcels.</param>
/// <param name="Details">Dates, parties, weight, value, HS code, origins and salt.</param>
/// <param name="Authorization">The authority's EIP-712 signature allowing a relay, if any.</param>
public sealed record CertificateRecord(
    string Number,
    ParticipantCode Exporter,
    ParticipantCode Importer,
    ulong ExpiresAt,
    ImmutableArray<Hash32> Parcels,
    CertificateDetails Details,
    CertificateAuthorization? Authorization = null) : KpRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Certificate;

    /// <summary>keccak256 of the number: the certificate's key on-chain.</summary>
    public Hash32 NumberHash => Keccak.Hash(Number);

    /// <summary>The EIP-712 struct hash of <see cref="Details"/>.</summary>
    public Hash32 DetailsHash => Eip712Encoder.HashStruct(RecordSchema.Schema, Details.ToEip712());

    /// <inheritdoc />
    public override Eip712Struct ToEip712() =>
        new(RecordSchema.Certificate.Name, [Number, Exporter, Importer, ExpiresAt, Parcels, Details.ToEip712()]);

    /// <summary>The struct an authority signs to let another account relay the issue.</summary>
    public Eip712Struct IssueMessage(ulong deadline) => new(RecordSchema.IssueCertificate.Name, [ToEip712(), deadline]);
}

/// <summary>The certificate's details, hashed off-chain (the contract receives their hash).</summary>
/// <param name="IssuedAt">Date of issue, Unix seconds.</param>
/// <param name="IssuingAuthority">The issuing authority's name.</param>
/// <param name="ExporterName">The exporter's name and address.</param>
/// <param name="ImporterName">The importer's name and address.</param>
/// <param name="ParcelCount">Number of parcels; must equal the parcel list's length.</param>
/// <param name="Carats">Total weight in hundredths of a carat.</param>
/// <param name="ValueUsdCents">Total value in US cents.</param>
/// <param name="HsCode">7102.10, 7102.21 or 7102.31.</param>
/// <param name="Origins">Countries of origin (one for unmixed origin).</param>
/// <param name="Salt">Random 32 bytes.</param>
public sealed record CertificateDetails(
    ulong IssuedAt,
    string IssuingAuthority,
    string ExporterName,
    string ImporterName,
    uint ParcelCount,
    ulong Carats,
    ulong ValueUsdCents,
    string HsCode,
    ImmutableArray<ParticipantCode> Origins,
    Hash32 Salt)
{
    /// <summary>The details as an EIP-712 struct value.</summary>
    public Eip712Struct ToEip712() =>
        new(RecordSchema.CertificateDetails.Name,
            [IssuedAt, IssuingAuthority, ExporterName, ImporterName, ParcelCount, Carats, ValueUsdCents, HsCode, Origins, Salt]);
}

/// <summary>
/// The exporting authority's signature of IssueCertificate(certificate, deadline) over the EIP-712
/// domain of one deployment, named here so that a verifier can tell a document made for another
/// chain or registry from a forged signature.
/// </summary>
/// <param name="Authority">The signing authority's address.</param>
/// <param name="Deadline">Unix seconds after which the contract refuses the relay.</param>
/// <param name="Signature">The signature, 0x hex: 65 bytes r ‖ s ‖ v, or 64 bytes r ‖ vs (EIP-2098).</param>
/// <param name="ChainId">The chain id of the domain signed.</param>
/// <param name="Registry">The registry address of the domain signed.</param>
public sealed record CertificateAuthorization(string Authority, ulong Deadline, string Signature, ulong ChainId, string Registry)
{
    /// <summary>The EIP-712 domain the signature was made over.</summary>
    public Eip712Domain Domain => new(ChainId, Registry);
}
