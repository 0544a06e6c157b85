#!/usr/bin/env bash
# Runs every test: contract lint, contract tests, dev-chain script tests, contract coverage
# (thresholds enforced), the gas snapshot check, and the .NET build and tests. Exits non-zero on
# the first failure. Needs only Node/npm and the .NET SDK; installs the rest itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true

scripts/setup.sh
echo "== compile contracts (offline solc-js)"
npx hardhat compile --quiet
echo "== solhint (no warnings allowed)"
npm run --silent lint:sol
echo "== contract tests"
npx hardhat test
echo "== dev-chain script tests"
node --test --test-concurrency=1 tests/chain-dev/
echo "== contract coverage"
node scripts/coverage.js
echo "== gas snapshot check"
KP_GAS_CHECK=1 npx hardhat run scripts/gas-snapshot.js
echo "== .NET format check (.editorconfig: whitespace, usings, style)"
dotnet format Traceability.sln --verify-no-changes --no-restore --verbosity quiet
echo "== .NET build (warnings are errors) and tests"
dotnet build Traceability.sln -c Release --no-restore --verbosity quiet
dotnet test Traceability.sln -c Release --no-build --verbosity minimal --blame-hang-timeout 8m --blame-hang-dump-type none
echo "== all tests passed"
