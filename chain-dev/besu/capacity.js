#!/usr/bin/env node
// Capacity of a QBFT network for the KP registry, computed from the committed gas snapshot
// (snapshots/gas.json) and the year replay's projection (README, "A whole year"). Prints the
// tables of chain-dev/besu/CAPACITY.md; --write puts them into that file between its markers,
// --check exits 1 when the file's tables differ from what the snapshot gives.
//   node chain-dev/besu/capacity.js [--write | --check]
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const SNAPSHOT = path.join(ROOT, "snapshots", "gas.json");
const DOC = path.join(__dirname, "CAPACITY.md");
const BEGIN = "<!-- capacity.js: begin -->";
const END = "<!-- capacity.js: end -->";

/** The anchoring service's batch of origin parcels (AnchoringOptions.MaxBatchSize, default 500). */
const BATCH = 500;
/** Seconds in a year of 365 days. */
const YEAR_SECONDS = 365 * 24 * 3600;
/**
 * The year replay's projection at --scale 1 (README, "A whole year": 728,610 records, ~4,000
 * transactions, 41.7 G gas) and its measured gas for an export certificate relayed by signature
 * in a multicall (~19 parcels) and for its import confirmation.
 */
const REPLAY = { yearGas: 41.7e9, exportCertificate: 161_329, importConfirmation: 151_057 };
/** Osaka's per-transaction gas cap (EIP-7825); the batches stay under it on any chain. */
const TX_GAS_CAP = 16_777_216;

const BLOCK_TIMES = [1, 2, 5];
const GAS_LIMITS = [30e6, 60e6, 100e6];
const VALIDATORS = [4, 7];

/**
 * Gas of one registerParcels call of `n` parcels, from the snapshot: one parcel alone
 * (registerParcel, with the transaction's 21,000 base) plus (n - 1) times the marginal parcel,
 * measured as (x100 - x1) / 99.
 */
function parcelBatchGas(snapshot, n) {
  const single = snapshot["registerParcel"];
  const hundred = snapshot["registerParcels x100"];
  if (!Number.isInteger(single) || !Number.isInteger(hundred)) throw new Error("snapshot lacks registerParcel or registerParcels x100");
  const marginal = (hundred - single) / 99;
  return { single, marginal, batch: single + (n - 1) * marginal };
}

/** One row of the capacity table: a block time (s) and a gas limit, for a given parcel batch gas. */
function row(blockTime, gasLimit, batchGas, certificateGas) {
  const gasPerSecond = gasLimit / blockTime;
  const batchesPerBlock = Math.floor(gasLimit / batchGas);
  const blocksPerYear = YEAR_SECONDS / blockTime;
  const yearBlocks = REPLAY.yearGas / gasLimit;
  return {
    blockTime,
    gasLimit,
    gasPerSecond,
    batchesPerBlock,
    recordsPerBlock: batchesPerBlock * BATCH,
    recordsPerSecond: (batchesPerBlock * BATCH) / blockTime,
    recordsPerSecondByGas: gasPerSecond / (batchGas / BATCH),
    certificatesPerSecond: gasPerSecond / certificateGas,
    yearBlocks,
    yearMinutes: (yearBlocks * blockTime) / 60,
    yearShare: REPLAY.yearGas / (gasLimit * blocksPerYear),
  };
}

/**
 * QBFT with n validators: quorum ceil(2n/3), faults tolerated floor((n-1)/3), and an estimate of the
 * block rate left while `down` validators are down: one height in n has a dead proposer and waits a
 * round timeout (requesttimeoutseconds, taken as twice the block period, as Besu's tuning advice
 * starts from) before the next round's proposer seals, so the mean interval is T + down * 2T / n.
 */
function validatorRow(n, down) {
  const tolerated = Math.floor((n - 1) / 3);
  return { n, quorum: Math.ceil((2 * n) / 3), tolerated, down, rateLeft: 1 / (1 + (2 * down) / n) };
}

