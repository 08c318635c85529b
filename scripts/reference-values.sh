#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Print the attestation reference values of this build: for each partition
# of the example configurations, what a verifier expects in its tokens
# (docs/attestation.md, "Reference values of a release"). Computed by
# umbra-provision from the images the build made; no device involved.
# `make reference-values` builds what it needs and runs this.
#
#   scripts/reference-values.sh [BUILD]
#
# The output names no path of the checkout or the build: two builds of one
# commit print the same bytes (make reproducible-check compares them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-build}}
case "$build" in /*) ;; *) build=$top/$build ;; esac
att=$build/attest

commit=$(git -C "$top" rev-parse HEAD 2>/dev/null) || commit=unknown
if [ "$commit" != unknown ] &&
   [ -n "$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	commit="$commit + uncommitted changes (not a release)"
fi

sha() { sha256sum <"$1" | cut -d ' ' -f 1; }

echo "# Umbra attestation reference values (docs/attestation.md)"
echo "# source: commit $commit"
echo "# SOURCE_DATE_EPOCH: ${SOURCE_DATE_EPOCH:-unset}"
[ -z "${CC_T:-}" ] || echo "# target compiler: $($CC_T --version | head -n 1)"
[ -z "${LD_T:-}" ] || echo "# target linker: $($LD_T --version | head -n 1)"
# what the images are made of besides this source: Debian's packages
# (static libraries linked into the images, the Linux kernel, busybox)
# (the package scripts/setup.sh unpacked: the last of its name)
for stamp in "$top"/deps/stamps/*; do
	[ -f "$stamp" ] || continue
	deb=$(ls "$top/deps/debs/${stamp##*/}"_*.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || continue
	echo "# from Debian: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) ($(dpkg-deb -f "$deb" Architecture))"
done
echo "# umbra.bin: $(sha "$build/umbra.bin"); umbra/image is the SHA-256 of its first" \
	"$(stat -c %s "$att/umbra-measured.bin") bytes (text and rodata, what Umbra measures)"

show() {	# show FILE TITLE
	[ -f "$att/$1" ] || return 0
	echo "== $2: $1"
	cat "$att/$1"
}
show reference.json "partition 'guest' of the test configuration (the test guest, guest-test.bin)"
show reference-rtos.json "partition 'rtos' of the run configuration (rtos.bin)"
show reference-linux.json "partition 'linux' of the run configuration (Debian's kernel, initramfs.cpio)"
