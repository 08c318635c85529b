#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The reference values (docs/attestation.md, "Reference values") for one
# partition of a configuration: what a verifier expects in that
# partition's token when Umbra boots this build from DTB with IMAGE (and
# INITRD) in the partition's staging regions. umbra-provision computes
# every digest: Umbra's image as it measures it, the configuration from
# the DTB (umbra/config, partition/config), the partition's image(s).
#
#   scripts/attest-reference.sh OUT.json DTB PARTITION IMAGE [INITRD]
#
# The board (implementation id) is the DTB's first root compatible, as
# Umbra takes it; the lifecycle is "secured" (a production build).
set -eu
[ $# -ge 4 ] && [ $# -le 5 ] || {
	echo "usage: $0 OUT.json DTB PARTITION IMAGE [INITRD]" >&2
	exit 2
}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
out=$1 dtb=$2 part=$3 image=$4 initrd=${5:-}
board=$(fdtget -t s "$dtb" / compatible | cut -d' ' -f1)
set -- umbra/image="$build/attest/umbra-measured.bin" partition/image="arm64:$image"
[ -z "$initrd" ] || set -- "$@" partition/initrd="$initrd"
exec "$build/tools/umbra-provision" reference -o "$out" --board "$board" \
	--lifecycle secured --dtb "$dtb" --partition "$part" \
	--umbra-version "$(cat "$top/VERSION")" "$@"