function compute(snapshot) {
  const parcels = parcelBatchGas(snapshot, BATCH);
  if (parcels.batch > TX_GAS_CAP) throw new Error(`a batch of ${BATCH} parcels (${parcels.batch} gas) exceeds the per-transaction cap`);
  const certificateGas = REPLAY.exportCertificate + REPLAY.importConfirmation;
  const rows = [];
  for (const t of BLOCK_TIMES) for (const g of GAS_LIMITS) rows.push(row(t, g, parcels.batch, certificateGas));
  const validators = [];
  for (const n of VALIDATORS) for (let d = 1; d <= Math.floor((n - 1) / 3); d++) validators.push(validatorRow(n, d));
  return { parcels, certificateGas, rows, validators };
}

const int = (x) => Math.round(x).toLocaleString("en-US");
const millions = (x) => `${int(x / 1e6)} M`;
const percent = (x) => `${(x * 100).toPrecision(2)} %`;

function tables(result) {
  const { parcels, certificateGas, rows, validators } = result;
  const lines = [];
  lines.push(`Inputs: a batch of ${BATCH} origin parcels costs ${int(parcels.batch)} gas (${int(parcels.single)} for one parcel alone + ${BATCH - 1} x ${int(parcels.marginal)}), ` +
    `${int(parcels.batch / BATCH)} gas a parcel; a certificate's life is ${int(certificateGas)} gas ` +
    `(export relayed by signature ${int(REPLAY.exportCertificate)} + import confirmation ${int(REPLAY.importConfirmation)}); the KP year is ${REPLAY.yearGas / 1e9} G gas.`);
  lines.push("");
  lines.push("| block time | gas limit | gas/s | batches of 500 a block | parcel records/s (whole batches) | parcel records/s (gas alone) | certificates/s (issue + confirmation) | KP year: full blocks | KP year: minutes of full blocks | KP year: share of a year's gas |");
  lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    lines.push(`| ${r.blockTime} s | ${millions(r.gasLimit)} | ${millions(r.gasPerSecond)} | ${r.batchesPerBlock} | ${int(r.recordsPerSecond)} | ${int(r.recordsPerSecondByGas)} | ${int(r.certificatesPerSecond)} | ${int(r.yearBlocks)} | ${int(r.yearMinutes)} | ${percent(r.yearShare)} |`);
  }
  lines.push("");
  lines.push("| validators | quorum (signatures a block) | faults tolerated | validators down | block rate left (estimate) |");
  lines.push("|---:|---:|---:|---:|---:|");
  for (const v of validators) lines.push(`| ${v.n} | ${v.quorum} | ${v.tolerated} | ${v.down} | ${Math.round(v.rateLeft * 100)} % |`);
  return lines.join("\n");
}

function documentTables(text) {
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${DOC}: markers ${BEGIN} ... ${END} not found`);
  return { before: text.slice(0, a + BEGIN.length), inside: text.slice(a + BEGIN.length, b), after: text.slice(b) };
}

function main() {
  const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8"));
  const out = tables(compute(snapshot));
  if (process.argv.includes("--write") || process.argv.includes("--check")) {
    const parts = documentTables(fs.readFileSync(DOC, "utf8"));
    const wanted = `\n${out}\n`;
    if (process.argv.includes("--check")) {
      if (parts.inside !== wanted) {
        console.error("chain-dev/besu/CAPACITY.md: its tables differ from snapshots/gas.json: run node chain-dev/besu/capacity.js --write");
        process.exit(1);
      }
      return;
    }
    fs.writeFileSync(DOC, parts.before + wanted + parts.after);
    return;
  }
  console.log(out);
}

if (require.main === module) main();

module.exports = { parcelBatchGas, row, validatorRow, compute, tables, documentTables, BATCH, REPLAY, YEAR_SECONDS, DOC, SNAPSHOT };
