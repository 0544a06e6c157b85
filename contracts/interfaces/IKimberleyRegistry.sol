// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Kimberley Process registry: what verifiers and clients call
/// @notice Anchors hashed Kimberley Process (KP) records on a permissioned chain: rough-diamond
/// parcels and their transformations, KP certificates and import confirmations, and Merkle
/// roots of auxiliary records. Only EIP-712 struct hashes and minimal public facts (participant
/// codes, status, times) are stored; the documents stay with their holders.
/// @dev Every record's state is packed into one storage slot. Participants are identified by
/// their ISO 3166-1 alpha-2 code as `bytes2` (for example `0x4257` for "BW"), plus `EU`.
interface IKimberleyRegistry {
    // ------------------------------------------------------------------ types

    /// @notice Lifecycle of a participant of the scheme.
    enum ParticipantStatus {
        None,
        Active,
        Suspended
    }

    /// @notice Lifecycle of a parcel.
    /// @dev Active: held and usable. Consumed: an input of a transformation, never usable again.
    /// Locked: listed on an issued certificate that is neither confirmed nor voided.
    enum ParcelStatus {
        None,
        Active,
        Consumed,
        Locked
    }

    /// @notice Lifecycle of a KP certificate. Expiry is derived from `expiresAt`, not stored.
    enum CertificateStatus {
        None,
        Issued,
        Confirmed,
        Voided
    }

    /// @notice Governance's mark on a record; verifiers report it.
    enum Flag {
        None,
        Suspicious,
        Fraudulent
    }

    /// @notice Why governance set or cleared a flag. The free-text reason stays off-chain; its
    /// keccak256 goes in the event as `evidenceHash`.
    enum FlagCategory {
        Other,
        ForgedDocument,
        TamperedDocument,
        SuspiciousOrigin,
        Smuggling,
        Valuation,
        Sanctions,
        InvestigationClosed
    }

    /// @notice The kinds of record governance can flag.
    enum RecordKind {
        Parcel,
        Transformation,
        Certificate,
        Anchor
    }

    /// @notice A parcel's on-chain state (one storage slot).
    /// @param participant the participant that holds the parcel now
    /// @param status see {ParcelStatus}
    /// @param flag governance's mark
    /// @param registrant index of the member that registered it (see {memberAt})
    /// @param registeredAt block timestamp of registration
    /// @param parents zero for an origin parcel; otherwise the first 20 bytes of
    /// keccak256(abi.encodePacked(inputs)) of the transformation that produced it, inputs ascending
    struct Parcel {
        bytes2 participant;
        ParcelStatus status;
        Flag flag;
        uint32 registrant;
        uint32 registeredAt;
        bytes20 parents;
    }

    /// @notice A transformation's on-chain state (one storage slot).
    struct Transformation {
        bytes2 participant;
        Flag flag;
        uint16 inputCount;
        uint16 outputCount;
        uint32 registrant;
        uint32 registeredAt;
    }

    /// @notice A certificate's on-chain state (one slot), keyed by {certificateKey}: the
    /// exporting participant and keccak256 of its number, so a number belongs to its exporter.
    /// @param contentHash first 20 bytes of the certificate's EIP-712 struct hash
    struct Certificate {
        bytes2 exporter;
        bytes2 importer;
        CertificateStatus status;
        Flag flag;
        uint32 expiresAt;
        uint16 parcelCount;
        bytes20 contentHash;
    }

    /// @notice A batch anchor's state (one slot), keyed by {anchorKey}: the anchoring
    /// participant and the Merkle root, so nobody can take another participant's root first.
    struct Anchor {
        bytes2 participant;
        Flag flag;
        uint32 registrant;
        uint32 anchoredAt;
        uint32 leafCount;
    }

    /// @notice The facts of a certificate the contract needs, from which it computes the
    /// certificate's EIP-712 struct hash.
    /// @param numberHash keccak256 of the certificate number (UTF-8), as EIP-712 encodes a string
    /// @param exporter exporting participant
    /// @param importer importing participant
    /// @param expiresAt expiry, Unix seconds
    /// @param parcels the shipment's parcel hashes, in the certificate's order
    /// @param detailsHash EIP-712 struct hash of the CertificateDetails (dates, parties, carats,
    /// value, HS code, origins, salt)
    struct CertificateFacts {
        bytes32 numberHash;
        bytes2 exporter;
        bytes2 importer;
        uint64 expiresAt;
        bytes32[] parcels;
        bytes32 detailsHash;
    }

