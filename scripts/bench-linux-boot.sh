#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Linux boot time to its /init ready line, directly on QEMU and as the
# linux partition under Umbra (beside the rtos partition running its demo
# without the background load tasks: on a 2-core host their busy loops
# would take a core from Linux's vCPUs, which on a board is the rtos's own
# core), alternating, RUNS times each. Prints each run, the medians and the ratio
# Umbra / direct, for wall time and for Linux's own uptime clock. Each round
# also times a second Umbra run right after the first ("warm"): Umbra
# scrubs all 512 MiB of Linux's RAM, and on a host that backs QEMU's RAM
# on first touch the run after a direct one (which touches little) pays
# for that memory, the run after an Umbra run much less (performance.md).
#
#   scripts/bench-linux-boot.sh [RUNS]        (make bench runs it)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
runs=${1:-3}
linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
initrd=$build/linux/initramfs.cpio
rtos=$build/rtos.bin
[ -f "$rtos" ] || rtos=$build/guest-test.bin
dtb=$build/systest/linux-bench.dtb
rm -f "$build/bench/linux-boot.txt"
log=$(mktemp)
trap 'rm -f "$log" "$log.dtb"' EXIT
# The same kernel command line on both sides: the run config's Linux also
# has earlycon (three trapped vUART accesses per early byte under Umbra)
# and panic=1, which the direct run has not.
cmdline="console=ttyAMA0 rdinit=/init umbra.test=bench"
cp "$dtb" "$log.dtb"
fdtput -t s "$log.dtb" /umbra/linux bootargs "$cmdline"
dtb=$log.dtb

# one RUN-COMMAND...: prints "WALL_SECONDS UPTIME_SECONDS". The command
# runs in its own session, killed whole once Linux is up: run-qemu.sh's
# QEMU would otherwise go on (up to its -t) beside the next runs.
one() {
	start=$(date +%s.%N)
	setsid "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ! grep -q 'linux-bench: uptime' "$log"; do
		sleep 0.1
	done
	end=$(date +%s.%N)
	kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	up=$(sed -n 's/.*linux-bench: uptime \([0-9.]*\).*/\1/p' "$log")
	[ -n "$up" ] || { echo "bench: Linux did not boot; log:" >&2; tail -20 "$log" >&2; exit 1; }
	awk -v s="$start" -v e="$end" -v u="$up" 'BEGIN { printf "%.2f %s\n", e - s, u }'
}

# The same PCI functions as the linux partition gets under Umbra (the
# virtio RNG and disk run-qemu.sh adds), without an SMMU: under Umbra the
# SMMU is Umbra's and Linux sees none.
direct() {
	one timeout 300 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a72 -smp 3 -m 512M \
		-nographic -nic none -monitor none -kernel "$linux" -initrd "$initrd" \
		-device virtio-rng-pci,disable-legacy=on \
		-drive if=none,id=linuxdisk,format=raw,readonly=on,file="$build/linux/disk.img" \
		-device virtio-blk-pci,disable-legacy=on,drive=linuxdisk \
		-append "$cmdline"
}

umbra() {
	one "$top/scripts/run-qemu.sh" -t 300 -d "$dtb" -g "linux=$linux" -r "linux=$initrd" \
		-g "rtos=$rtos"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One untimed run of each first, as benchmarks discard a warm-up round:
# on a host that is itself a VM whose RAM its hypervisor backs on first
# touch (CI's are), the first run to touch a page of host memory pays
# for it (2 s per GiB measured), and which run that is depends on the
# host's age, not on Umbra (docs/performance.md, session 10).
direct >/dev/null; umbra >/dev/null
: >"$log.d"; : >"$log.u"; : >"$log.w"
i=1
while [ "$i" -le "$runs" ]; do
	d=$(direct); u=$(umbra); w=$(umbra)
	echo "run $i: direct ${d% *} s (uptime ${d#* } s), umbra ${u% *} s (uptime ${u#* } s), umbra again ${w% *} s"
	echo "$d" >>"$log.d"; echo "$u" >>"$log.u"; echo "$w" >>"$log.w"
	i=$((i + 1))
done
dw=$(cut -d' ' -f1 "$log.d" | median); uw=$(cut -d' ' -f1 "$log.u" | median)
du=$(cut -d' ' -f2 "$log.d" | median); uu=$(cut -d' ' -f2 "$log.u" | median)
ww=$(cut -d' ' -f1 "$log.w" | median)
rm -f "$log.d" "$log.u" "$log.w"
echo "Linux boot to /init, median of $runs:"
awk -v a="$dw" -v b="$uw" 'BEGIN { printf "  wall time:    direct %6.2f s   umbra %6.2f s   ratio %.2f\n", a, b, b / a }'
awk -v a="$du" -v b="$uu" 'BEGIN { printf "  Linux uptime: direct %6.2f s   umbra %6.2f s   ratio %.2f\n", a, b, b / a }'
awk -v a="$dw" -v b="$ww" 'BEGIN { printf "  wall, warm:   direct %6.2f s   umbra %6.2f s   ratio %.2f (Umbra right after Umbra)\n", a, b, b / a }'
# for scripts/bench-summary.sh
mkdir -p "$build/bench"
awk -v dw="$dw" -v uw="$uw" -v du="$du" -v uu="$uu" -v ww="$ww" -v n="$runs" 'BEGIN {
	printf "boot_runs %d\nboot_wall_direct %s\nboot_wall_umbra %s\nboot_wall_ratio %.2f\n", n, dw, uw, uw / dw
	printf "boot_wall_umbra_warm %s\nboot_wall_ratio_warm %.2f\n", ww, ww / dw
	printf "boot_uptime_direct %s\nboot_uptime_umbra %s\nboot_uptime_ratio %.2f\n", du, uu, uu / du
}' >"$build/bench/linux-boot.txt"
