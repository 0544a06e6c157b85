// Tests of chain-dev/besu/capacity.js: the arithmetic of the capacity table, and that
// chain-dev/besu/CAPACITY.md shows what the committed gas snapshot gives.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const capacity = require("../../chain-dev/besu/capacity");

const fixture = { registerParcel: 51_152, "registerParcels x100": 2_534_201 };

test("a batch of parcels is one parcel alone plus the marginal parcel measured between x1 and x100", () => {
  const p = capacity.parcelBatchGas(fixture, 500);
  assert.equal(p.single, 51_152);
  assert.equal(p.marginal, (2_534_201 - 51_152) / 99);
  assert.equal(p.batch, 51_152 + 499 * p.marginal);
  assert.equal(capacity.parcelBatchGas(fixture, 100).batch, 2_534_201);
  assert.throws(() => capacity.parcelBatchGas({}, 500), /registerParcel/);
});

test("2 s blocks of 60 M gas hold 4 batches of 500 and give the replay's projection of the year", () => {
  const batch = capacity.parcelBatchGas(fixture, 500).batch;
  const r = capacity.row(2, 60e6, batch, 312_386);
  assert.equal(r.batchesPerBlock, 4); // a fifth batch would need 62.8 M gas
  assert.equal(r.recordsPerSecond, 1000);
  assert.ok(r.recordsPerSecondByGas > 1190 && r.recordsPerSecondByGas < 1200);
  assert.equal(Math.round(r.yearBlocks), 695); // README: "the year fills 695 blocks"
  assert.equal(Math.round(r.yearMinutes), 23);
  assert.equal((r.yearShare * 100).toFixed(4), "0.0044");
  // the same gas per second at 1 s and 30 M gives the same share of the year
  assert.equal(capacity.row(1, 30e6, batch, 312_386).yearShare, r.yearShare);
});

test("a validator count sets quorum, fault tolerance and the block rate left with validators down", () => {
  assert.deepEqual([4, 7].map((n) => [capacity.validatorRow(n, 1).quorum, capacity.validatorRow(n, 1).tolerated]), [[3, 1], [5, 2]]);
  assert.equal(capacity.validatorRow(4, 1).rateLeft, 1 / 1.5); // one height in four waits a round timeout of 2T
  assert.equal(capacity.validatorRow(7, 2).rateLeft, 1 / (1 + 4 / 7));
});

test("CAPACITY.md holds the tables the committed snapshot gives (node chain-dev/besu/capacity.js --write)", () => {
  const snapshot = JSON.parse(fs.readFileSync(capacity.SNAPSHOT, "utf8"));
  const parts = capacity.documentTables(fs.readFileSync(capacity.DOC, "utf8"));
  assert.equal(parts.inside, `\n${capacity.tables(capacity.compute(snapshot))}\n`);
});
