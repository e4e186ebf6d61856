#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz/run.sh: build the libFuzzer targets (clang, --enable-fuzzing, in a
# copy of the tree of its own) and run each for a while from its seed
# corpus in fuzz/corpus/TARGET. A target passes when
#   - it ran without a crash (ASan, UBSan, a failed property, a timeout),
#   - its coverage grew past what the seeds alone reach (libFuzzer's `cov:`
#     edges or `ft:` features, at INITED against at DONE), and
#   - its canary build (-DFUZZ_CANARY) found the one rare input planted in
#     it, so a fuzzer that never ran or cannot see a crash cannot pass.
# Prints executions and crashes per target; --tap prints TAP (for CI).
#
#   fuzz/run.sh [-t SECONDS | -r RUNS] [-l MAX_LEN] [-c CANARY_SECONDS] [-B BUILD_DIR] [--tap] [TARGET...]
#     -t  seconds of fuzzing per target (default 20)
#     -r  executions per target instead (e.g. 10000000 for a long run)
#     -l  longest input (default 4096; asciicast always 12000)
#     -c  at most this long for each canary (default 120)
#     -B  where to build (default ${TMPDIR:-/tmp}/nslab-fuzz-build; kept, so a
#         second run only rebuilds what changed)
#   Targets: parse command args idmap json asciicast escape (default: all).
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
all_targets="parse command args idmap json asciicast escape"
secs=20
runs=
max_len=
canary_secs=120
build=${TMPDIR:-/tmp}/nslab-fuzz-build
tap=false
while [ $# -gt 0 ]; do
	case $1 in
	-t) secs=$2; shift ;;
	-r) runs=$2; secs=86400; shift ;;
	-l) max_len=$2; shift ;;
	-c) canary_secs=$2; shift ;;
	-B) build=$2; shift ;;
	--tap) tap=true ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
targets=${*:-$all_targets}

say() { if $tap; then echo "# $*"; else echo "$*"; fi; }
n=0 failed=0
result() { # OK|FAIL DESC
	n=$((n + 1))
	if $tap; then
		if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
	else
		echo "$1: $2"
	fi
	[ "$1" = OK ] || failed=$((failed + 1))
}

# ---- build, in a copy: the source tree may be configured for gcc in place
build_targets() {
	mkdir -p "$build" || return 1
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$src" ls-files -coz --exclude-standard | (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$build"
	else
		(cd "$src" && tar --exclude=./fuzz/corpus -cf - .) | tar -xf - -C "$build"
	fi || return 1
	(
		cd "$build" || exit 1
		[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] &&
			[ configure -nt fuzz/list.am ] || autoreconf -fi || exit 1
		[ -f Makefile ] && [ Makefile -nt configure ] && grep -q '^FUZZ_LDFLAGS = -fsanitize=fuzzer' Makefile ||
			./configure --enable-fuzzing --enable-werror || exit 1
		progs=""
		for t in $targets; do progs="$progs fuzz/fuzz-$t fuzz/fuzz-$t-canary"; done
		# shellcheck disable=SC2086 # one word per program
		make -j"$(nproc)" $progs
	) >"$build/fuzz-build.log" 2>&1
}

if ! build_targets; then
	tail -30 "$build/fuzz-build.log" >&2
	result FAIL "fuzz targets build (log: $build/fuzz-build.log)"
	$tap && echo "1..$n"
	exit 1
fi
say "built in $build (clang, ASan, UBSan, libFuzzer)"

# libFuzzer's numbers from its log: FIELD at the line with TAG (INITED/DONE).
stat_at() { sed -n "s/.*$2.* $1: \([0-9]*\).*/\1/p" "$3" | tail -1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
total_execs=0
for t in $targets; do
	opts=(-timeout=10 -rss_limit_mb=2560 -print_final_stats=1)
	# The writer cuts its input into 4096-byte blocks: inputs past that.
	if [ "$t" = asciicast ]; then
		opts+=(-max_len=12000)
	elif [ -n "$max_len" ]; then
		opts+=(-max_len="$max_len")
	fi
	mkdir -p "$work/$t.corpus" "$work/$t.art" "$work/$t.canary-corpus" "$work/$t.canary-art"
	log=$work/$t.log
	start=$(date +%s)
	"$build/fuzz/fuzz-$t" "${opts[@]}" -max_total_time="$secs" ${runs:+-runs=$runs} \
		-artifact_prefix="$work/$t.art/" "$work/$t.corpus" "$src/fuzz/corpus/$t" >"$log" 2>&1
	rc=$? took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crashes=$(find "$work/$t.art" -type f | wc -l)
	cov0=$(stat_at cov INITED "$log") cov1=$(stat_at cov DONE "$log")
	ft0=$(stat_at ft INITED "$log") ft1=$(stat_at ft DONE "$log")
	execs=${execs:-0} total_execs=$((total_execs + ${execs:-0}))
	desc="fuzz $t: $execs executions in ${took}s, $crashes crashes, cov ${cov0:-?} -> ${cov1:-?}, ft ${ft0:-?} -> ${ft1:-?}"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ -z "$cov1" ]; then
		result FAIL "$desc"
		grep -m5 -E 'ERROR|property failed|runtime error|SUMMARY' "$log" | sed 's/^/#   /'
		for a in "$work/$t.art"/*; do
			[ -f "$a" ] || continue
			mkdir -p "$build/fuzz-crashes" && cp "$a" "$build/fuzz-crashes/$t-$(basename "$a")"
			say "  input kept: $build/fuzz-crashes/$t-$(basename "$a")"
		done
	elif [ "${cov1:-0}" -le "${cov0:-0}" ] && [ "${ft1:-0}" -le "${ft0:-0}" ]; then
		result FAIL "$desc: coverage did not grow past the seeds"
	else
		result OK "$desc"
	fi

	# The canary: must be found, and be what stopped the fuzzer.
	clog=$work/$t.canary.log
	start=$(date +%s)
	"$build/fuzz/fuzz-$t-canary" "${opts[@]}" -max_total_time="$canary_secs" -dict="$src/fuzz/canary.dict" \
		-artifact_prefix="$work/$t.canary-art/" "$work/$t.canary-corpus" "$src/fuzz/corpus/$t" >"$clog" 2>&1
	crc=$? took=$(($(date +%s) - start))
	if [ "$crc" -ne 0 ] && grep -q 'FUZZ CANARY FOUND' "$clog"; then
		result OK "fuzz $t: the planted canary was found in ${took}s"
	else
		result FAIL "fuzz $t: the planted canary was not found in ${canary_secs}s (exit $crc)"
		grep -m3 -E 'ERROR|DONE' "$clog" | sed 's/^/#   /'
	fi
done
say "fuzz: $total_execs executions in all, $failed failed checks"
$tap && echo "1..$n"
[ "$failed" -eq 0 ]
