#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Print one partition's console lines from a captured Umbra console, without
# their "[NAME] " tag, rejoining lines the console split at 120 characters.
#
#   scripts/untag.sh NAME [LOG]     (LOG: default standard input)
[ $# -ge 1 ] || { echo "usage: $0 NAME [LOG]" >&2; exit 2; }
name=$1
shift
tr -d '\r' <"${1:-/dev/stdin}" | awk -v tag="[$name] " -v max=120 '
	index($0, tag) == 1 {
		s = substr($0, length(tag) + 1); buf = buf s
		if (length(s) < max) { print buf; buf = "" }
	}
	END { if (buf != "") print buf }'
