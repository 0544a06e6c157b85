#!/usr/bin/env node
// The dev-chain story, end to end on a fresh local node: start Hardhat on a free loopback port,
// deploy the registry, set up participants, authorities and members, register and transform
// parcels, issue a certificate relayed with the exporting authority's signature, confirm the
// import, re-export, anchor a batch, show three refused attacks, and stop the node it started.
const { ethers } = require("ethers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const { startNode, stopNode } = require("./lib/node-process");
const { deployRegistry } = require("./lib/deploy");
const typedData = require("../scripts/lib/typed-data");

const code = typedData.participantCode;
const rows = [];
const record = (step, receipt, what) => {
  rows.push({ step, tx: receipt ? receipt.hash.slice(0, 12) + "…" : "-", gas: receipt ? receipt.gasUsed.toString() : "-", what });
  console.log(`  ✓ ${step}: ${what}`);
};
const salted = (label) => ethers.keccak256(ethers.concat([ethers.toUtf8Bytes(label), ethers.randomBytes(32)]));
const ascending = (a, b) => (BigInt(a) < BigInt(b) ? -1 : 1);
// Members register the struct hashes of their parcels' ParcelDetails; the registry binds each to
// the member's participant: the parcel's hash is Parcel { participant, details }.
const parcelsOf = (iso, details) => details.map((d) => typedData.parcelHash(code(iso), d));

async function run(url) {
  const { record: deployment, registry: deployed, wallet: governor, provider, artifact } = await deployRegistry({
    rpcUrl: url,
  });
  record("deploy", await provider.getTransactionReceipt(deployment.transactionHash), `KimberleyRegistry at ${deployment.address}`);
  const wallet = (i) => ethers.HDNodeWallet.fromPhrase(require("./lib/deploy").HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
  const as = (i) => new ethers.Contract(deployment.address, artifact.abi, wallet(i));
  const gov = deployed.connect(governor);
  const send = async (step, what, txPromise) => record(step, await (await txPromise).wait(), what);
  const refused = async (label, fn) => {
    try {
      await fn();
      throw new Error(`${label} was NOT refused`);
    } catch (e) {
      const data = e.data ?? e.info?.error?.data;
      const parsed = data ? deployed.interface.parseError(data) : null;
      if (!parsed) throw e;
      record("attack refused", null, `${label}: ${parsed.name}(${parsed.args.map(String).join(", ")})`);
    }
  };

  const authority = { BW: 1, AE: 2, IN: 3, EU: 4, CF: 5 };
  const member = { debswana: 6, okavango: 7, dubaiTrader: 8, suratCutter: 10, berberati: 11 };
  for (const [iso, i] of Object.entries(authority)) {
    await send("governance", `participant ${iso} added`, gov.addParticipant(code(iso)));
    await send("governance", `authority of ${iso}: ${wallet(i).address}`, gov.addAuthority(code(iso), wallet(i).address));
  }
  await send("BW authority", "member Debswana (miner)", as(1).addMember(wallet(member.debswana).address));
  await send("BW authority", "member Okavango Diamond Co. (trader)", as(1).addMember(wallet(member.okavango).address));
  await send("AE authority", "member Dubai rough trader", as(2).addMember(wallet(member.dubaiTrader).address));
  await send("IN authority", "member Surat cutter", as(3).addMember(wallet(member.suratCutter).address));
  await send("CF authority", "member Berbérati cooperative (compliant zone)", as(5).addMember(wallet(member.berberati).address));

  const mineDetails = Array.from({ length: 6 }, (_, i) => salted(`BW-Jwaneng-${i}`));
  await send("Debswana", "6 origin parcels from Jwaneng (one batch)", as(member.debswana).registerParcels(mineDetails));
  const mine = parcelsOf("BW", mineDetails);
  await send("Berbérati coop", "origin parcel from the Berbérati compliant zone", as(member.berberati).registerParcel(salted("CF-Berberati-1")));

  const sortInputs = mine.slice(0, 2).sort(ascending);
  const sortedDetails = [salted("sort-a"), salted("sort-b"), salted("sort-c")];
  await send("Debswana", "sorting: 2 run-of-mine parcels -> 3 assortments", as(member.debswana).transform(salted("T-sort"), sortInputs, sortedDetails));
  const sorted = parcelsOf("BW", sortedDetails);

  const { chainId } = await provider.getNetwork();
  const domain = typedData.domainOf(chainId, deployment.address);
  const now = (await provider.getBlock("latest")).timestamp;
  const shipment = [...sorted, ...mine.slice(2, 4)];
  const cert = {
    number: "BW2026-004711",
    exporter: code("BW"),
    importer: code("AE"),
    expiresAt: BigInt(now + 60 * 24 * 3600),
    parcels: shipment,
    details: {
      issuedAt: BigInt(now),
      issuingAuthority: "Diamond Hub, Ministry of Minerals and Energy, Botswana",
      exporterName: "Okavango Diamond Company, Gaborone",
      importerName: "Dubai rough trader DMCC, Dubai",
      parcelCount: shipment.length,
      carats: 4_812_35n,
      valueUsdCents: 56_304_495_00n,
      hsCode: "7102.31",
      origins: [code("BW")],
      salt: ethers.hexlify(ethers.randomBytes(32)),
    },
  };
  const deadline = BigInt(now + 3600);
  const signature = await typedData.signIssue(wallet(authority.BW), domain, cert, deadline);
  await send(
    "relayer",
    `certificate ${cert.number} (5 parcels, BW -> AE) signed by the BW authority, relayed`,
    as(9).issueCertificateWithSignature(typedData.certificateFacts(cert), wallet(authority.BW).address, deadline, signature),
  );
  // A certificate number belongs to its exporter: another participant's authority cannot void it.
  await refused("void of BW's certificate by the AE authority", () =>
    as(2).voidCertificate.staticCall(typedData.certificateFacts(cert)),
  );
  await send("AE authority", `import of ${cert.number} confirmed`, as(2).confirmImport(typedData.certificateFacts(cert), salted("confirmation")));

  const mixedDetails = [salted("mixed-1"), salted("mixed-2")];
  await send("Dubai trader", "merge and split the BW goods into 2 parcels", as(member.dubaiTrader).transform(salted("T-mix"), [...shipment].sort(ascending), mixedDetails));
  const mixed = parcelsOf("AE", mixedDetails);
  const reexport = { ...cert, number: "AE2026-000815", exporter: code("AE"), importer: code("IN"), parcels: mixed, details: { ...cert.details, parcelCount: mixed.length, origins: [code("BW")], salt: ethers.hexlify(ethers.randomBytes(32)) } };
  await send("AE authority", `re-export certificate ${reexport.number} (AE -> IN)`, as(2).issueCertificate(typedData.certificateFacts(reexport)));
  await send("IN authority", `import of ${reexport.number} confirmed`, as(3).confirmImport(typedData.certificateFacts(reexport), salted("confirmation-in")));

  const logs = Array.from({ length: 8 }, (_, i) => [salted(`sorting-log-${i}`)]);
  const tree = StandardMerkleTree.of(logs, ["bytes32"]);
  await send("Debswana", `batch anchor of 8 sorting logs, root ${tree.root.slice(0, 12)}…`, as(member.debswana).anchorBatch(tree.root, logs.length));
  const proven = await as(0).isAnchored(code("BW"), tree.root, logs[3][0], tree.getProof(3));
  record("importer check", null, `sorting log 3 is in the anchored batch: ${proven}`);
  const lineage = await as(0).isProducedBy(mixed[0], [...shipment].reverse());
  record("importer check", null, `parcel ${mixed[0].slice(0, 10)}… was produced by the 5 certified parcels: ${lineage}`);

  // Two more attacks the contract refuses.
  await refused("reuse of a consumed parcel", () => as(member.debswana).transform.staticCall(salted("T-reuse"), [sortInputs[0]], [salted("x")]));
  const forged = { ...cert, number: "BW2026-999999", parcels: [mine[4]] };
  const forgedSig = await typedData.signIssue(wallet(member.okavango), domain, forged, deadline);
  await refused("certificate signed by a non-authority", () =>
    as(9).issueCertificateWithSignature.staticCall(typedData.certificateFacts(forged), wallet(member.okavango).address, deadline, forgedSig),
  );
  return deployment;
}

async function main() {
  console.log("Starting a local Hardhat node on a free loopback port…");
  const node = await startNode({ port: 0 });
  console.log(`node ${node.url} (pid ${node.pid})`);
  let failed = false;
  try {
    const deployment = await run(node.url);
    console.log("\nWhat was anchored:");
    console.table(rows);
    console.log(`Deployment record: chain ${deployment.chainId}, registry ${deployment.address}, block ${deployment.blockNumber}`);
  } catch (e) {
    failed = true;
    console.error(`demo failed: ${e.shortMessage || e.stack}`);
  } finally {
    await stopNode({ port: node.port });
    console.log(`stopped the node (pid ${node.pid})`);
  }
  process.exit(failed ? 1 : 0);
}

main();
