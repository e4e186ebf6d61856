#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh: programs in the lab (run, a bare program name, enter) and on the
# host (host): what they see, how their end is reported, missing programs,
# the file descriptors and directory they start with.
# nslab commands and messages hold a literal $ and backticks:
# shellcheck disable=SC2016
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"
host_name=$(cat /proc/sys/kernel/hostname)

# ---- run, a bare program name, host
nsl 'unshare uts; hostname runlab; echo @@run; run hostname; echo @@bare; uname -n; echo @@path; /bin/uname -n; echo @@host; host hostname'
rc_is "run, a bare program and host succeed" 0
is "nothing on stderr" "" "$ERR"
is "run PROGRAM runs in the lab" "runlab" "$(part run)"
is "a bare program name runs in the lab" "runlab" "$(part bare)"
is "a program given by its path runs in the lab" "runlab" "$(part path)"
is "host PROGRAM runs on the host" "$host_name" "$(part host)"

nsl 'run echo one; hostname; run echo two; host echo three; run echo four'
is "program output and nslab's own output keep their order" \
	"one"$'\n'"$host_name"$'\ntwo\nthree\nfour' "$OUT"

nsl "run sh -c 'printf \"%s|\" \"\$@\"' sh 'a b' \"c'd\" '' e\\ f"
is "arguments reach the program as quoted" "a b|c'd||e f|" "$OUT"

# ---- enter
nsl 'unshare uts; hostname enterlab; enter /bin/sh -c '\''echo "$NSLAB_LAB $(hostname)"; echo "$PS1"'\'''
rc_is "enter PROGRAM ARGS succeeds" 0
is "enter sets NSLAB_LAB and runs in the lab" "lab1 enterlab" "$(sed -n 2p <<<"$OUT")"
like "enter gives a prompt that names the lab and what it isolates" "$(sed -n 3p <<<"$OUT")" 'lab1:uts'

nsl_script enter-input >/dev/null <<'IN'
echo "inside=$NSLAB_LAB $(hostname)"
exit 0
IN
NSL_STDIN=$T/enter-input SHELL=/bin/sh nsl 'unshare uts; hostname shelllab; enter; echo @@back; hostname'
NSL_STDIN=/dev/null
rc_is "enter with no program starts \$SHELL and comes back" 0
like "the shell runs in the lab" "$OUT" '^inside=lab1 shelllab$'
is "after the shell exits, nslab goes on" "shelllab" "$(part back)"

nsl 'enter /bin/sh -c "exit 5"'
fails_cleanly "enter reports the shell's exit status" 'exit status 5'

# ---- how programs end
nsl 'run sh -c "exit 3"'
fails_cleanly "a program's nonzero exit fails the command" 'exit status 3'
like "the failure names the program" "$ERR" '^-c:1: sh: exit status 3$'
nsl 'run sh -c '\''kill -TERM $$'\'''
fails_cleanly "a program killed by a signal is reported so" 'killed by SIGTERM'
nsl 'host sh -c "exit 4"'
fails_cleanly "host reports the exit status too" 'exit status 4'
nsl 'run false'
is "a failing program makes nslab exit 1" 1 "$RC"
nsl '! run false; run true'
rc_is "! run false is an expected failure" 0
like "and says it failed as expected" "$OUT" '^failed as expected: false: exit status 1$'
nsl 'run sh -c "exit 3"; run echo not-reached'
lacks "a script stops at a failing program" "$OUT" "not-reached"

# ---- missing programs
nsl 'run /nonexistent/program'
fails_cleanly "run of a missing path" 'not found'
nsl 'run nslab-no-such-program'
fails_cleanly "run of a missing program name" 'nslab-no-such-program: command not found'
nsl 'host nslab-no-such-program'
fails_cleanly "host of a missing program" 'nslab-no-such-program: command not found'
nsl 'enter /nonexistent/shell'
fails_cleanly "enter of a missing program" 'not found'
SHELL=/nonexistent/shell nsl 'enter'
fails_cleanly "enter with a missing \$SHELL" 'not found'
nsl 'run'
fails_cleanly "run without a program shows the usage" 'usage: run PROGRAM'
nsl 'host'
fails_cleanly "host without a program shows the usage" 'usage: host PROGRAM'
nsl "run $T"
fails_cleanly "run of a directory" "$T"

# ---- what a lab program starts with
nsl 'unshare pid mnt; mount proc; run sh -c '\''echo $$'\'''
inner=$(tail -n 1 <<<"$OUT")
check "a program in a PID namespace has a small PID ($inner)" test "$inner" -le 10
nsl 'unshare mnt; run pwd'
is "a program in a mount namespace starts in nslab's directory" "$T" "$(tail -n 1 <<<"$OUT")"
nsl 'run sh -c '\''ls /proc/$$/fd; :'\''' 7</dev/null 9>"$T/fd9"
is "run: the program holds only fds 0, 1 and 2, not nslab's inherited 7 and 9" $'0\n1\n2' "$OUT"
nsl 'unshare uts ipc pid mnt; mount proc; run sh -c '\''ls /proc/$$/fd; :'\''' 7</dev/null 9>"$T/fd9"
is "run in a full lab: only fds 0, 1 and 2" $'0\n1\n2' "$(tail -n +5 <<<"$OUT")"
nsl 'enter /bin/sh -c '\''ls /proc/$$/fd; :'\''' 7</dev/null 9>"$T/fd9"
is "enter: the shell holds only fds 0, 1 and 2" $'0\n1\n2' "$OUT"
nsl 'run sh -c '\''grep -E "^Cap(Inh|Amb)" /proc/$$/status'\'''
is "a lab program has no inheritable or ambient capabilities" \
	$'CapInh:\t0000000000000000\nCapAmb:\t0000000000000000' "$OUT"

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
