#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The hostile-partition storm (docs/assurance.md): the test guest in storm
# mode (tests/guest/storm.c) beside a second one in canary mode, config
# tests/system/dts/storm.dtso. One QEMU boot; PASS/FAIL per check and a
# final "N passed, M failed" line; non-zero exit on any failure.
#
#   tests/system/storm.sh [OPS] [SEED]   (default 100000 operations, a new seed)
#
# A failure names its seed: run the same OPS and SEED again to replay it.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
ops=${1:-100000}
seed=${2:-0x$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')}
dir=$BUILD/systest/storm
log=$dir/storm.log
dtb=$dir/storm.dtb
mkdir -p "$dir"
passed=0
failed=0

# 10^5 operations take ~2 s of guest time, 10^6 ~20 s; QEMU's boot and a
# loaded host get the rest
limit=$((120 + ops / 5000))
cp "$BUILD/systest/storm.dtb" "$dtb" || { echo "storm: no $BUILD/systest/storm.dtb: run make first" >&2; exit 2; }
fdtput -t s "$dtb" /umbra/storm bootargs "umbra-test=storm ops=$ops seed=$seed"
echo "storm: $ops operations, seed $seed (log: $log)"

"$top/scripts/run-qemu.sh" -t "$limit" -d "$dtb" -g storm="$BUILD/guest-test.bin" \
	-g canary="$BUILD/guest-test.bin" </dev/null >"$log" 2>&1 &
pid=$!
# until the storm is done and the canary has reported twice more (its
# verdict covers the whole storm), or QEMU ends
while kill -0 "$pid" 2>/dev/null; do
	if grep -q 'storm: done' "$log" &&
	   [ "$(sed -n '/storm: done/,$p' "$log" | grep -c 'canary: beat')" -ge 2 ]; then
		kill "$pid" 2>/dev/null
		break
	fi
	sleep 1
done
wait "$pid" 2>/dev/null
clean=$(tr -d '\r' <"$log")

check() {	# NAME CONDITION-STATUS DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1: $3 (seed $seed, log $log)"
		failed=$((failed + 1))
	fi
}

done_line=$(printf '%s\n' "$clean" | grep 'storm: done:' | head -n 1)
printf '%s\n' "$done_line" | grep -q "storm: done: $ops ops"
check "every operation answered ($ops)" $? "no 'storm: done: $ops ops' line: a hang or a stop"
printf '%s\n' "$done_line" | grep -q 'monitor answering'
check "the monitor still answers the storm partition" $? "${done_line:-no summary}"

printf '%s\n' "$clean" | grep 'storm: class' | sed 's/^/    /'
total=$(printf '%s\n' "$clean" | sed -n 's/.*storm: class *[a-z-]* *\([0-9]*\) ops:.*/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
classes=$(printf '%s\n' "$clean" | grep -c 'storm: class')
[ "$classes" -eq 7 ] && [ "$total" -eq "$ops" ]
check "one summary line per class (7), counts adding up" $? "$classes classes, $total ops"

! printf '%s\n' "$clean" | grep -qE 'PANIC|panic|unexpected exception'
check "no panic, no exception the storm guest did not expect" $? \
	"$(printf '%s\n' "$clean" | grep -E 'PANIC|panic|unexpected exception' | head -n 1)"

last=$(printf '%s\n' "$clean" | grep 'canary: beat' | tail -n 1)
echo "    ${last:-no canary line}"
printf '%s\n' "$last" | grep -q 'canary intact'
check "canary memory beside the storm's RAM intact" $? "${last:-no canary line}"
printf '%s\n' "$last" | grep -q 'missed 0,'
check "heartbeat never late by more than its period (100 ms)" $? "${last:-no canary line}"
printf '%s\n' "$last" | grep -q 'SGI leaks 0$'
check "no SGI of the storm reached the canary's CPU" $? "${last:-no canary line}"

echo "storm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
