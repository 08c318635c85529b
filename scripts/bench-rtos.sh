#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# RTOS wake-up latency benchmark: the same build/rtos.bin on bare QEMU (EL1,
# no hypervisor) and inside Umbra's rtos partition, side by side, with the
# ratio. Guest time is instruction-driven (-icount shift=0: 1 instruction =
# 1 ns, one counter tick = 16 ns), so the figures count instructions on the
# path timer deadline -> task running, not host noise.
#
#   scripts/bench-rtos.sh [-s SECONDS] [-w WARMUP] [-t TIMEOUT] [-l LOGDIR] [-a]
#                         [-L] [-B CPUS] [-b SECONDS] [--umbra-idle CMD]
#                         [--umbra-busy CMD] [--bare CMD]
#
#   -s SECONDS        measured seconds per run (default 10, at most 60)
#   -w WARMUP         seconds ignored first in the --umbra-* runs: Linux's
#                     boot and the start of its load (default 1; the bare
#                     and -a runs use 1)
#   -t TIMEOUT        wall-clock limit per run (default 600)
#   -l LOGDIR         where the runs' console logs go (default build/rtos/bench)
#   -a                also run the RTOS alone inside Umbra (no Linux): the
#                     rtos partition of the main config, built in
#   -L                also run it beside Linux, the main config (built in
#                     --umbra-idle and --umbra-busy): Linux idle at a shell,
#                     then Linux busy (guest/linux/tests/busy: every CPU
#                     spinning, one streaming memory)
#   -B CPUS           with -L: keep only CPUS of Linux's CPUs busy (1..3)
#   -b SECONDS        with -L: the built-in Linux-busy run measures SECONDS
#                     per-second windows (default: SECONDS of -s), counted
#                     from the first whole window after Linux prints
#                     "linux-test: busy:" instead of a fixed warm-up (that
#                     run is in wall-clock time, without -icount: below)
#   --umbra-idle CMD  the Umbra run with Linux idle: a shell command that
#                     boots Umbra with the rtos partition and prints the
#                     console on stdout
#   --umbra-busy CMD  the same with Linux busy
#   --bare CMD        replace the bare-QEMU command
#
# The hooks: each CMD runs under `sh -c`, in its own process group, which is
# killed once the result is in (Linux does not power off). It sees
#   RTOS_IMAGE      the image to run (build/rtos.bin)
#   BENCH_SECONDS   SECONDS
#   BENCH_WARMUP    WARMUP
#   BENCH_BOOTARGS  "bench=SECONDS warmup=WARMUP": for the rtos partition's
#                   bootargs, for an exact result
# With bench=N the RTOS prints "rtos: bench n=... min= mean= p99= max=" over
# every sample after the warm-up, then powers off (its partition only,
# under Umbra). Without it, the per-second "rtos: latency" reports after
# the first WARMUP are combined: min of the minima, max of the maxima, mean
# of the means, and for p99 the largest per-second p99 (marked ~: an upper
# bound of the real one). Lines may carry Umbra's "[rtos] " prefix.
#
# Example hook, the RTOS alone in Umbra with your own config:
#   --umbra-idle 'scripts/run-qemu.sh -t 0 -d my.dtb -i "$RTOS_IMAGE@0x48200000" -- -icount shift=0'
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
seconds=10
warmup=1
limit=600
logdir=$build/rtos/bench
alone=
with_linux=
busy_cpus=
cmd_idle=${UMBRA_IDLE_CMD:-}
cmd_busy=${UMBRA_BUSY_CMD:-}
cmd_bare=
busy_seconds=
mark=

usage() {
	sed -n '3,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'
	exit "${1:-2}"
}

number() {	# number OPTION VALUE
	case "$2" in ''|*[!0-9]*) echo "bench-rtos: $1 wants a number" >&2; exit 2 ;; esac
}