    // ----------------------------------------------------------------- errors

    /// @notice `code` is not two upper-case ASCII letters.
    error InvalidParticipantCode(bytes2 code);
    /// @notice `code` is already a participant.
    error ParticipantAlreadyExists(bytes2 code);
    /// @notice `code` is not a participant.
    error UnknownParticipant(bytes2 code);
    /// @notice `code` is suspended and cannot take part in this operation.
    error ParticipantInactive(bytes2 code);
    /// @notice `code` is not suspended, so it cannot be reinstated.
    error ParticipantNotSuspended(bytes2 code);
    /// @notice The zero address was given where an account is required.
    error ZeroAddress();
    /// @notice `account` is already an authority (of `participant`).
    error AuthorityAlreadyAssigned(address account, bytes2 participant);
    /// @notice `account` is not an authority of `participant`.
    error NotAnAuthority(address account, bytes2 participant);
    /// @notice `account` is already an active member (of `participant`).
    error MemberAlreadyActive(address account, bytes2 participant);
    /// @notice `account` is not an active member of `participant` (zero: of any participant).
    error NotAMember(address account, bytes2 participant);
    /// @notice The zero hash was given where a record hash is required.
    error ZeroHash();
    /// @notice A record with this hash (parcel, transformation) or anchor root already exists.
    error AlreadyRegistered(bytes32 hash);
    /// @notice A list that must not be empty was empty.
    error EmptyList();
    /// @notice Transformation inputs must be strictly ascending; the one at `index` is not.
    error InputsNotSorted(uint256 index);
    /// @notice No parcel has this hash.
    error UnknownParcel(bytes32 parcel);
    /// @notice The parcel exists but is not active (consumed, or locked to a certificate).
    error ParcelNotActive(bytes32 parcel, ParcelStatus status);
    /// @notice The parcel is held by `holder`, not by the participant the operation requires.
    error ParcelNotHeld(bytes32 parcel, bytes2 holder);
    /// @notice Importer and exporter of a certificate are the same participant.
    error SameParticipant(bytes2 code);
    /// @notice The expiry is in the past or beyond what the contract stores (uint32 seconds).
    error InvalidExpiry(uint64 expiresAt);
    /// @notice `exporter` has no certificate with this number hash.
    error UnknownCertificate(bytes2 exporter, bytes32 numberHash);
    /// @notice `exporter` already issued a certificate with this number hash (numbers are never reused).
    error CertificateAlreadyIssued(bytes2 exporter, bytes32 numberHash);
    /// @notice The facts given do not hash to the certificate on record.
    error CertificateMismatch(bytes2 exporter, bytes32 numberHash);
    /// @notice The certificate is not in the Issued state (already confirmed or voided).
    error CertificateNotIssued(bytes2 exporter, bytes32 numberHash, CertificateStatus status);
    /// @notice The certificate expired at `expiresAt`.
    error CertificateExpired(bytes2 exporter, bytes32 numberHash, uint64 expiresAt);
    /// @notice A parcel listed on the certificate is not locked to it (defence in depth: issue
    /// locks every listed parcel, and only this certificate's confirmation or void unlocks them).
    error ParcelNotLocked(bytes32 parcel, ParcelStatus status, bytes2 holder);
    /// @notice Governance cannot be renounced or handed to the zero address: the registry must
    /// always have a governor.
    error GovernanceRequired();
    /// @notice The relayed signature's deadline has passed.
    error SignatureExpired(uint256 deadline);
    /// @notice The signature is not `signer`'s signature of this certificate and deadline, or not
    /// in a form the registry accepts (see issueCertificateWithSignature).
    error InvalidSignature(address signer);
    /// @notice Nothing of this kind has this key.
    error UnknownRecord(RecordKind kind, bytes32 key);

    // ----------------------------------------------------------------- events

