// The EIP-712 schema of KP records as ethers.js sees it. The Solidity type strings
// (contracts/libraries/CertificateHashing.sol and ParcelHashing.sol) and the .NET encoder must
// agree with it; the tests check that they do.
const { ethers } = require("ethers");

const DOMAIN_NAME = "KimberleyProcessRegistry";
const DOMAIN_VERSION = "1";

const CertificateDetails = [
  { name: "issuedAt", type: "uint64" },
  { name: "issuingAuthority", type: "string" },
  { name: "exporterName", type: "string" },
  { name: "importerName", type: "string" },
  { name: "parcelCount", type: "uint32" },
  { name: "carats", type: "uint64" },
  { name: "valueUsdCents", type: "uint64" },
  { name: "hsCode", type: "string" },
  { name: "origins", type: "bytes2[]" },
  { name: "salt", type: "bytes32" },
];

const Certificate = [
  { name: "number", type: "string" },
  { name: "exporter", type: "bytes2" },
  { name: "importer", type: "bytes2" },
  { name: "expiresAt", type: "uint64" },
  { name: "parcels", type: "bytes32[]" },
  { name: "details", type: "CertificateDetails" },
];

const ParcelDetails = [
  { name: "parcelId", type: "string" },
  { name: "origins", type: "bytes2[]" },
  { name: "mine", type: "string" },
  { name: "carats", type: "uint64" },
  { name: "valueUsdCents", type: "uint64" },
  { name: "hsCode", type: "string" },
  { name: "recordedAt", type: "uint64" },
  { name: "salt", type: "bytes32" },
];

const Parcel = [
  { name: "participant", type: "bytes2" },
  { name: "details", type: "ParcelDetails" },
];

const TransformationDetails = [
  { name: "transformationId", type: "string" },
  { name: "operation", type: "string" },
  { name: "performedAt", type: "uint64" },
  { name: "salt", type: "bytes32" },
];

const Transformation = [
  { name: "participant", type: "bytes2" },
  { name: "inputs", type: "bytes32[]" },
  { name: "outputs", type: "bytes32[]" },
  { name: "details", type: "TransformationDetails" },
];

const IssueCertificate = [
  { name: "certificate", type: "Certificate" },
  { name: "deadline", type: "uint256" },
];

const certificateTypes = { Certificate, CertificateDetails };
const parcelTypes = { Parcel, ParcelDetails };
const transformationTypes = { Transformation, TransformationDetails };
const issueTypes = { IssueCertificate, Certificate, CertificateDetails };

const PARCEL_TYPEHASH = ethers.keccak256(
  ethers.toUtf8Bytes(
    "Parcel(bytes2 participant,ParcelDetails details)" +
      "ParcelDetails(string parcelId,bytes2[] origins,string mine,uint64 carats,uint64 valueUsdCents," +
      "string hsCode,uint64 recordedAt,bytes32 salt)",
  ),
);
const TRANSFORMATION_TYPEHASH = ethers.keccak256(
  ethers.toUtf8Bytes(
    "Transformation(bytes2 participant,bytes32[] inputs,bytes32[] outputs,TransformationDetails details)" +
      "TransformationDetails(string transformationId,string operation,uint64 performedAt,bytes32 salt)",
  ),
);
const abi = ethers.AbiCoder.defaultAbiCoder();

/**
 * A parcel's hash from its participant and the struct hash of its ParcelDetails: what the
 * registry computes in registerParcel(s) and transform. Equal to the EIP-712 hashStruct of
 * Parcel { participant, details } (the tests check that it is).
 */
const parcelHash = (participant, detailsHash) =>
  ethers.keccak256(abi.encode(["bytes32", "bytes2", "bytes32"], [PARCEL_TYPEHASH, participant, detailsHash]));

/** A transformation's hash from its participant, inputs, output parcel hashes and details hash. */
const transformationHash = (participant, inputs, outputs, detailsHash) =>
  ethers.keccak256(
    abi.encode(
      ["bytes32", "bytes2", "bytes32", "bytes32", "bytes32"],
      [TRANSFORMATION_TYPEHASH, participant, ethers.solidityPackedKeccak256(["bytes32[]"], [inputs]),
        ethers.solidityPackedKeccak256(["bytes32[]"], [outputs]), detailsHash],
    ),
  );

/** keccak256(abi.encode(exporter, numberHash)): where the registry keeps a certificate. */
const certificateKey = (exporter, numberHash) =>
  ethers.keccak256(abi.encode(["bytes2", "bytes32"], [exporter, numberHash]));

/** keccak256(abi.encode(participant, root)): where the registry keeps a batch anchor. */
const anchorKey = (participant, root) => ethers.keccak256(abi.encode(["bytes2", "bytes32"], [participant, root]));

/** The registry's EIP-712 domain on `chainId` at `verifyingContract`. */
const domainOf = (chainId, verifyingContract) => ({
  name: DOMAIN_NAME,
  version: DOMAIN_VERSION,
  chainId,
  verifyingContract,
});

/** Participant code "BW" -> "0x4257". */
const participantCode = (iso2) => ethers.hexlify(ethers.toUtf8Bytes(iso2));

/** EIP-712 struct hash of a certificate (number, parties, expiry, parcels, details). */
const certificateHash = (certificate) =>
  ethers.TypedDataEncoder.from(certificateTypes).hashStruct("Certificate", certificate);

/** The facts the registry takes for a certificate: what it stores and what it hashes. */
const certificateFacts = (certificate) => ({
  numberHash: ethers.keccak256(ethers.toUtf8Bytes(certificate.number)),
  exporter: certificate.exporter,
  importer: certificate.importer,
  expiresAt: BigInt(certificate.expiresAt),
  parcels: certificate.parcels,
  detailsHash: ethers.TypedDataEncoder.from({ CertificateDetails }).hashStruct("CertificateDetails", certificate.details),
});

/** The authority's signature allowing anyone to relay `certificate` until `deadline`. */
const signIssue = (signer, domain, certificate, deadline) =>
  signer.signTypedData(domain, issueTypes, { certificate, deadline });

module.exports = {
  DOMAIN_NAME,
  DOMAIN_VERSION,
  PARCEL_TYPEHASH,
  TRANSFORMATION_TYPEHASH,
  parcelTypes,
  transformationTypes,
  parcelHash,
  transformationHash,
  certificateKey,
  anchorKey,
  certificateTypes,
  issueTypes,
  domainOf,
  participantCode,
  certificateHash,
  certificateFacts,
  signIssue,
};
