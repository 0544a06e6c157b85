// Start and stop a local Hardhat node (from node_modules) on 127.0.0.1, by process id.
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

/**
 * Starts `hardhat node` on 127.0.0.1:port (a free port when port is 0), detached, as one process
 * whose id is recorded in chain-dev/run/node-<port>.json. Refuses a port that is taken.
 * Resolves once the node answers eth_chainId.
 */
async function startNode({ port = 8545, timeoutMs = 30_000, log = true } = {}) {
  if (!port) port = await freePort();
  if (await portInUse(port)) {
    throw new Error(`port ${port} on ${HOST} is already in use: stop what runs there or choose another --port`);
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const logPath = path.join(RUN_DIR, `node-${port}.log`);
  const out = log ? fs.openSync(logPath, "w") : "ignore";
  const config = HARDHAT_CONFIG ? ["--config", HARDHAT_CONFIG] : [];
  const child = spawn(process.execPath, [HARDHAT_CLI, ...config, "node", "--hostname", HOST, "--port", String(port)], {
    cwd: HARDHAT_DIR,
    detached: true,
    stdio: ["ignore", out, out],
  });
  if (typeof out === "number") fs.closeSync(out);
  const url = `http://${HOST}:${port}`;
  try {
    const chainId = await waitForRpc(url, timeoutMs, child);
    const record = { pid: child.pid, port, url, chainId: Number(chainId), log: log ? logPath : null, startedAt: new Date().toISOString() };
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

/** Stops the node started on `port` by its recorded process id; true if one was running. */
async function stopNode({ port = 8545, timeoutMs = 5_000 } = {}) {
  const file = pidFile(port);
  if (!fs.existsSync(file)) return false;
  const { pid } = JSON.parse(fs.readFileSync(file, "utf8"));
  const wasAlive = isAlive(pid);
  if (wasAlive) {
    killTree(pid, "SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) killTree(pid, "SIGKILL");
  }
  fs.rmSync(file, { force: true });
  return wasAlive;
}

module.exports = { ROOT, RUN_DIR, HOST, freePort, portInUse, rpc, waitForRpc, startNode, stopNode, pidFile, isAlive };