    /// @notice Governance added a participant.
    event ParticipantAdded(bytes2 indexed code);
    /// @notice Governance suspended a participant.
    event ParticipantSuspended(bytes2 indexed code);
    /// @notice Governance lifted a participant's suspension.
    event ParticipantReinstated(bytes2 indexed code);
    /// @notice Governance made `account` an authority of `participant`.
    event AuthorityAdded(bytes2 indexed participant, address indexed account);
    /// @notice Governance removed `account` as an authority of `participant`.
    event AuthorityRemoved(bytes2 indexed participant, address indexed account);
    /// @notice An authority registered (or re-activated) `account` as a member of `participant`.
    event MemberAdded(bytes2 indexed participant, address indexed account, uint32 index);
    /// @notice An authority removed `account` as a member of `participant`.
    event MemberRemoved(bytes2 indexed participant, address indexed account);
    /// @notice A member registered an origin parcel. `parcel` = {hashParcel}(participant, details).
    event ParcelRegistered(bytes32 indexed parcel, bytes2 indexed participant, address indexed registrant);
    /// @notice A transformation produced `parcel` from `inputs` (all the transformation's inputs,
    /// sorted): one query by parcel gives both the transformation that made it and its parents.
    /// @dev A transformation has at least one output, so its inputs are in each of its
    /// {ParcelDerived} events and not repeated in {ParcelsTransformed}.
    event ParcelDerived(
        bytes32 indexed parcel,
        bytes32 indexed transformation,
        bytes2 indexed participant,
        bytes32[] inputs
    );
    /// @notice A member consumed parcels and created new ones in one transformation.
    /// @dev `outputDetails` are the ParcelDetails struct hashes given to {transform}, not the output
    /// parcels' hashes: those are {hashParcel}(participant, outputDetails[i]), each also in a
    /// {ParcelDerived} event (which also carries the inputs), and `transformation` =
    /// {hashTransformation}(participant, inputs, those parcel hashes, details).
    event ParcelsTransformed(
        bytes32 indexed transformation,
        bytes2 indexed participant,
        address indexed registrant,
        bytes32[] outputDetails
    );
    /// @notice A certificate was issued by `authority` (directly, or relayed by `relayer`).
    event CertificateIssued(
        bytes32 indexed numberHash,
        bytes2 indexed exporter,
        bytes2 indexed importer,
        bytes32 certificateHash,
        uint64 expiresAt,
        address authority,
        address relayer,
        bytes32[] parcels
    );
    /// @notice The importing authority confirmed the import; the parcels moved to `importer`.
    event ImportConfirmed(
        bytes32 indexed numberHash,
        bytes2 indexed exporter,
        bytes2 indexed importer,
        bytes32 confirmationHash,
        address authority
    );
    /// @notice The exporting authority voided the certificate; its parcels were released.
    event CertificateVoided(bytes32 indexed numberHash, bytes2 indexed exporter, address authority);
    /// @notice Governance set (or cleared, with Flag.None) a record's flag. `evidenceHash` is the
    /// keccak256 of the off-chain reason (case file, report); the text itself is never on-chain.
    event RecordFlagged(RecordKind indexed kind, bytes32 indexed key, Flag flag, FlagCategory category, bytes32 evidenceHash);
    /// @notice A member anchored the Merkle root of a batch of auxiliary records.
    event BatchAnchored(bytes32 indexed root, bytes2 indexed participant, address indexed registrant, uint32 leafCount);

    // ------------------------------------------------------------- governance

    /// @notice Adds a participant of the scheme, active. Governance only.
    /// @param code ISO 3166-1 alpha-2 code (or `EU`) as two upper-case ASCII letters
    function addParticipant(bytes2 code) external;

    /// @notice Suspends an active participant: it can no longer issue certificates, register or
    /// transform parcels, add members, or receive or send confirmed imports. Governance only.
    /// @param code the participant
    function suspendParticipant(bytes2 code) external;

    /// @notice Lifts a participant's suspension. Governance only.
    /// @param code the participant
    function reinstateParticipant(bytes2 code) external;

    /// @notice Makes `account` an authority of `participant`. Governance only.
    /// @param participant an existing participant
    /// @param account an account that is not already an authority of any participant
    function addAuthority(bytes2 participant, address account) external;

