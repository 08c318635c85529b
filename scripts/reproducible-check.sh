#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Is this commit's build reproducible? Builds it twice, in two clones that
# differ in everything that must not matter, and compares the SHA-256 of
# every artefact that is measured or installed, and the reference values
# `make reference-values` prints. Prints a table; exits 1 on a difference.
#
#   scripts/reproducible-check.sh [-k] [COMMIT]     (default: HEAD)
#   -k   keep the two clones (the path is printed)
#
# The two builds:
#                 A                        B
#   checkout      $work/a/umbra            $work/b/a/much/longer/path/src
#   build dir     build/ (in the tree)     O=$work/b/out (outside it)
#   umask         022                      077 (checkout and build)
#   TZ, locale    UTC, C.UTF-8             Pacific/Kiritimati (UTC+14), C
#   time          now                      later (B starts after A ends)
#   make          -j2                      -j1
#   deps/         a symlink to this tree's a hard-linked copy (so the kernel
#                                          headers are at another path)
# Both from a clean environment (env -i): SOURCE_DATE_EPOCH unset, so each
# takes the commit's time. Uncommitted changes are not part of the check.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
keep=
if [ "${1:-}" = -k ]; then keep=1; shift; fi
commit=$(git -C "$top" rev-parse --verify "${1:-HEAD}^{commit}")
[ -d "$top/deps/arm64" ] || { echo "reproducible-check: no deps/: run ./scripts/setup.sh" >&2; exit 2; }
if [ -z "${1:-}" ] && [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
	echo "reproducible-check: note: uncommitted changes are not checked (building $commit)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/umbra-repro.XXXXXX")
[ -z "$keep" ] || : >"$work/.keep"
# the clones go, unless asked for or a build failed or differed
trap '[ -e "$work/.keep" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# clone DIR: a checkout of $commit at DIR (with the current umask)
clone() {
	git clone -q --no-checkout "$top" "$1"
	git -C "$1" checkout -q --detach "$commit"
}

# run_make NAME OUT DIR TZ LOCALE JOBS MAKEARGS...: make from a clean
# environment, its output in OUT, errors also in $work/NAME.log
run_make() {
	name=$1 out=$2 dir=$3 tz=$4 loc=$5 jobs=$6
	shift 6
	env -i PATH="$PATH" HOME="$work" TZ="$tz" LC_ALL="$loc" \
		make -C "$dir" --no-print-directory -j"$jobs" "$@" >"$out" 2>>"$work/$name.log" || {
		echo "reproducible-check: build $name failed (make $*): see $work/$name.log, $out" >&2
		tail -n 20 "$out" >&2
		: >"$work/.keep"
		exit 1
	}
}

# What is compared: relative to the build directory. The images Umbra
# loads and measures, what a BSP installs, the DTBs, the reference values.
ARTEFACTS="umbra.bin attest/umbra-measured.bin umbra.elf rtos.bin guest-test.bin
linux/initramfs.cpio linux/umbra.ko linux/umbra_chan.ko linux/umbra linux/umbra-chan
dt/qemu-virt-test.dtb dt/qemu-virt-run.dtb
attest/reference.json attest/reference-rtos.json attest/reference-linux.json
tools/umbra-provision tools/umbra-verify tools/umbra-config-check"
targets() {	# targets BUILD: make's names for them
	for f in $ARTEFACTS; do printf '%s/%s ' "$1" "$f"; done
}

t0=$(date +%s)
# ---- A ---------------------------------------------------------------------
a=$work/a/umbra
(
	umask 022
	clone "$a"
	ln -s "$top/deps" "$a/deps"
	run_make a "$work/a.out" "$a" UTC C.UTF-8 2 BUILD=build $(targets build)
	run_make a "$work/a.ref" "$a" UTC C.UTF-8 2 -s BUILD=build reference-values
)
ta=$(date +%s)

# ---- B ---------------------------------------------------------------------
b=$work/b/a/much/longer/path/src
bout=$work/b/out
(
	umask 077
	clone "$b"
	# deps/ by hard links (no copy of its 500 MB), but the one file
	# scripts/setup.sh writes for the tree's location made afresh: the
	# kernel headers' Makefile includes the common headers by path
	# (resolved first: a clone whose deps/ is a symlink would otherwise
	# get the symlink, and the rewrite below would land in its target)
	cp -al "$(readlink -f "$top/deps")" "$b/deps"
	for mk in "$b"/deps/arm64/usr/src/linux-headers-*-arm64/Makefile; do
		common=$(sed -n 's|^include .*/\(linux-headers-[^/]*-common\)/Makefile$|\1|p' "$mk")
		rm -f "$mk"
		printf 'include %s\n' "$b/deps/arm64/usr/src/$common/Makefile" >"$mk"
	done
	run_make b "$work/b.out" "$b" Pacific/Kiritimati C 1 O="$bout" $(targets "$bout")
	run_make b "$work/b.ref" "$b" Pacific/Kiritimati C 1 -s O="$bout" reference-values
)
tb=$(date +%s)

# ---- compare ---------------------------------------------------------------
diffs=0
hash() { if [ -f "$1" ]; then sha256sum <"$1" | cut -d ' ' -f 1; else echo missing; fi; }
row() {	# row NAME FILE_A FILE_B
	ha=$(hash "$2") hb=$(hash "$3")
	if [ "$ha" = "$hb" ] && [ "$ha" != missing ]; then
		printf '%-28s %s  same\n' "$1" "$ha"
	else
		printf '%-28s %s  DIFFERS\n%-28s %s\n' "$1" "$ha" "" "$hb"
		diffs=$((diffs + 1))
	fi
}

echo "reproducible-check: commit $commit, SOURCE_DATE_EPOCH $(git -C "$top" log -1 --format=%ct "$commit")"
echo "  A: $a (build/, umask 022, TZ=UTC, -j2): $((ta - t0)) s"
echo "  B: $b (O=$bout, umask 077, TZ=Pacific/Kiritimati, -j1): $((tb - ta)) s"
printf '%-28s %-64s\n' artefact sha256
for f in $ARTEFACTS; do
	row "$f" "$a/build/$f" "$bout/$f"
done
row "make reference-values" "$work/a.ref" "$work/b.ref"
if ! grep -q '"partition/image"' "$work/a.ref"; then
	echo "reproducible-check: make reference-values printed no reference values"
	diffs=$((diffs + 1))
fi

if [ "$diffs" -ne 0 ]; then
	echo "reproducible-check: FAIL: $diffs artefact(s) differ (compare with cmp, strings or diffoscope;" \
		"the clones stay in $work)"
	: >"$work/.keep"
	exit 1
fi
echo "reproducible-check: PASS: the two builds are identical"
[ -z "$keep" ] || echo "reproducible-check: clones kept in $work"
exit 0
