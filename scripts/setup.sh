#!/usr/bin/env bash
# Installs what the build needs on a fresh clone: the npm packages of package-lock.json (npm ci,
# skipped when node_modules already matches the lock file), Debian's Chromium for the portal's
# browser tests (apt-get when running as root, otherwise one line saying what to install) and the
# NuGet packages (dotnet restore).
set -euo pipefail
cd "$(dirname "$0")/.."

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.kp-lock-hash 2>/dev/null || true)" != "$lock_hash" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.kp-lock-hash
fi
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "== apt-get install chromium (the portal's browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium fonts-dejavu-core poppler-utils >/dev/null
  else
    echo "setup: the portal's browser tests need Chromium: run 'sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils'" >&2
    exit 1
  fi
fi
echo "== dotnet restore"
dotnet restore Traceability.sln --verbosity quiet
