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
# Reproducible, whoever builds it when and where: every mtime the source
# date (SOURCE_DATE_EPOCH, else the last commit's time), modes from the
# file alone (not the umask of the checkout or the build), owners 0:0,
# names sorted, no device or inode numbers of the build host.
epoch=${SOURCE_DATE_EPOCH:-}
[ -n "$epoch" ] || epoch=$(git -C "$top" log -1 --format=%ct 2>/dev/null) || epoch=0
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -perm -u+x -exec chmod 0755 {} +
find "$stage" -type f ! -perm -u+x -exec chmod 0644 {} +
find "$stage" -exec touch -h -d "@$epoch" {} +
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) >"$out"
