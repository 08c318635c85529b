#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Attestation, end to end: boot Umbra with Linux and the rtos partition,
# have Linux fetch a token for NONCE (umbra attest), and verify it on the
# host against this device's endorsement key and the reference values of
# this build booted from this DTB (umbra-verify), then independently in
# Python. The nonce is on Linux's command line, so it is part of the
# measured configuration (partition/config): the reference values are made
# from the very DTB that boots.
#
#   scripts/attest-demo.sh [NONCE_HEX]    (32, 48 or 64 bytes; default: random)
#
# Run ./scripts/setup.sh && make first.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
nonce=${1:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}
linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 2>/dev/null | head -n 1)
for f in "${linux:-$top/deps/arm64/boot/vmlinuz-*-arm64}" "$build/systest/linux-attest.dtb" \
	"$build/linux/initramfs.cpio" "$build/guest-test.bin" "$build/tools/umbra-verify" \
	"$build/attest/reference-linux.json" "$build/attest/device-ek.pem"; do
	[ -f "$f" ] || { echo "attest-demo: no $f: run ./scripts/setup.sh && make first" >&2; exit 2; }
done
dtb=$build/systest/linux-attest.dtb
out=$build/attest/demo
mkdir -p "$out"
log=$out/console.log

# Linux's command line: umbra.test=attest runs guest/linux/tests/attest
cp "$build/systest/linux-attest.dtb" "$out/platform.dtb"
dtb=$out/platform.dtb
fdtput -t s "$dtb" /umbra/linux bootargs \
	"console=ttyAMA0 rdinit=/init umbra.test=attest umbra.nonce=$nonce"
BUILD=$build "$top/scripts/attest-reference.sh" "$out/reference.json" "$dtb" linux "$linux" \
	"$build/linux/initramfs.cpio"
echo "booting; Linux will ask Umbra for a token with nonce $nonce"
"$top/scripts/run-qemu.sh" -t 300 -d "$dtb" -g "linux=$linux" \
	-r "linux=$build/linux/initramfs.cpio" -g "rtos=$build/guest-test.bin" \
	</dev/null >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && ! grep -q 'linux-test: done\|PANIC' "$log"; do sleep 0.5; done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$top/scripts/untag.sh" linux "$log" | sed -n 's/^linux-test: token \([0-9a-f]*\)$/\1/p' | head -n 1 |
	/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' \
	>"$out/token.cbor"
[ -s "$out/token.cbor" ] || { echo "no token from Linux; see $log" >&2; exit 1; }
echo "token: $out/token.cbor ($(stat -c %s "$out/token.cbor") bytes)"
"$build/tools/umbra-verify" --token "$out/token.cbor" --ek "$build/attest/device-ek.pem" \
	--nonce "$nonce" --reference "$out/reference.json"
"$top/tests/system/verify_token.py" "$out/token.cbor" "$build/attest/device-ek.pem" "$nonce" \
	"$out/reference.json"
