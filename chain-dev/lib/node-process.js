// Start and stop a local node on 127.0.0.1, by process id: Hardhat (from node_modules), or with like "besu" Anvil
// (@foundry-rs/anvil from node_modules) timed and priced like the KP's Besu QBFT network (chain-dev/besu/).
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const RUN_DIR = process.env.KP_RUN_DIR || path.join(ROOT, "chain-dev", "run");
// kp (installed as a .NET tool, outside a checkout) names the folder whose node_modules holds Hardhat and a
// minimal node configuration, so the node starts wherever Hardhat is installed
const HARDHAT_DIR = process.env.KP_HARDHAT_DIR || ROOT;
const HARDHAT_CLI = path.join(HARDHAT_DIR, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const HARDHAT_CONFIG = process.env.KP_HARDHAT_CONFIG;
const HOST = "127.0.0.1";
// the Anvil binary of @foundry-rs/anvil (kp names the one it found with KP_ANVIL)
const ANVIL =
  process.env.KP_ANVIL ||
  path.join(ROOT, "node_modules", "@foundry-rs", `anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
// the genesis of the KP's Besu QBFT network, whose chain id, gas limit and block period a Besu-like node copies
const BESU_GENESIS = path.join(ROOT, "chain-dev", "besu", "qbftConfigFile.json");
// where a Besu-like node keeps its chain between kp chain down and up (one such node at a time)
const besuStateFile = () => path.join(RUN_DIR, "besu-like-state.json");

const pidFile = (port) => path.join(RUN_DIR, `node-${port}.json`);

/** A port on 127.0.0.1 that nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:port. */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** One JSON-RPC call; rejects on a transport error or an RPC error. */
async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `url` answers eth_chainId; rejects after `timeoutMs` or if `child` exits first. */
async function waitForRpc(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.once("exit", (code, signal) => (exited = { code, signal }));
  for (;;) {
    if (exited) throw new Error(`the node exited before answering (code ${exited.code}, signal ${exited.signal})`);
    try {
      return await rpc(url, "eth_chainId");
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The chain id, gas limit and block period (seconds) of chain-dev/besu/qbftConfigFile.json. */
function besuGenesis(file = BESU_GENESIS) {
  const { genesis } = JSON.parse(fs.readFileSync(file, "utf8"));
  return { chainId: genesis.config.chainId, gasLimit: BigInt(genesis.gasLimit), blockPeriodSeconds: genesis.config.qbft.blockperiodseconds };
}

/**
 * Anvil's arguments for a Besu-like node: interval mining at the QBFT block period (several transactions a block,
 * receipts seconds later), base fee and gas price zero, the genesis chain id and gas limit, the Cancun rules; the
 * chain is kept in `state` (loaded at start, written at a clean stop), so it survives a stop and a start.
 */
function besuLikeArgs(port, genesis, state) {
  return [
    "--host", HOST, "--port", String(port), "--accounts", "20",
    "--chain-id", String(genesis.chainId), "--gas-limit", genesis.gasLimit.toString(), "--block-time", String(genesis.blockPeriodSeconds),
    "--hardfork", "cancun", "--base-fee", "0", "--gas-price", "0",
    "--state", state,
  ];
}

/**
 * Whether process `pid` is still the node recorded for `port`: alive and, where /proc tells its command line (Linux), one
 * naming that port (hardhat node --port N, anvil --port N). A node that died leaves its record; its pid may since name
 * another program of the user's, which kp chain down must not signal.
 */
function isRecordedNode(pid, port) {
  if (!isAlive(pid)) return false;
  let cmdline;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true; // no /proc (macOS, Windows): the process id is all there is to go by
  }
  return cmdline.split("\0").includes(String(port));
}

/** The records of running nodes in RUN_DIR. */
function runningRecords() {
  if (!fs.existsSync(RUN_DIR)) return [];
  return fs
    .readdirSync(RUN_DIR)
    .filter((f) => /^node-\d+\.json$/.test(f))
    .map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(RUN_DIR, f), "utf8"));
      } catch {
        return null;
      }
    })
    .filter((r) => r && isRecordedNode(r.pid, r.port));
}

/**
 * Starts a node on 127.0.0.1:port (a free port when port is 0), detached, as one process whose id is recorded in
 * RUN_DIR/node-<port>.json: `hardhat node`, or with like "besu" the Besu-like Anvil (its chain kept in
 * RUN_DIR/besu-like-state.json; one at a time, since they would share it). Refuses a port that is taken.
 * Resolves once the node answers eth_chainId.
 */
async function startNode({ port = 8545, timeoutMs = 30_000, log = true, like = null } = {}) {
  if (like !== null && like !== "besu") throw new Error(`--like: '${like}' is not one of besu`);
  if (!port) port = await freePort();
  if (await portInUse(port)) {
    throw new Error(`port ${port} on ${HOST} is already in use: stop what runs there or choose another --port`);
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  let command, args, cwd, state;
  if (like === "besu") {
    const other = runningRecords().find((r) => r.like === "besu");
    if (other) throw new Error(`a Besu-like node already runs on port ${other.port} (one at a time: it keeps its chain in ${besuStateFile()}); stop it with kp chain down --port ${other.port}`);
    if (!fs.existsSync(ANVIL)) throw new Error(`no Anvil at ${ANVIL}: install @foundry-rs/anvil@1.7.1 (npm install @foundry-rs/anvil@1.7.1)`);
    state = besuStateFile();
    [command, args, cwd] = [ANVIL, besuLikeArgs(port, besuGenesis(), state), RUN_DIR];
  } else {
    const config = HARDHAT_CONFIG ? ["--config", HARDHAT_CONFIG] : [];
    [command, args, cwd] = [process.execPath, [HARDHAT_CLI, ...config, "node", "--hostname", HOST, "--port", String(port)], HARDHAT_DIR];
  }
  const logPath = path.join(RUN_DIR, `node-${port}.log`);
  const out = log ? fs.openSync(logPath, "w") : "ignore";
  // Hardhat's EVM (EDR) allocates with mimalloc, which returns freed pages to the system 10 ms after they are freed and then
  // faults them back in block after block: kept a second, the node takes about 15 % less CPU for the same work
  // (src/Traceability.Lab/DevChain/HardhatTuning.cs, measured with kp bench anchor). A value the caller set is kept.
  const env = like === "besu" ? process.env : { MIMALLOC_PURGE_DELAY: "1000", ...process.env };
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", out, out] });
  if (typeof out === "number") fs.closeSync(out);
  const url = `http://${HOST}:${port}`;
  try {
    const chainId = await waitForRpc(url, timeoutMs, child);
    const record = { pid: child.pid, port, url, chainId: Number(chainId), log: log ? logPath : null, startedAt: new Date().toISOString() };
    if (like) Object.assign(record, { like, state });
    fs.writeFileSync(pidFile(port), JSON.stringify(record, null, 2) + "\n");
    child.unref();
    return record;
  } catch (e) {
    killTree(child.pid, "SIGKILL");
    throw e;
  }
}

function killTree(pid, signal) {
  try {
    process.kill(-pid, signal); // the node runs in its own process group
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops the node started on `port` by its recorded process id (SIGTERM: a Besu-like node writes its state then;
 * SIGKILL after `timeoutMs`); true if one was running.
 */
async function stopNode({ port = 8545, timeoutMs = 10_000 } = {}) {
  const file = pidFile(port);
  if (!fs.existsSync(file)) return false;
  const { pid } = JSON.parse(fs.readFileSync(file, "utf8"));
  const wasAlive = isRecordedNode(pid, port);
  if (wasAlive) {
    killTree(pid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) killTree(pid, "SIGKILL");
  }
  fs.rmSync(file, { force: true });
  return wasAlive;
}

module.exports = { ROOT, RUN_DIR, HOST, freePort, portInUse, rpc, waitForRpc, startNode, stopNode, pidFile, isAlive, besuGenesis, besuLikeArgs, besuStateFile };
