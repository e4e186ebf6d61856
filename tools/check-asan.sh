#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/check-asan.sh: the whole `make check` (unit, integration and
# terminal tests) against an AddressSanitizer + UBSan build
# (./configure --enable-asan), made in a copy of the tree of its own, as
# the source tree may be configured in place. Prints TAP: each result of
# the suite, then one for the sanitizers' own reports (there must be none).
#
#   tools/check-asan.sh [BUILD_DIR]   (default ${TMPDIR:-/tmp}/nslab-asan-build)
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${TMPDIR:-/tmp}/nslab-asan-build}

mkdir -p "$build" || exit 1
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" ls-files -coz --exclude-standard | (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$build"
else
	(cd "$src" && tar -cf - .) | tar -xf - -C "$build"
fi
if ! (cd "$build" && { [ -f Makefile ] && grep -q -- '-fsanitize=address' Makefile ||
	{ autoreconf -fi && ./configure --enable-asan --enable-werror; }; } && make -j"$(nproc)") \
	>"$build/asan-build.log" 2>&1; then
	tail -20 "$build/asan-build.log" | sed 's/^/# /'
	echo "not ok 1 - asan: build (log: $build/asan-build.log)"
	echo "1..1"
	exit 1
fi

# Sanitizer reports go to files: many tests throw nslab's stderr away, and
# a report must fail the run wherever it happened. The directory is open to
# all, as the tests also run nslab as nobody.
reports=$(mktemp -d "${TMPDIR:-/tmp}/nslab-asan-reports.XXXXXX") || exit 1
chmod 1777 "$reports"
trap 'rm -rf "$reports"' EXIT
# ASAN_OPTIONS:
#   detect_leaks=1: LeakSanitizer runs when nslab exits. The children nslab
#     forks into the lab's namespaces end with _exit(), which skips it:
#     their heap is the parent's copy, and a leak check in a child that has
#     joined another PID namespace cannot stop its threads by their PIDs
#     there. So leaks are checked in nslab itself, at every exit path.
#   abort_on_error=0, exitcode 23 (ASan's default): a finding ends nslab
#     with status 23 and fails the test that ran it, besides the report.
#   handle_abort=1: nslab's out-of-memory abort() shows a stack too.
# UBSAN_OPTIONS: halt_on_error=1, as a UBSan finding would otherwise only
#   print and go on.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:handle_abort=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="log_path=$reports/lsan"

make -C "$build" -j"$(nproc)" -k check >"$build/asan-check.log" 2>&1
rc=$?
n=0 bad=0
while IFS= read -r line; do
	res=${line%%:*} rest=${line#*: }
	n=$((n + 1))
	# What this stage checks is memory errors: a test that fails under
	# ASan's slower, hungrier build (timing, RSS) without a sanitizer
	# report is shown, not counted; the plain make check counts it.
	case $res in
	PASS|XFAIL) echo "ok $n - asan: $rest" ;;
	SKIP) echo "ok $n - asan: ${rest%% # SKIP*} # SKIP ${rest#* # SKIP}" ;;
	*) n=$((n - 1)); echo "# under ASan, without a sanitizer report of its own: $res: $rest"; bad=$((bad + 1)) ;;
	esac
done < <(grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR): ' "$build/asan-check.log")

n=$((n + 1))
found=$(find "$reports" -type f | wc -l)
if [ "$found" -eq 0 ]; then
	echo "ok $n - asan: no AddressSanitizer, LeakSanitizer or UBSan report"
else
	echo "not ok $n - asan: $found sanitizer reports (make check exit $rc)"
	find "$reports" -type f | head -3 | while read -r f; do head -30 "$f" | sed 's/^/#   /'; done
fi
echo "1..$n"
[ "$found" -eq 0 ]
