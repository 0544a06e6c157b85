using Traceability.Core.Hashing;

namespace Traceability.Core.Records;

/// <summary>
/// The EIP-712 types of every record: the canonical schema. The parcel, transformation and
/// certificate types must match contracts/libraries/ParcelHashing.sol and CertificateHashing.sol;
/// the tests check them against the contract and against ethers.js.
/// </summary>
public static class RecordSchema
{
    /// <summary>ParcelDetails (nested in Parcel): everything but the registering participant.</summary>
    public static readonly Eip712StructType ParcelDetails = new("ParcelDetails",
    [
        new("parcelId", "string"), new("origins", "bytes2[]"), new("mine", "string"), new("carats", "uint64"),
        new("valueUsdCents", "uint64"), new("hsCode", "string"), new("recordedAt", "uint64"), new("salt", "bytes32"),
    ]);

    /// <summary>
    /// Parcel: the registering participant and the hash of the details. The contract computes this
    /// hash itself from the caller's participant (contracts/libraries/ParcelHashing.sol), so a
    /// parcel hash seen in a pending transaction cannot be registered first by another participant.
    /// </summary>
    public static readonly Eip712StructType Parcel = new("Parcel",
    [
        new("participant", "bytes2"), new("details", "ParcelDetails"),
    ]);

    /// <summary>TransformationDetails (nested in Transformation).</summary>
    public static readonly Eip712StructType TransformationDetails = new("TransformationDetails",
    [
        new("transformationId", "string"), new("operation", "string"), new("performedAt", "uint64"), new("salt", "bytes32"),
    ]);

    /// <summary>
    /// Transformation: participant, inputs, outputs and the hash of the details. The contract
    /// computes it from what it consumes and creates, so a document that leaves out an output
    /// cannot match the transformation on record.
    /// </summary>
    public static readonly Eip712StructType Transformation = new("Transformation",
    [
        new("participant", "bytes2"), new("inputs", "bytes32[]"), new("outputs", "bytes32[]"), new("details", "TransformationDetails"),
    ]);

    /// <summary>CertificateDetails (nested in Certificate).</summary>
    public static readonly Eip712StructType CertificateDetails = new("CertificateDetails",
    [
        new("issuedAt", "uint64"), new("issuingAuthority", "string"), new("exporterName", "string"),
        new("importerName", "string"), new("parcelCount", "uint32"), new("carats", "uint64"),
        new("valueUsdCents", "uint64"), new("hsCode", "string"), new("origins", "bytes2[]"), new("salt", "bytes32"),
    ]);

    /// <summary>Certificate.</summary>
    public static readonly Eip712StructType Certificate = new("Certificate",
    [
        new("number", "string"), new("exporter", "bytes2"), new("importer", "bytes2"), new("expiresAt", "uint64"),
        new("parcels", "bytes32[]"), new("details", "CertificateDetails"),
    ]);

    /// <summary>IssueCertificate: what an authority signs so that another account may relay the issue.</summary>
    public static readonly Eip712StructType IssueCertificate = new("IssueCertificate",
    [
        new("certificate", "Certificate"), new("deadline", "uint256"),
    ]);

    /// <summary>ImportConfirmation.</summary>
    public static readonly Eip712StructType ImportConfirmation = new("ImportConfirmation",
    [
        new("certificateNumber", "string"), new("exporter", "bytes2"), new("importer", "bytes2"),
        new("parcelCount", "uint32"), new("carats", "uint64"), new("confirmedAt", "uint64"),
        new("confirmingAuthority", "string"), new("salt", "bytes32"),
    ]);

    /// <summary>All record types.</summary>
    public static readonly Eip712Schema Schema =
        new(ParcelDetails, Parcel, TransformationDetails, Transformation, CertificateDetails, Certificate, IssueCertificate, ImportConfirmation);

    /// <summary>The EIP-712 primary type of a kind of record.</summary>
    public static Eip712StructType TypeOf(RecordKind kind) => kind switch
    {
        RecordKind.Parcel => Parcel,
        RecordKind.Transformation => Transformation,
        RecordKind.Certificate => Certificate,
        RecordKind.ImportConfirmation => ImportConfirmation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