while [ $# -gt 0 ]; do
	case "$1" in
	-s) number -s "${2:-}"; seconds=$2; shift 2 ;;
	-w) number -w "${2:-}"; warmup=$2; shift 2 ;;
	-t) number -t "${2:-}"; limit=$2; shift 2 ;;
	-l) logdir=$2; shift 2 ;;
	-a) alone=1; shift ;;
	-L) with_linux=1; shift ;;
	-B) number -B "${2:-}"; busy_cpus=$2; shift 2 ;;
	-b) number -b "${2:-}"; busy_seconds=$2; shift 2 ;;
	--umbra-idle) cmd_idle=$2; shift 2 ;;
	--umbra-busy) cmd_busy=$2; shift 2 ;;
	--bare) cmd_bare=$2; shift 2 ;;
	-h|--help) usage 0 ;;
	*) usage ;;
	esac
done
[ "$seconds" -ge 1 ] && [ "$seconds" -le 60 ] || { echo "bench-rtos: -s 1..60" >&2; exit 2; }
want=$seconds

RTOS_IMAGE=$build/rtos.bin
BENCH_SECONDS=$seconds
export RTOS_IMAGE BENCH_SECONDS
[ -f "$RTOS_IMAGE" ] || { echo "bench-rtos: no $RTOS_IMAGE (make build/rtos.bin)" >&2; exit 2; }
mkdir -p "$logdir"
rm -f "$build/bench/rtos.txt"

# set_warmup W: what the next runs are told, and how their logs are read
set_warmup() {
	BENCH_WARMUP=$1
	BENCH_BOOTARGS="bench=$seconds warmup=$1"
	export BENCH_WARMUP BENCH_BOOTARGS
}

[ -n "$cmd_bare" ] || cmd_bare='qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a72 -m 1G \
	-nographic -nic none -monitor none -icount shift=0 \
	-kernel "$RTOS_IMAGE" -append "$BENCH_BOOTARGS"'

# The built-in Umbra run (-a): the rtos partition of the main config alone,
# bootargs from the environment.
if [ -n "$alone" ]; then
	base=$build/dt/virt-smp4-m1G.dtb
	# make's rules name it relative to the top with BUILD as given
	[ -f "$base" ] || make -C "$top" -s BUILD="$build" "$base" >/dev/null
	cmd_alone='sed "s|image = <0x0 0x48200000 0x0 0x01000000>;|&\n\t\t\tbootargs = \"$BENCH_BOOTARGS\";|" \
			"$TOP/guest/rtos/tests/dts/rtos-only.dtso" >"$LOGDIR/alone.dtso" &&
		dtc -q -@ -I dts -O dtb -o "$LOGDIR/alone.dtbo" "$LOGDIR/alone.dtso" &&
		fdtoverlay -i "$BASE_DTB" -o "$LOGDIR/alone.dtb" "$LOGDIR/alone.dtbo" &&
		exec "$TOP/scripts/run-qemu.sh" -t 0 -d "$LOGDIR/alone.dtb" \
			-i "$RTOS_IMAGE@0x48200000" -- -icount shift=0'
	TOP=$top LOGDIR=$logdir BASE_DTB=$base
	export TOP LOGDIR BASE_DTB
fi

