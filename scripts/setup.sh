#!/usr/bin/env bash
# Installs what the build needs on a fresh clone: the npm packages of package-lock.json (npm ci,
# skipped when node_modules already matches the lock file) and the NuGet packages (dotnet restore).
set -euo pipefail
cd "$(dirname "$0")/.."

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.kp-lock-hash 2>/dev/null || true)" != "$lock_hash" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.kp-lock-hash
fi
echo "== dotnet restore"
dotnet restore Traceability.sln --verbosity quiet
