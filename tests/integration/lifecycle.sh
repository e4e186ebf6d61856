#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lifecycle.sh: however nslab ends (EOF, quit, SIGTERM, SIGHUP, SIGINT,
# SIGQUIT, even SIGKILL), the lab's PID 1 and every process in the lab end
# with it, and the host is as it was.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"

# start_lab: nslab reading commands from a fifo (fd 3 here), in a lab with
# uts ipc pid mnt and a background sleep; waits until it is ready.
LAB_PID=
start_lab() {
	rm -f "$T/fifo" "$T/bg.out"
	mkfifo "$T/fifo"
	"$NSLAB" <"$T/fifo" >"$T/bg.out" 2>&1 &
	LAB_PID=$!
	track_pid "$LAB_PID"
	exec 3>"$T/fifo"
	cat >&3 <<-'CMDS'
		unshare uts ipc pid mnt; hostname lifecycle; ipcmk -Q; mount proc
		run sh -c 'sleep 300 & sleep 301 & :'
		echo @@ready
	CMDS

	for _ in $(seq 100); do
		grep -q '^@@ready$' "$T/bg.out" 2>/dev/null && return 0
		sleep 0.05
	done
	diag "nslab did not get ready:"
	diag_block "output:" "$(cat "$T/bg.out")"
	return 1
}

# wait_or_kill PID SECONDS: wait for a child; if it has not ended by then,
# SIGKILL it (a hang must not hang the suite) and return 255.
wait_or_kill() {
	local state
	for _ in $(seq $(($2 * 20))); do
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
		[ -z "$state" ] || [ "$state" = Z ] && break
		sleep 0.05
	done
	if [ -n "$state" ] && [ "$state" != Z ]; then
		diag "pid $1 did not end within $2 s; killing it"
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		return 255
	fi
	wait "$1"
}

# stop_lab HOW EXPECTED_RC
stop_lab() {
	local how=$1 want=$2 rc
	case $how in
	EOF) exec 3>&- ;;
	quit) echo 'quit 4' >&3 ;;
	*) kill -s "$how" "$LAB_PID" ;;
	esac
	wait_or_kill "$LAB_PID" 10
	rc=$?
	exec 3>&- 2>/dev/null
	if [ "$rc" -eq "$want" ]; then
		ok "$how: nslab exits $want"
	else
		not_ok "$how: nslab exits $want"
		diag "  got exit code $rc"
		diag_block "output:" "$(cat "$T/bg.out")"
	fi
}

for how in EOF quit TERM HUP INT QUIT KILL; do
	case $how in
	EOF) want=0 ;;
	quit) want=4 ;;
	TERM) want=143 ;;
	HUP) want=129 ;;
	INT) want=130 ;;
	QUIT) want=131 ;;
	KILL) want=137 ;;
	esac
	if start_lab; then
		lab_procs=$(_lab_pids | wc -l)
		check "$how: the lab runs (nslab, its init and two sleeps: $lab_procs)" test "$lab_procs" -ge 4
		stop_lab "$how" "$want"
		no_lab_process_left "$how: no lab process left"
		snapshot_check "$how: host unchanged"
	else
		not_ok "$how: the lab runs"
		kill -KILL "$LAB_PID" 2>/dev/null
		wait "$LAB_PID" 2>/dev/null
		exec 3>&- 2>/dev/null
	fi
done

# A lab without a PID namespace of its own: a program that leaves a process
# behind in the lab's namespaces. Ending nslab must end it too.
nsl "unshare uts ipc mnt; hostname bg; run sh -c 'sleep 302 & :'; quit"
rc_is "a lab without pid: quit after leaving a background process" 0
no_lab_process_left "a lab without pid: no process is left in the lab's namespaces"
snapshot_check "a lab without pid: host unchanged"

done_testing
