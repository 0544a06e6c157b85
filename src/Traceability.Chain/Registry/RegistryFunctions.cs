using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Traceability.Chain.Registry;

// Typed messages of every function of KimberleyRegistry. The tests check each one against the
// ABI of the compiled contract, so a change of the Solidity source that these do not follow fails.

/// <summary>DEFAULT_ADMIN_ROLE: The admin role id.</summary>
[Function("DEFAULT_ADMIN_ROLE", "bytes32")]
public sealed class DefaultAdminRoleFunction : FunctionMessage
{
}

/// <summary>GOVERNOR_ROLE: The governor role id.</summary>
[Function("GOVERNOR_ROLE", "bytes32")]
public sealed class GovernorRoleFunction : FunctionMessage
{
}

/// <summary>addAuthority: Governance: make an account an authority of a participant.</summary>
[Function("addAuthority")]
public sealed class AddAuthorityFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>addMember: Authority: register a member of its participant.</summary>
[Function("addMember")]
public sealed class AddMemberFunction : FunctionMessage
{
    /// <summary>account.</summary>
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>addParticipant: Governance: add a participant.</summary>
[Function("addParticipant")]
public sealed class AddParticipantFunction : FunctionMessage
{
    /// <summary>code.</summary>
    [Parameter("bytes2", "code", 1)] public byte[] Code { get; set; } = [];
}

/// <summary>anchor: View: a batch anchor's state.</summary>
[Function("anchor", "tuple")]
public sealed class AnchorFunction : FunctionMessage
{
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
}

/// <summary>anchorBatch: Member: anchor a Merkle root.</summary>
[Function("anchorBatch")]
public sealed class AnchorBatchFunction : FunctionMessage
{
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    /// <summary>leafCount.</summary>
    [Parameter("uint32", "leafCount", 2)] public uint LeafCount { get; set; }
}

/// <summary>authorityOf: View: the participant an account is authority of.</summary>
[Function("authorityOf", "bytes2")]
public sealed class AuthorityOfFunction : FunctionMessage
{
    /// <summary>account.</summary>
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>certificate: View: a certificate's state.</summary>
[Function("certificate", "tuple")]
public sealed class CertificateFunction : FunctionMessage
{
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 1)] public byte[] NumberHash { get; set; } = [];
}

/// <summary>confirmImport: Importing authority: confirm an import.</summary>
[Function("confirmImport")]
public sealed class ConfirmImportFunction : FunctionMessage
{
    /// <summary>facts.</summary>
    [Parameter("tuple", "facts", 1)] public CertificateFactsDto Facts { get; set; } = new();
    /// <summary>confirmationHash.</summary>
    [Parameter("bytes32", "confirmationHash", 2)] public byte[] ConfirmationHash { get; set; } = [];
}

/// <summary>confirmationOf: View: the confirmation hash of a certificate.</summary>
[Function("confirmationOf", "bytes32")]
public sealed class ConfirmationOfFunction : FunctionMessage
{
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 1)] public byte[] NumberHash { get; set; } = [];
}

/// <summary>eip712Domain: View: the EIP-712 domain (ERC-5267).</summary>
[Function("eip712Domain", "bytes1")]
public sealed class Eip712DomainFunction : FunctionMessage
{
}

/// <summary>getRoleAdmin: View: a role's admin role.</summary>
[Function("getRoleAdmin", "bytes32")]
public sealed class GetRoleAdminFunction : FunctionMessage
{
    /// <summary>role.</summary>
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
}

