#!/usr/bin/env node
// Starts a local Hardhat node on 127.0.0.1.   node chain-dev/start.js [--port 8545] [--json]   (--port 0: any free port)
const { startNode } = require("./lib/node-process");
const { option, onlyOptions } = require("./lib/args");

onlyOptions("node chain-dev/start.js [--port 8545] [--json]   (--port 0: any free port)", ["--port"], ["--json"]);
startNode({ port: Number(option("--port", "8545")) })
  .then((n) =>
    console.log(process.argv.includes("--json") ? JSON.stringify(n) : `Hardhat node ready at ${n.url} (chain id ${n.chainId}, pid ${n.pid}); log: ${n.log}`),
  )
  .catch((e) => {
    console.error(`chain start failed: ${e.message}`);
    process.exit(1);
  });
