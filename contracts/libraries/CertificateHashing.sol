// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IKimberleyRegistry} from "../interfaces/IKimberleyRegistry.sol";

/// @title EIP-712 hashing of KP certificates
/// @notice The type strings here are the canonical schema; the .NET and JavaScript encoders
/// must produce the same struct hashes (the test suites cross-check them).
library CertificateHashing {
    /// @dev The certificate's details, hashed off-chain; the contract receives their struct hash.
    bytes internal constant DETAILS_TYPE =
        "CertificateDetails(uint64 issuedAt,string issuingAuthority,string exporterName,string importerName,"
        "uint32 parcelCount,uint64 carats,uint64 valueUsdCents,string hsCode,bytes2[] origins,bytes32 salt)";

    bytes internal constant CERTIFICATE_TYPE =
        "Certificate(string number,bytes2 exporter,bytes2 importer,uint64 expiresAt,bytes32[] parcels,"
        "CertificateDetails details)";

    /// @notice keccak256 of the Certificate type string (with its referenced CertificateDetails).
    bytes32 internal constant CERTIFICATE_TYPEHASH = keccak256(abi.encodePacked(CERTIFICATE_TYPE, DETAILS_TYPE));

    /// @notice keccak256 of the type string an authority signs to authorise a relayed issue.
    bytes32 internal constant ISSUE_TYPEHASH =
        keccak256(
            abi.encodePacked("IssueCertificate(Certificate certificate,uint256 deadline)", CERTIFICATE_TYPE, DETAILS_TYPE)
        );

    /// @notice The certificate's EIP-712 struct hash.
    function hash(IKimberleyRegistry.CertificateFacts calldata facts) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    CERTIFICATE_TYPEHASH,
                    facts.numberHash,
                    facts.exporter,
                    facts.importer,
                    facts.expiresAt,
                    keccak256(abi.encodePacked(facts.parcels)),
                    facts.detailsHash
                )
            );
    }

    /// @notice The struct hash of IssueCertificate(certificate, deadline).
    function issueHash(bytes32 certificateHash, uint256 deadline) internal pure returns (bytes32) {
        return keccak256(abi.encode(ISSUE_TYPEHASH, certificateHash, deadline));
    }
}
