#!/usr/bin/env bash
# Regenerates the sample documents with kp new (fresh salts, so fresh hashes).
set -euo pipefail
cd "$(dirname "$0")"
kp() { dotnet run --project ../src/Traceability.Cli -v q -- "$@"; }
kp new parcel --participant BW --mine Jwaneng --carats 1000 --value-usd 117000 --id DEB-JW-2026-0001 --date 2026-11-02 --out parcel-bw-1.json
kp new parcel --participant BW --mine Jwaneng --carats 1000 --value-usd 117000 --id DEB-JW-2026-0002 --date 2026-11-02 --out parcel-bw-2.json
kp new parcel --participant BW --carats 1200 --value-usd 150000 --hs 7102.31 --id ODC-S-0001 --date 2026-11-05 --out parcel-sorted-1.json
kp new parcel --participant BW --carats 800 --value-usd 90000 --hs 7102.31 --id ODC-S-0002 --date 2026-11-05 --out parcel-sorted-2.json
kp new transformation --participant BW --operation sort --inputs parcel-bw-1.json parcel-bw-2.json \
  --outputs parcel-sorted-1.json parcel-sorted-2.json --date 2026-11-05 --out transformation-sort.json
kp new certificate --number BW2026-004711 --exporter BW --importer AE --parcels parcel-sorted-1.json parcel-sorted-2.json \
  --authority-name "Ministry of Minerals and Energy, Botswana" --exporter-name "Okavango Diamond Company, Gaborone" \
  --importer-name "Dubai Rough DMCC, Dubai" --date 2026-11-06 --out certificate-bw-ae.json
kp new confirmation certificate-bw-ae.json --authority-name "UAE KP Office, Dubai" --date 2026-11-10 --out confirmation-bw-ae.json
echo "regenerated; remake bad/ from certificate-bw-ae.json if you need it to match"
