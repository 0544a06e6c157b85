#!/usr/bin/env node
// Starts a local node on 127.0.0.1.   node chain-dev/start.js [--port 8545] [--like besu] [--json]   (--port 0: any free port)
// Default: Hardhat (automine). --like besu: Anvil timed and priced like the KP's Besu QBFT network (chain-dev/besu/).
const { startNode } = require("./lib/node-process");
const { option, onlyOptions } = require("./lib/args");

onlyOptions("node chain-dev/start.js [--port 8545] [--like besu] [--json]   (--port 0: any free port)", ["--port", "--like"], ["--json"]);
const like = option("--like", null);
startNode({ port: Number(option("--port", "8545")), like })
  .then((n) =>
    console.log(
      process.argv.includes("--json")
        ? JSON.stringify(n)
        : `${like ? "Besu-like Anvil" : "Hardhat"} node ready at ${n.url} (chain id ${n.chainId}, pid ${n.pid}); log: ${n.log}`,
    ),
  )
  .catch((e) => {
    console.error(`chain start failed: ${e.message}`);
    process.exit(1);
  });
