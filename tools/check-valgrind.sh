#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/check-valgrind.sh: the script-mode suite (tests/integration) with
# every nslab it starts under valgrind memcheck, then every valgrind log
# read: 0 errors and 0 bytes definitely lost are required. Prints TAP: the
# suite's own results, then one result for the valgrind logs.
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
mkdir -m 1777 "$dir/logs"
cat >"$dir/nslab" <<WRAP
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \\
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
	--track-fds=no --log-file=$dir/logs/vg.%p.log "$real" "\$@"
WRAP
chmod 755 "$dir/nslab"

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$src"/tests/integration/*.sh)
n=0 bad=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	# Valgrind makes nslab 20-50 times slower: the tests' own time limit
	# per nslab run grows with it.
	out=$(NSLAB=$dir/nslab TESTS_DIR=$src/tests NSL_TIMEOUT=120 timeout 1200 bash "$t" 2>&1)
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1))
			res=${line%% [0-9]*}
			desc=${line#* [0-9]* }
			echo "$res $n - $name: ${desc#- }"
			[ "$res" = ok ] || bad=$((bad + 1)) ;;
		"#"*) [ "$bad" -gt 0 ] && echo "$line" ;;
		esac
	done <<<"$out"
done

# Every log: a memcheck error or a definite leak anywhere is a failure. A
# process that exec'd a program or was killed (nslab-init at the end of a
# lab) writes no summary: its log is searched for errors all the same.
errors=0 lost=0 checked=0 unfinished=0
heads='^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched|Source and destination|Argument)'
for f in "$dir"/logs/vg.*.log; do
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
	[ "$errors" -le 3 ] && grep -vE '^==[0-9]+== *$' "$f" | sed 's/^/#   /' | head -40
done
n=$((n + 1))
desc="valgrind: $checked nslab processes checked to the end, $unfinished up to exec or kill; $errors with errors, $lost with memory definitely lost"
if [ "$errors" -eq 0 ] && [ "$checked" -gt 0 ]; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
echo "1..$n"
[ "$bad" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$checked" -gt 0 ]
