#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# soak.sh: SOAK_CYCLES (default 500; `make soak` runs 10,000) cycles of
# making a lab, entering it and giving it up, in one nslab session: namespaces
# with a /proc of their own, a program and `enter`, now and then a second
# lab, a cgroup limit, a user namespace. nslab measures itself (through
# `host`, whose parent it is) after a warm-up and at the end: its open fds
# must be the same, its RSS may grow by less than 1 MiB, no zombie may
# wait for it, it may hold no namespace fd beyond the baseline, and no
# process may be left in a lab's namespaces.
#
# SOAK_PTY=1 runs nslab on a pseudo-terminal (script(1)), so that every
# program goes through the terminal relay too.
# shellcheck disable=SC2016 # nslab commands hold literal $
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
cd "$T" || bail "cannot cd to $T"
: "${SOAK_CYCLES:=500}"
: "${SOAK_PTY:=0}"
: "${SOAK_RSS_KIB:=1024}"
snapshot_begin

# nslab goes on for a moment after starting us (it closes its end of the
# pipe the child reports on, then waits): on a busy machine `ls` can come
# first and count that end. So measure once nslab waits for us.
cat >"$T/measure.sh" <<'EOF'
p=$PPID
i=0
while [ "$(cat /proc/$p/wchan)" != do_wait ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
fds=$(ls /proc/$p/fd | wc -l)
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$p/status)
zombies=$(ps --ppid "$p" -o stat= | grep -c '^Z')
nsfds=$(ls -l /proc/$p/fd | grep -cE '(mnt|uts|ipc|pid|net|user|cgroup|time):\[')
children=$(ps --ppid "$p" -o pid= | wc -l)
echo "fds=$fds rss=$rss zombies=$zombies nsfds=$nsfds children=$children"
for f in /proc/$p/fd/*; do
	echo "fd ${f##*/} $(readlink "$f" | sed 's/:\[[0-9]*\]$//')"
done
EOF
chmod 644 "$T/measure.sh"

# cycle N: one cycle's lines.
cycle() {
	local i=$1
	echo "unshare uts ipc pid mnt; mount proc; hostname s$i; run true; enter true; reset"
	if [ $((i % 10)) -eq 0 ]; then
		echo "lab new s; unshare pid mnt net; mount tmpfs /mnt; run true; lab use lab1; lab del s"
	fi
	if [ $((i % 25)) -eq 0 ]; then
		echo "unshare pid cgroup; cgroup pids 50; cgroup memory 64M; run sh -c 'sleep 1 & true'; reset"
	fi
	if [ $((i % 20)) -eq 5 ]; then
		echo "unshare user uts ipc pid mnt; mount proc; ipcmk -Q; enter true; reset"
	fi
}
{
	for i in $(seq 1 50); do cycle "$i"; done
	echo "echo @@before; host sh $T/measure.sh"
	for i in $(seq 51 $((50 + SOAK_CYCLES))); do cycle "$i"; done
	echo "echo @@after; host sh $T/measure.sh"
} >"$T/soak.nsl"
chmod 644 "$T/soak.nsl"

NSL_TIMEOUT=$((60 + SOAK_CYCLES / 10))
start=$SECONDS
if [ "$SOAK_PTY" = 1 ]; then
	command -v script >/dev/null || skip_all "SOAK_PTY=1 needs script(1)"
	nslab_run_pty() {
		timeout -k 2 "$NSL_TIMEOUT" script -qefc "$(printf '%q ' "$NSLAB" "$T/soak.nsl")" /dev/null \
			</dev/null >"$T/.out" 2>"$T/.err"
		RC=$?
		OUT=$(tr -d '\r' <"$T/.out")
		ERR=$(cat "$T/.err")
	}
	nslab_run_pty
else
	nslab_run "$T/soak.nsl"
fi
secs=$((SECONDS - start))
rc_is "$SOAK_CYCLES cycles ($(grep -c . "$T/soak.nsl") lines) run to the end in ${secs}s" 0 ||
	diag_block "stderr (last lines):" "$(tail -n 5 <<<"$ERR")"

before=$(part before)
after=$(part after)
get() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$2"; }
diag "before: $(head -n 1 <<<"$before")"
diag "after:  $(head -n 1 <<<"$after")"
if [ -z "$(get fds "$before")" ] || [ -z "$(get fds "$after")" ]; then
	not_ok "nslab measured itself before and after"
	done_testing
	exit 1
fi
is "nslab's open fds are the same ($(get fds "$before") -> $(get fds "$after"))" \
	"$(get fds "$before")" "$(get fds "$after")" ||
	diag_block "which (< before, > after; pipes and sockets without their inode):" \
		"$(diff <(grep '^fd ' <<<"$before" | sort) <(grep '^fd ' <<<"$after" | sort) | grep '^[<>]')"
rss_growth=$(($(get rss "$after") - $(get rss "$before")))
if [ -n "${ASAN_OPTIONS:-}" ]; then
	# ASan keeps freed memory in quarantine: RSS says nothing there.
	skip "nslab's RSS grows by less than $SOAK_RSS_KIB KiB (${rss_growth} KiB)" "an ASan build holds freed memory in quarantine"
else
	check "nslab's RSS grows by less than $SOAK_RSS_KIB KiB (${rss_growth} KiB)" test "$rss_growth" -lt "$SOAK_RSS_KIB"
fi
is "no zombie waits for nslab" "0 0" "$(get zombies "$before") $(get zombies "$after")"
is "nslab holds no more namespace fds than at the start ($(get nsfds "$before"))" \
	"$(get nsfds "$before")" "$(get nsfds "$after")"
is "nslab has no child but the measuring one" "1 1" "$(get children "$before") $(get children "$after")"
no_lab_process_left "no process is left in a lab's namespaces"
snapshot_check "host unchanged"
diag "soak: cycles=$SOAK_CYCLES pty=$SOAK_PTY seconds=$secs fds=$(get fds "$before")->$(get fds "$after") rss_kib=$(get rss "$before")->$(get rss "$after") (+$rss_growth) zombies=$(get zombies "$after") nsfds=$(get nsfds "$before")->$(get nsfds "$after")"
done_testing
