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

    // The type hashes are keccak256 of one string literal, which the compiler folds into a
    // constant (keccak256(abi.encodePacked(...)) of constants is hashed again at every use). The
    // tests check that they equal the hashes of the type strings above.

    /// @notice keccak256 of the Certificate type string (with its referenced CertificateDetails).
    bytes32 internal constant CERTIFICATE_TYPEHASH =
        keccak256(
            "Certificate(string number,bytes2 exporter,bytes2 importer,uint64 expiresAt,bytes32[] parcels,"
            "CertificateDetails details)"
            "CertificateDetails(uint64 issuedAt,string issuingAuthority,string exporterName,string importerName,"
            "uint32 parcelCount,uint64 carats,uint64 valueUsdCents,string hsCode,bytes2[] origins,bytes32 salt)"
        );

    /// @notice keccak256 of the type string an authority signs to authorise a relayed issue.
    bytes32 internal constant ISSUE_TYPEHASH =
        keccak256(
            "IssueCertificate(Certificate certificate,uint256 deadline)"
            "Certificate(string number,bytes2 exporter,bytes2 importer,uint64 expiresAt,bytes32[] parcels,"
            "CertificateDetails details)"
            "CertificateDetails(uint64 issuedAt,string issuingAuthority,string exporterName,string importerName,"
            "uint32 parcelCount,uint64 carats,uint64 valueUsdCents,string hsCode,bytes2[] origins,bytes32 salt)"
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
