# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# lib.sh: a small TAP library for nslab's shell tests. Source it first:
#
#   : "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
#   . "$TESTS_DIR/lib.sh"
#
# It runs under bash (it re-executes the test with bash when sourced by
# another sh). The harness sets NSLAB (the binary) and TESTS_DIR; by hand
# they default to this tree's.
#
# TAP:        plan N | done_testing, ok DESC, not_ok DESC, check DESC CMD...,
#             skip DESC REASON, skip_all REASON, diag TEXT, bail REASON
# nslab:      nsl 'CMD; CMD' [OPTION...] (= nslab OPTION... -c TEXT),
#             nslab_run ARG... (any arguments), nsl_script NAME (writes
#             stdin to a script file in $T and prints its path); each sets
#             OUT, ERR and RC. NSL_STDIN (a file, default /dev/null) is
#             nslab's stdin; NSL_AS=nobody runs it unprivileged; NSL_WRAP
#             (an array) is a command to run nslab under.
#             part NAME: OUT's lines after the marker line @@NAME (made in
#             a script with `echo @@NAME`) up to the next @@ line.
# asserts:    is DESC EXPECTED ACTUAL, isnt, contains DESC TEXT NEEDLE,
#             lacks DESC TEXT NEEDLE, like DESC TEXT ERE (some line
#             matches), unlike, rc_is DESC N, lines_is DESC N TEXT,
#             fails_cleanly DESC [ERE] (a failure: nonzero, no crash, one
#             line on stderr), fails_cleanly_host DESC [ERE] (that, and the
#             host unchanged), bad_input DESC 'CMDS' [ERE] (nsl CMDS, then
#             fails_cleanly_host)
# host:       snapshot_begin, snapshot_check DESC, no_lab_process_left [DESC]
# $T is a private temp directory, removed at exit.

if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u

# Some tests leave things behind on purpose (what a SIGKILLed nslab left,
# for the next start to sweep) and every nslab start sweeps: such a test
# holds this lock exclusively (NSLAB_TEST_LOCK=-x before sourcing), every
# other test holds it shared, so their host snapshots never see each other.
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock "${NSLAB_TEST_LOCK:--s}" 8

export LC_ALL=C
unset NSLAB_LAB
: "${TESTS_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
: "${NSLAB:=$TESTS_DIR/../src/nslab}"
export TESTS_DIR NSLAB
# Every process this test starts carries the tag, so the snapshot and
# no_lab_process_left see this test's labs and no one else's.
NSLAB_TEST_TAG="nslabtest.$(basename "$0" .sh).$$"
export NSLAB_TEST_TAG

_tap_n=0
_tap_failed=0
_tap_plan=
_tap_bg_pids=()
T=$(mktemp -d "${TMPDIR:-/tmp}/nsltest.XXXXXX") || {
	echo "Bail out! cannot make a temp directory"
	exit 1
}
chmod 755 "$T"

# ---- cleanup --------------------------------------------------------------

# Background processes a test starts (track_pid PID) are ended at exit, as
# is any nslab process still carrying this test's tag.
track_pid() { _tap_bg_pids+=("$1"); }

_lab_pids() {
	local p pid comm t mine=$$ sub=$BASHPID
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[[ $pid == "$mine" || $pid == "$sub" ]] && continue
		_is_ours "$pid" || continue
		comm=
		read -r comm 2>/dev/null <"$p/comm" || continue
		if [[ $comm == nslab* ]]; then
			echo "$pid"
			continue
		fi
		for t in pid mnt uts ipc net user cgroup time; do
			[[ -e /proc/self/ns/$t ]] || continue
			if ! [[ $p/ns/$t -ef /proc/self/ns/$t ]]; then
				echo "$pid"
				break
			fi
		done
	done
}

# What a buggy lab would most visibly break; put back at exit (and said).
_host_hostname=$(cat /proc/sys/kernel/hostname 2>/dev/null)
_host_domainname=$(cat /proc/sys/kernel/domainname 2>/dev/null)

