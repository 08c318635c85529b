#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs everything Umbra needs to build, run and test on Debian 12.
# Idempotent and quiet when everything is already there.
#   host tools:      apt-get install (as root, or through sudo)
#   arm64 libraries: apt-get download PKG:arm64 + dpkg-deb -x into deps/arm64
#   arm64 kernel headers (for guest/linux/module): the same way, for the
#                    kernel's ABI, built with the host's linux-kbuild-6.1
# arm64 packages are only ever downloaded and unpacked, never installed: installing one would replace the host compiler.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/deps"

HOST_PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
qemu-system-arm device-tree-compiler libfdt-dev check pkg-config cpio python3
libbearssl-dev python3-cbor2 python3-cryptography python3-cryptography-vectors
u-boot-qemu gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross clang lld llvm"
# (libc6-dev-arm64-cross: the static arm64 CLIs in the initramfs; apt only
# recommends it with the cross compiler. clang, lld, llvm: make LLVM=1.)
# Kbuild's host programs for Debian's 6.1 kernel headers (Multi-Arch: foreign).
# It comes from the linux source package: don't let apt pull the rest along.
KBUILD_PKG=linux-kbuild-6.1
TARGET_PKGS="libfdt-dev libbearssl-dev busybox-static"

if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*"; }

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	$SUDO apt-get update -qq >/dev/null
	apt_updated=1
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=
for p in $HOST_PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt_update
	log "installing host packages:$missing"
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! installed "$KBUILD_PKG"; then
	apt_update
	log "installing host package $KBUILD_PKG"
	$SUDO apt-get install -y -qq --no-install-recommends \
		-o APT::Get::Upgrade-By-Source-Package=false "$KBUILD_PKG" >/dev/null
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "enabling the arm64 architecture for apt-get download"
	$SUDO dpkg --add-architecture arm64
	apt_updated=
	apt_update
fi

# Debian's arm64 kernel: the ABI in the package name changes with security
# updates, so look it up (linux-image-arm64 depends on the current one).
if ! ls "$deps"/stamps/linux-image-*-arm64 >/dev/null 2>&1; then
	apt_update
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
	[ -n "$kpkg" ] || { log "cannot find Debian's arm64 kernel package"; exit 1; }
	TARGET_PKGS="$TARGET_PKGS $kpkg"
fi

# fetch PKG [ARCH [VERSION]]: apt-get download PKG (":ARCH", "=VERSION"
# when given) and unpack it into deps/arm64, once.
fetch() {
	[ -f "$deps/stamps/$1" ] && return 0
	spec=$1${2:+:$2}
	if [ -n "${3:-}" ] && apt-cache show "$spec=$3" >/dev/null 2>&1; then
		spec=$spec=$3
	elif ! apt-cache show "$1${2:+:$2}" >/dev/null 2>&1; then
		apt_update
	fi
	log "fetching $spec"
	(cd "$deps/debs" && apt-get download -qq "$spec" 2>&1 |
		grep -v 'unsandboxed' || true)
	deb=$(ls "$deps/debs/${1}_"*_"${2:-all}".deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || { log "cannot fetch $spec"; exit 1; }
	dpkg-deb -x "$deb" "$deps/arm64"
	touch "$deps/stamps/$1"
}

mkdir -p "$deps/debs" "$deps/arm64" "$deps/stamps"
for p in $TARGET_PKGS; do
	fetch "$p" arm64
done

# Headers of exactly that kernel's ABI (linux-image-6.1.0-56-arm64 ->
# linux-headers-6.1.0-56-arm64, arm64, + linux-headers-6.1.0-56-common,
# Architecture: all), the kernel's version when the archive still has it.
kimg=$(cd "$deps/stamps" && ls -d linux-image-*-arm64 | tail -n 1)
abi=${kimg#linux-image-}
kdeb=$(ls "$deps/debs/${kimg}_"*_arm64.deb 2>/dev/null | tail -n 1)
kver=
[ -z "$kdeb" ] || kver=$(dpkg-deb -f "$kdeb" Version)
fetch "linux-headers-$abi" arm64 "$kver"
fetch "linux-headers-${abi%-arm64}-common" "" "$kver"

# Make the unpacked headers usable where they are (checked on every run:
# the repository may have moved): the arch tree includes the common tree's
# Makefile by its /usr/src path, and both trees link scripts/ and tools/
# relative to /usr/src; point them at the unpacked tree and at the host's
# linux-kbuild-6.1.
src="$deps/arm64/usr/src"
inc="include $src/linux-headers-${abi%-arm64}-common/Makefile"
if [ "$(cat "$src/linux-headers-$abi/Makefile")" != "$inc" ]; then
	printf '%s\n' "$inc" >"$src/linux-headers-$abi/Makefile"
fi
for tree in "linux-headers-$abi" "linux-headers-${abi%-arm64}-common"; do
	for l in scripts tools; do
		if [ "$(readlink "$src/$tree/$l")" != "/usr/lib/$KBUILD_PKG/$l" ]; then
			ln -sfn "/usr/lib/$KBUILD_PKG/$l" "$src/$tree/$l"
		fi
	done
done
