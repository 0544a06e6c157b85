using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Traceability.Chain.Registry;

/// <summary>IKimberleyRegistry.CertificateFacts: what the contract hashes and enforces of a certificate.</summary>
public sealed class CertificateFactsDto
{
    /// <summary>keccak256 of the certificate number.</summary>
    [Parameter("bytes32", "numberHash", 1)] public byte[] NumberHash { get; set; } = [];

    /// <summary>Exporting participant (bytes2).</summary>
    [Parameter("bytes2", "exporter", 2)] public byte[] Exporter { get; set; } = [];

    /// <summary>Importing participant (bytes2).</summary>
    [Parameter("bytes2", "importer", 3)] public byte[] Importer { get; set; } = [];

    /// <summary>Expiry, Unix seconds.</summary>
    [Parameter("uint64", "expiresAt", 4)] public ulong ExpiresAt { get; set; }

    /// <summary>The shipment's parcel hashes.</summary>
    [Parameter("bytes32[]", "parcels", 5)] public List<byte[]> Parcels { get; set; } = [];

    /// <summary>EIP-712 struct hash of CertificateDetails.</summary>
    [Parameter("bytes32", "detailsHash", 6)] public byte[] DetailsHash { get; set; } = [];
}

/// <summary>IKimberleyRegistry.Parcel: a parcel's on-chain state.</summary>
[FunctionOutput]
public sealed class ParcelDto : IFunctionOutputDTO
{
    /// <summary>Holder participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];

    /// <summary>0 None, 1 Active, 2 Consumed, 3 Locked.</summary>
    [Parameter("uint8", "status", 2)] public byte Status { get; set; }

    /// <summary>0 None, 1 Suspicious, 2 Fraudulent.</summary>
    [Parameter("uint8", "flag", 3)] public byte Flag { get; set; }

    /// <summary>Registrant's member index.</summary>
    [Parameter("uint32", "registrant", 4)] public uint Registrant { get; set; }

    /// <summary>Registration time, Unix seconds.</summary>
    [Parameter("uint32", "registeredAt", 5)] public uint RegisteredAt { get; set; }

    /// <summary>Parent commitment (zero for an origin parcel).</summary>
    [Parameter("bytes20", "parents", 6)] public byte[] Parents { get; set; } = [];
}

/// <summary>IKimberleyRegistry.Transformation.</summary>
[FunctionOutput]
public sealed class TransformationDto : IFunctionOutputDTO
{
    /// <summary>Participant where it happened.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];

    /// <summary>Governance flag.</summary>
    [Parameter("uint8", "flag", 2)] public byte Flag { get; set; }

    /// <summary>Number of inputs.</summary>
    [Parameter("uint16", "inputCount", 3)] public ushort InputCount { get; set; }

    /// <summary>Number of outputs.</summary>
    [Parameter("uint16", "outputCount", 4)] public ushort OutputCount { get; set; }

    /// <summary>Registrant's member index (zero: unknown transformation).</summary>
    [Parameter("uint32", "registrant", 5)] public uint Registrant { get; set; }

    /// <summary>Registration time.</summary>
    [Parameter("uint32", "registeredAt", 6)] public uint RegisteredAt { get; set; }
}

/// <summary>IKimberleyRegistry.Certificate: a certificate's on-chain state.</summary>
[FunctionOutput]
public sealed class CertificateDto : IFunctionOutputDTO
{
    /// <summary>Exporting participant.</summary>
    [Parameter("bytes2", "exporter", 1)] public byte[] Exporter { get; set; } = [];

    /// <summary>Importing participant.</summary>
    [Parameter("bytes2", "importer", 2)] public byte[] Importer { get; set; } = [];

    /// <summary>0 None, 1 Issued, 2 Confirmed, 3 Voided.</summary>
    [Parameter("uint8", "status", 3)] public byte Status { get; set; }

    /// <summary>Governance flag.</summary>
    [Parameter("uint8", "flag", 4)] public byte Flag { get; set; }

    /// <summary>Expiry, Unix seconds.</summary>
    [Parameter("uint32", "expiresAt", 5)] public uint ExpiresAt { get; set; }

