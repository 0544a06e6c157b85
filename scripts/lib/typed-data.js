// The EIP-712 schema of KP certificates as ethers.js sees it. The Solidity type strings
// (contracts/libraries/CertificateHashing.sol) and the .NET encoder must agree with it;
// the tests check that they do.
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

const IssueCertificate = [
  { name: "certificate", type: "Certificate" },
  { name: "deadline", type: "uint256" },
];

const certificateTypes = { Certificate, CertificateDetails };
const issueTypes = { IssueCertificate, Certificate, CertificateDetails };

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
  certificateTypes,
  issueTypes,
  domainOf,
  participantCode,
  certificateHash,
  certificateFacts,
  signIssue,
};
