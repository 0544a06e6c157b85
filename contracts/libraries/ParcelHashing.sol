// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title EIP-712 hashing of parcels and transformations
/// @notice A parcel's and a transformation's struct hash nest their details behind the
/// participant that registers them, so the contract computes the record's hash from the
/// caller's participant: a hash seen in a pending transaction cannot be registered first by a
/// member of another participant (it would hash differently). A transformation's hash also
/// commits to its inputs and outputs. The type strings are the canonical schema; the .NET and
/// JavaScript encoders must produce the same hashes (the test suites cross-check them).
library ParcelHashing {
    bytes internal constant PARCEL_DETAILS_TYPE =
        "ParcelDetails(string parcelId,bytes2[] origins,string mine,uint64 carats,uint64 valueUsdCents,"
        "string hsCode,uint64 recordedAt,bytes32 salt)";

    bytes internal constant TRANSFORMATION_DETAILS_TYPE =
        "TransformationDetails(string transformationId,string operation,uint64 performedAt,bytes32 salt)";

    // The type hashes are keccak256 of one string literal, which the compiler folds into a
    // constant; keccak256(abi.encodePacked(...)) of constants would be hashed again at every use.
    // The tests check that they equal the hashes of the type strings above.

    /// @notice keccak256 of "Parcel(bytes2 participant,ParcelDetails details)ParcelDetails(...)".
    bytes32 internal constant PARCEL_TYPEHASH =
        keccak256(
            "Parcel(bytes2 participant,ParcelDetails details)"
            "ParcelDetails(string parcelId,bytes2[] origins,string mine,uint64 carats,uint64 valueUsdCents,"
            "string hsCode,uint64 recordedAt,bytes32 salt)"
        );

    /// @notice keccak256 of the Transformation type string (with its TransformationDetails).
    bytes32 internal constant TRANSFORMATION_TYPEHASH =
        keccak256(
            "Transformation(bytes2 participant,bytes32[] inputs,bytes32[] outputs,TransformationDetails details)"
            "TransformationDetails(string transformationId,string operation,uint64 performedAt,bytes32 salt)"
        );

    /// @notice A parcel's EIP-712 struct hash.
    /// @param participant the participant registering it
    /// @param details the struct hash of its ParcelDetails
    function parcel(bytes2 participant, bytes32 details) internal pure returns (bytes32 h) {
        bytes32 typeHash = PARCEL_TYPEHASH;
        // keccak256(abi.encode(typeHash, participant, details)) in the free memory, without
        // allocating it: batch registration hashes hundreds of parcels per call.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), participant)
            mstore(add(m, 0x40), details)
            h := keccak256(m, 0x60)
        }
    }

    /// @notice A transformation's EIP-712 struct hash.
    /// @param participant the participant where it happened
    /// @param inputsHash keccak256(abi.encodePacked(inputs)), inputs in the order given
    /// @param outputsHash keccak256(abi.encodePacked(outputs)), outputs in the order given
    /// @param details the struct hash of its TransformationDetails
    function transformation(
        bytes2 participant,
        bytes32 inputsHash,
        bytes32 outputsHash,
        bytes32 details
    ) internal pure returns (bytes32 h) {
        bytes32 typeHash = TRANSFORMATION_TYPEHASH;
        // keccak256(abi.encode(typeHash, participant, inputsHash, outputsHash, details)) in the
        // free memory, without allocating it.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), participant)
            mstore(add(m, 0x40), inputsHash)
            mstore(add(m, 0x60), outputsHash)
            mstore(add(m, 0x80), details)
            h := keccak256(m, 0xa0)
        }
    }
}