    /// <summary>Number of parcels.</summary>
    [Parameter("uint16", "parcelCount", 6)] public ushort ParcelCount { get; set; }

    /// <summary>First 20 bytes of the certificate's EIP-712 hash.</summary>
    [Parameter("bytes20", "contentHash", 7)] public byte[] ContentHash { get; set; } = [];
}

/// <summary>IKimberleyRegistry.Anchor.</summary>
[FunctionOutput]
public sealed class AnchorDto : IFunctionOutputDTO
{
    /// <summary>Participant of the anchoring member.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];

    /// <summary>Governance flag.</summary>
    [Parameter("uint8", "flag", 2)] public byte Flag { get; set; }

    /// <summary>Registrant's member index (zero: unknown root).</summary>
    [Parameter("uint32", "registrant", 3)] public uint Registrant { get; set; }

    /// <summary>Anchoring time.</summary>
    [Parameter("uint32", "anchoredAt", 4)] public uint AnchoredAt { get; set; }

    /// <summary>Declared number of leaves.</summary>
    [Parameter("uint32", "leafCount", 5)] public uint LeafCount { get; set; }
}

/// <summary>Output of parcel(bytes32).</summary>
[FunctionOutput]
public sealed class ParcelOutput : IFunctionOutputDTO
{
    /// <summary>The parcel.</summary>
    [Parameter("tuple", "", 1)] public ParcelDto Parcel { get; set; } = new();
}

/// <summary>Output of parcelsOf(bytes32[]).</summary>
[FunctionOutput]
public sealed class ParcelsOutput : IFunctionOutputDTO
{
    /// <summary>The parcels, in the order asked.</summary>
    [Parameter("tuple[]", "result", 1)] public List<ParcelDto> Parcels { get; set; } = [];
}

/// <summary>Output of certificate(bytes32).</summary>
[FunctionOutput]
public sealed class CertificateOutput : IFunctionOutputDTO
{
    /// <summary>The certificate.</summary>
    [Parameter("tuple", "", 1)] public CertificateDto Certificate { get; set; } = new();
}

/// <summary>Output of transformation(bytes32).</summary>
[FunctionOutput]
public sealed class TransformationOutput : IFunctionOutputDTO
{
    /// <summary>The transformation.</summary>
    [Parameter("tuple", "", 1)] public TransformationDto Transformation { get; set; } = new();
}

/// <summary>Output of anchor(bytes32).</summary>
[FunctionOutput]
public sealed class AnchorOutput : IFunctionOutputDTO
{
    /// <summary>The anchor.</summary>
    [Parameter("tuple", "", 1)] public AnchorDto Anchor { get; set; } = new();
}

/// <summary>Output of memberOf(address).</summary>
[FunctionOutput]
public sealed class MemberOfOutput : IFunctionOutputDTO
{
    /// <summary>Member's participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];

    /// <summary>Whether active.</summary>
    [Parameter("bool", "active", 2)] public bool Active { get; set; }

    /// <summary>Member index (zero: never a member).</summary>
    [Parameter("uint32", "index", 3)] public uint Index { get; set; }
}

/// <summary>Output of eip712Domain() (ERC-5267).</summary>
[FunctionOutput]
public sealed class Eip712DomainOutput : IFunctionOutputDTO
{
    /// <summary>Fields bitmap.</summary>
    [Parameter("bytes1", "fields", 1)] public byte[] Fields { get; set; } = [];

    /// <summary>Domain name.</summary>
    [Parameter("string", "name", 2)] public string Name { get; set; } = "";

    /// <summary>Domain version.</summary>
    [Parameter("string", "version", 3)] public string Version { get; set; } = "";

    /// <summary>Chain id.</summary>
    [Parameter("uint256", "chainId", 4)] public BigInteger ChainId { get; set; }

    /// <summary>The registry's address.</summary>
    [Parameter("address", "verifyingContract", 5)] public string VerifyingContract { get; set; } = "";

    /// <summary>Salt (unused).</summary>
    [Parameter("bytes32", "salt", 6)] public byte[] Salt { get; set; } = [];

    /// <summary>Extensions (unused).</summary>
    [Parameter("uint256[]", "extensions", 7)] public List<BigInteger> Extensions { get; set; } = [];
}
