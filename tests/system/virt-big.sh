#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System test of the second platform, PLATFORM=virt-big (dt/virt-big.mk):
# QEMU virt -smp 8 -m 4G with three partitions. One boot, bounded by
# timeout: Linux runs guest/linux/tests/big on its 4 CPUs (1-4) with its RAM
# above 4 GiB and talks to the rtos over channel 0; the rtos heartbeat
# runs; the sensor partition runs its vectors (its own PL061, its channel
# to Linux, everything else out of reach) and powers itself off.
# Prints PASS/FAIL and "N passed, M failed"; exits non-zero on a failure.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
logdir=$BUILD/systest/logs
mkdir -p "$logdir"
log=$logdir/virt-big.log
passed=0
failed=0
problems=

expect() { grep -qF -- "$1" "$log" || problems="$problems missing '$1';"; }
refuse() { ! grep -qF -- "$1" "$log" || problems="$problems unexpected '$1';"; }
verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems (log: $log)"
		grep -aE '^umbra: ' "$log" | head -n 20 | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
	problems=
}
untag() { "$top/scripts/untag.sh" "$1" "$log"; }

linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
big=$BUILD/virt-big
# Run until Linux's partition is off (its test powers it off) or 240 s;
# the rtos runs on, so QEMU is stopped here.
: >"$log"
"$top/scripts/run-qemu.sh" -t 240 -s 8 -m 4G -d "$big/test.dtb" \
	-g "linux=$linux" -r "linux=$BUILD/linux/initramfs.cpio" \
	-g "rtos=$BUILD/rtos.bin" -g "sensor=$big/guest-test.bin" </dev/null >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && ! grep -aqE 'linux: stopped|PANIC' "$log"; do
	sleep 0.5
done
# a few more heartbeats after Linux is gone
sleep 2
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

# 1. The machine: 8 CPUs, 4 GiB, three partitions, all configured.
expect "Umbra $(cat "$top/VERSION") at EL2"
refuse "umbra: error"
refuse "PANIC"
for p in linux rtos sensor; do
	grep -qE "partition [0-9]+ '$p'" "$log" || problems="$problems partition $p not announced;"
done
verdict "virt-big: 8 CPUs, 4 GiB, three partitions configured"

# 2. Linux: 4 CPUs, 1 GiB, all of it above 4 GiB; the channels.
out=$(untag linux)
echo "$out" | grep -qx "linux-test: nproc 4" || problems="$problems nproc is not 4;"
mem=$(echo "$out" | sed -n 's/^linux-test: memtotal \([0-9]*\)$/\1/p')
[ -n "$mem" ] && [ "$mem" -gt 900000 ] && [ "$mem" -le 1048576 ] ||
	problems="$problems MemTotal ${mem:-?} kB is not within the partition's 1 GiB;"
ram=$(echo "$out" | sed -n 's/^linux-test: iomem \([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p')
[ "$ram" = "100000000 13fffffff" ] ||
	problems="$problems System RAM '${ram:-?}' is not 0x100000000-0x13fffffff;"
echo "$out" | grep -q "^linux-test: channel 0: base 0x4c000000 .* first doorbell SPI 64" ||
	problems="$problems channel 0 (rtos) not as configured;"
echo "$out" | grep -q "^linux-test: channel 1: base 0x4c010000 .* writable first doorbell SPI 66" ||
	problems="$problems channel 1 (sensor) not as configured;"
echo "$out" | grep -q "^linux-test: rtos time: " || problems="$problems no time from the rtos;"
echo "$out" | grep -qx "linux-test: echo exit status 0" || problems="$problems echo over channel 0 failed;"
echo "$out" | grep -qx "linux-test: done" || problems="$problems Linux's test did not finish;"
expect "linux: stopped (PSCI SYSTEM_OFF)"
verdict "virt-big: Linux on 4 CPUs, RAM 0x100000000+1 GiB, channels to rtos and sensor (MemTotal ${mem:-?} kB)"

# 3. The rtos heartbeat runs throughout, also after Linux is off.
beats=$(grep -ac '^\[rtos\] rtos: heartbeat [0-9]*' "$log")
[ "$beats" -gt 10 ] || problems="$problems only $beats heartbeats;"
last_linux=$(grep -an 'linux: stopped' "$log" | head -n 1 | cut -d: -f1)
after=$(tail -n +"${last_linux:-999999}" "$log" | grep -ac '^\[rtos\] rtos: heartbeat')
[ "$after" -gt 0 ] || problems="$problems no heartbeat after Linux stopped;"
verdict "virt-big: rtos heartbeat ($beats lines, $after after Linux stopped)"

# 4. The sensor's vectors: every one passes, then it powers itself off.
nvec=$(untag sensor | sed -n 's/.*guest: \([0-9][0-9]*\) vectors.*/\1/p' | head -n 1)
if [ -z "$nvec" ] || [ "$nvec" -eq 0 ]; then
	problems="$problems the sensor did not announce its vectors;"
else
	untag sensor | grep -q "vectors: $nvec passed, 0 failed" ||
		problems="$problems not all $nvec vectors passed;"
fi
untag sensor | grep -q "VEC PASS big.chan1.info" || problems="$problems big.chan1.info did not pass;"
refuse "VEC FAIL"
# the conformance suite after them: every check passes but the two that
# need a PL031 (the rtos's device in this layout)
confail=$(untag sensor | grep '^CONF FAIL' | grep -cv 'no PL031 with an SPI')
[ "$confail" -eq 0 ] || problems="$problems $confail conformance checks failed;"
untag sensor | grep -q '^CONF PASS timer.virt.fire' || problems="$problems no conformance run;"
expect "sensor: stopped (PSCI SYSTEM_OFF)"
verdict "virt-big: sensor partition's vectors (${nvec:-0}) and conformance checks"
untag sensor | grep -E '(VEC|CONF) FAIL' | grep -v 'no PL031 with an SPI' | sed 's/^/    /'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
