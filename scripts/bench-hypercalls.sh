#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Hypercall costs under Umbra, measured by the test guest with QEMU's
# -icount shift=0 (guest time advances 1 ns per executed instruction, so
# a time is an instruction count; ../shared/platform-facts.md): a null
# hypercall (UMBRA_HC_VERSION, mean of 1000: answered in Umbra's exception
# vector), a call through the whole trap path and the C dispatch
# (UMBRA_HC_CALL_COUNT, mean of 1000) and one ATTEST call (a PSA token,
# ES256-signed). The same boot gives the RAM Umbra keeps (its
# "memory: N KiB in all" line) and the image size is build/umbra.bin's.
# Figures also go to build/bench/hypercalls.txt ("key value" lines, read by
# scripts/bench-summary.sh); the console log stays in build/bench/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
mkdir -p "$build/bench"
log=$build/bench/hypercalls.log
out=$build/bench/hypercalls.txt
rm -f "$out"
"$top/scripts/run-qemu.sh" -t 300 -- -icount shift=0 </dev/null >"$log" 2>&1 || true
null=$(sed -n 's/.*guest: bench: null hypercall \([0-9]*\) ticks per 1000.*/\1/p' "$log")
disp=$(sed -n 's/.*guest: bench: dispatched hypercall \([0-9]*\) ticks per 1000.*/\1/p' "$log")
att=$(sed -n 's/.*guest: bench: attest \([0-9]*\) ticks.*/\1/p' "$log")
[ -n "$null" ] && [ -n "$att" ] || { echo "bench: no figures; log:" >&2; tail -20 "$log" >&2; exit 1; }
ram=$(sed -n 's/.*umbra: memory: \([0-9]*\) KiB in all.*/\1/p' "$log" | head -n 1)
size=$(wc -c <"$build/umbra.bin")
awk -v n="$null" -v d="${disp:--}" -v a="$att" -v r="${ram:--}" -v s="$size" 'BEGIN {
	printf "null_hypercall_insn %.0f\n", n * 16 / 1000
	if (d == "-") print "dispatched_hypercall_insn -"; else printf "dispatched_hypercall_insn %.0f\n", d * 16 / 1000
	printf "attest_insn %.0f\n", a * 16
	printf "ram_kib %s\n", r
	printf "image_bytes %d\n", s
}' >"$out"
# CNTVCT ticks are 16 ns here; under icount 1 ns = 1 instruction
awk -v n="$null" -v d="${disp:-0}" -v a="$att" 'BEGIN {
	printf "null hypercall round trip: %.0f instructions (mean of 1000; Bao: 146, Xen: 416)\n", n * 16 / 1000
	printf "hypercall through the trap path and C dispatch (CALL_COUNT): %.0f instructions (mean of 1000)\n", d * 16 / 1000
	printf "attestation token (ATTEST): %.0f instructions (%.2f M)\n", a * 16, a * 16 / 1e6
}'
echo "RAM Umbra keeps: ${ram:-?} KiB; image build/umbra.bin: $size bytes"
