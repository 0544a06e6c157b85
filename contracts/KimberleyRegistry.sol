// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IKimberleyRegistry} from "./interfaces/IKimberleyRegistry.sol";
import {AuthoritySignature} from "./libraries/AuthoritySignature.sol";
import {CertificateHashing} from "./libraries/CertificateHashing.sol";
import {RecordSlots as S} from "./libraries/RecordSlots.sol";
import {ParcelLedger} from "./registry/ParcelLedger.sol";
import {ParticipantDirectory} from "./registry/ParticipantDirectory.sol";

/// @title Kimberley Process registry
/// @notice The on-chain half of KP traceability: participants, authorities and members;
/// parcels and transformations; KP certificates (issued directly or relayed with the
/// authority's EIP-712 signature), import confirmations and voids; governance flags; and
/// batch anchors of auxiliary records. `multicall` batches any of these in one transaction.
/// @dev EIP-712 domain: name "KimberleyProcessRegistry", version "1", this chain's id and
/// this contract's address, so a signature cannot be replayed on another chain or deployment.
contract KimberleyRegistry is ParcelLedger, EIP712, Multicall {
    mapping(bytes32 certificateKey => Certificate) private _certificates;
    mapping(bytes32 certificateKey => bytes32 confirmationHash) private _confirmations;

    /// @param governor_ the account that governs the registry (a multisig in production)
    constructor(address governor_) ParticipantDirectory(governor_) EIP712("KimberleyProcessRegistry", "1") {}

    // ----------------------------------------------------------- certificates

    /// @inheritdoc IKimberleyRegistry
    function issueCertificate(CertificateFacts calldata facts) external returns (bytes32 certificateHash) {
        certificateHash = CertificateHashing.hash(facts);
        _issue(facts, certificateHash, msg.sender);
    }

    /// @inheritdoc IKimberleyRegistry
    function issueCertificateWithSignature(
        CertificateFacts calldata facts,
        address authority,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 certificateHash) {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        certificateHash = CertificateHashing.hash(facts);
        bytes32 digest = _hashTypedDataV4(CertificateHashing.issueHash(certificateHash, deadline));
        if (!AuthoritySignature.isValidNow(authority, digest, signature)) revert InvalidSignature(authority);
        _issue(facts, certificateHash, authority);
    }

    /// @inheritdoc IKimberleyRegistry
    function confirmImport(CertificateFacts calldata facts, bytes32 confirmationHash) external {
        if (confirmationHash == bytes32(0)) revert ZeroHash();
        bytes32 key = _certificateKey(facts.exporter, facts.numberHash);
        Certificate storage c = _issuedCertificate(facts, key);
        bytes2 importer = c.importer;
        bytes2 exporter = facts.exporter;
        _requireAuthority(msg.sender, importer);
        if (block.timestamp > c.expiresAt) revert CertificateExpired(exporter, facts.numberHash, c.expiresAt);
        _requireActiveParticipant(importer);
        _requireActiveParticipant(exporter);

        bytes32[] calldata parcels = facts.parcels;
        for (uint256 i; i < parcels.length; ++i) {
            _releaseLocked(parcels[i], exporter, importer);
        }
        c.status = CertificateStatus.Confirmed;
        _confirmations[key] = confirmationHash;
        emit ImportConfirmed(facts.numberHash, exporter, importer, confirmationHash, msg.sender);
    }

    /// @inheritdoc IKimberleyRegistry
    function voidCertificate(CertificateFacts calldata facts) external {
        bytes2 exporter = facts.exporter;
        Certificate storage c = _issuedCertificate(facts, _certificateKey(exporter, facts.numberHash));
        _requireAuthority(msg.sender, exporter);
        bytes32[] calldata parcels = facts.parcels;
        for (uint256 i; i < parcels.length; ++i) {
            _releaseLocked(parcels[i], exporter, exporter);
        }
        c.status = CertificateStatus.Voided;
        emit CertificateVoided(facts.numberHash, exporter, msg.sender);
    }

    // ------------------------------------------------------------- governance

    /// @inheritdoc IKimberleyRegistry
    function setFlag(
        RecordKind kind,
        bytes32 key,
        Flag flag,
        FlagCategory category,
        bytes32 evidenceHash
    ) external onlyGovernance {
        if (kind == RecordKind.Parcel && _parcels[key].status != ParcelStatus.None) {
            _parcels[key].flag = flag;
        } else if (kind == RecordKind.Transformation && _transformations[key].registrant != 0) {
            _transformations[key].flag = flag;
        } else if (kind == RecordKind.Certificate && _certificates[key].status != CertificateStatus.None) {
            _certificates[key].flag = flag;
        } else if (kind == RecordKind.Anchor && _anchors[key].registrant != 0) {
            _anchors[key].flag = flag;
        } else {
            revert UnknownRecord(kind, key);
        }
        emit RecordFlagged(kind, key, flag, category, evidenceHash);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IKimberleyRegistry
    function certificate(bytes2 exporter, bytes32 numberHash) external view returns (Certificate memory) {
        return _certificates[_certificateKey(exporter, numberHash)];
    }

    /// @inheritdoc IKimberleyRegistry
    function confirmationOf(bytes2 exporter, bytes32 numberHash) external view returns (bytes32) {
        return _confirmations[_certificateKey(exporter, numberHash)];
    }

    /// @inheritdoc IKimberleyRegistry
    function certificateKey(bytes2 exporter, bytes32 numberHash) external pure returns (bytes32) {
        return _certificateKey(exporter, numberHash);
    }

    /// @inheritdoc IKimberleyRegistry
    function hashCertificate(CertificateFacts calldata facts) external pure returns (bytes32) {
        return CertificateHashing.hash(facts);
    }

    /// @inheritdoc IKimberleyRegistry
    function issueDigest(bytes32 certificateHash, uint256 deadline) external view returns (bytes32) {
        return _hashTypedDataV4(CertificateHashing.issueHash(certificateHash, deadline));
    }

    // --------------------------------------------------------------- internal

    function _issue(CertificateFacts calldata facts, bytes32 certificateHash, address authority) private {
        bytes2 exporter = facts.exporter;
        bytes2 importer = facts.importer;
        _requireAuthority(authority, exporter);
        _requireActiveParticipant(exporter);
        if (importer == exporter) revert SameParticipant(importer);
        _requireActiveParticipant(importer);
        if (facts.expiresAt <= block.timestamp || facts.expiresAt > type(uint32).max) {
            revert InvalidExpiry(facts.expiresAt);
        }
        bytes32[] calldata parcels = facts.parcels;
        if (parcels.length == 0) revert EmptyList();
        bytes32 key = _certificateKey(exporter, facts.numberHash);
        Certificate storage c = _certificates[key];
        if (c.status != CertificateStatus.None) revert CertificateAlreadyIssued(exporter, facts.numberHash);

        for (uint256 i; i < parcels.length; ++i) {
            _takeActive(parcels[i], exporter, ParcelStatus.Locked);
        }
        // parcelCount fits uint16: the per-transaction gas cap allows far fewer parcels.
        _certificates[key] = Certificate({
            exporter: exporter,
            importer: importer,
            status: CertificateStatus.Issued,
            flag: Flag.None,
            expiresAt: uint32(facts.expiresAt),
            parcelCount: uint16(parcels.length),
            contentHash: bytes20(certificateHash)
        });
        emit CertificateIssued(
            facts.numberHash,
            exporter,
            importer,
            certificateHash,
            facts.expiresAt,
            authority,
            msg.sender,
            parcels
        );
    }

    /// @dev The certificate on record under `key` for `facts`, which must hash to it and be Issued.
    function _issuedCertificate(
        CertificateFacts calldata facts,
        bytes32 key
    ) private view returns (Certificate storage c) {
        c = _certificates[key];
        CertificateStatus status = c.status;
        if (status == CertificateStatus.None) revert UnknownCertificate(facts.exporter, facts.numberHash);
        if (c.contentHash != bytes20(CertificateHashing.hash(facts))) {
            revert CertificateMismatch(facts.exporter, facts.numberHash);
        }
        if (status != CertificateStatus.Issued) revert CertificateNotIssued(facts.exporter, facts.numberHash, status);
    }

    /// @dev Releases a parcel of an Issued certificate of `exporter` to `holder`, Active. It must
    /// be Locked and held by the exporter: issue locks every listed parcel and nothing else
    /// unlocks it, so this holds by construction; checking it keeps a confirmation or void from
    /// ever touching another parcel. One SLOAD and one SSTORE of the packed slot (Parcel's
    /// layout, low bytes first: participant, status, ...).
    function _releaseLocked(bytes32 hash, bytes2 exporter, bytes2 holder) private {
        Parcel storage p = _parcels[hash];
        uint256 packed;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            packed := sload(p.slot)
        }
        uint256 expected = uint256(uint16(exporter)) | (uint256(uint8(ParcelStatus.Locked)) << S.PARCEL_STATUS_SHIFT);
        if (packed & S.PARCEL_HOLDER_AND_STATUS_MASK != expected) revert ParcelNotLocked(hash, p.status, p.participant);
        packed =
            (packed & ~S.PARCEL_HOLDER_AND_STATUS_MASK) |
            uint256(uint16(holder)) |
            (uint256(uint8(ParcelStatus.Active)) << S.PARCEL_STATUS_SHIFT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(p.slot, packed)
        }
    }

    /// @dev keccak256(abi.encode(exporter, numberHash)).
    function _certificateKey(bytes2 exporter, bytes32 numberHash) private pure returns (bytes32 key) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, exporter)
            mstore(0x20, numberHash)
            key := keccak256(0x00, 0x40)
        }
    }
}
