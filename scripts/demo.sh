#!/usr/bin/env bash
# The main job: kp demo. Starts a Hardhat node on a free loopback port, deploys the registry from
# .NET, runs the anchoring service in-process, plays the trade from mine to importer and the
# attacks it must stop, prints a summary, leaves the documents in chain-dev/run/demo, and stops
# the node. Installs what it needs (npm ci, dotnet restore) first.
set -euo pipefail
cd "$(dirname "$0")/.."
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/setup.sh >/dev/null
dotnet build src/Traceability.Cli -c Release --no-restore --verbosity quiet -nologo > /dev/null
dotnet src/Traceability.Cli/bin/Release/net10.0/kp.dll demo "$@"
