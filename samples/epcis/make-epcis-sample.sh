#!/usr/bin/env bash
# Regenerates trade.jsonld: plays the demo on a fresh local chain (kp demo), then exports the trade's documents
# (every document of the demo but its attack-*.json) to one EPCIS 2.0 document. Fresh salts, so fresh hashes.
set -euo pipefail
cd "$(dirname "$0")"
kp() { dotnet run --project ../../src/Traceability.Cli -v q -- "$@"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
kp demo --out "$out" > /dev/null
documents=()
for f in "$out"/documents/*.json; do
  case "$(basename "$f")" in attack-*) ;; *) documents+=("$f") ;; esac
done
kp epcis export "${documents[@]}" --out trade.jsonld
kp epcis hash trade.jsonld > trade.hashes
echo "regenerated trade.jsonld ($(wc -l < trade.hashes) events)"
