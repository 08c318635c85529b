#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the Linux partition's initramfs from Debian's busybox-static (arm64)
# and guest/linux/: mkinitramfs.sh OUT.cpio
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/tests"
cp "$top/deps/arm64/bin/busybox" "$stage/bin/busybox"
for applet in sh ash mount umount cat echo ls mkdir nproc devmem poweroff reboot \
	halt sleep dmesg grep sed head tail uname cttyhack setsid dd hexdump sync ps \
	kill true false free yes seq cut wc tr date md5sum sha256sum od rm cp; do
	ln -s busybox "$stage/bin/$applet"
done
cp "$top/guest/linux/init" "$stage/init"
chmod 755 "$stage/init"
if [ -d "$top/guest/linux/tests" ]; then
	cp "$top"/guest/linux/tests/* "$stage/tests/"
fi
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
