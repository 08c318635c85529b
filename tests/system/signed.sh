#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System tests of signed images and anti-rollback (docs/signing.md): the run
# configuration with the rtos's signer-key (build/signed/run-signed.dtb),
# the anti-rollback store in QEMU's second flash bank (a file under
# build/signed/), Linux unsigned beside it. Each case boots QEMU (bounded)
# until Linux is up, then checks the console. Prints PASS/FAIL per case and
# "N passed, M failed"; exits non-zero on any failure.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
run=$top/scripts/run-qemu.sh
sign=$BUILD/tools/umbra-sign
s=$BUILD/signed
logdir=$BUILD/systest/logs
mkdir -p "$logdir"
passed=0
failed=0
linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
store=$s/test-store.img

# boot NAME RTOS_IMAGE [run-qemu args]: until Linux is up (or 240 s);
# $dtb, $initrd and $until (a regex) may say otherwise
boot() {
	name=$1 image=$2
	shift 2
	log=$logdir/signed-$name.log
	: >"$log"
	"$run" -t 240 -d "${dtb:-$s/run-signed.dtb}" -g "linux=$linux" \
		-r "linux=${initrd:-$BUILD/linux/initramfs.cpio}" -g "rtos=$image" "$@" \
		</dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null &&
	      ! grep -qE "${until:-umbra-linux: ready}|PANIC|powering off" "$log"; do
		sleep 0.5
	done
	sleep 2   # a little more of the rtos, if it runs
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
flash() { echo -- -drive "if=pflash,unit=1,format=raw,file=$store"; }

verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems (log: $log)"
		grep -aE '^umbra: ' "$log" | head -n 20 | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
}
expect() { grep -qF -- "$1" "$log" || problems="$problems missing '$1';"; }
refuse() { ! grep -qF -- "$1" "$log" || problems="$problems unexpected '$1';"; }
linux_up() { expect "umbra-linux: ready: 3 CPUs"; }

# 1. A correctly signed rtos (SVN 2) boots with the store at minimum 1; it
#    confirms after a second of running and the minimum becomes 2, in the
#    flash file (a fresh store from umbra-sign store); Linux boots beside it
#    (unsigned: a warning).
problems=
"$sign" store -o "$store" rtos=1 >/dev/null
boot ok "$s/rtos-svn2.img" $(flash)
expect "anti-rollback: store at 0x4000000, valid (generation 1, 1 entries)"
expect "partition 'rtos': image signed by"
expect "SVN 2 (minimum 1)"
expect "[rtos] rtos: heartbeat 5"
expect "partition 'rtos': confirmed: minimum SVN now 2 (store generation 2)"
expect "warning: partition 'linux': unsigned image"
linux_up
"$sign" store-show "$store" | grep -qx 'rtos=2' || problems="$problems store does not say rtos=2;"
verdict "signed rtos boots, confirms, minimum SVN raised to 2 in flash"

# 2.-6. Refused images, each with its name; the rtos does not start, Linux
#    does. The store (minimum 2 from case 1) is not changed by any.
refused() {	# refused CASE IMAGE ERROR
	problems=
	boot "$1" "$2" $(flash)
	expect "umbra: error [$3]: partition 'rtos':"
	expect "it does not start"
	refuse "[rtos] rtos: heartbeat"
	refuse "partition 0 'rtos'"
	linux_up
	"$sign" store-show "$store" | grep -qx 'rtos=2' || problems="$problems store changed;"
	verdict "$1: refused as $3, Linux boots"
}
refused rollback "$s/rtos-svn1.img" image-rollback
refused tampered "$s/rtos-tampered.img" image-signature
refused wrong-key "$s/rtos-otherkey.img" image-signer
refused wrong-name "$s/rtos-wrongname.img" image-name
refused bad-envelope "$s/rtos-badheader.img" image-envelope
refused unsigned "$BUILD/rtos.bin" image-envelope

