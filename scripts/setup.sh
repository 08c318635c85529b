#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs everything Umbra needs to build, run and test on Debian 12.
# Idempotent and quiet when everything is already there.
#   host tools:      apt-get install (as root, or through sudo)
#   arm64 libraries: apt-get download PKG:arm64 + dpkg-deb -x into deps/arm64
# Never apt-get install an :arm64 package: it would replace the host compiler.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/deps"

HOST_PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
qemu-system-arm device-tree-compiler libfdt-dev check pkg-config cpio python3
libbearssl-dev python3-cbor2 python3-cryptography python3-cryptography-vectors
u-boot-qemu"
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

mkdir -p "$deps/debs" "$deps/arm64" "$deps/stamps"
for p in $TARGET_PKGS; do
	[ -f "$deps/stamps/$p" ] && continue
	if ! apt-cache show "$p:arm64" >/dev/null 2>&1; then
		apt_update
	fi
	log "fetching $p:arm64"
	(cd "$deps/debs" && apt-get download -qq "$p:arm64" 2>&1 |
		grep -v 'unsandboxed' || true)
	deb=$(ls "$deps/debs/${p}_"*_arm64.deb | tail -n 1)
	dpkg-deb -x "$deb" "$deps/arm64"
	touch "$deps/stamps/$p"
done
