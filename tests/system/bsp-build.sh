#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System test: the build a board support package drives (docs/building.md),
# run the way a Buildroot package or a Yocto recipe runs it:
#
#   - the source as a release tarball has it: the tracked files, no deps/,
#     no build/, no .git (so SOURCE_DATE_EPOCH is given, as BSPs do);
#   - an external sysroot assembled in a temporary directory: libfdt and
#     BearSSL (arm64, from deps/), the cross compiler's C library;
#   - an external kernel build directory (KDIR=, Debian's headers here);
#   - an out-of-tree build directory (O=), DESTDIR= and IMAGEDIR= installs.
#
# Checks: it builds and installs what docs/building.md lists, writes nothing
# into the source, runs no QEMU, and makes the same bytes as the regular
# build in $BUILD (same compiler, same libraries: anything else would mean a
# path or a deps/ file leaked in). Prints PASS/FAIL; exits 1 on failure.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umbra-bsp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
problems=
fail() { problems="$problems $*;"; }

# ---- the inputs a BSP has --------------------------------------------------
src=$tmp/src
mkdir -p "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	tar --null --no-recursion -T - -cf - 2>/dev/null) | tar -xf - -C "$src"
rm -rf "$src/deps" "$src/build"
epoch=$(git -C "$top" log -1 --format=%ct)

sysroot=$tmp/sysroot
mkdir -p "$sysroot/usr/include" "$sysroot/usr/lib"
# the C library (what the toolchain's own sysroot would hold)
for f in /usr/"${CROSS_COMPILE%-}"/include/*; do ln -s "$f" "$sysroot/usr/include/"; done
for f in /usr/"${CROSS_COMPILE%-}"/lib/*; do ln -s "$f" "$sysroot/usr/lib/"; done
# libfdt and BearSSL, as their packages install them into staging
for f in fdt.h libfdt.h libfdt_env.h bearssl.h bearssl; do
	cp -r "$top/deps/arm64/usr/include/$f" "$sysroot/usr/include/"
done
cp "$top"/deps/arm64/usr/lib/aarch64-linux-gnu/libfdt.a \
	"$top"/deps/arm64/usr/lib/aarch64-linux-gnu/libbearssl.a "$sysroot/usr/lib/"

kdir=$(ls -d "$top"/deps/arm64/usr/src/linux-headers-*-arm64 | tail -n 1)
ln -s "$kdir" "$tmp/kernel-build"

find "$src" -type f | LC_ALL=C sort >"$tmp/src-files.before"

# ---- the invocation (docs/building.md, "Driving it from a BSP") ----------
out=$tmp/out
bsp_make() {
	env -i PATH="$PATH" HOME="$tmp" SOURCE_DATE_EPOCH="$epoch" \
	make -C "$src" O="$out" CROSS_COMPILE="$CROSS_COMPILE" SYSROOT="$sysroot" \
		KDIR="$tmp/kernel-build" -j2 "$@" >>"$tmp/make.log" 2>&1
}
t0=$(date +%s)
bsp_make bsp || fail "make bsp failed"
[ -n "$problems" ] || bsp_make DESTDIR="$tmp/rootfs" install-target || fail "make install-target failed"
[ -n "$problems" ] || bsp_make DESTDIR="$tmp/sdk" PREFIX=/usr install-sdk || fail "make install-sdk failed"
[ -n "$problems" ] || bsp_make IMAGEDIR="$tmp/images" install-images || fail "make install-images failed"
t1=$(date +%s)

# ---- checks ----------------------------------------------------------------
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
for f in rootfs/lib/modules/$release/extra/umbra.ko rootfs/lib/modules/$release/extra/umbra_chan.ko \
	rootfs/usr/bin/umbra rootfs/usr/bin/umbra-chan \
	images/umbra.bin images/rtos.bin images/guest-test.bin \
	out/tools/umbra-provision out/tools/umbra-verify out/tools/umbra-config-check \
	sdk/usr/bin/umbra-config-check sdk/usr/include/umbra/umbra_abi.h sdk/usr/share/umbra/images/umbra.bin \
	"sdk/usr/src/umbra-$(cat "$top/VERSION")/dkms.conf"; do
	[ -s "$tmp/$f" ] || fail "no ${f#*/} in ${f%%/*}"
done
[ -z "$(find "$tmp/rootfs" -type f ! -perm 0644 ! -perm 0755 2>/dev/null)" ] ||
	fail "installed files with modes other than 0644/0755"

find "$src" -type f | LC_ALL=C sort >"$tmp/src-files.after"
cmp -s "$tmp/src-files.before" "$tmp/src-files.after" || fail "the build wrote into the source tree"
! grep -q 'qemu-system' "$tmp/make.log" || fail "the build ran QEMU"

# the same bytes as the regular build
for pair in umbra.bin=images/umbra.bin rtos.bin=images/rtos.bin guest-test.bin=images/guest-test.bin \
	linux/umbra.ko=rootfs/lib/modules/$release/extra/umbra.ko \
	linux/umbra_chan.ko=rootfs/lib/modules/$release/extra/umbra_chan.ko \
	linux/umbra=rootfs/usr/bin/umbra linux/umbra-chan=rootfs/usr/bin/umbra-chan; do
	ours=$BUILD/${pair%%=*} theirs=$tmp/${pair#*=}
	if [ ! -f "$ours" ]; then
		fail "no $ours to compare with (make all first)"
	elif [ -f "$theirs" ] && ! cmp -s "$ours" "$theirs"; then
		fail "${pair#*=} differs from the regular build's ${pair%%=*}"
	fi
done

if [ -z "$problems" ]; then
	echo "PASS bsp build: O=, CROSS_COMPILE=, SYSROOT= and KDIR= from a tarball tree without deps/" \
		"($((t1 - t0)) s), installs, same bytes as $BUILD"
	exit 0
fi
echo "FAIL bsp build:$problems"
tail -n 20 "$tmp/make.log" | sed 's/^/    | /'
exit 1
