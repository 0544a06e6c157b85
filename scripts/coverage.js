#!/usr/bin/env node
// Runs solidity-coverage over the contract tests and checks the thresholds the project keeps:
// at least 95% of lines and 90% of branches of contracts/ (mocks excluded). Prints the figures.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const MIN_LINES = 95;
const MIN_BRANCHES = 90;
const root = path.resolve(__dirname, "..");

execFileSync(process.execPath, [path.join(root, "node_modules/hardhat/internal/cli/bootstrap.js"), "coverage"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
const summary = JSON.parse(fs.readFileSync(path.join(root, "coverage/coverage-summary.json"), "utf8"));

const rows = Object.entries(summary).map(([file, s]) => [
  file === "total" ? "total" : path.relative(root, file),
  s.lines.pct,
  s.branches.pct,
  s.functions.pct,
  s.statements.pct,
]);
const header = ["file", "lines %", "branches %", "functions %", "statements %"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));

const { lines, branches } = summary.total;
const failures = [];
if (lines.pct < MIN_LINES) failures.push(`lines ${lines.pct}% < ${MIN_LINES}%`);
if (branches.pct < MIN_BRANCHES) failures.push(`branches ${branches.pct}% < ${MIN_BRANCHES}%`);
if (failures.length) {
  console.error(`coverage below threshold: ${failures.join(", ")}`);
  process.exit(1);
}
console.log(`coverage ok: lines ${lines.pct}% (>= ${MIN_LINES}%), branches ${branches.pct}% (>= ${MIN_BRANCHES}%)`);