# The built-in runs beside Linux (-L): the system-test DTBs of the main
# config with Linux's /init running guest/linux/tests/idle or busy; the
# rtos partition's bootargs become $BENCH_BOOTARGS. The busy run is
# wall-clock time, without -icount: under -icount QEMU runs every vCPU on
# one thread, so the rtos's vCPU shares one with Linux's spinning one and
# its 1 kHz task overran until its reporter starved (no result at all in
# half the runs). Its figures are ns of host time, not instructions.
if [ -n "$with_linux" ]; then
	for load in idle busy; do
		[ -f "$build/systest/linux-$load.dtb" ] ||
			make -C "$top" -s "$build/systest/linux-$load.dtb" >/dev/null
	done
	cmd_linux='cp "$BUILD_DIR/systest/linux-$LOAD.dtb" "$LOGDIR/$LOAD.dtb" &&
		fdtput -t s "$LOGDIR/$LOAD.dtb" /umbra/rtos bootargs "$BENCH_BOOTARGS" &&
		{ [ -z "$BUSY_CPUS" ] || fdtput -t s "$LOGDIR/$LOAD.dtb" /umbra/linux bootargs \
			"$(fdtget "$LOGDIR/$LOAD.dtb" /umbra/linux bootargs) umbra.busy=$BUSY_CPUS"; } &&
		exec "$TOP/scripts/run-qemu.sh" -t 0 -d "$LOGDIR/$LOAD.dtb" \
			-g "linux=$(ls "$TOP"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)" \
			-r "linux=$BUILD_DIR/linux/initramfs.cpio" -g "rtos=$RTOS_IMAGE" \
			-- $([ "$LOAD" = busy ] || echo -icount shift=0)'
	[ -n "$cmd_idle" ] || cmd_idle="LOAD=idle; $cmd_linux"
	[ -n "$cmd_busy" ] || cmd_busy="LOAD=busy; $cmd_linux"
	TOP=$top LOGDIR=$logdir BUILD_DIR=$build BUSY_CPUS=$busy_cpus
	export TOP LOGDIR BUILD_DIR BUSY_CPUS
fi

# finished LOG: the exact summary is there, or enough per-second reports
# (with $mark: enough after the first line that matches it, plus the
# partial window in progress when it came)
finished() {
	grep -q 'rtos: bench done' "$1" && return 0
	if [ -n "$mark" ]; then
		[ "$(sed -n "/$mark/,\$p" "$1" | grep -c 'rtos: latency n=')" -ge $((want + 1)) ]
	else
		[ "$(grep -c 'rtos: latency n=' "$1")" -ge $((want + BENCH_WARMUP)) ]
	fi
}

# run NAME CMD: run CMD until it has a result or the time is up; the
# console goes to $logdir/NAME.log
run() {
	log=$logdir/$1.log
	printf 'bench-rtos: %-6s ' "$1"
	setsid sh -c "$2" </dev/null >"$log" 2>&1 &
	pid=$!
	start=$(date +%s)
	while :; do
		if finished "$log"; then
			sleep 1 # the histogram line after the summary
			echo "done in $(($(date +%s) - start)) s"
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "ended without a result"
			break
		fi
		if [ $(($(date +%s) - start)) -ge "$limit" ]; then
			echo "timed out after $limit s"
			break
		fi
		sleep 1
	done
	kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}

# result LOG: "n min mean p99 max overruns approx" (approx 1: p99 is the
# per-second bound), or nothing
result() {
	awk -v want="$want" -v skip="$BENCH_WARMUP" -v mark="$mark" '
	function field(name,   i, v) {
		for (i = 1; i <= NF; i++)
			if (index($i, name "=") == 1) {
				v = substr($i, length(name) + 2)
				sub(/ns$/, "", v)
				return v + 0
			}
		return -1
	}
	/rtos: bench n=/ {
		exact = field("n") " " field("min") " " field("mean") " " field("p99") " " \
			field("max") " " field("overruns") " 0"
	}
	mark != "" && !seen && $0 ~ mark { seen = 1; win = 0; skip = 1 }
	/rtos: latency n=/ {
		if ((mark != "" && !seen) || ++win <= skip || w >= want)
			next # warm-up, or enough
		w++
		n += field("n"); ov += field("overruns")
		sum += field("mean") * field("n")
		if (w == 1 || field("min") < mn) mn = field("min")
		if (field("max") > mx) mx = field("max")
		if (field("p99") > p99) p99 = field("p99")
	}
	END {
		if (exact != "")
			print exact
		else if (w > 0)
			print n, mn, int(sum / n + 0.5), p99, mx, ov, 1
	}' "$1"
}

