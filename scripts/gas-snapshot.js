// Gas snapshot: deploys the registry on the in-process Hardhat network, runs each operation
// with fixed inputs (so the figures are deterministic) and writes snapshots/gas.json, one key
// per operation. With --check it writes nothing: it fails if the committed snapshot differs
// from what the contracts cost now, or if a figure breaks its target.
//   node scripts/gas-snapshot.js [--check]
const fs = require("node:fs");
const path = require("node:path");
const hre = require("hardhat");
const { ethers } = hre;
const typedData = require("./lib/typed-data");

const SNAPSHOT = path.resolve(__dirname, "../snapshots/gas.json");
const TARGETS = {
  "registerParcels x100 (per parcel)": 27_000,
  "issueCertificate 10 parcels": 160_000,
  "issueCertificateWithSignature 10 parcels": 160_000,
  "anchorBatch": 50_000,
};

const code = typedData.participantCode;
const FAR_FUTURE = 4_000_000_000n; // fits the contract's uint32 seconds (year 2096)
let counter = 0;
/** Deterministic distinct record hashes. */
const nextHash = () => ethers.keccak256(ethers.toUtf8Bytes(`kp-gas-${++counter}`));
const hashes = (n) => Array.from({ length: n }, nextHash);
const ascending = (a, b) => (BigInt(a) < BigInt(b) ? -1 : 1);

function certificate(number, exporter, importer, parcels) {
  return {
    number,
    exporter: code(exporter),
    importer: code(importer),
    expiresAt: FAR_FUTURE,
    parcels,
    details: {
      issuedAt: 1_790_000_000n,
      issuingAuthority: "Ministry of Minerals and Energy",
      exporterName: "Exporter Ltd",
      importerName: "Importer DMCC",
      parcelCount: parcels.length,
      carats: 1_000_000n,
      valueUsdCents: 12_345_600n,
      hsCode: "7102.31",
      origins: [code(exporter)],
      salt: ethers.keccak256(ethers.toUtf8Bytes(`salt-${number}`)),
    },
  };
}

async function gasOf(txPromise) {
  const receipt = await (await txPromise).wait();
  return Number(receipt.gasUsed);
}

async function measure() {
  const [governor, bwAuthority, aeAuthority, bwMiner, aeTrader, relayer, extra] = await ethers.getSigners();
  const registry = await ethers.deployContract("KimberleyRegistry", [governor.address]);
  const deployReceipt = await registry.deploymentTransaction().wait();
  const gas = { "deploy KimberleyRegistry": Number(deployReceipt.gasUsed) };

  gas["addParticipant"] = await gasOf(registry.addParticipant(code("BW")));
  await registry.addParticipant(code("AE"));
  gas["addAuthority"] = await gasOf(registry.addAuthority(code("BW"), bwAuthority.address));
  await registry.addAuthority(code("AE"), aeAuthority.address);
  gas["addMember"] = await gasOf(registry.connect(bwAuthority).addMember(bwMiner.address));
  await registry.connect(aeAuthority).addMember(aeTrader.address);

  // Parcels are registered by the struct hash of their details; the registry binds each to the
  // registering participant (parcelHash).
  const bwParcels = async (n) => {
    const details = hashes(n);
    await registry.connect(bwMiner).registerParcels(details);
    return details.map((d) => typedData.parcelHash(code("BW"), d));
  };

  gas["registerParcel"] = await gasOf(registry.connect(bwMiner).registerParcel(nextHash()));
  const batch = await gasOf(registry.connect(bwMiner).registerParcels(hashes(100)));
  gas["registerParcels x100"] = batch;
  gas["registerParcels x100 (per parcel)"] = Math.round(batch / 100);

  const inputs = (await bwParcels(2)).sort(ascending);
  gas["transform 2 inputs -> 3 outputs"] = await gasOf(registry.connect(bwMiner).transform(nextHash(), inputs, hashes(3)));

  const direct = certificate("BW2026-000001", "BW", "AE", await bwParcels(10));
  gas["issueCertificate 10 parcels"] = await gasOf(
    registry.connect(bwAuthority).issueCertificate(typedData.certificateFacts(direct)),
  );

  const relayed = certificate("BW2026-000002", "BW", "AE", await bwParcels(10));
  const { chainId } = await ethers.provider.getNetwork();
  const domain = typedData.domainOf(chainId, await registry.getAddress());
  const signature = await typedData.signIssue(bwAuthority, domain, relayed, FAR_FUTURE);
  gas["issueCertificateWithSignature 10 parcels"] = await gasOf(
    registry
      .connect(relayer)
      .issueCertificateWithSignature(typedData.certificateFacts(relayed), bwAuthority.address, FAR_FUTURE, signature),
  );

  gas["confirmImport 10 parcels"] = await gasOf(
    registry.connect(aeAuthority).confirmImport(typedData.certificateFacts(direct), nextHash()),
  );
  gas["voidCertificate 10 parcels"] = await gasOf(
    registry.connect(bwAuthority).voidCertificate(typedData.certificateFacts(relayed)),
  );
  gas["anchorBatch"] = await gasOf(registry.connect(bwMiner).anchorBatch(nextHash(), 10_000));
  gas["setFlag"] = await gasOf(
    registry.setFlag(0, inputs[0], 2, 4, ethers.id("parcel reported as smuggled")),
  );
  gas["suspendParticipant"] = await gasOf(registry.suspendParticipant(code("AE")));
  void extra;
  return Object.fromEntries(Object.entries(gas).sort(([a], [b]) => a.localeCompare(b)));
}

async function main() {
  const check = process.argv.includes("--check") || process.env.KP_GAS_CHECK === "1";
  const gas = await measure();
  const width = Math.max(...Object.keys(gas).map((k) => k.length));
  for (const [k, v] of Object.entries(gas)) {
    const target = TARGETS[k] ? `  (target <= ${TARGETS[k].toLocaleString("en-US")})` : "";
    console.log(`${k.padEnd(width)}  ${String(v).padStart(9)}${target}`);
  }
  const over = Object.entries(TARGETS).filter(([k, t]) => gas[k] > t);
  for (const [k, t] of over) console.error(`gas target broken: ${k} = ${gas[k]} > ${t}`);

  const text = JSON.stringify(gas, null, 2) + "\n";
  if (check) {
    const committed = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, "utf8") : "";
    if (committed !== text) {
      console.error(`${path.relative(process.cwd(), SNAPSHOT)} is out of date: run "npm run gas" and commit it`);
      process.exitCode = 1;
    } else {
      console.log("gas snapshot matches");
    }
  } else {
    fs.writeFileSync(SNAPSHOT, text);
    console.log(`wrote ${path.relative(process.cwd(), SNAPSHOT)}`);
  }
  if (over.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
