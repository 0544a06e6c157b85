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

/// <summary>INITIAL_GOVERNANCE_DELAY: the delay of a governance transfer at deployment.</summary>
[Function("INITIAL_GOVERNANCE_DELAY", "uint48")]
public sealed class InitialGovernanceDelayFunction : FunctionMessage
{
}

/// <summary>acceptDefaultAdminTransfer: the pending governor takes over, after the delay.</summary>
[Function("acceptDefaultAdminTransfer")]
public sealed class AcceptDefaultAdminTransferFunction : FunctionMessage
{
}

/// <summary>beginDefaultAdminTransfer: Governance: start handing governance to another account.</summary>
[Function("beginDefaultAdminTransfer")]
public sealed class BeginDefaultAdminTransferFunction : FunctionMessage
{
    /// <summary>newGovernor.</summary>
    [Parameter("address", "newGovernor", 1)] public string NewGovernor { get; set; } = "";
}

/// <summary>cancelDefaultAdminTransfer: Governance: cancel a pending transfer.</summary>
[Function("cancelDefaultAdminTransfer")]
public sealed class CancelDefaultAdminTransferFunction : FunctionMessage
{
}

/// <summary>changeDefaultAdminDelay: Governance: schedule a new transfer delay.</summary>
[Function("changeDefaultAdminDelay")]
public sealed class ChangeDefaultAdminDelayFunction : FunctionMessage
{
    /// <summary>newDelay.</summary>
    [Parameter("uint48", "newDelay", 1)] public ulong NewDelay { get; set; }
}

/// <summary>rollbackDefaultAdminDelay: Governance: cancel a scheduled delay change.</summary>
[Function("rollbackDefaultAdminDelay")]
public sealed class RollbackDefaultAdminDelayFunction : FunctionMessage
{
}

/// <summary>defaultAdmin: View: the governing account.</summary>
[Function("defaultAdmin", "address")]
public sealed class DefaultAdminFunction : FunctionMessage
{
}

/// <summary>defaultAdminDelay: View: the current transfer delay.</summary>
[Function("defaultAdminDelay", "uint48")]
public sealed class DefaultAdminDelayFunction : FunctionMessage
{
}

/// <summary>defaultAdminDelayIncreaseWait: View: how long a delay increase waits.</summary>
[Function("defaultAdminDelayIncreaseWait", "uint48")]
public sealed class DefaultAdminDelayIncreaseWaitFunction : FunctionMessage
{
}

/// <summary>pendingDefaultAdmin: View: the pending governor and when it may accept.</summary>
[Function("pendingDefaultAdmin", "address")]
public sealed class PendingDefaultAdminFunction : FunctionMessage
{
}

/// <summary>pendingDefaultAdminDelay: View: a scheduled delay change.</summary>
[Function("pendingDefaultAdminDelay", "uint48")]
public sealed class PendingDefaultAdminDelayFunction : FunctionMessage
{
}

/// <summary>owner: View: the governing account (ERC-173 view of the default admin).</summary>
[Function("owner", "address")]
public sealed class OwnerFunction : FunctionMessage
{
}

/// <summary>governor: View: the governing account.</summary>
[Function("governor", "address")]
public sealed class GovernorFunction : FunctionMessage
{
}

/// <summary>certificateKey: View: where a certificate is kept (exporter, number hash).</summary>
[Function("certificateKey", "bytes32")]
public sealed class CertificateKeyFunction : FunctionMessage
{
    /// <summary>exporter.</summary>
    [Parameter("bytes2", "exporter", 1)] public byte[] Exporter { get; set; } = [];
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 2)] public byte[] NumberHash { get; set; } = [];
}

/// <summary>anchorKey: View: where a batch anchor is kept (participant, root).</summary>
[Function("anchorKey", "bytes32")]
public sealed class AnchorKeyFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
}

/// <summary>hashParcel: View: a parcel's hash from its participant and details hash.</summary>
[Function("hashParcel", "bytes32")]
public sealed class HashParcelFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>details.</summary>
    [Parameter("bytes32", "details", 2)] public byte[] Details { get; set; } = [];
}

/// <summary>hashTransformation: View: a transformation's hash.</summary>
[Function("hashTransformation", "bytes32")]
public sealed class HashTransformationFunction : FunctionMessage
{
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>inputs.</summary>
    [Parameter("bytes32[]", "inputs", 2)] public List<byte[]> Inputs { get; set; } = [];
    /// <summary>outputs.</summary>
    [Parameter("bytes32[]", "outputs", 3)] public List<byte[]> Outputs { get; set; } = [];
    /// <summary>details.</summary>
    [Parameter("bytes32", "details", 4)] public byte[] Details { get; set; } = [];
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
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
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
    /// <summary>exporter.</summary>
    [Parameter("bytes2", "exporter", 1)] public byte[] Exporter { get; set; } = [];
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 2)] public byte[] NumberHash { get; set; } = [];
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
    /// <summary>exporter.</summary>
    [Parameter("bytes2", "exporter", 1)] public byte[] Exporter { get; set; } = [];
    /// <summary>numberHash.</summary>
    [Parameter("bytes32", "numberHash", 2)] public byte[] NumberHash { get; set; } = [];
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
    /// <summary>participant.</summary>
    [Parameter("bytes2", "participant", 1)] public byte[] Participant { get; set; } = [];
    /// <summary>root.</summary>
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
    /// <summary>leaf.</summary>
    [Parameter("bytes32", "leaf", 3)] public byte[] Leaf { get; set; } = [];
    /// <summary>proof.</summary>
    [Parameter("bytes32[]", "proof", 4)] public List<byte[]> Proof { get; set; } = [];
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
[Function("registerParcel", "bytes32")]
public sealed class RegisterParcelFunction : FunctionMessage
{
    /// <summary>details: the ParcelDetails struct hash.</summary>
    [Parameter("bytes32", "details", 1)] public byte[] Details { get; set; } = [];
}

/// <summary>registerParcels: Member: register many origin parcels.</summary>
[Function("registerParcels")]
public sealed class RegisterParcelsFunction : FunctionMessage
{
    /// <summary>details: the ParcelDetails struct hashes.</summary>
    [Parameter("bytes32[]", "details", 1)] public List<byte[]> Details { get; set; } = [];
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
    /// <summary>category (FlagCategory).</summary>
    [Parameter("uint8", "category", 4)] public byte Category { get; set; }
    /// <summary>evidenceHash: keccak256 of the off-chain reason.</summary>
    [Parameter("bytes32", "evidenceHash", 5)] public byte[] EvidenceHash { get; set; } = [];
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
[Function("transform", "bytes32")]
public sealed class TransformFunction : FunctionMessage
{
    /// <summary>details: the TransformationDetails struct hash.</summary>
    [Parameter("bytes32", "details", 1)] public byte[] Details { get; set; } = [];
    /// <summary>inputs.</summary>
    [Parameter("bytes32[]", "inputs", 2)] public List<byte[]> Inputs { get; set; } = [];
    /// <summary>outputDetails: the outputs' ParcelDetails struct hashes.</summary>
    [Parameter("bytes32[]", "outputDetails", 3)] public List<byte[]> OutputDetails { get; set; } = [];
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