names=
add() {	# add NAME LABEL CMD
	run "$1" "$3"
	r=$(result "$logdir/$1.log")
	if [ -z "$r" ]; then
		echo "bench-rtos: no latency figures in $logdir/$1.log"
		r="- - - - - - 0"
	fi
	eval "res_$1=\$r label_$1=\$2"
	names="$names $1"
}

exec 3>&1 1>&2 # progress on stderr, the table on stdout at the end
set_warmup 1
add bare "bare QEMU" "$cmd_bare"
[ -z "$alone" ] || add alone "Umbra, no Linux" "$cmd_alone"
set_warmup "$warmup"
[ -z "$cmd_idle" ] || add idle "Umbra, Linux idle" "$cmd_idle"
if [ -n "$cmd_busy" ]; then
	if [ -n "$with_linux" ] && [ -z "${UMBRA_BUSY_CMD:-}" ] && [ "$cmd_busy" = "LOAD=busy; $cmd_linux" ]; then
		# the built-in busy run: per-second windows once the load runs
		want=${busy_seconds:-$seconds} mark='linux-test: busy:'
		BENCH_BOOTARGS=nocanary # no bench=N (per-second reports), as bench=N: no canary
		export BENCH_BOOTARGS
	fi
	add busy "Umbra, Linux busy" "$cmd_busy"
	want=$seconds mark=
fi
exec 1>&3 3>&-

# ---- the table -------------------------------------------------------------

col() {	# col NAME INDEX: field INDEX (1-based) of NAME's result
	eval "echo \$res_$1" | awk -v i="$2" '{ print $i }'
}

ratio() {	# ratio A B: B / A
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a + 0 == 0) print "-"
		else printf "%.2fx\n", b / a }'
}

echo
echo "RTOS wake-up latency: 1 kHz task, timer deadline -> task running"
echo "$seconds s per run after a warm-up (1 s; Umbra with Linux: $warmup s)," \
	"-icount shift=0 (1 insn = 1 ns, tick 16 ns)"
[ -z "$with_linux" ] || [ -n "${UMBRA_BUSY_CMD:-}" ] ||
	echo "Umbra, Linux busy: wall-clock ns (no -icount: MTTCG, one host thread per vCPU)"
echo
printf '%-12s' ""
for n in $names; do
	eval "l=\$label_$n"
	if [ "$n" = bare ]; then printf '%12s' "$l"; else printf '%20s %7s' "$l" ratio; fi
done
echo
i=1
for row in samples "min (ns)" "mean (ns)" "p99 (ns)" "max (ns)" overruns; do
	printf '%-12s' "$row"
	base=$(col bare "$i")
	for n in $names; do
		v=$(col "$n" "$i")
		[ "$i" != 4 ] || [ "$(col "$n" 7)" != 1 ] || v="~$v"
		if [ "$n" = bare ]; then
			printf '%12s' "$v"
		elif [ "$i" -ge 2 ] && [ "$i" -le 5 ]; then
			printf '%20s %7s' "$v" "$(ratio "$base" "$(col "$n" "$i")")"
		else
			printf '%20s %7s' "$v" ""
		fi
	done
	echo
	i=$((i + 1))
done
echo
for n in $names; do
	[ "$(col "$n" 7)" != 1 ] ||
		echo "~: no bench=N in that run's bootargs: the largest per-second p99 (an upper bound)"
done | sort -u
[ -n "$cmd_idle$cmd_busy" ] ||
	echo "Umbra with Linux: not run (give --umbra-idle CMD and --umbra-busy CMD)"
echo "logs: $logdir"

# for scripts/bench-summary.sh: "rtos_RUN_FIELD value" lines (ns = insns)
mkdir -p "$build/bench"
for n in $names; do
	eval "echo \$res_$n" | awk -v n="$n" '{
		split("samples min mean p99 max overruns p99_upper_bound", k, " ")
		for (i = 1; i <= 7; i++) print "rtos_" n "_" k[i], $i
	}'
done >"$build/bench/rtos.txt"
