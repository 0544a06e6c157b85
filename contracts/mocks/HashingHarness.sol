// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CertificateHashing} from "../libraries/CertificateHashing.sol";
import {ParcelHashing} from "../libraries/ParcelHashing.sol";

/// @title Exposes the hashing libraries' type strings and type hashes (test double)
/// @notice Lets the tests check that each type hash the registry uses is keccak256 of its type
/// string, and that the type strings are what ethers' TypedDataEncoder encodes.
contract HashingHarness {
    /// @notice ParcelHashing.PARCEL_DETAILS_TYPE
    function parcelDetailsType() external pure returns (string memory) {
        return string(ParcelHashing.PARCEL_DETAILS_TYPE);
    }

    /// @notice ParcelHashing.TRANSFORMATION_DETAILS_TYPE
    function transformationDetailsType() external pure returns (string memory) {
        return string(ParcelHashing.TRANSFORMATION_DETAILS_TYPE);
    }

    /// @notice ParcelHashing.PARCEL_TYPEHASH
    function parcelTypeHash() external pure returns (bytes32) {
        return ParcelHashing.PARCEL_TYPEHASH;
    }

    /// @notice ParcelHashing.TRANSFORMATION_TYPEHASH
    function transformationTypeHash() external pure returns (bytes32) {
        return ParcelHashing.TRANSFORMATION_TYPEHASH;
    }

    /// @notice CertificateHashing.DETAILS_TYPE
    function certificateDetailsType() external pure returns (string memory) {
        return string(CertificateHashing.DETAILS_TYPE);
    }

    /// @notice CertificateHashing.CERTIFICATE_TYPE
    function certificateType() external pure returns (string memory) {
        return string(CertificateHashing.CERTIFICATE_TYPE);
    }

    /// @notice CertificateHashing.CERTIFICATE_TYPEHASH
    function certificateTypeHash() external pure returns (bytes32) {
        return CertificateHashing.CERTIFICATE_TYPEHASH;
    }

    /// @notice CertificateHashing.ISSUE_TYPEHASH
    function issueTypeHash() external pure returns (bytes32) {
        return CertificateHashing.ISSUE_TYPEHASH;
    }
}
