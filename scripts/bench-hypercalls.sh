#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Hypercall costs under Umbra, measured by the test guest with QEMU's
# -icount shift=0 (guest time advances 1 ns per executed instruction, so
# a time is an instruction count; ../shared/platform-facts.md): a null
# hypercall (UMBRA_HC_VERSION, mean of 1000) and one ATTEST call
# (a PSA token, ES256-signed).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$top/scripts/run-qemu.sh" -t 300 -- -icount shift=0 </dev/null >"$log" 2>&1 || true
null=$(sed -n 's/.*guest: bench: null hypercall \([0-9]*\) ticks per 1000.*/\1/p' "$log")
att=$(sed -n 's/.*guest: bench: attest \([0-9]*\) ticks.*/\1/p' "$log")
[ -n "$null" ] && [ -n "$att" ] || { echo "bench: no figures; log:" >&2; tail -20 "$log" >&2; exit 1; }
# CNTVCT ticks are 16 ns here; under icount 1 ns = 1 instruction
awk -v n="$null" -v a="$att" 'BEGIN {
	printf "null hypercall round trip: %.0f instructions (mean of 1000; Bao: 146, Xen: 416)\n", n * 16 / 1000
	printf "attestation token (ATTEST): %.0f instructions (%.2f M)\n", a * 16, a * 16 / 1e6
}'
