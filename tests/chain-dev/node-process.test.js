// Tests of the dev-chain scripts: start on a loopback port, refuse a taken port, stop by
// process id, deploy and write the record, and the demo leaving no process behind.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

process.env.KP_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "kp-chain-dev-"));
const { startNode, stopNode, isAlive, rpc, pidFile } = require("../../chain-dev/lib/node-process");
const { deployRegistry } = require("../../chain-dev/lib/deploy");

test("starts a node on a free loopback port, refuses the same port again, and stops it by pid", async () => {
  const node = await startNode({ port: 0 });
  try {
    assert.equal(node.chainId, 31337);
    assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(isAlive(node.pid));
    assert.ok(fs.existsSync(pidFile(node.port)));
    await assert.rejects(startNode({ port: node.port }), /already in use/);
  } finally {
    assert.equal(await stopNode({ port: node.port }), true);
  }
  assert.equal(isAlive(node.pid), false);
  assert.equal(fs.existsSync(pidFile(node.port)), false);
  assert.equal(await stopNode({ port: node.port }), false);
});

test("deploys the registry and writes a record that matches the chain", async () => {
  const node = await startNode({ port: 0 });
  try {
    const out = path.join(process.env.KP_RUN_DIR, "deployment.json");
    const { record } = await deployRegistry({ rpcUrl: node.url, out });
    const written = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.deepEqual(written, record);
    assert.equal(record.chainId, 31337);
    assert.equal(record.governor, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const code = await rpc(node.url, "eth_getCode", [record.address, "latest"]);
    const { ethers } = require("ethers");
    assert.equal(ethers.keccak256(code), record.runtimeCodeHash);
    const receipt = await rpc(node.url, "eth_getTransactionReceipt", [record.transactionHash]);
    assert.equal(Number(receipt.blockNumber), record.blockNumber);
    assert.equal(receipt.blockHash, record.blockHash);
  } finally {
    await stopNode({ port: node.port });
  }
});

test("refuses to deploy on a non-dev chain without KP_MNEMONIC", () => {
  const { walletFor } = require("../../chain-dev/lib/deploy");
  const saved = process.env.KP_MNEMONIC;
  delete process.env.KP_MNEMONIC;
  try {
    assert.throws(() => walletFor(null, 1n), /not a dev chain: set KP_MNEMONIC/);
  } finally {
    if (saved !== undefined) process.env.KP_MNEMONIC = saved;
  }
});

test("the demo completes, every attack refused, and leaves no node running", () => {
  const output = execFileSync(process.execPath, [path.join(__dirname, "../../chain-dev/demo.js")], {
    encoding: "utf8",
    env: { ...process.env },
  });
  assert.match(output, /attack refused: reuse of a consumed parcel: ParcelNotActive/);
  assert.match(output, /attack refused: certificate signed by a non-authority: NotAnAuthority/);
  assert.match(output, /attack refused: void of BW's certificate by the AE authority: NotAnAuthority\(0x[0-9a-fA-F]{40}, 0x4257\)/);
  assert.match(output, /was produced by the 5 certified parcels: true/);
  const pid = Number(/\(pid (\d+)\)/.exec(output)[1]);
  assert.equal(isAlive(pid), false);
  const left = fs.readdirSync(process.env.KP_RUN_DIR).filter((f) => /^node-\d+\.json$/.test(f));
  assert.deepEqual(left, []);
});
