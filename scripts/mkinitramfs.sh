#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the Linux partition's initramfs from Debian's busybox-static (arm64)
# and guest/linux/: mkinitramfs.sh OUT.cpio [FILE=/PATH]...
# Each FILE=/PATH that exists is added at /PATH (the build adds umbra.ko at
# /lib/modules/umbra.ko and the umbra CLI at /bin/umbra); missing ones are
# skipped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/tests"
cp "$top/deps/arm64/bin/busybox" "$stage/bin/busybox"
for applet in sh ash mount umount cat echo ls mkdir nproc devmem poweroff reboot \
	halt sleep dmesg grep sed head tail uname cttyhack setsid dd hexdump sync ps \
	kill true false free yes seq cut wc tr date md5sum sha256sum od rm cp \
	insmod rmmod lsmod; do
	ln -s busybox "$stage/bin/$applet"
done
cp "$top/guest/linux/init" "$stage/init"
chmod 755 "$stage/init"
if [ -d "$top/guest/linux/tests" ]; then
	cp "$top"/guest/linux/tests/* "$stage/tests/"
fi
for spec in "$@"; do
	file=${spec%%=*}
	dest=${spec#*=}
	case "$dest" in
	/*) ;;
	*) echo "mkinitramfs: $spec: give FILE=/PATH" >&2; exit 2 ;;
	esac
	[ -f "$file" ] || continue
	mkdir -p "$stage${dest%/*}"
	cp "$file" "$stage$dest"
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
