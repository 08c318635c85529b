#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boot from storage (mk/bootdisk.mk): QEMU has U-Boot as firmware and one
# virtio-blk disk (build/bootdisk/systest.img, by scripts/mkbootdisk.py)
# and places nothing in memory (no -kernel, no -device loader). U-Boot's
# distro boot must find the script on the disk, load Umbra, the images
# and the device secret from it, add the /umbra configuration to the DT
# QEMU gave it and booti Umbra; then the run config's Linux (poweroff
# test) and rtos come up and power off in turn, and QEMU exits 0.
# Prints PASS/FAIL and "N passed, M failed"; exits non-zero on a failure.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
logdir=$BUILD/systest/logs
mkdir -p "$logdir"
log=$logdir/uboot-disk.log
passed=0
failed=0
problems=

expect() { grep -aqF -- "$1" "$log" || problems="$problems missing '$1';"; }
refuse() { ! grep -aqF -- "$1" "$log" || problems="$problems unexpected '$1';"; }
verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems (log: $log)"
		grep -aE '^umbra: |^umbra-boot|^Found|^Scanning|rror' "$log" | head -n 25 | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
	problems=
}

disk=$BUILD/bootdisk/systest.img
# the command line: firmware and the disk, nothing placed in memory
cmd=$(sh -x "$top/scripts/run-qemu.sh" -t 1 -d "$BUILD/systest/linux-poweroff.dtb" -b "$disk" -- -S \
	</dev/null 2>&1 >/dev/null | grep '^+ exec .*qemu-system-aarch64 ' | tail -n 1)
case "$cmd" in
*"-device loader"*|*" -kernel "*|*" -dtb "*|"") problems="$problems QEMU command line: '$cmd';" ;;
*" -bios "*"-device virtio-blk-device,drive=bootdisk"*) ;;
*) problems="$problems no U-Boot and boot disk in '$cmd';" ;;
esac
verdict "storage boot: QEMU gets U-Boot and a disk only (no -kernel, no -device loader)"

"$top/scripts/run-qemu.sh" -t 300 -d "$BUILD/systest/linux-poweroff.dtb" -b "$disk" \
	</dev/null >"$log" 2>&1
rc=$?

# 1. U-Boot found the script on the disk and ran it.
expect "Found U-Boot script /boot.scr.uimg"
expect "umbra-boot: loading from virtio 0:1"
expect "umbra-boot: configuration added, starting umbra.bin"
expect "Starting kernel"
refuse "SCRIPT FAILED"
refuse "Bad Linux ARM64 Image magic"
verdict "storage boot: U-Boot loads Umbra, the images and the configuration from virtio-blk"

# 2. Umbra took that configuration (the overlay, added by the script)
#    and the images from the disk: both partitions run and power off.
expect "Umbra $(cat "$top/VERSION") at EL2"
refuse "umbra: error"
refuse "PANIC"
expect "partition 0 'rtos'"
expect "partition 1 'linux'"
expect "umbra-linux: ready: 3 CPUs"
expect "linux-test: powering off"
expect "linux: stopped (PSCI SYSTEM_OFF)"
expect "rtos: heartbeat"
expect "rtos: stopped (PSCI SYSTEM_OFF)"
expect "all partitions are off: powering off"
[ "$rc" = 0 ] || problems="$problems exit status $rc (want 0);"
verdict "storage boot: Linux and rtos up from the disk's images, then off; QEMU exits 0"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
