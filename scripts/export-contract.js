#!/usr/bin/env node
// Writes the registry's ABI and creation bytecode, from the Hardhat artifact, to the file the
// .NET client embeds (src/Traceability.Chain/Registry/KimberleyRegistry.json). The .NET tests
// fail if that file and a fresh compile differ, so the Solidity source stays the one source
// of truth for the ABI.   node scripts/export-contract.js [--check]
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const artifact = JSON.parse(
  fs.readFileSync(path.join(root, "artifacts/contracts/KimberleyRegistry.sol/KimberleyRegistry.json"), "utf8"),
);
const target = path.join(root, "src/Traceability.Chain/Registry/KimberleyRegistry.json");
const text =
  JSON.stringify(
    { contractName: artifact.contractName, solc: require("solc/package.json").version, abi: artifact.abi, bytecode: artifact.bytecode },
    null,
    1,
  ) + "\n";

if (process.argv.includes("--check")) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (current !== text) {
    console.error(`${path.relative(root, target)} differs from the compiled contract: run "node scripts/export-contract.js"`);
    process.exit(1);
  }
  console.log("contract export matches the compiled contract");
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)}`);
}
