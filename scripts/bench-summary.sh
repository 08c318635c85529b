#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The summary of `make bench`: each figure as the bench scripts measured it
# in this run (build/bench/*.txt, "key value" lines; "-" where a script
# wrote nothing), the goal of issue 14, and the peers' figures quoted in
# that issue as fixed reference values with their source. No Umbra figure
# is written here.
#
#   scripts/bench-summary.sh        (the last step of make bench)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
cat "$build"/bench/*.txt 2>/dev/null | awk '
function v(k) { return (k in f && f[k] != "-") ? f[k] : "" }
function num(k, fmt) { return v(k) == "" ? "-" : sprintf(fmt, v(k)) }
function diff(a, b) { return (v(a) == "" || v(b) == "") ? "-" : sprintf("%+d", v(a) - v(b)) }
function row(fig, umbra, goal, peers) {
	printf "| %-54s | %-22s | %-19s | %s |\n", fig, umbra, goal, peers
}
{ f[$1] = $2 }
END {
	print ""
	print "Summary (Umbra: measured by this run; goal: issue 14; peers: figures quoted in issue 14, fixed)"
	print ""
	row("figure", "Umbra", "goal", "peers (source)")
	row("---", "---", "---", "---")
	row("null hypercall round trip (insns, mean of 1000)", num("null_hypercall_insn", "%d"), "<= 80",
	    "Bao 146, Xen 4.17 416 (issue 14, same QEMU)")
	row("  a call through the trap path and C dispatch (insns)", num("dispatched_hypercall_insn", "%d"), "-", "-")
	p99 = v("rtos_alone_p99_upper_bound") == 1 ? "~" : ""
	row("rtos wake-up, added over bare QEMU: mean (insns)", diff("rtos_alone_mean", "rtos_bare_mean") \
	    " (" num("rtos_alone_mean", "%d") " vs " num("rtos_bare_mean", "%d") ")", "<= 150",
	    "Bao ~200 timer IRQ delivery alone (issue 14)")
	row("rtos wake-up, added over bare QEMU: p99 (insns)", p99 diff("rtos_alone_p99", "rtos_bare_p99") \
	    " (" num("rtos_alone_p99", "%d") " vs " num("rtos_bare_p99", "%d") ")", "<= 200", "-")
	row("  same, beside Linux idle: mean / p99 (insns)", num("rtos_idle_mean", "%d") " / " num("rtos_idle_p99", "%d"),
	    "-", "-")
	row("  same, beside Linux busy: mean / p99 (wall ns)", num("rtos_busy_mean", "%d") " / " num("rtos_busy_p99", "%d"),
	    "-", "-")
	row("Linux boot to /init, wall ratio Umbra/direct", num("boot_wall_ratio", "%.2fx") \
	    " (median of " num("boot_runs", "%d") ")", "<= 1.20x",
	    "Xen 4.17 dom0 1.27x (bootscrub off) to 1.88x (issue 14)")
	row("  same, Umbra right after Umbra (host RAM warm)", num("boot_wall_ratio_warm", "%.2fx"), "-", "-")
	row("Linux uptime at /init, ratio Umbra/direct", num("boot_uptime_ratio", "%.2fx"), "<= 1.15x", "-")
	row("RAM Umbra keeps (KiB, printed at boot)", num("ram_kib", "%d"), "<= 384",
	    "Bao 344 KiB, Xen ~16.9 MiB (issue 14)")
	row("ATTEST (insns)", v("attest_insn") == "" ? "-" : sprintf("%.2f M", v("attest_insn") / 1e6), "<= 2 M", "-")
	row("channel round trip Linux->rtos->Linux, median (insns)", num("chan_median", "%d"),
	    "Umbra share <= 1000", "-")
	row("image size (build/umbra.bin)", v("image_bytes") == "" ? "-" : sprintf("%.1f KiB", v("image_bytes") / 1024),
	    "< 128 KiB", "Bao 98.5 KB, Xen 983 KB (issue 14)")
	print ""
	print "insns: instructions under -icount shift=0 (1 insn = 1 ns); ~: p99 upper bound (largest per-second p99)"
	for (k in f) if (f[k] == "-") missing = 1
	exit missing || !("null_hypercall_insn" in f && "rtos_bare_mean" in f && "boot_wall_ratio" in f && "chan_median" in f)
}' || { echo "bench: some figures are missing (-): see the output above" >&2; exit 1; }