    /// @notice Removes `account` as an authority. Governance only.
    /// @param account an authority
    function removeAuthority(address account) external;

    /// @notice Sets or clears governance's flag on a record. Governance only.
    /// @param kind the kind of record
    /// @param key parcel or transformation hash, {certificateKey} or {anchorKey}
    /// @param flag the new flag (`Flag.None` clears it)
    /// @param category why, as a category (see {FlagCategory})
    /// @param evidenceHash keccak256 of the off-chain reason; kept in the event only
    function setFlag(RecordKind kind, bytes32 key, Flag flag, FlagCategory category, bytes32 evidenceHash) external;

    // -------------------------------------------------------------- authority

    /// @notice Registers `account` as a member of the caller's participant, or re-activates it.
    /// @param account the member's account
    function addMember(address account) external;

    /// @notice Removes `account` as a member of the caller's participant.
    /// @param account an active member of the caller's participant
    function removeMember(address account) external;

    /// @notice Issues a certificate as an authority of its exporting participant. The parcels,
    /// active and held by the exporter, are locked to it.
    /// @param facts the certificate's facts
    /// @return certificateHash the certificate's EIP-712 struct hash
    function issueCertificate(CertificateFacts calldata facts) external returns (bytes32 certificateHash);

    /// @notice Issues a certificate signed (EIP-712) by `authority`, an authority of the exporter.
    /// Anyone may relay it. Replays fail: a certificate number is registered once.
    /// @param facts the certificate's facts
    /// @param authority the signer (an EOA, or an ERC-1271 contract such as a multisig)
    /// @param deadline Unix seconds after which the signature is refused
    /// @param signature the authority's signature of IssueCertificate(certificate, deadline): for an
    /// EOA 65 bytes r ‖ s ‖ v with v 27, 28, 0 or 1, or 64 bytes r ‖ vs (EIP-2098), s in the lower
    /// half of the curve order (libraries/AuthoritySignature.sol); for a contract, what its
    /// ERC-1271 isValidSignature accepts
    /// @return certificateHash the certificate's EIP-712 struct hash
    function issueCertificateWithSignature(
        CertificateFacts calldata facts,
        address authority,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 certificateHash);

    /// @notice Confirms an import as an authority of the importing participant, before expiry.
    /// The certificate's parcels move into the importer's custody and become active.
    /// @param facts the certificate's facts (they must hash to the certificate on record)
    /// @param confirmationHash EIP-712 struct hash of the ImportConfirmation record
    function confirmImport(CertificateFacts calldata facts, bytes32 confirmationHash) external;

    /// @notice Voids an issued, unconfirmed certificate as an authority of the exporter. Its
    /// parcels are released (active again, still held by the exporter).
    /// @param facts the certificate's facts (they must hash to the certificate on record)
    function voidCertificate(CertificateFacts calldata facts) external;

    // ----------------------------------------------------------------- member

    /// @notice Registers an origin parcel held by the caller's participant. The parcel's hash is
    /// computed here from the caller's participant, so a hash seen in a pending transaction cannot
    /// be registered first by a member of another participant.
    /// @param details EIP-712 struct hash of the parcel's ParcelDetails
    /// @return parcel the parcel's EIP-712 struct hash, {hashParcel}(participant, details)
    function registerParcel(bytes32 details) external returns (bytes32 parcel);

    /// @notice Registers many origin parcels in one call (see {registerParcel}).
    /// @param details EIP-712 struct hashes of the parcels' ParcelDetails
    function registerParcels(bytes32[] calldata details) external;

    /// @notice Records a transformation (split, merge, sort): consumes `inputs`, creates the
    /// outputs. The transformation's hash commits to the caller's participant, the inputs, the
    /// outputs and the details, so a document that leaves out an output cannot match it. Emits a
    /// {ParcelDerived} per output (each with all the inputs) and one {ParcelsTransformed}.
    /// @param details EIP-712 struct hash of the TransformationDetails
    /// @param inputs active parcels held by the caller's participant, strictly ascending
    /// @param outputDetails ParcelDetails struct hashes of the new parcels (their hashes are
    /// {hashParcel}(participant, outputDetails[i]))
    /// @return transformation the transformation's EIP-712 struct hash
    function transform(
        bytes32 details,
        bytes32[] calldata inputs,
        bytes32[] calldata outputDetails
    ) external returns (bytes32 transformation);

