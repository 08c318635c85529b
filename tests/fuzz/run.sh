#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/fuzz/run.sh BUILD SECONDS TARGET...: run each fuzz target for
# SECONDS on its committed corpus (tests/fuzz/corpus/TARGET, read first,
# never written) and what earlier runs found (BUILD/fuzz/corpus/TARGET,
# where new inputs go). One line per target; a crash, leak, hang (10 s
# per input) or sanitizer report fails it, its input saved in
# BUILD/fuzz/crashes/TARGET/ and the end of its log shown.
build=$1 secs=$2
shift 2
passed=0 failed=0
for t in "$@"; do
	mkdir -p "$build/fuzz/corpus/$t" "$build/fuzz/crashes/$t"
	log=$build/fuzz/$t.log
	"$build/fuzz/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/fuzz/crashes/$t/" \
		"$build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "fuzz $t: ok, ${runs:-?} inputs in ${secs} s, $cov"
	else
		failed=$((failed + 1))
		tail -30 "$log"
		echo "fuzz $t: FAILED (exit $rc; input in $build/fuzz/crashes/$t/, log $log)"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
