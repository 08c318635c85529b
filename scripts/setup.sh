#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs everything Umbra needs to build, run and test on Debian 12.
# Idempotent and quiet when everything is already there.
#   host tools:      apt-get install (as root, or through sudo)
#   arm64 libraries: apt-get download PKG:arm64 + dpkg-deb -x into deps/arm64
#   arm64 kernel headers (for guest/linux/module): the same way, for the
#                    kernel's ABI, built with the host's linux-kbuild-6.1
# arm64 packages are only ever downloaded and unpacked, never installed: installing one would replace the host compiler.
# When done it writes deps/stamps/setup (this script's SHA-256), which the
# Makefile looks for.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/deps"

# Everything `make`, `make run` and `make check` run on the host, as a
# minimal Debian 12 (debootstrap --variant=minbase) lacks it; installed
# without Recommends, so each one that is needed is named here:
#   libc6-dev-arm64-cross  the arm64 libc for the static Linux-side tools
#                          (guest/linux/cli); gcc-aarch64-linux-gnu only
#                          recommends it
HOST_PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
libc6-dev-arm64-cross
qemu-system-arm device-tree-compiler libfdt-dev check pkg-config cpio python3
libbearssl-dev python3-cbor2 python3-cryptography python3-cryptography-vectors
u-boot-qemu gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross clang lld llvm
libclang-rt-14-dev"
# (libc6-dev-arm64-cross: the static arm64 CLIs in the initramfs; apt only
# recommends it with the cross compiler. clang, lld, llvm: make LLVM=1.
# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes of make fuzz and
# fuzz-smoke; clang only recommends it.)
# Kbuild's host programs for Debian's 6.1 kernel headers (Multi-Arch: foreign).
# It comes from the linux source package: don't let apt pull the rest along.
KBUILD_PKG=linux-kbuild-6.1
TARGET_PKGS="libfdt-dev libbearssl-dev busybox-static"

export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
again="then run ./scripts/setup.sh again"

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
	die "no apt-get here: this script sets up Debian 12 (bookworm) only; elsewhere install the packages README.md lists under Dependencies by hand"
fi
os=$(. /etc/os-release 2>/dev/null && echo "${ID:-?} ${VERSION_ID:-?} ${PRETTY_NAME:-this system}") || os="? ? this system"
case "$os" in
"debian 12 "*) ;;
*) log "warning: ${os#* * } is not Debian 12 (bookworm), which this script is written for: package names may differ" ;;
esac

# as_root CMD...: run CMD as root (directly, or through sudo); say what to
# do when neither is possible.
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=none
fi
as_root() {
	[ "$SUDO" != none ] ||
		die "installing packages needs root, and sudo is not installed: run ./scripts/setup.sh as root (or install sudo)"
	$SUDO "$@"
}

# apt_failed OUTPUT WHAT: show apt's own errors, then one line saying what to do
apt_failed() {
	printf '%s\n' "$1" | grep -E '^(E|W|Err):' | head -n 3 | sed 's/^/  /' >&2
	if printf '%s\n' "$1" | grep -qE 'Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect|Connection failed|Network is unreachable|Cannot initiate the connection|Could not connect'; then
		die "$2: cannot download packages: check the network connection and the apt sources (/etc/apt/sources.list*), $again"
	elif printf '%s\n' "$1" | grep -qE 'Could not get lock|Unable to acquire the dpkg'; then
		die "$2: apt is busy (another apt-get, or unattended-upgrades, is running): wait for it to finish, $again"
	elif printf '%s\n' "$1" | grep -qE 'Unable to locate package|has no installation candidate|Can.t select'; then
		die "$2: a package is not in this system's apt sources: this script needs Debian 12 (bookworm) with its main archive"
	elif [ -n "$SUDO" ] && printf '%s\n' "$1" | grep -qE 'sudoers|^sudo:'; then
		die "$2: sudo refused: run ./scripts/setup.sh as root, or as a user sudo allows"
	fi
	die "$2 failed (apt's messages above): fix that, $again"
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	[ "$SUDO" != none ] || as_root true
	log "apt-get update"
	out=$($SUDO apt-get update -qq --error-on=any 2>&1) || apt_failed "$out" "apt-get update"
	apt_updated=1
}

# apt_install [APT-GET OPTIONS] PKG...: quiet unless it fails
apt_install() {
	[ "$SUDO" != none ] || as_root true
	out=$($SUDO apt-get install -y -qq --no-install-recommends "$@" 2>&1) ||
		apt_failed "$out" "apt-get install"
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
	apt_install $missing
fi
if ! installed "$KBUILD_PKG"; then
	apt_update
	log "installing host package $KBUILD_PKG"
	apt_install -o APT::Get::Upgrade-By-Source-Package=false "$KBUILD_PKG"
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "enabling the arm64 architecture for apt-get download"
	as_root dpkg --add-architecture arm64
	apt_updated=
	apt_update
fi

# Debian's arm64 kernel: the ABI in the package name changes with security
# updates, so look it up (linux-image-arm64 depends on the current one).
if ! ls "$deps"/stamps/linux-image-*-arm64 >/dev/null 2>&1; then
	apt_update
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
	[ -n "$kpkg" ] ||
		die "no linux-image-arm64:arm64 in the apt lists: check that the apt sources have Debian 12's main archive, $again"
	TARGET_PKGS="$TARGET_PKGS $kpkg"
fi

# download SPEC: apt-get download SPEC into deps/debs (no root needed); if
# that fails with lists not updated by this run (too old: the archive has
# moved on), once more after apt-get update.
download() {
	out=$(cd "$deps/debs" && apt-get download -qq "$1" 2>&1) && return 0
	if [ -z "$apt_updated" ]; then
		apt_update
		out=$(cd "$deps/debs" && apt-get download -qq "$1" 2>&1) && return 0
	fi
	apt_failed "$out" "apt-get download $1"
}

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
	download "$spec"
	deb=$(ls "$deps/debs/${1}_"*_"${2:-all}".deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || die "apt-get download $spec left no .deb in $deps/debs"
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

# what the Makefile checks before building: setup ran to the end, and
# since this script last changed (its content, not its mtime: a fresh clone
# sharing deps/ has a new file with the same content)
sha256sum <"$0" | cut -d ' ' -f 1 >"$deps/stamps/setup"
