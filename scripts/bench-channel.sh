#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Channel round-trip latency (docs/channels.md): Linux sends an echo
# request (32-byte payload) over channel 0 to the rtos partition's service
# and waits for the reply, N times (default 10,000), timing each round
# trip with CLOCK_MONOTONIC; under QEMU -icount shift=0 (guest time is 1 ns
# per executed instruction, so the figures are instruction counts, up to
# the 16 ns timer tick). The path: Linux user space -> CHANNEL_NOTIFY ->
# the rtos's doorbell SPI -> its service task -> CHANNEL_NOTIFY -> Linux's
# doorbell IRQ -> the waiting process.
#
# The rtos runs its demo without the background load tasks (bootargs
# "quiet noload", tests/system/build.mk): under -icount QEMU runs the
# vCPUs round-robin on one thread and lets a busy vCPU run until its next
# timer deadline, so with the rtos CPU never idle every reply would wait
# for the end of its time slice (~1 ms, its control task's period) -- an
# artefact of the emulator, not of the path. CHAN_BENCH_QEMU="" runs
# without -icount (wall-clock times, host-dependent).
#
#   scripts/bench-channel.sh [N]        (make bench runs it)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
n=${1:-10000}
linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
dtb=$build/systest/linux-chan-bench.dtb
rm -f "$build/bench/channel.txt"
log=$(mktemp)
trap 'rm -f "$log" "$log.dtb"' EXIT
cp "$dtb" "$log.dtb"
args=$(fdtget "$log.dtb" /umbra/linux bootargs)
fdtput -t s "$log.dtb" /umbra/linux bootargs "$args umbra.n=$n"

setsid "$top/scripts/run-qemu.sh" -t 600 -d "$log.dtb" -g "linux=$linux" \
	-r "linux=$build/linux/initramfs.cpio" -g "rtos=$build/rtos.bin" \
	-- ${CHAN_BENCH_QEMU--icount shift=0} </dev/null >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && ! grep -q 'chan-bench: done' "$log"; do
	sleep 1
done
# the whole session: killing run-qemu.sh alone would leave its QEMU running
kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
line=$("$top/scripts/untag.sh" linux "$log" | sed -n 's/^chan-bench: bench: //p' | head -n 1)
[ -n "$line" ] || { echo "bench-channel: no figures; log:" >&2; tail -20 "$log" >&2; exit 1; }
echo "channel round trip linux -> rtos -> linux, -icount shift=0 (1 insn = 1 ns): $line"
# for scripts/bench-summary.sh: "key value" lines, ns (= instructions)
mkdir -p "$build/bench"
echo "$line" | awk '{
	for (i = 1; i <= NF; i++)
		if (split($i, kv, "=") == 2) { sub(/ns$/, "", kv[2]); print "chan_" kv[1], kv[2] }
}' >"$build/bench/channel.txt"
