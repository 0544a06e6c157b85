// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IKimberleyRegistry} from "../interfaces/IKimberleyRegistry.sol";
import {ParcelHashing} from "../libraries/ParcelHashing.sol";
import {RecordSlots as S} from "../libraries/RecordSlots.sol";
import {ParticipantDirectory} from "./ParticipantDirectory.sol";

/// @title Rough-diamond parcels, their transformations, and batch anchors
/// @notice Members register origin parcels held by their participant and record
/// transformations (split, merge, sort) that consume input parcels once and create outputs.
/// Members also anchor Merkle roots of auxiliary records (sorting logs, photos, movements).
/// @dev Registration keys are bound to the registering participant: parcel and transformation
/// hashes are computed here from the caller's participant (see {ParcelHashing}), anchors are
/// keyed by participant and root ({anchorKey}).
abstract contract ParcelLedger is ParticipantDirectory {
    mapping(bytes32 hash => Parcel) internal _parcels;
    mapping(bytes32 hash => Transformation) internal _transformations;
    mapping(bytes32 key => Anchor) internal _anchors;

    // ----------------------------------------------------------------- member

    /// @inheritdoc IKimberleyRegistry
    function registerParcel(bytes32 details) external returns (bytes32 parcel_) {
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        parcel_ = _registerOrigin(details, participant, index);
    }

    /// @inheritdoc IKimberleyRegistry
    function registerParcels(bytes32[] calldata details) external {
        if (details.length == 0) revert EmptyList();
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        for (uint256 i; i < details.length; ++i) {
            _registerOrigin(details[i], participant, index);
        }
    }

    /// @inheritdoc IKimberleyRegistry
    function transform(
        bytes32 details,
        bytes32[] calldata inputs,
        bytes32[] calldata outputDetails
    ) external returns (bytes32 hash) {
        (bytes2 participant, uint32 index) = _activeMemberOfActiveParticipant(msg.sender);
        if (inputs.length == 0 || outputDetails.length == 0) revert EmptyList();
        // The record hashes are computed here, never given, so none can be zero.
        bytes32[] memory outputs = new bytes32[](outputDetails.length);
        for (uint256 i; i < outputDetails.length; ++i) {
            outputs[i] = ParcelHashing.parcel(participant, outputDetails[i]);
        }
        bytes32 inputsHash = keccak256(abi.encodePacked(inputs));
        hash = ParcelHashing.transformation(participant, inputsHash, keccak256(abi.encodePacked(outputs)), details);
        if (_transformations[hash].registrant != 0) revert AlreadyRegistered(hash);

        for (uint256 i; i < inputs.length; ++i) {
            bytes32 input = inputs[i];
            if (i != 0 && input <= inputs[i - 1]) revert InputsNotSorted(i);
            _takeActive(input, participant, ParcelStatus.Consumed);
        }

        bytes20 parents = bytes20(inputsHash);
        for (uint256 i; i < outputs.length; ++i) {
            bytes32 output = outputs[i];
            _createParcel(output, participant, index, parents);
            emit ParcelDerived(output, hash, participant, inputs);
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
        emit ParcelsTransformed(hash, participant, msg.sender, outputDetails);
    }

    /// @inheritdoc IKimberleyRegistry
    function anchorBatch(bytes32 root, uint32 leafCount) external {
        // Anchoring evidence is allowed while a participant is suspended (it only adds
        // information); it also keeps the call within one cold read of the caller's state.
        (bytes2 participant, uint32 index) = _activeMember(msg.sender);
        if (root == bytes32(0)) revert ZeroHash();
        if (leafCount == 0) revert EmptyList();
        Anchor storage a = _anchors[_anchorKey(participant, root)];
        if (a.registrant != 0) revert AlreadyRegistered(root);
        // One SSTORE of the packed slot ({RecordSlots}); field-by-field writes cost ~1,000 gas more.
        uint256 packed = uint256(uint16(participant)) |
            (uint256(index) << S.ANCHOR_REGISTRANT_SHIFT) |
            (uint256(uint32(block.timestamp)) << S.ANCHOR_ANCHORED_AT_SHIFT) |
            (uint256(leafCount) << S.ANCHOR_LEAF_COUNT_SHIFT);
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
    function anchor(bytes2 participant, bytes32 root) external view returns (Anchor memory) {
        return _anchors[_anchorKey(participant, root)];
    }

    /// @inheritdoc IKimberleyRegistry
    function isAnchored(
        bytes2 participant,
        bytes32 root,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool) {
        if (_anchors[_anchorKey(participant, root)].registrant == 0) return false;
        // OpenZeppelin StandardMerkleTree leaf for ["bytes32"]: keccak256(keccak256(abi.encode(leaf))).
        bytes32 node = keccak256(bytes.concat(keccak256(abi.encode(leaf))));
        return MerkleProof.verifyCalldata(proof, root, node);
    }

    /// @inheritdoc IKimberleyRegistry
    function anchorKey(bytes2 participant, bytes32 root) external pure returns (bytes32) {
        return _anchorKey(participant, root);
    }

    /// @inheritdoc IKimberleyRegistry
    function hashParcel(bytes2 participant, bytes32 details) external pure returns (bytes32) {
        return ParcelHashing.parcel(participant, details);
    }

    /// @inheritdoc IKimberleyRegistry
    function hashTransformation(
        bytes2 participant,
        bytes32[] calldata inputs,
        bytes32[] calldata outputs,
        bytes32 details
    ) external pure returns (bytes32) {
        return
            ParcelHashing.transformation(
                participant,
                keccak256(abi.encodePacked(inputs)),
                keccak256(abi.encodePacked(outputs)),
                details
            );
    }

    // --------------------------------------------------------------- internal

    function _registerOrigin(bytes32 details, bytes2 participant, uint32 index) private returns (bytes32 hash) {
        hash = ParcelHashing.parcel(participant, details);
        _createParcel(hash, participant, index, bytes20(0));
        emit ParcelRegistered(hash, participant, msg.sender);
    }

    /// @dev keccak256(abi.encode(participant, root)).
    function _anchorKey(bytes2 participant, bytes32 root) internal pure returns (bytes32 key) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, participant)
            mstore(0x20, root)
            key := keccak256(0x00, 0x40)
        }
    }

    function _createParcel(bytes32 hash, bytes2 participant, uint32 index, bytes20 parents) private {
        Parcel storage p = _parcels[hash];
        if (p.status != ParcelStatus.None) revert AlreadyRegistered(hash);
        // One SSTORE of the packed slot ({RecordSlots}); field-by-field writes cost ~1,000 gas more.
        uint256 packed = uint256(uint16(participant)) |
            (uint256(uint8(ParcelStatus.Active)) << S.PARCEL_STATUS_SHIFT) |
            (uint256(index) << S.PARCEL_REGISTRANT_SHIFT) |
            (uint256(uint32(block.timestamp)) << S.PARCEL_REGISTERED_AT_SHIFT) |
            (uint256(uint160(parents)) << S.PARCEL_PARENTS_SHIFT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(p.slot, packed)
        }
    }

    /// @dev Moves an active parcel held by `holder` to `status` (Consumed or Locked); reverts with
    /// the precise reason otherwise ({_revertUnusable}). One SLOAD and one SSTORE of the packed slot.
    function _takeActive(bytes32 hash, bytes2 holder, ParcelStatus status) internal {
        Parcel storage p = _parcels[hash];
        uint256 packed;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            packed := sload(p.slot)
        }
        if (packed & S.PARCEL_HOLDER_AND_STATUS_MASK != uint256(uint16(holder)) | (uint256(uint8(ParcelStatus.Active)) << S.PARCEL_STATUS_SHIFT)) {
            _revertUnusable(p, hash);
        }
        packed = (packed & ~S.PARCEL_STATUS_MASK) | (uint256(uint8(status)) << S.PARCEL_STATUS_SHIFT);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(p.slot, packed)
        }
    }

    /// @dev Reverts with the reason `_takeActive` could not take the parcel: unknown, not active,
    /// or (active but) held by another participant. Called only once the packed check failed, so
    /// one of the three always holds.
    function _revertUnusable(Parcel storage p, bytes32 hash) private view {
        ParcelStatus status = p.status;
        if (status == ParcelStatus.None) revert UnknownParcel(hash);
        if (status != ParcelStatus.Active) revert ParcelNotActive(hash, status);
        revert ParcelNotHeld(hash, p.participant);
    }
}
