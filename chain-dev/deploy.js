#!/usr/bin/env node
// Deploys the registry and writes the deployment record (default chain-dev/run/deployment.json).
//   node chain-dev/deploy.js [--rpc http://127.0.0.1:8545] [--account 0] [--governor 0x..] [--out FILE]
// Keys: KP_MNEMONIC, or Hardhat's public dev mnemonic on a dev chain (chain id 31337).
const { deployRegistry, DEFAULT_RECORD } = require("./lib/deploy");
const { option } = require("./lib/args");

deployRegistry({
  rpcUrl: option("--rpc", process.env.KP_RPC_URL || "http://127.0.0.1:8545"),
  account: Number(option("--account", "0")),
  governor: option("--governor", undefined),
  out: option("--out", DEFAULT_RECORD),
})
  .then(({ record }) => {
    console.log(JSON.stringify(record, null, 2));
    process.exit(0);
  })
  .catch((e) => {
    console.error(`deploy failed: ${e.shortMessage || e.message}`);
    process.exit(1);
  });
