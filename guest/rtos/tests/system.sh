#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System tests of the RTOS (make rtos-system): each boots QEMU once, bounded
# by timeout, and checks the console. Bare QEMU (EL1, no hypervisor, the
# PL011) and inside Umbra (the rtos partition, the console hypercall).
# Prints PASS/FAIL per test and "N passed, N failed"; exits non-zero on any
# failure. Logs: $BUILD/rtos/systest/NAME.log
set -u

top=$(cd "$(dirname "$0")/../../.." && pwd)
export BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
image=$BUILD/rtos.bin
logdir=$BUILD/rtos/systest
mkdir -p "$logdir"
passed=0
failed=0

# bare NAME SECONDS [qemu args]: the RTOS alone on QEMU, entered at EL1
bare() {
	name=$1 limit=$2
	shift 2
	log=$logdir/$name.log
	timeout --foreground -k 5 "$limit" qemu-system-aarch64 -M virt,gic-version=3 \
		-cpu cortex-a72 -m 1G -nographic -nic none -monitor none \
		-kernel "$image" "$@" </dev/null >"$log.raw" 2>&1
	rc=$?
	tr -d '\r' <"$log.raw" >"$log" && rm -f "$log.raw"
}

# umbra NAME SECONDS DTB [qemu args]: the RTOS in Umbra's rtos partition
umbra() {
	name=$1 limit=$2 dtb=$3
	shift 3
	log=$logdir/$name.log
	"$top/scripts/run-qemu.sh" -t "$limit" -d "$dtb" -i "$image@0x48200000" -- "$@" \
		</dev/null >"$log.raw" 2>&1
	rc=$?
	tr -d '\r' <"$log.raw" >"$log" && rm -f "$log.raw"
}

verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems (log: $log)"
		failed=$((failed + 1))
	fi
}
expect() {	# a fixed string that must appear
	grep -qF -- "$1" "$log" || problems="$problems missing '$1';"
}
refuse() {	# a fixed string that must not appear
	! grep -qF -- "$1" "$log" || problems="$problems unexpected '$1';"
}
expect_rc() {
	[ "$rc" = "$1" ] || problems="$problems exit status $rc (want $1);"
}
# at least N lines matching the extended regex
expect_count() {
	n=$(grep -cE -- "$2" "$log")
	[ "$n" -ge "$1" ] || problems="$problems $n lines of '$2' (want >= $1);"
}
# heartbeats after the first line matching $1: at least $2
expect_heartbeats_after() {
	n=$(sed -n "/$1/,\$p" "$log" | grep -cE 'rtos: heartbeat [0-9]+')
	[ "$n" -ge "$2" ] || problems="$problems $n heartbeats after '$1' (want >= $2);"
}
# the heartbeat numbers count up by one, without a gap
expect_heartbeats_in_order() {
	if ! sed -n 's/.*rtos: heartbeat \([0-9][0-9]*\)$/\1/p' "$log" |
		awk 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { exit bad }'; then
		problems="$problems heartbeat numbers skip or repeat;"
	fi
}

# 1. Self-test on bare QEMU: preemption order, round-robin, priority
#    inheritance (plain, chain, timeout), queues and semaphores with
#    timeouts, periodic wake-ups, kill/join, the stack canary, a real fault.
#    With deterministic time (here and inside Umbra below): -icount, and
#    sleep=off so that idle time does not follow the host's clock either.
#    In real time, or with sleep=on, a busy host that deschedules QEMU for
#    more than the test's 2 ms unit breaks timing scenarios at random
#    (round-robin, pi-timeout, kill-join).
problems=
bare selftest 120 -icount shift=0,sleep=off -append selftest
expect_rc 0		# it powers off by itself
expect "rtos: no hypervisor (bare metal)"
expect "console: PL011"
nst=$(sed -n 's/.*rtos: selftest: \([0-9][0-9]*\) scenarios.*/\1/p' "$log" | head -n 1)
expect "rtos: selftest: ${nst:-?} passed, 0 failed"
refuse ": FAIL"
refuse "PANIC"
verdict "selftest on bare QEMU (${nst:-0} scenarios)"
grep -E 'rtos: selftest [a-z-]+: (PASS|FAIL)' "$log" | sed 's/^/    /'

# 2. A task that faults is reported and killed; the rest goes on.
problems=
bare fault 30 -append fault
expect "FAULT in task 'faulty': data abort, translation fault, level 2 on write"
expect "ESR=0x96000046 FAR=0x8 ELR="
expect "task 'faulty' killed: data abort; the others keep running"
expect "task 'faulty' ended (killed); heartbeats went on"
expect_heartbeats_after "FAULT in task 'faulty'" 10
expect_heartbeats_in_order
refuse "PANIC"
verdict "faulting task killed, heartbeat goes on (bare QEMU)"

# 3. The demo with deterministic time: latency reports, both load tasks get
#    the CPU (round-robin), the heartbeat every 100 ms.
problems=
bare latency 30 -icount shift=0 -append bench=3
expect_rc 0
expect_count 4 'rtos: latency n=1000 min=[0-9]+ns mean=[0-9]+ns p99=[0-9]+ns max=[0-9]+ns overruns=0'
expect_count 4 'rtos: histogram 0-1us:'
expect_count 4 'rtos: load a=[1-9][0-9]* b=[1-9][0-9]*$'
expect_count 35 'rtos: heartbeat [0-9]+$'
expect_heartbeats_in_order
expect_count 1 'rtos: bench n=3000 min=[0-9]+ns mean=[0-9]+ns p99=[0-9]+ns max=[0-9]+ns overruns=0'
refuse "PANIC"
verdict "latency demo and benchmark mode (bare QEMU, icount)"
sed -n 's/.*\(rtos: bench n=.*\)/    \1/p' "$log"

# 4. Inside Umbra: the demo in the rtos partition, console by hypercall.
problems=
umbra umbra-demo 25 "$BUILD/rtos/dt/rtos-only.dtb" -icount shift=0
expect "[rtos] rtos: in an Umbra partition"
expect "console: Umbra console hypercall"
expect_count 5 '^\[rtos\] rtos: latency n=1000 .* overruns=0'
expect_count 5 '^\[rtos\] rtos: load a=[1-9][0-9]* b=[1-9][0-9]*$'
expect_count 60 '^\[rtos\] rtos: heartbeat [0-9]+$'
expect_heartbeats_in_order
refuse "PANIC"
refuse "FAULT"
verdict "demo in Umbra's rtos partition (icount)"
grep -E '\[rtos\] rtos: latency' "$log" | tail -n 1 | sed 's/^/    /'

# 5. Inside Umbra: the self-test passes there too; SYSTEM_OFF stops it.
problems=
umbra umbra-selftest 120 "$BUILD/rtos/dt/rtos-selftest.dtb" -icount shift=0,sleep=off
expect_rc 0
expect "[rtos] rtos: selftest: ${nst:-?} passed, 0 failed"
refuse ": FAIL"
refuse "PANIC"
expect "all partitions are off"
verdict "selftest in Umbra's rtos partition"

# 6. Inside Umbra: a fault is the partition's own business.
problems=
umbra umbra-fault 25 "$BUILD/rtos/dt/rtos-fault.dtb"
expect "[rtos] rtos: FAULT in task 'faulty': data abort"
expect "[rtos] rtos: task 'faulty' killed"
expect_heartbeats_after "FAULT in task 'faulty'" 10
refuse "PANIC"
verdict "faulting task killed inside Umbra, heartbeat goes on"

echo "rtos system tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
