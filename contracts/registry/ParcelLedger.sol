// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IKimberleyRegistry} from "../interfaces/IKimberleyRegistry.sol";
import {ParticipantDirectory} from "./ParticipantDirectory.sol";

/// @title Rough-diamond parcels, their transformations, and batch anchors
/// @notice Members register origin parcels held by their participant and record
/// transformations (split, merge, sort) that consume input parcels once and create outputs.
/// Members also anchor Merkle roots of auxiliary records (sorting logs, photos, movements).
abstract contract ParcelLedger is ParticipantDirectory {
    mapping(bytes32 hash => Parcel) internal _parcels;
    mapping(bytes32 hash => Transformation) internal _transformations;
    mapping(bytes32 root => Anchor) internal _anchors;

    // ----------------------------------------------------------------- member

    /// @inheritdoc IKimberleyRegistry
    function registerParcel(bytes32 hash) external {
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        _registerOrigin(hash, participant, index);
    }

    /// @inheritdoc IKimberleyRegistry
    function registerParcels(bytes32[] calldata hashes) external {
        if (hashes.length == 0) revert EmptyList();
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        for (uint256 i; i < hashes.length; ++i) {
            _registerOrigin(hashes[i], participant, index);
        }
    }

    /// @inheritdoc IKimberleyRegistry
    function transform(bytes32 hash, bytes32[] calldata inputs, bytes32[] calldata outputs) external {
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        if (hash == bytes32(0)) revert ZeroHash();
        if (_transformations[hash].registrant != 0) revert AlreadyRegistered(hash);
        if (inputs.length == 0 || outputs.length == 0) revert EmptyList();

        for (uint256 i; i < inputs.length; ++i) {
            bytes32 input = inputs[i];
            if (i != 0 && input <= inputs[i - 1]) revert InputsNotSorted(i);
            Parcel storage p = _parcels[input];
            _requireUsable(p, input, participant);
            p.status = ParcelStatus.Consumed;
        }

        bytes20 parents = bytes20(keccak256(abi.encodePacked(inputs)));
        for (uint256 i; i < outputs.length; ++i) {
            bytes32 output = outputs[i];
            _createParcel(output, participant, index, parents);
            emit ParcelDerived(output, hash, participant);
        }

        // Input and output counts fit uint16: the per-transaction gas cap (EIP-7825, 2^24 gas)
        // allows under a thousand parcels per call.
        _transformations[hash] = Transformation({
            participant: participant,
            flag: Flag.None,
            inputCount: uint16(inputs.length),
            outputCount: uint16(outputs.length),
            registrant: index,
            registeredAt: uint32(block.timestamp)
        });
        emit ParcelsTransformed(hash, participant, msg.sender, inputs, outputs);
    }

    /// @inheritdoc IKimberleyRegistry
    function anchorBatch(bytes32 root, uint32 leafCount) external {
        // Anchoring evidence is allowed while a participant is suspended (it only adds
        // information); it also keeps the call within one cold read of the caller's state.
        (bytes2 participant, uint32 index) = _activeMember(msg.sender);
        if (root == bytes32(0)) revert ZeroHash();
        if (leafCount == 0) revert EmptyList();
        Anchor storage a = _anchors[root];
        if (a.registrant != 0) revert AlreadyRegistered(root);
        // One SSTORE of the packed slot (Anchor's layout, low bytes first: participant, flag,
        // registrant, anchoredAt, leafCount); field-by-field writes cost ~1,000 gas more.
        uint256 packed = uint256(uint16(participant)) |
            (uint256(index) << 24) |
            (uint256(uint32(block.timestamp)) << 56) |
            (uint256(leafCount) << 88);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(a.slot, packed)
        }
        emit BatchAnchored(root, participant, msg.sender, leafCount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IKimberleyRegistry
    function parcel(bytes32 hash) external view returns (Parcel memory) {
        return _parcels[hash];
    }

    /// @inheritdoc IKimberleyRegistry
    function parcelsOf(bytes32[] calldata hashes) external view returns (Parcel[] memory result) {
        result = new Parcel[](hashes.length);
        for (uint256 i; i < hashes.length; ++i) {
            result[i] = _parcels[hashes[i]];
        }
    }

    /// @inheritdoc IKimberleyRegistry
    function isProducedBy(bytes32 hash, bytes32[] calldata claimedParents) external view returns (bool) {
        bytes20 parents = _parcels[hash].parents;
        if (parents == bytes20(0) || claimedParents.length == 0) return false;
        bytes32[] memory sorted = Arrays.sort(claimedParents);
        for (uint256 i = 1; i < sorted.length; ++i) {
            if (sorted[i] == sorted[i - 1]) return false;
        }
        return bytes20(keccak256(abi.encodePacked(sorted))) == parents;
    }

    /// @inheritdoc IKimberleyRegistry
    function transformation(bytes32 hash) external view returns (Transformation memory) {
        return _transformations[hash];
    }

    /// @inheritdoc IKimberleyRegistry
    function anchor(bytes32 root) external view returns (Anchor memory) {
        return _anchors[root];
    }

    /// @inheritdoc IKimberleyRegistry
    function isAnchored(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        if (_anchors[root].registrant == 0) return false;
        // OpenZeppelin StandardMerkleTree leaf for ["bytes32"]: keccak256(keccak256(abi.encode(leaf))).
        bytes32 node = keccak256(bytes.concat(keccak256(abi.encode(leaf))));
        return MerkleProof.verifyCalldata(proof, root, node);
    }

    // --------------------------------------------------------------- internal

    function _registerOrigin(bytes32 hash, bytes2 participant, uint32 index) private {
        _createParcel(hash, participant, index, bytes20(0));
        emit ParcelRegistered(hash, participant, msg.sender);
    }

    function _createParcel(bytes32 hash, bytes2 participant, uint32 index, bytes20 parents) private {
        if (hash == bytes32(0)) revert ZeroHash();
        Parcel storage p = _parcels[hash];
        if (p.status != ParcelStatus.None) revert AlreadyRegistered(hash);
        // One SSTORE of the packed slot (Parcel's layout, low bytes first: participant, status,
        // flag, registrant, registeredAt, parents); field-by-field writes cost ~1,000 gas more.
        uint256 packed = uint256(uint16(participant)) |
            (uint256(uint8(ParcelStatus.Active)) << 16) |
            (uint256(index) << 32) |
            (uint256(uint32(block.timestamp)) << 64) |
            (uint256(uint160(parents)) << 96);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(p.slot, packed)
        }
    }

    /// @dev Reverts unless the parcel exists, is active and is held by `holder`.
    function _requireUsable(Parcel storage p, bytes32 hash, bytes2 holder) internal view {
        ParcelStatus status = p.status;
        if (status != ParcelStatus.Active) {
            if (status == ParcelStatus.None) revert UnknownParcel(hash);
            revert ParcelNotActive(hash, status);
        }
        if (p.participant != holder) revert ParcelNotHeld(hash, p.participant);
    }
}
