#!/usr/bin/env bash
# The main job: start a local Hardhat node on a free loopback port, deploy the registry, anchor
# and check sample records, show refused attacks, and stop the node. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true
scripts/setup.sh >/dev/null
node chain-dev/demo.js