    /// @notice Anchors the Merkle root (OpenZeppelin StandardMerkleTree, leaf type bytes32) of
    /// a batch of auxiliary records, under the caller's participant ({anchorKey}).
    /// @param root the tree's root
    /// @param leafCount how many leaves the tree has (informational, in the event)
    function anchorBatch(bytes32 root, uint32 leafCount) external;

    // ------------------------------------------------------------------ views

    /// @notice A participant's status.
    function participantStatus(bytes2 code) external view returns (ParticipantStatus);

    /// @notice All participant codes, in the order they were added.
    function participants() external view returns (bytes2[] memory);

    /// @notice Whether `account` is an authority of `participant`.
    function isAuthority(bytes2 participant, address account) external view returns (bool);

    /// @notice The participant `account` is an authority of (zero if none).
    function authorityOf(address account) external view returns (bytes2);

    /// @notice Whether `account` is an active member of `participant`.
    function isMember(bytes2 participant, address account) external view returns (bool);

    /// @notice A member's participant, whether active, and index (zero index: never a member).
    function memberOf(address account) external view returns (bytes2 participant, bool active, uint32 index);

    /// @notice The account of the member with this index (zero address if none).
    function memberAt(uint32 index) external view returns (address);

    /// @notice A parcel's state (status None if unknown).
    function parcel(bytes32 hash) external view returns (Parcel memory);

    /// @notice Many parcels' states in one call.
    function parcelsOf(bytes32[] calldata hashes) external view returns (Parcel[] memory);

    /// @notice Whether `claimedParents` (any order) is exactly the input set that produced `hash`.
    function isProducedBy(bytes32 hash, bytes32[] calldata claimedParents) external view returns (bool);

    /// @notice A transformation's state (zero registrant if unknown).
    function transformation(bytes32 hash) external view returns (Transformation memory);

    /// @notice The governing account (a multisig in production). Governance changes hands in two
    /// steps with a delay ({beginDefaultAdminTransfer}, {acceptDefaultAdminTransfer}).
    function governor() external view returns (address);

    /// @notice A certificate's state by exporter and number hash (status None if unknown).
    function certificate(bytes2 exporter, bytes32 numberHash) external view returns (Certificate memory);

    /// @notice The import confirmation hash recorded for a certificate (zero if none).
    function confirmationOf(bytes2 exporter, bytes32 numberHash) external view returns (bytes32);

    /// @notice A batch anchor's state (zero registrant if unknown).
    function anchor(bytes2 participant, bytes32 root) external view returns (Anchor memory);

    /// @notice Whether `leaf` is in the batch `participant` anchored with this root, by its Merkle proof.
    function isAnchored(
        bytes2 participant,
        bytes32 root,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice The storage key of a certificate: keccak256(abi.encode(exporter, numberHash)).
    function certificateKey(bytes2 exporter, bytes32 numberHash) external pure returns (bytes32);

    /// @notice The storage key of a batch anchor: keccak256(abi.encode(participant, root)).
    function anchorKey(bytes2 participant, bytes32 root) external pure returns (bytes32);

    /// @notice A parcel's EIP-712 struct hash: Parcel(bytes2 participant, ParcelDetails details).
    function hashParcel(bytes2 participant, bytes32 details) external pure returns (bytes32);

    /// @notice A transformation's EIP-712 struct hash: Transformation(bytes2 participant,
    /// bytes32[] inputs, bytes32[] outputs, TransformationDetails details).
    function hashTransformation(
        bytes2 participant,
        bytes32[] calldata inputs,
        bytes32[] calldata outputs,
        bytes32 details
    ) external pure returns (bytes32);

    /// @notice The certificate's EIP-712 struct hash computed from its facts.
    function hashCertificate(CertificateFacts calldata facts) external pure returns (bytes32);

    /// @notice The EIP-712 digest an authority signs to let someone relay a certificate.
    function issueDigest(bytes32 certificateHash, uint256 deadline) external view returns (bytes32);
}
