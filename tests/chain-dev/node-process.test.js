// Tests of the dev-chain scripts: start on a loopback port, refuse a taken port, stop by
// process id, deploy and write the record, and the demo leaving no process behind.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

process.env.KP_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "kp-chain-dev-"));
const { startNode, stopNode, isAlive, rpc, pidFile, besuGenesis, besuStateFile } = require("../../chain-dev/lib/node-process");
const { deployRegistry } = require("../../chain-dev/lib/deploy");

test("starts a node on a free loopback port, refuses the same port again, and stops it by pid", async () => {
  const node = await startNode({ port: 0 });
  try {
    assert.equal(node.chainId, 31337);
    assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(isAlive(node.pid));
    assert.ok(fs.existsSync(pidFile(node.port)));
    await assert.rejects(startNode({ port: node.port }), /already in use/);
    if (process.platform === "linux") {
      // the allocator keeps freed pages a second (about 15 % of the node's CPU otherwise), unless the caller named a value
      const environ = fs.readFileSync(`/proc/${node.pid}/environ`, "utf8").split("\0");
      assert.ok(environ.includes(`MIMALLOC_PURGE_DELAY=${process.env.MIMALLOC_PURGE_DELAY ?? "1000"}`), "the Hardhat node runs without MIMALLOC_PURGE_DELAY=1000");
    }
  } finally {
    assert.equal(await stopNode({ port: node.port }), true);
  }
  assert.equal(isAlive(node.pid), false);
  assert.equal(fs.existsSync(pidFile(node.port)), false);
  assert.equal(await stopNode({ port: node.port }), false);
});

test("starts a Besu-like node: the genesis chain id and gas limit, zero fees, blocks every 2 s, its chain kept across a stop and a start", async () => {
  const genesis = besuGenesis();
  assert.deepEqual(genesis, { chainId: 57831, gasLimit: 60_000_000n, blockPeriodSeconds: 2 });
  const node = await startNode({ port: 0, like: "besu" });
  let hash;
  try {
    assert.equal(node.chainId, 57831);
    assert.equal(node.like, "besu");
    assert.equal(node.state, besuStateFile());
    await assert.rejects(startNode({ port: 0, like: "besu" }), /a Besu-like node already runs on port \d+/); // they would share the state file
    const latest = await rpc(node.url, "eth_getBlockByNumber", ["latest", false]);
    assert.equal(BigInt(latest.gasLimit), 60_000_000n);
    assert.equal(BigInt(latest.baseFeePerGas), 0n);
    assert.ok("blobGasUsed" in latest, "Cancun block header");
    hash = await rpc(node.url, "eth_sendTransaction", [{ from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: "0x1", gasPrice: "0x0" }]); // free gas: a zero price is accepted
    assert.equal(await rpc(node.url, "eth_getTransactionReceipt", [hash]), null); // not mined at once: a block every 2 s
    let receipt = null;
    for (let i = 0; i < 100 && !receipt; i++) {
      await new Promise((r) => setTimeout(r, 100));
      receipt = await rpc(node.url, "eth_getTransactionReceipt", [hash]);
    }
    assert.equal(receipt.status, "0x1");
  } finally {
    assert.equal(await stopNode({ port: node.port }), true);
  }
  assert.ok(fs.existsSync(besuStateFile()), "the state is written at a clean stop");
  const again = await startNode({ port: 0, like: "besu" });
  try {
    assert.equal((await rpc(again.url, "eth_getTransactionReceipt", [hash])).status, "0x1");
  } finally {
    await stopNode({ port: again.port });
    fs.rmSync(besuStateFile(), { force: true });
  }
});

test("refuses a --like it does not know", async () => {
  await assert.rejects(startNode({ port: 0, like: "geth" }), /'geth' is not one of besu/);
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

test("stopping a stale record whose process id now names another program leaves that program alone", { skip: process.platform !== "linux" }, async () => {
  const { spawn } = require("node:child_process");
  const other = spawn("sleep", ["60"], { detached: true, stdio: "ignore" }); // stands for a program that got a dead node's pid
  try {
    const port = 18_599;
    fs.writeFileSync(pidFile(port), JSON.stringify({ pid: other.pid, port, url: `http://127.0.0.1:${port}`, chainId: 31337 }) + "\n");
    assert.equal(await stopNode({ port, timeoutMs: 500 }), false);
    assert.ok(isAlive(other.pid), "kp chain down killed a program that was not its node");
    assert.equal(fs.existsSync(pidFile(port)), false); // the stale record is dropped
  } finally {
    try {
      process.kill(other.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
});
