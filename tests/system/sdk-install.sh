#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# System test of the SDK (mk/sdk.mk): `make install` into a temporary
# DESTDIR with PREFIX=/opt/umbra-sdk, then use only what it installed:
#   - the files are there, the host tools say this VERSION and the
#     installed config-check accepts the installed test overlay with the
#     installed images;
#   - the guest ABI headers compile for the target;
#   - the modules build from the installed sources as dkms would build them
#     (dkms.conf's MAKE[0], against the kernel headers in deps/), and
#   - those modules load and work in the Linux partition under Umbra
#     (guest/linux/tests/sdk);
#   - make dist is reproducible and versioned.
# Prints PASS/FAIL per check and "N passed, M failed"; exits non-zero on a
# failure.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
logdir=$BUILD/systest/logs
mkdir -p "$logdir"
log=$logdir/sdk-install.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/umbra-sdk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
problems=
version=$(cat "$top/VERSION")
prefix=/opt/umbra-sdk
dest=$tmp/root
sdk=$dest$prefix

verdict() {
	if [ -z "$problems" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1:$problems"
		failed=$((failed + 1))
	fi
	problems=
}

# 1. make install: the target side and the SDK, where PREFIX says
make -C "$top" -s BUILD="$BUILD" DESTDIR="$dest" PREFIX="$prefix" install >"$tmp/install.log" 2>&1 ||
	problems="$problems make install failed: $(tail -n 3 "$tmp/install.log");"
for f in bin/umbra-config-check bin/umbra-provision bin/umbra-verify bin/umbra bin/umbra-chan \
	include/umbra/umbra_abi.h include/umbra/umbra_chan.h include/umbra/umbra_ioctl.h \
	include/umbra/umbra_chan_ioctl.h \
	share/umbra/images/umbra.bin share/umbra/images/rtos.bin share/umbra/images/guest-test.bin \
	share/umbra/dt/qemu-virt-test.dtso \
	share/umbra/dt/qemu-virt-test.dtbo share/doc/umbra/umbra-binding.md share/doc/umbra/porting.md \
	src/umbra-$version/dkms.conf src/umbra-$version/Kbuild src/umbra-$version/umbra.c \
	src/umbra-$version/umbra_chan.c src/umbra-$version/include/umbra_abi.h; do
	[ -s "$sdk/$f" ] || problems="$problems no $f;"
done
ls "$dest"/lib/modules/*/extra/umbra.ko >/dev/null 2>&1 || problems="$problems no installed umbra.ko;"
cmp -s "$BUILD/umbra.bin" "$sdk/share/umbra/images/umbra.bin" || problems="$problems umbra.bin differs;"
grep -qx "PACKAGE_VERSION=\"$version\"" "$sdk/src/umbra-$version/dkms.conf" ||
	problems="$problems dkms.conf does not say version $version;"
verdict "sdk: make install DESTDIR= PREFIX=$prefix installs images, overlays, binding, tools, headers, module sources"

# 2. the installed host tools
for t in umbra-config-check umbra-provision umbra-verify; do
	"$sdk/bin/$t" --version 2>&1 | grep -qF "$version" || problems="$problems $t --version;"
done
fdtoverlay -i "$BUILD/dt/virt-smp4-m1G.dtb" -o "$tmp/test.dtb" "$sdk/share/umbra/dt/qemu-virt-test.dtbo" &&
	"$sdk/bin/umbra-config-check" --umbra "$sdk/share/umbra/images/umbra.bin@0x40200000" \
		--image "$sdk/share/umbra/images/guest-test.bin@0x41000000" "$tmp/test.dtb" \
		>"$tmp/check.log" 2>&1 && grep -q 'configuration valid' "$tmp/check.log" ||
	problems="$problems installed config-check on the installed overlay: $(tail -n 2 "$tmp/check.log");"
verdict "sdk: installed tools say $version; installed config-check accepts the installed overlay"

# 3. the guest ABI headers, for the target, from the install only
cat >"$tmp/abi.c" <<'C'
#include <umbra/umbra_abi.h>
#include <umbra/umbra_chan.h>
#include <umbra/umbra_ioctl.h>
#include <umbra/umbra_chan_ioctl.h>
_Static_assert(UMBRA_HC_VERSION == 0x86000000u, "UMBRA_HC_VERSION");
int main(void) { return UMBRA_CHAN_WRITABLE == 1u ? 0 : 1; }
C
"${CROSS_COMPILE}gcc" -std=gnu11 -Wall -Wextra -Werror -I"$sdk/include" -I"$sdk/include/umbra" \
	-c -o "$tmp/abi.o" "$tmp/abi.c" >"$tmp/abi.log" 2>&1 ||
	problems="$problems headers do not compile: $(head -n 3 "$tmp/abi.log");"
verdict "sdk: the installed guest ABI headers compile for the target"

# 4. dkms's build of the installed sources: its tree
#    (DKMS_TREE/umbra/VERSION/build) and dkms.conf's MAKE[0], against
#    the kernel headers in deps/
kdir=$(ls -d "$top"/deps/arm64/usr/src/linux-headers-*-arm64 | tail -n 1)
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
dkms=$tmp/dkms
mkdir -p "$dkms/umbra/$version"
cp -r "$sdk/src/umbra-$version" "$dkms/umbra/$version/build"
env -i PATH="$PATH" HOME="$tmp" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
	kernel_source_dir="$kdir" dkms_tree="$dkms" conf="$dkms/umbra/$version/build/dkms.conf" \
	bash -c '. "$conf" && eval "${MAKE[0]}"' >"$tmp/dkms.log" 2>&1 ||
	problems="$problems the dkms build failed: $(tail -n 3 "$tmp/dkms.log");"
for m in umbra umbra_chan; do
	ko=$dkms/umbra/$version/build/$m.ko
	if [ ! -s "$ko" ]; then
		problems="$problems no $m.ko;"
	elif ! strings "$ko" | grep -q "^vermagic=$release "; then
		problems="$problems $m.ko is not for $release;"
	fi
done
verdict "sdk: umbra.ko and umbra_chan.ko build from the installed sources with dkms.conf's MAKE (kernel $release)"

# 5. Those modules in the Linux partition under Umbra: the initramfs with
#    them in place of the build's own, the linux-sdk config with its size.
if [ -s "$dkms/umbra/$version/build/umbra_chan.ko" ]; then
	mkdir "$tmp/initrd"
	(cd "$tmp/initrd" && cpio -id --quiet <"$BUILD/linux/initramfs.cpio")
	cp "$dkms/umbra/$version/build/umbra.ko" "$dkms/umbra/$version/build/umbra_chan.ko" \
		"$tmp/initrd/lib/modules/"
	(cd "$tmp/initrd" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$tmp/initramfs.cpio"
	cp "$BUILD/systest/linux-sdk.dtb" "$tmp/sdk.dtb"
	fdtput -t x "$tmp/sdk.dtb" /umbra/linux initrd 0 43400000 0 \
		"$(printf '%x' "$(stat -c %s "$tmp/initramfs.cpio")")"
	linux=$(ls "$top"/deps/arm64/boot/vmlinuz-*-arm64 | head -n 1)
	: >"$log"
	"$top/scripts/run-qemu.sh" -t 240 -d "$tmp/sdk.dtb" -g "linux=$linux" \
		-r "linux=$tmp/initramfs.cpio" -g "rtos=$BUILD/rtos.bin" </dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ! grep -aqE 'linux: stopped|PANIC' "$log"; do
		sleep 0.5
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	out=$("$top/scripts/untag.sh" linux "$log")
	for m in umbra umbra_chan; do
		echo "$out" | grep -qx "linux-test: insmod $m exit status 0" || problems="$problems insmod $m failed;"
		echo "$out" | grep -q "^linux-test: module $m .* Live " || problems="$problems $m not live;"
	done
	echo "$out" | grep -q "^linux-test: info " || problems="$problems umbra info printed nothing;"
	echo "$out" | grep -q "^linux-test: rtos time: " || problems="$problems no time from the rtos;"
	echo "$out" | grep -qx "linux-test: echo exit status 0" || problems="$problems channel echo failed;"
	! grep -aq 'PANIC' "$log" || problems="$problems PANIC;"
else
	problems="$problems no modules to boot with;"
fi
verdict "sdk: the modules built from the installed sources load and work in Linux under Umbra (log: $log)"

# 6. make dist: versioned, the same bytes twice
make -C "$top" -s BUILD="$tmp/dist1" dist >"$tmp/dist.log" 2>&1 &&
	make -C "$top" -s BUILD="$tmp/dist2" dist >>"$tmp/dist.log" 2>&1 ||
	problems="$problems make dist failed: $(tail -n 2 "$tmp/dist.log");"
t1=$tmp/dist1/umbra-$version.tar.gz
t2=$tmp/dist2/umbra-$version.tar.gz
if [ -s "$t1" ] && [ -s "$t2" ]; then
	cmp -s "$t1" "$t2" || problems="$problems two make dist differ;"
	tar -tzf "$t1" >"$tmp/dist.list"
	grep -qx "umbra-$version/VERSION" "$tmp/dist.list" || problems="$problems no VERSION in the tarball;"
	grep -qx "umbra-$version/hyp/main.c" "$tmp/dist.list" || problems="$problems no hyp/main.c in the tarball;"
	! grep -qE "^umbra-$version/(build|deps)(/|$)" "$tmp/dist.list" || problems="$problems build/ or deps/ in the tarball;"
else
	problems="$problems no tarball;"
fi
verdict "sdk: make dist makes umbra-$version.tar.gz, the same bytes twice"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
