#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/check-valgrind.sh: the script-mode suite (tests/integration) with
# every nslab it starts under valgrind memcheck, then every valgrind log
# read: 0 errors and 0 bytes definitely lost are required. Prints TAP, one
# result per test script: the memcheck verdict on all the nslab processes
# it started. The suite's own results under valgrind are shown as notes,
# not counted: make check counts them, and under valgrind some cannot hold
# (valgrind 3.19 does not implement setdomainname(2) and says ENOSYS;
# everything runs 20-50 times slower).
#
#   tools/check-valgrind.sh [NSLAB] [TEST...]
#     NSLAB: the binary (default: src/nslab of this tree, built)
#     TEST:  test scripts (default: tests/integration/*.sh)
#
# How: NSLAB points the tests at a wrapper that execs valgrind on the real
# binary. Forked children (lab_call, the namespace helper, nslab-init) are
# checked too, each in its own log (%p); the programs nslab runs in the lab
# are not (no --trace-children), as they are not nslab's code.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
real=${1:-$src/src/nslab}
shift $(($# > 0 ? 1 : 0))
case $real in /*) ;; *) real=$PWD/$real ;; esac
[ -x "$real" ] || { echo "Bail out! no nslab binary at $real"; exit 1; }
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed (apt-get install valgrind)"; exit 0; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/nslab-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
# The tests also run nslab as nobody: the wrapper and the logs must be
# reachable by everyone.
chmod 755 "$dir"
install -m 644 "$src/tools/valgrind.supp" "$dir/valgrind.supp"
cat >"$dir/nslab.in" <<WRAP
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \\
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
	--track-fds=no --suppressions=$dir/valgrind.supp \\
	--log-file=@LOGS@/vg.%p.log "$real" "\$@"
WRAP

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$src"/tests/integration/*.sh)
heads='^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched|Source and destination|Argument)'
n=0 bad=0 all_checked=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	logs=$dir/logs.$name
	mkdir -m 1777 "$logs"
	sed "s|@LOGS@|$logs|" "$dir/nslab.in" >"$dir/nslab" && chmod 755 "$dir/nslab"
	# The tests' own limit per nslab run grows with valgrind's slowness.
	NSLAB=$dir/nslab TESTS_DIR=$src/tests NSL_TIMEOUT=120 timeout 1200 bash "$t" >"$dir/$name.tap" 2>&1
	oks=$(grep -c '^ok ' "$dir/$name.tap") nots=$(grep -c '^not ok ' "$dir/$name.tap")

	# Every log: a memcheck error or a definite leak anywhere is a
	# failure. A process that exec'd a program or was killed (nslab-init
	# at the end of a lab) writes no summary: its log is searched for
	# errors all the same.
	errors=0 lost=0 checked=0 unfinished=0
	for f in "$logs"/vg.*.log; do
		[ -f "$f" ] || continue
		if grep -q 'ERROR SUMMARY: ' "$f"; then
			checked=$((checked + 1))
			grep -qE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "$f" || continue
		else
			unfinished=$((unfinished + 1))
			grep -qE "$heads" "$f" || continue
		fi
		errors=$((errors + 1))
		grep -q 'definitely lost: [1-9]' "$f" && lost=$((lost + 1))
		[ "$errors" -le 2 ] && grep -vE '^==[0-9]+== *$' "$f" | sed 's/^/#   /' | head -40
	done
	all_checked=$((all_checked + checked))
	n=$((n + 1))
	desc="valgrind: $name: $checked nslab processes checked to the end, $unfinished up to exec or kill; $errors with errors, $lost with memory definitely lost"
	if [ "$checked" -eq 0 ] && grep -q '^1\.\.0 # SKIP' "$dir/$name.tap"; then
		echo "ok $n - valgrind: $name # SKIP $(sed -n 's/^1\.\.0 # SKIP *//p' "$dir/$name.tap")"
	elif [ "$errors" -eq 0 ] && [ "$checked" -gt 0 ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		bad=$((bad + 1))
	fi
	echo "# $name under valgrind: $oks of its own tests passed, $nots failed (not counted here)"
	[ "$nots" -eq 0 ] || grep '^not ok ' "$dir/$name.tap" | head -5 | sed 's/^/#   /'
done
echo "# valgrind: $all_checked nslab processes checked in all"
echo "1..$n"
[ "$bad" -eq 0 ]
