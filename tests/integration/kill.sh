#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kill.sh: SIGKILL nslab in the middle of its work, between the steps of
# multi-step commands (NSLAB_TEST_PAUSE stops it at a named point, see
# src/harden.h) and at random moments of a long script. Nothing can catch
# SIGKILL, so what must hold is what the kernel and the next start do:
# right after the kill no lab process is left (the lab's PID 1 has
# PR_SET_PDEATHSIG and a lifeline pipe; helpers die with nslab), and after
# the next start's sweep no cgroup, veth or run directory of nslab's is.
#
# KILL_RANDOM (default 12): how many random-moment kills; KILL_SEED.
# This test leaves things for the next start to sweep: it holds the test
# lock exclusively.
# nslab commands hold literal $ and quotes:
# shellcheck disable=SC2016
NSLAB_TEST_LOCK=-x
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"

KILLS=0
LEFT_PROCS=0
LEFT_AFTER_SWEEP=0

# The named points and a script that reaches each. A feature with steps of
# its own (veth, overlay, rootfs) adds its points here: one line each.
# POINT|SCRIPT
POINTS='unshare:after-fork|unshare uts ipc pid mnt
unshare:after-helper|unshare uts ipc pid mnt
helper:after-unshare|unshare uts ipc pid mnt cgroup
unshare:after-maps|uidmap 0 100000 1000; gidmap 0 100000 1000; unshare user uts pid mnt
cgroup:after-mkdir|unshare pid mnt; cgroup pids 50
cgroup:after-mkdir|unshare cgroup pid
call:after-join|unshare pid mnt; cgroup memory 64M; mount proc
call:after-join|unshare uts ipc; ipcmk -Q
spawn:after-join|unshare pid mnt; cgroup pids 50; mount proc; run sleep 300
spawn:after-join|unshare user pid mnt; run true
destroy:after-share|unshare uts pid mnt; cgroup pids 50; run sh -c "sleep 300 &"; reset
destroy:after-share|unshare pid; cgroup memory 32M; lab new two; unshare pid; lab del two'

# A process of this test's in state T (stopped at a pause point).
stopped_pid() {
	local p pid state
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		_is_ours "$pid" || continue
		state=$(awk '{ print $3 }' "$p/stat" 2>/dev/null)
		[ "$state" = T ] && {
			echo "$pid"
			return 0
		}
	done
	return 1
}

# wait_stopped: up to 10 s for a stopped process of ours.
wait_stopped() {
	for _ in $(seq 200); do
		stopped_pid >/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# after_kill DESC PID: SIGKILL nslab, count what is left, sweep, compare.
after_kill() {
	local desc=$1 pid=$2 left
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	KILLS=$((KILLS + 1))
	if no_lab_process_left "$desc: no lab process left after SIGKILL"; then
		:
	else
		LEFT_PROCS=$((LEFT_PROCS + 1))
		for left in $(_lab_pids); do
			kill -KILL "$left" 2>/dev/null
		done
	fi
	# The next start sweeps what the killed one left.
	nsl 'status'
	if ! snapshot_check "$desc: after the next start's sweep the host is as it was"; then
		LEFT_AFTER_SWEEP=$((LEFT_AFTER_SWEEP + 1))
		snapshot_begin # one leftover must not fail every case after it
	fi
}

# ---- between the steps of multi-step work
while IFS='|' read -r point script; do
	NSLAB_TEST_PAUSE=$point "$NSLAB" -c "$script" >"$T/bg.out" 2>&1 </dev/null &
	pid=$!
	if wait_stopped; then
		ok "$point ($script): nslab stops there"
	else
		not_ok "$point ($script): nslab stops there"
		diag_block "output:" "$(cat "$T/bg.out")"
	fi
	after_kill "$point" "$pid"
done <<<"$POINTS"

# ---- at random moments of a long script
# Every step of the lab's life, again and again; the kill lands anywhere.
loop_script() {
	for i in $(seq 40); do
		echo "unshare uts ipc pid mnt cgroup; hostname k$i; ipcmk -Q; cgroup pids 50; mount proc"
		echo "mount tmpfs /mnt; run sh -c 'sleep 300 & echo \$\$ > /dev/null'; run true"
		echo "lab new x$i; unshare pid mnt; cgroup memory 32M; run true; lab use lab1; lab del x$i"
		echo "share pid; unshare pid; reset"
	done
}
loop_script >"$T/loop.nsl"
: "${KILL_RANDOM:=12}"
: "${KILL_SEED:=$$}"
RANDOM=$KILL_SEED
diag "random kills: KILL_RANDOM=$KILL_RANDOM KILL_SEED=$KILL_SEED"
for n in $(seq "$KILL_RANDOM"); do
	delay_ms=$((RANDOM % 600 + 20))
	"$NSLAB" --keep-going "$T/loop.nsl" >/dev/null 2>&1 </dev/null &
	pid=$!
	sleep "$(printf '0.%03d' "$delay_ms")"
	after_kill "random kill $n after ${delay_ms} ms" "$pid"
done

# ---- what is known not to hold: a background process in a lab without a
# PID namespace of its own outlives a SIGKILLed nslab (nothing ties it to
# nslab: no PID 1 to take it along, no cgroup to find it by).
"$NSLAB" -c "unshare uts mnt; run sh -c 'sleep 303 & :'; run sleep 300" >/dev/null 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do
	pgrep -f '^sleep 300$' -P "$pid" >/dev/null && break
	sleep 0.05
done
kill -KILL "$pid"
{ wait "$pid"; } 2>/dev/null
sleep 0.2
left=$(_lab_pids)
if [ -z "$left" ]; then
	ok "a lab without pid: no background process outlives a SIGKILLed nslab"
else
	not_ok "a lab without pid: no background process outlives a SIGKILLed nslab # TODO no PID 1 or cgroup ties it to nslab"
	# shellcheck disable=SC2086 # one word per PID
	diag_block "still running:" "$(_describe_pids $left)"
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
fi
nsl 'status'
snapshot_check "host unchanged at the end"

diag "kills: $KILLS; with a lab process left: $LEFT_PROCS; with a leftover after the sweep: $LEFT_AFTER_SWEEP"
done_testing
