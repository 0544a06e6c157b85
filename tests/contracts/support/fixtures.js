// Shared fixtures and helpers for the contract tests.
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const typedData = require("../../../scripts/lib/typed-data");

const code = typedData.participantCode;

const ParticipantStatus = { None: 0n, Active: 1n, Suspended: 2n };
const ParcelStatus = { None: 0n, Active: 1n, Consumed: 2n, Locked: 3n };
const CertificateStatus = { None: 0n, Issued: 1n, Confirmed: 2n, Voided: 3n };
const Flag = { None: 0n, Suspicious: 1n, Fraudulent: 2n };
const FlagCategory = {
  Other: 0n,
  ForgedDocument: 1n,
  TamperedDocument: 2n,
  SuspiciousOrigin: 3n,
  Smuggling: 4n,
  Valuation: 5n,
  Sanctions: 6n,
  InvestigationClosed: 7n,
};
const RecordKind = { Parcel: 0n, Transformation: 1n, Certificate: 2n, Anchor: 3n };
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const NO_PARTICIPANT = "0x0000";

/** A fresh random 32-byte record hash. */
const randomHash = () => ethers.hexlify(ethers.randomBytes(32));

const ascending = (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** n random hashes, sorted ascending (the order transformation inputs need). */
const sortedHashes = (n) => Array.from({ length: n }, randomHash).sort(ascending);

/** The parcel hash the registry computes for `details` registered by a member of `participant`. */
const parcelHash = (participant, details) => typedData.parcelHash(participant, details);

/**
 * A deployed registry with BW, AE and IN participants, one authority each, and members:
 * bwMiner and bwTrader in BW, aeTrader in AE.
 */
async function deployRegistry() {
  const [governor, bwAuthority, aeAuthority, inAuthority, bwMiner, bwTrader, aeTrader, outsider, relayer] =
    await ethers.getSigners();
  const registry = await ethers.deployContract("KimberleyRegistry", [governor.address]);
  for (const c of ["BW", "AE", "IN"]) await registry.addParticipant(code(c));
  await registry.addAuthority(code("BW"), bwAuthority.address);
  await registry.addAuthority(code("AE"), aeAuthority.address);
  await registry.addAuthority(code("IN"), inAuthority.address);
  await registry.connect(bwAuthority).addMember(bwMiner.address);
  await registry.connect(bwAuthority).addMember(bwTrader.address);
  await registry.connect(aeAuthority).addMember(aeTrader.address);
  return { registry, governor, bwAuthority, aeAuthority, inAuthority, bwMiner, bwTrader, aeTrader, outsider, relayer };
}

const fixture = () => loadFixture(deployRegistry);

/**
 * Registers n origin parcels as `member` (random ParcelDetails struct hashes) and returns
 * { details, parcels }: the parcel hashes are bound to the member's participant.
 */
async function registerDetails(registry, member, n) {
  const details = Array.from({ length: n }, randomHash);
  await registry.connect(member).registerParcels(details);
  const [participant] = await registry.memberOf(member.address);
  return { details, parcels: details.map((d) => parcelHash(participant, d)) };
}

/** Registers n origin parcels as `member` and returns their parcel hashes. */
async function registerOrigin(registry, member, n) {
  return (await registerDetails(registry, member, n)).parcels;
}

/**
 * Records a transformation of `inputs` (sorted here) into n new parcels as `member`; returns
 * { transformation, outputs, outputDetails, details }.
 */
async function transformInto(registry, member, inputs, n = 1) {
  const sorted = [...inputs].sort(ascending);
  const outputDetails = Array.from({ length: n }, randomHash);
  const details = randomHash();
  await registry.connect(member).transform(details, sorted, outputDetails);
  const [participant] = await registry.memberOf(member.address);
  const outputs = outputDetails.map((d) => parcelHash(participant, d));
  return {
    transformation: typedData.transformationHash(participant, sorted, outputs, details),
    outputs,
    outputDetails,
    details,
  };
}

let certificateSerial = 0;

/** A full certificate (typed-data value) for `parcels`, BW -> AE, expiring in 30 days. */
async function makeCertificate(parcels, overrides = {}) {
  const now = await time.latest();
  certificateSerial += 1;
  return {
    number: `BW${String(certificateSerial).padStart(6, "0")}-${Date.now() % 100000}`,
    exporter: code("BW"),
    importer: code("AE"),
    expiresAt: BigInt(now + 30 * 24 * 3600),
    parcels,
    details: {
      issuedAt: BigInt(now),
      issuingAuthority: "Ministry of Minerals and Energy, Gaborone",
      exporterName: "Okavango Diamond Company, Gaborone",
      importerName: "Dubai Rough Trading DMCC, Dubai",
      parcelCount: parcels.length,
      carats: 125_050n,
      valueUsdCents: 1_463_085_00n,
      hsCode: "7102.31",
      origins: [code("BW")],
      salt: randomHash(),
    },
    ...overrides,
  };
}

/** A ParcelDetails typed-data value (what a member hashes off-chain before registering). */
function parcelDetails(overrides = {}) {
  return {
    parcelId: "BW-JWA-2026-000123",
    origins: [code("BW")],
    mine: "Jwaneng",
    carats: 12_345n,
    valueUsdCents: 98_765_00n,
    hsCode: "7102.10",
    recordedAt: 1_790_000_000n,
    salt: randomHash(),
    ...overrides,
  };
}

/** A TransformationDetails typed-data value. */
function transformationDetails(overrides = {}) {
  return {
    transformationId: "BW-SORT-2026-0042",
    operation: "sort",
    performedAt: 1_790_000_100n,
    salt: randomHash(),
    ...overrides,
  };
}

/** EIP-712 struct hash of a ParcelDetails value. */
const parcelDetailsHash = (d) => ethers.TypedDataEncoder.from(typedData.parcelTypes).hashStruct("ParcelDetails", d);

/** EIP-712 struct hash of a TransformationDetails value. */
const transformationDetailsHash = (d) =>
  ethers.TypedDataEncoder.from(typedData.transformationTypes).hashStruct("TransformationDetails", d);

/** The EIP-712 domain of `registry` on this chain. */
async function domainOf(registry) {
  const { chainId } = await ethers.provider.getNetwork();
  return typedData.domainOf(chainId, await registry.getAddress());
}

module.exports = {
  ethers,
  time,
  code,
  fixture,
  deployRegistry,
  registerOrigin,
  registerDetails,
  transformInto,
  makeCertificate,
  parcelDetails,
  transformationDetails,
  parcelDetailsHash,
  transformationDetailsHash,
  domainOf,
  randomHash,
  sortedHashes,
  ascending,
  parcelHash,
  transformationHash: typedData.transformationHash,
  certificateKey: typedData.certificateKey,
  anchorKey: typedData.anchorKey,
  facts: typedData.certificateFacts,
  certificateHash: typedData.certificateHash,
  signIssue: typedData.signIssue,
  ParticipantStatus,
  ParcelStatus,
  CertificateStatus,
  Flag,
  FlagCategory,
  RecordKind,
  DEFAULT_ADMIN_ROLE,
  NO_PARTICIPANT,
};
