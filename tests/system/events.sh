#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System test of the security event log, the restart policy and failure
# reports (issue 13, items 4-6): Linux in the run config (on-failure =
# "restart", event-reader, panic=1) with umbra.test=events
# (guest/linux/tests/events). Boot 0 probes the rtos's RAM with devmem (a
# stage-2 violation) and panics (sysrq c); Umbra restarts Linux by policy
# while the rtos runs on; boot 1 lists the events (both are there, from
# before its restart), follows new ones, and prints a failure report that
# tools/umbra-verify report checks here. Prints PASS/FAIL per check and
# "N passed, M failed"; exits non-zero on a failure. On a shared machine,
# run it as `flock /tmp/umbra-qemu.lock tests/system/events.sh`.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
logdir=$BUILD/systest/logs
mkdir -p "$logdir"
passed=0
failed=0
log=$logdir/linux-events.log

verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems (log: $log)"
		grep -aE '^umbra: ' "$log" 2>/dev/null | head -n 20 | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
}
expect() { grep -qF -- "$1" "$log" || problems="$problems missing '$1';"; }
refuse() { ! grep -qF -- "$1" "$log" || problems="$problems unexpected '$1';"; }
untag() { "$top/scripts/untag.sh" linux "$log"; }
hexline() { untag | sed -n "s/^linux-test: $1 \\([0-9a-f]*\\)\$/\\1/p" | head -n 1; }
tobin() { /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))'; }

linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
rtos=$BUILD/rtos.bin
[ -f "$rtos" ] || rtos=$BUILD/guest-test.bin
dtb=$BUILD/systest/linux-events.dtb
ek=$BUILD/attest/device-ek.pem
ref=$logdir/reference-linux-events.json

# boot until Linux says done (or stops, or Umbra panics); bounded twice
: >"$log"
timeout 400 sh -c '
	"$1" -t 240 -d "$2" -g "linux=$3" -r "linux=$4" -g "rtos=$5" </dev/null >"$6" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null &&
	      ! grep -qE "linux-test: done|linux: stopped|PANIC" "$6"; do
		sleep 0.5
	done
	sleep 2
	kill $pid 2>/dev/null
	wait $pid' sh "$top/scripts/run-qemu.sh" "$dtb" "$linux" "$BUILD/linux/initramfs.cpio" \
	"$rtos" "$log"

# 1. A kernel panic restarts Linux by its policy; the rtos never notices.
problems=
expect "linux-test: boot after 0 restarts"
expect "linux-test: crashing"
expect "umbra: linux: says it panics"
expect "umbra: linux: restarting (panic)"
expect "linux-test: boot after 1 restarts"
refuse "linux-test: still running after the crash"
refuse "PANIC"
if grep -q 'rtos: heartbeat' "$log"; then
	missing=$(tr -d '\r' <"$log" | sed -n 's/^\[rtos\] rtos: heartbeat \([0-9]*\)$/\1/p' |
		awk 'NR > 1 && ($1 > prev + 3 || $1 <= prev) { n++ } { prev = $1 } END { print n + 0 }')
	[ "$missing" -eq 0 ] || problems="$problems $missing gaps in the rtos heartbeat;"
else
	problems="$problems no rtos heartbeat;"
fi
verdict "a Linux panic restarts Linux by policy (on-failure = restart); the rtos runs on"

# 2. umbra events after the restart: the devmem probe's stage-2 violation
#    and the panic restart of the previous boot, the rtos's start (an
#    event-reader sees every partition), JSON, --follow.
problems=
# the run config's two partitions: Linux's id (umbra info) and the other
l=$(untag | sed -n 's/^linux-test: id \([0-9]*\)$/\1/p' | head -n 1)
case "$l" in 0) r=1 ;; 1) r=0 ;; *) l=none r=none ;; esac
ev() { untag | grep -E "^linux-test: event " ; }
ev | grep -qE "partition=$l s2-fault ipa=0x70000000 pc=0x[0-9a-f]+ access=read\$" ||
	problems="$problems no s2-fault event for the devmem probe;"
ev | grep -qE "partition=$l panic" || problems="$problems no panic event;"
ev | grep -qE "partition=$l restart restart=1 cause=panic\$" ||
	problems="$problems no restart event with cause panic;"
ev | grep -qE "partition=$r start restarts=0\$" || problems="$problems no rtos start event;"
ev | grep -qE "partition=$l start restarts=1\$" || problems="$problems no Linux start after restart;"
expect "linux-test: events exit status 0"
untag | grep -qE '^linux-test: json \{"seq":[0-9]+,"time":[0-9]+,"partition":'"$l"',"type":"restart","restart":1,"cause":"panic"\}$' ||
	problems="$problems no JSON restart line;"
untag | grep -qE "^linux-test: followed [0-9]+ .*partition=$l s2-fault ipa=0x70000008 " ||
	problems="$problems --follow did not show the new event;"
expect "linux-test: bad option exit status 2"
expect "linux-test: short nonce exit status 2"
verdict "umbra events: the probe and the panic restart from before the restart, --json, --follow"

# 3. The failure report verifies on the host: token chain, binding, no gap;
#    a changed event byte or another nonce do not.
problems=
expect "linux-test: report exit status 0"
nonce=$(hexline nonce)
hexline report | tobin >"$logdir/linux-events.report"
BUILD=$BUILD "$top/scripts/attest-reference.sh" "$ref" "$dtb" linux "$linux" \
	"$BUILD/linux/initramfs.cpio" >/dev/null 2>&1 || problems="$problems no reference values;"
"$BUILD/tools/umbra-verify" report --report "$logdir/linux-events.report" --since 0 \
	--ek "$ek" --nonce "$nonce" --reference "$ref" >"$logdir/linux-events.verify" 2>&1 ||
	problems="$problems umbra-verify report rejected it: $(tail -n 1 "$logdir/linux-events.verify");"
grep -q 'PASS  report-binding' "$logdir/linux-events.verify" || problems="$problems no binding check;"
grep -q 'PASS  report-sequence *no gap' "$logdir/linux-events.verify" || problems="$problems no gap check;"
grep -qE "event [0-9]+ .*partition=$l type=7 .*c=0x4\$" "$logdir/linux-events.verify" ||
	problems="$problems the panic restart is not in the report;"
# one byte of an event changed (the type of the first record)
/usr/bin/python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[4 + 32 + 20] ^= 1; open(sys.argv[2], "wb").write(d)' \
	"$logdir/linux-events.report" "$logdir/linux-events.tampered"
"$BUILD/tools/umbra-verify" report --report "$logdir/linux-events.tampered" --ek "$ek" \
	--nonce "$nonce" --reference "$ref" >"$logdir/linux-events.tampered.verify" 2>&1
[ $? -eq 1 ] && grep -q 'FAIL  report-binding' "$logdir/linux-events.tampered.verify" ||
	problems="$problems a changed event verified;"
! "$BUILD/tools/umbra-verify" report --report "$logdir/linux-events.report" --ek "$ek" \
	--nonce "ff${nonce#??}" --reference "$ref" >/dev/null 2>&1 ||
	problems="$problems another nonce verified;"
verdict "umbra report verifies with umbra-verify report; a changed event or nonce does not"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