/// <summary>grantRole: Admin: grant a role (for example to a governance multisig).</summary>
[Function("grantRole")]
public sealed class GrantRoleFunction : FunctionMessage
{
    /// <summary>role.</summary>
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>hasRole: View: whether an account has a role.</summary>
[Function("hasRole", "bool")]
public sealed class HasRoleFunction : FunctionMessage
{
    /// <summary>role.</summary>
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>hashCertificate: View: a certificate's EIP-712 struct hash from its facts.</summary>
[Function("hashCertificate", "bytes32")]
public sealed class HashCertificateFunction : FunctionMessage
{
    /// <summary>facts.</summary>
    [Parameter("tuple", "facts", 1)] public CertificateFactsDto Facts { get; set; } = new();
}

/// <summary>isAnchored: View: whether a leaf is in an anchored batch.</summary>
[Function("isAnchored", "bool")]
public sealed class IsAnchoredFunction : FunctionMessage
{
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    /// <summary>leaf.</summary>
    [Parameter("bytes32", "leaf", 2)] public byte[] Leaf { get; set; } = [];
    /// <summary>proof.</summary>
    [Parameter("bytes32[]", "proof", 3)] public List<byte[]> Proof { get; set; } = [];
}

/// <summary>isAuthority: View: whether an account is an authority of a participant.</summary>
[Function("isAuthority", "bool")]
public sealed class IsAuthorityFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>isMember: View: whether an account is an active member of a participant.</summary>
[Function("isMember", "bool")]
public sealed class IsMemberFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>isProducedBy: View: whether a parent set produced a parcel.</summary>
[Function("isProducedBy", "bool")]
public sealed class IsProducedByFunction : FunctionMessage
{
    /// <summary>hash.</summary>
    [Parameter("bytes32", "hash", 1)] public byte[] Hash { get; set; } = [];
    /// <summary>claimedParents.</summary>
    [Parameter("bytes32[]", "claimedParents", 2)] public List<byte[]> ClaimedParents { get; set; } = [];
}

/// <summary>issueCertificate: Exporting authority: issue a certificate.</summary>
[Function("issueCertificate", "bytes32")]
public sealed class IssueCertificateFunction : FunctionMessage
{
    /// <summary>facts.</summary>
    [Parameter("tuple", "facts", 1)] public CertificateFactsDto Facts { get; set; } = new();
}

/// <summary>issueCertificateWithSignature: Anyone: relay a certificate signed by the exporting authority.</summary>
[Function("issueCertificateWithSignature", "bytes32")]
public sealed class IssueCertificateWithSignatureFunction : FunctionMessage
{
    /// <summary>facts.</summary>
    [Parameter("tuple", "facts", 1)] public CertificateFactsDto Facts { get; set; } = new();
    /// <summary>authority.</summary>
    [Parameter("address", "authority", 2)] public string Authority { get; set; } = "";
    /// <summary>deadline.</summary>
    [Parameter("uint256", "deadline", 3)] public BigInteger Deadline { get; set; }
    /// <summary>signature.</summary>
    [Parameter("bytes", "signature", 4)] public byte[] Signature { get; set; } = [];
}

/// <summary>issueDigest: View: the digest an authority signs.</summary>
[Function("issueDigest", "bytes32")]
public sealed class IssueDigestFunction : FunctionMessage
{
    /// <summary>certificateHash.</summary>
    [Parameter("bytes32", "certificateHash", 1)] public byte[] CertificateHash { get; set; } = [];
    /// <summary>deadline.</summary>
    [Parameter("uint256", "deadline", 2)] public BigInteger Deadline { get; set; }
}

/// <summary>memberAt: View: the account of a member index.</summary>
[Function("memberAt", "address")]
public sealed class MemberAtFunction : FunctionMessage
{
    /// <summary>index.</summary>
    [Parameter("uint32", "index", 1)] public uint Index { get; set; }
}

/// <summary>memberOf: View: a member's participant, activity and index.</summary>
[Function("memberOf", "bytes2")]
public sealed class MemberOfFunction : FunctionMessage
{
    /// <summary>account.</summary>
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>multicall: Anyone: several calls in one transaction, all or nothing.</summary>
[Function("multicall", "bytes[]")]
public sealed class MulticallFunction : FunctionMessage
{
    /// <summary>data.</summary>
    [Parameter("bytes[]", "data", 1)] public List<byte[]> Data { get; set; } = [];
}

/// <summary>parcel: View: a parcel's state.</summary>
[Function("parcel", "tuple")]
public sealed class ParcelFunction : FunctionMessage
{
    /// <summary>hash.</summary>
    [Parameter("bytes32", "hash", 1)] public byte[] Hash { get; set; } = [];
}

/// <summary>parcelsOf: View: many parcels' states.</summary>
[Function("parcelsOf", "tuple[]")]
public sealed class ParcelsOfFunction : FunctionMessage
{
    /// <summary>hashes.</summary>
    [Parameter("bytes32[]", "hashes", 1)] public List<byte[]> Hashes { get; set; } = [];
}

/// <summary>participantStatus: View: a participant's status.</summary>
[Function("participantStatus", "uint8")]
public sealed class ParticipantStatusFunction : FunctionMessage
{
    /// <summary>code.</summary>
    [Parameter("bytes2", "code", 1)] public byte[] Code { get; set; } = [];
}

/// <summary>participants: View: all participant codes.</summary>
[Function("participants", "bytes2[]")]
public sealed class ParticipantsFunction : FunctionMessage
{
}

/// <summary>registerParcel: Member: register an origin parcel.</summary>
[Function("registerParcel")]
public sealed class RegisterParcelFunction : FunctionMessage
{
    /// <summary>hash.</summary>
    [Parameter("bytes32", "hash", 1)] public byte[] Hash { get; set; } = [];
}

/// <summary>registerParcels: Member: register many origin parcels.</summary>
[Function("registerParcels")]
public sealed class RegisterParcelsFunction : FunctionMessage
{
    /// <summary>hashes.</summary>
    [Parameter("bytes32[]", "hashes", 1)] public List<byte[]> Hashes { get; set; } = [];
}

/// <summary>reinstateParticipant: Governance: lift a suspension.</summary>
[Function("reinstateParticipant")]
public sealed class ReinstateParticipantFunction : FunctionMessage
{
    /// <summary>code.</summary>
    [Parameter("bytes2", "code", 1)] public byte[] Code { get; set; } = [];
}

/// <summary>removeAuthority: Governance: remove an authority.</summary>
[Function("removeAuthority")]
public sealed class RemoveAuthorityFunction : FunctionMessage
{
    /// <summary>account.</summary>
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>removeMember: Authority: remove a member.</summary>
[Function("removeMember")]
public sealed class RemoveMemberFunction : FunctionMessage
{
    /// <summary>account.</summary>
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>renounceRole: Give up one's own role.</summary>
[Function("renounceRole")]
public sealed class RenounceRoleFunction : FunctionMessage
{
    /// <summary>role.</summary>
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
    /// <summary>callerConfirmation.</summary>
    [Parameter("address", "callerConfirmation", 2)] public string CallerConfirmation { get; set; } = "";
}

/// <summary>revokeRole: Admin: revoke a role.</summary>
[Function("revokeRole")]
public sealed class RevokeRoleFunction : FunctionMessage
{
    /// <summary>role.</summary>
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
    /// <summary>account.</summary>
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>setFlag: Governance: flag a record.</summary>
[Function("setFlag")]
public sealed class SetFlagFunction : FunctionMessage
{
    /// <summary>kind.</summary>
    [Parameter("uint8", "kind", 1)] public byte Kind { get; set; }
    /// <summary>key.</summary>
    [Parameter("bytes32", "key", 2)] public byte[] Key { get; set; } = [];
    /// <summary>flag.</summary>
    [Parameter("uint8", "flag", 3)] public byte Flag { get; set; }
    /// <summary>reason.</summary>
    [Parameter("string", "reason", 4)] public string Reason { get; set; } = "";
}

/// <summary>supportsInterface: View: ERC-165.</summary>
[Function("supportsInterface", "bool")]
public sealed class SupportsInterfaceFunction : FunctionMessage
{
    /// <summary>interfaceId.</summary>
    [Parameter("bytes4", "interfaceId", 1)] public byte[] InterfaceId { get; set; } = [];
}

/// <summary>suspendParticipant: Governance: suspend a participant.</summary>
[Function("suspendParticipant")]
public sealed class SuspendParticipantFunction : FunctionMessage
{
    /// <summary>code.</summary>
    [Parameter("bytes2", "code", 1)] public byte[] Code { get; set; } = [];
}

/// <summary>transform: Member: record a transformation.</summary>
[Function("transform")]
public sealed class TransformFunction : FunctionMessage
{
    /// <summary>hash.</summary>
    [Parameter("bytes32", "hash", 1)] public byte[] Hash { get; set; } = [];
    /// <summary>inputs.</summary>
    [Parameter("bytes32[]", "inputs", 2)] public List<byte[]> Inputs { get; set; } = [];
    /// <summary>outputs.</summary>
    [Parameter("bytes32[]", "outputs", 3)] public List<byte[]> Outputs { get; set; } = [];
}

/// <summary>transformation: View: a transformation's state.</summary>
[Function("transformation", "tuple")]
public sealed class TransformationFunction : FunctionMessage
{
    /// <summary>hash.</summary>
    [Parameter("bytes32", "hash", 1)] public byte[] Hash { get; set; } = [];
}

/// <summary>voidCertificate: Exporting authority: void an unconfirmed certificate.</summary>
[Function("voidCertificate")]
public sealed class VoidCertificateFunction : FunctionMessage
{
    /// <summary>facts.</summary>
    [Parameter("tuple", "facts", 1)] public CertificateFactsDto Facts { get; set; } = new();
}