_restore_host_names() {
	[ "$(id -u)" -eq 0 ] || return 0
	if [ -n "$_host_hostname" ] && [ "$(cat /proc/sys/kernel/hostname)" != "$_host_hostname" ]; then
		echo "lib.sh: the host's hostname was changed; restoring '$_host_hostname'" >&2
		echo "$_host_hostname" >/proc/sys/kernel/hostname
	fi
	if [ -n "$_host_domainname" ] && [ "$(cat /proc/sys/kernel/domainname)" != "$_host_domainname" ]; then
		echo "lib.sh: the host's domain name was changed; restoring '$_host_domainname'" >&2
		echo "$_host_domainname" >/proc/sys/kernel/domainname
	fi
}

# A PID still names a process of this test (not one that reused the PID).
_is_ours() {
	local env=()
	mapfile -d "" -t env 2>/dev/null <"/proc/$1/environ" || return 1
	[[ " ${env[*]} " == *" NSLAB_TEST_TAG=$NSLAB_TEST_TAG "* ]]
}

_tap_cleanup() {
	local p
	for p in "${_tap_bg_pids[@]}"; do
		_is_ours "$p" && kill -KILL "$p" 2>/dev/null
	done
	for p in $(_lab_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	_restore_host_names
	[ -n "${T:-}" ] && rm -rf "$T"
}
trap _tap_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- TAP ------------------------------------------------------------------

plan() {
	_tap_plan=$1
	echo "1..$1"
}

done_testing() {
	[ -n "$_tap_plan" ] || echo "1..$_tap_n"
	return 0
}

diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# diag_block LABEL TEXT: TEXT indented under LABEL, as comments.
diag_block() {
	local line
	printf '#   %s\n' "$1"
	[ -n "$2" ] || {
		printf '#     (empty)\n'
		return
	}
	while IFS= read -r line; do
		printf '#     %s\n' "$line"
	done <<<"$2"
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

bail() {
	echo "Bail out! $1"
	exit 1
}

# check DESC CMD...: ok when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "  command failed: $*"
		return 1
	fi
}

# ---- running nslab ----------------------------------------------------------

OUT=
ERR=
RC=0
NSL_STDIN=/dev/null
NSL_AS=
NSL_WRAP=()
NSL_TIMEOUT=20

nslab_run() {
	local wrap=("${NSL_WRAP[@]}")
	if [ "$NSL_AS" = nobody ]; then
		wrap+=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	elif [ -n "$NSL_AS" ]; then
		wrap+=(setpriv "--reuid=$NSL_AS" "--regid=$NSL_AS" --clear-groups)
	fi
	timeout -k 2 "$NSL_TIMEOUT" "${wrap[@]}" "$NSLAB" "$@" <"$NSL_STDIN" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	if [ "$RC" -eq 124 ]; then
		diag "nslab timed out after ${NSL_TIMEOUT}s: $*"
	fi
	return 0
}

# nsl TEXT [OPTION...]: nslab OPTION... -c TEXT
nsl() {
	local text=$1
	shift
	nslab_run "$@" -c "$text"
}

# nsl_script NAME: stdin becomes $T/NAME; prints the path.
nsl_script() {
	cat >"$T/$1"
	chmod 644 "$T/$1"
	echo "$T/$1"
}

part() {
	awk -v m="@@$1" '$0 == m { on = 1; next } /^@@/ { on = 0 } on' <<<"$OUT"
}

# Where a failed assert shows what nslab did.
_show_run() {
	diag_block "exit code: $RC" ""
	diag_block "stdout:" "$OUT"
	diag_block "stderr:" "$ERR"
}

# ---- asserts ------------------------------------------------------------------

is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected:" "$2"
		diag_block "got:" "$3"
		return 1
	fi
}

isnt() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected anything but:" "$2"
		return 1
	fi
}

