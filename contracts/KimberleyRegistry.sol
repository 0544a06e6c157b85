// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IKimberleyRegistry} from "./interfaces/IKimberleyRegistry.sol";
import {CertificateHashing} from "./libraries/CertificateHashing.sol";
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
    mapping(bytes32 numberHash => Certificate) private _certificates;
    mapping(bytes32 numberHash => bytes32 confirmationHash) private _confirmations;

    /// @param governor the account that governs the registry (gets the admin and governor roles)
    constructor(address governor) ParticipantDirectory(governor) EIP712("KimberleyProcessRegistry", "1") {}

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
        if (!SignatureChecker.isValidSignatureNow(authority, digest, signature)) revert InvalidSignature(authority);
        _issue(facts, certificateHash, authority);
    }

    /// @inheritdoc IKimberleyRegistry
    function confirmImport(CertificateFacts calldata facts, bytes32 confirmationHash) external {
        if (confirmationHash == bytes32(0)) revert ZeroHash();
        Certificate storage c = _issuedCertificate(facts);
        bytes2 importer = c.importer;
        _requireAuthority(msg.sender, importer);
        if (block.timestamp > c.expiresAt) revert CertificateExpired(facts.numberHash, c.expiresAt);
        _requireActiveParticipant(importer);
        _requireActiveParticipant(c.exporter);

        // Invariant: the certificate's parcels are Locked to it (issue locked them, and only this
        // certificate's confirmation or void unlocks them), so no per-parcel check is needed.
        bytes32[] calldata parcels = facts.parcels;
        for (uint256 i; i < parcels.length; ++i) {
            Parcel storage p = _parcels[parcels[i]];
            p.participant = importer;
            p.status = ParcelStatus.Active;
        }
        c.status = CertificateStatus.Confirmed;
        _confirmations[facts.numberHash] = confirmationHash;
        emit ImportConfirmed(facts.numberHash, importer, confirmationHash, msg.sender);
    }

    /// @inheritdoc IKimberleyRegistry
    function voidCertificate(CertificateFacts calldata facts) external {
        Certificate storage c = _issuedCertificate(facts);
        bytes2 exporter = c.exporter;
        _requireAuthority(msg.sender, exporter);
        bytes32[] calldata parcels = facts.parcels;
        for (uint256 i; i < parcels.length; ++i) {
            _parcels[parcels[i]].status = ParcelStatus.Active;
        }
        c.status = CertificateStatus.Voided;
        emit CertificateVoided(facts.numberHash, exporter, msg.sender);
    }

    // ------------------------------------------------------------- governance

    /// @inheritdoc IKimberleyRegistry
    function setFlag(RecordKind kind, bytes32 key, Flag flag, string calldata reason) external onlyRole(GOVERNOR_ROLE) {
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
        emit RecordFlagged(kind, key, flag, reason);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IKimberleyRegistry
    function certificate(bytes32 numberHash) external view returns (Certificate memory) {
        return _certificates[numberHash];
    }

    /// @inheritdoc IKimberleyRegistry
    function confirmationOf(bytes32 numberHash) external view returns (bytes32) {
        return _confirmations[numberHash];
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
        Certificate storage c = _certificates[facts.numberHash];
        if (c.status != CertificateStatus.None) revert AlreadyRegistered(facts.numberHash);

        for (uint256 i; i < parcels.length; ++i) {
            Parcel storage p = _parcels[parcels[i]];
            _requireUsable(p, parcels[i], exporter);
            p.status = ParcelStatus.Locked;
        }
        // parcelCount fits uint16: the per-transaction gas cap allows far fewer parcels.
        _certificates[facts.numberHash] = Certificate({
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

    /// @dev The certificate on record for `facts`, which must hash to it and be Issued.
    function _issuedCertificate(CertificateFacts calldata facts) private view returns (Certificate storage c) {
        c = _certificates[facts.numberHash];
        CertificateStatus status = c.status;
        if (status == CertificateStatus.None) revert UnknownCertificate(facts.numberHash);
        if (c.contentHash != bytes20(CertificateHashing.hash(facts))) revert CertificateMismatch(facts.numberHash);
        if (status != CertificateStatus.Issued) revert CertificateNotIssued(facts.numberHash, status);
    }
}
