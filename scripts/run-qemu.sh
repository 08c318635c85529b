#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boot Umbra on QEMU virt (EL2, GICv3) with a platform DTB that carries the
# partition config, and the partition images placed where the config says.
#
#   scripts/run-qemu.sh [-d DTB] [-i FILE@ADDR]... [-t SECONDS] [-s SMP] [-m MEM]
#                       [-e] [-- extra QEMU args]
#   -d DTB        platform DTB with the /umbra config (default: the test config)
#   -i FILE@ADDR  place FILE in RAM at ADDR (repeatable; default: test guest)
#   -n            place no images at all
#   -t SECONDS    stop QEMU after this long (default 120; 0 = no limit)
#   -e            enter at EL1 (virtualization=off): to see Umbra refuse it
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
dtb=$build/dt/qemu-virt-test.dtb
images=
limit=${UMBRA_TIMEOUT:-120}
smp=4
mem=1G
virt=on

while [ $# -gt 0 ]; do
	case "$1" in
	-d) dtb=$2; shift 2 ;;
	-i) images="$images $2"; shift 2 ;;
	-t) limit=$2; shift 2 ;;
	-s) smp=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-e) virt=off; shift ;;
	-n) images=none; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [-d DTB] [-i FILE@ADDR]... [-t SECONDS] [-s SMP] [-m MEM] [-e] [-n] [-- QEMU args]" >&2
	   exit 2 ;;
	esac
done
[ -n "$images" ] || images="$build/guest-test.bin@0x41000000"
[ "$images" != none ] || images=

loaders=
for spec in $images; do
	file=${spec%@*}
	addr=${spec##*@}
	[ -f "$file" ] || { echo "run-qemu: no such image: $file" >&2; exit 2; }
	loaders="$loaders -device loader,file=$file,addr=$addr,force-raw=on"
done

set -- -M virt,virtualization=$virt,gic-version=3 -cpu cortex-a72 \
	-smp "$smp" -m "$mem" -nographic -nic none -monitor none \
	-kernel "$build/umbra.bin" -dtb "$dtb" $loaders "$@"

if [ "$limit" = 0 ]; then
	exec qemu-system-aarch64 "$@"
fi
exec timeout --foreground -k 5 "$limit" qemu-system-aarch64 "$@"