contains() {
	if [[ $2 == *"$3"* ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected to contain:" "$3"
		diag_block "in:" "$2"
		return 1
	fi
}

lacks() {
	if [[ $2 != *"$3"* ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected not to contain:" "$3"
		diag_block "in:" "$2"
		return 1
	fi
}

like() {
	if grep -Eq -- "$3" <<<"$2"; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected a line matching:" "$3"
		diag_block "in:" "$2"
		return 1
	fi
}

unlike() {
	if ! grep -Eq -- "$3" <<<"$2"; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "expected no line matching:" "$3"
		diag_block "in:" "$2"
		return 1
	fi
}

rc_is() {
	if [ "$RC" -eq "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "  expected exit code $2"
		_show_run
		return 1
	fi
}

_count_lines() {
	if [ -z "$1" ]; then
		echo 0
	else
		wc -l <<<"$1" | tr -d ' '
	fi
}

lines_is() {
	local n
	n=$(_count_lines "$3")
	if [ "$n" -eq "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "  expected $2 line(s), got $n"
		diag_block "text:" "$3"
		return 1
	fi
}

# The problems with the last run as a failure, one per line; empty if
# it failed as a failure should: exit code 1..127 (not killed, not a
# crash), exactly one line on stderr, matching ERE if given.
_failure_problems() {
	local n
	n=$(_count_lines "$ERR")
	[ "$RC" -ne 0 ] || echo "exit code 0: a failure must exit nonzero"
	[ "$RC" -lt 128 ] || echo "exit code $RC: killed or crashed"
	[ "$RC" -ne 124 ] || echo "timed out"
	[ "$n" -eq 1 ] || echo "$n lines on stderr, expected exactly one"
	if [ -n "${1:-}" ] && ! grep -Eq -- "$1" <<<"$ERR"; then
		echo "stderr does not match: $1"
	fi
}

fails_cleanly() {
	local problems
	problems=$(_failure_problems "${2:-}")
	if [ -z "$problems" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$problems"
		_show_run
		return 1
	fi
}

# fails_cleanly_host DESC [ERE]: the last run failed cleanly and the host is
# as snapshot_begin found it.
fails_cleanly_host() {
	local problems d
	problems=$(_failure_problems "${2:-}")
	d=$(_snapshot_diff)
	[ -z "$d" ] || problems+=$'\n'"the host changed"
	problems=${problems#$'\n'}
	if [ -z "$problems" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$problems"
		_show_run
		[ -z "$d" ] || diag_block "host snapshot diff:" "$d"
		return 1
	fi
}

# bad_input DESC TEXT [ERE]: nslab -c TEXT fails cleanly and leaves the host
# as snapshot_begin found it.
bad_input() {
	nsl "$2"
	fails_cleanly_host "$1" "${3:-}" || diag "  nslab -c '$2'"
}

# ---- the host ---------------------------------------------------------------

# The nslabs of other tests seen so far are remembered ($T/.foreign), so
# that one killed meanwhile is still known as not this test's.
snapshot() { NSLAB_SNAPSHOT_FOREIGN=$T/.foreign sh "$TESTS_DIR/host-snapshot.sh"; }

snapshot_begin() {
	snapshot >"$T/.snap.before" || bail "host-snapshot.sh failed"
}

_snapshot_diff() {
	snapshot >"$T/.snap.now"
	diff -u "$T/.snap.before" "$T/.snap.now" | tail -n +3
}

snapshot_check() {
	local d
	d=$(_snapshot_diff)
	if [ -z "$d" ]; then
		ok "${1:-host unchanged}"
	else
		not_ok "${1:-host unchanged}"
		diag_block "host snapshot diff (- before, + now):" "$d"
		return 1
	fi
}

_describe_pids() {
	local pid
	for pid in "$@"; do
		printf '%s %s: %s\n' "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)" \
			"$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"
	done
}

# No process of this test's labs is left: nothing that runs nslab, is
# called nslab-init, or lives in a namespace other than this test's.
# A dying lab gets half a second.
no_lab_process_left() {
	local desc=${1:-no lab process left} left
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left=$(_lab_pids)
		[ -z "$left" ] && break
		sleep 0.05
	done
	if [ -z "$left" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		# shellcheck disable=SC2086 # one word per PID
		diag_block "still running:" "$(_describe_pids $left)"
		return 1
	fi
}

# ---- preconditions ---------------------------------------------------------------

[ -x "$NSLAB" ] || bail "no nslab binary at $NSLAB (build first, or set NSLAB)"

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (runs as uid $(id -u))"
}