# 7. A torn write: slot 1 (the newest record, from case 1) cut half-way;
#    the older record in slot 0 (minimum 1) is used: SVN 2 still boots.
problems=
# a write cut at byte 128: the rest of the slot still erased (0xff)
head -c 128 /dev/zero | tr '\0' '\377' |
	dd of="$store" bs=1 seek=$((0x40000 + 128)) conv=notrunc status=none
"$sign" store-show "$store" | grep -qx 'slot 0, generation 1' ||
	problems="$problems the torn store does not read as slot 0 on the host;"
boot torn "$s/rtos-svn2.img" $(flash)
expect "anti-rollback: store at 0x4000000, valid (generation 1, 1 entries)"
expect "SVN 2 (minimum 1)"
expect "[rtos] rtos: heartbeat 5"
linux_up
verdict "torn newest record: the other copy is used"

# 8. Both copies bad: the store is unreadable, signed images are refused
#    (fail closed); Linux (unsigned) boots.
problems=
printf 'XXXX' | dd of="$store" bs=1 seek=8 conv=notrunc status=none
printf 'XXXX' | dd of="$store" bs=1 seek=$((0x40000 + 8)) conv=notrunc status=none
boot corrupt "$s/rtos-svn2.img" $(flash)
expect "anti-rollback: both store records are bad"
expect "umbra: error [image-rollback]: partition 'rtos': the anti-rollback store is unreadable"
refuse "[rtos] rtos: heartbeat"
linux_up
verdict "both store copies bad: signed images refused"

# 9. Live update from Linux (guest/linux/tests/update): the rtos runs a
#    signed SVN 2; Linux hands it a tampered version 2 (refused, the old
#    rtos's heartbeat goes on), then the signed version 2 (SVN 3): Umbra
#    stops the rtos, loads, measures (the measurement changes) and starts
#    it; its heartbeat says (v2); it confirms, the minimum becomes 3.
problems=
"$sign" store -o "$store" rtos=1 >/dev/null
dtb=$s/run-update.dtb initrd=$s/initramfs-update.cpio until='linux-test: update done'
boot update "$s/rtos-svn2.img" $(flash)
dtb= initrd= until=
expect "[rtos] rtos: app version 1"
expect "umbra: error [image-signature]: update of partition 'rtos' refused"
expect "update rtos: refused: image-signature (rtos runs on)"
expect "linux-test: bad update exit status 1"
# the old rtos ran on between the refusal and the update
tr -d '\r' <"$log" | sed -n "/update rtos: refused/,/rtos: restarting (live update)/p" |
	grep -q '^\[rtos\] rtos: heartbeat [0-9]*$' ||
	problems="$problems no heartbeat of the old rtos after the refusal;"
expect "umbra: rtos: updated to SVN 3: down"
expect "[rtos] rtos: app version 2"
grep -q '^\[rtos\] rtos: heartbeat [0-9]* (v2)' "$log" || problems="$problems no v2 heartbeat;"
expect "linux-test: update exit status 0"
m=$(sed -n "s/.*umbra: rtos: measurement \([0-9a-f]*\)\.\.\. -> \([0-9a-f]*\)\.\.\..*/\1 \2/p" "$log")
set -- $m
[ $# -eq 2 ] && [ "$1" != "$2" ] || problems="$problems measurement did not change ($m);"
expect "partition 'rtos': confirmed: minimum SVN now 3"
"$sign" store-show "$store" | grep -qx 'rtos=3' || problems="$problems store does not say rtos=3;"
down=$(sed -n 's/.*update rtos: done, down \([0-9]*\) us.*/\1/p' "$log")
[ -n "$down" ] || problems="$problems no downtime reported;"
echo "live update: rtos down ${down:-?} us (Umbra: stop to start of the new image)"
grep -a "updated to SVN 3" "$log" | sed 's/^/    /'
verdict "live update: bad image refused (old rtos runs on), signed v2 loaded, measured, confirmed"

echo "signed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
