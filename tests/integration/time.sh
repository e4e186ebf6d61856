#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Time namespace offsets on the real kernel: `clock` before `unshare time`
# shifts what the lab's programs read; after it, it is too late (TAP).
set -u
# A shared hold on the test lock (see tests/lib.sh): the tests that hold it
# alone (kill, net, cgroup, trace, export) see no lab of this one's.
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -s 8
NSLAB=$(realpath "${NSLAB:-$(dirname "$0")/../../src/nslab}")

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (the rootless case runs as nobody from root)"
	exit 0
fi

T=$(mktemp -d /tmp/nslab-time-test.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT

# lab NAME SCRIPT [USER]: $rc, and $T/NAME.out, $T/NAME.err.
lab() {
	if [ $# -gt 2 ]; then
		(cd / && exec setpriv --reuid="$3" --regid=nogroup --clear-groups "$NSLAB" -c "$2 # $T") \
			</dev/null >"$T/$1.out" 2>"$T/$1.err"
	else
		"$NSLAB" -c "$2 # $T" </dev/null >"$T/$1.out" 2>"$T/$1.err"
	fi
	rc=$?
}
uptime_s() { cut -d' ' -f1 /proc/uptime | cut -d. -f1; }
# shifted NAME OFFSET: the lab's first uptime is the host's plus OFFSET,
# give or take the seconds the lab took.
shifted() {
	got=$(grep -m1 '^[0-9]*\.[0-9]* ' "$T/$1.out" | cut -d. -f1)
	[ -n "$got" ] && [ "$got" -ge $((before + $2 - 2)) ] && [ "$got" -le $((after + $2 + 2)) ]
}

before=$(uptime_s)
lab boot "clock boottime 1d; unshare time; run cat /proc/uptime"
after=$(uptime_s)
check "clock boottime 1d, then unshare time, runs" test "$rc" -eq 0
check "/proc/uptime in the lab is a day ahead of the host's" shifted boot 86400

before=$(uptime_s)
if [ "$before" -gt 30 ]; then
	lab back "clock boottime -20s; unshare time pid mnt; mount proc; run cat /proc/uptime"
	after=$(uptime_s)
	check "a negative offset, with a PID namespace made at the same time, runs" test "$rc" -eq 0
	check "... and /proc/uptime is 20 s behind" shifted back -20
else
	skip "a negative offset" "the host has been up for less than 30 s"
	skip "... and /proc/uptime is 20 s behind" "the host has been up for less than 30 s"
fi

if command -v python3 >/dev/null; then
	mono='import time; print("%d" % time.clock_gettime(time.CLOCK_MONOTONIC))'
	host=$(python3 -c "$mono")
	lab mono "clock monotonic 2h; unshare time; run python3 -c '$mono'"
	got=$(head -n 3 "$T/mono.out" | grep -x '[0-9]*' | head -n1)
	check "clock monotonic 2h shifts CLOCK_MONOTONIC" sh -c "[ $rc -eq 0 ] && [ -n '$got' ] && [ '$got' -ge $((host + 7198)) ] && [ '$got' -le $((host + 7210)) ]"
else
	skip "clock monotonic 2h shifts CLOCK_MONOTONIC" "no python3 to read the clock"
fi

lab show "clock monotonic 90; clock; unshare time; clock"
check "clock shows the pending offsets, then the lab's" \
	sh -c "[ $rc -eq 0 ] && grep -q '^monotonic  +1m30s, written when' '$T/show.out' && grep -q '^monotonic  +1m30s in the lab' '$T/show.out'"

# ---- too late, and bad offsets: one line, a failure, nothing changed --------------
lab late "unshare time; clock boottime 1h"
check "clock after unshare time is refused, in one line" \
	sh -c "[ $rc -ne 0 ] && [ \$(wc -l <'$T/late.err') -eq 1 ] && grep -q 'too late' '$T/late.err'"
before=$(uptime_s)
lab late2 "unshare time; ! clock boottime 1h; run cat /proc/uptime"
after=$(uptime_s)
check "... and the lab's clock is not shifted" shifted late2 0
before=$(uptime_s)
lab again "unshare time; share time; clock boottime 1h; unshare time; run cat /proc/uptime"
after=$(uptime_s)
check "share time, clock, unshare time: the new namespace has the offset" shifted again 3600

bad() {
	lab bad "clock $1; unshare time; run cat /proc/uptime"
	if [ "$rc" -ne 0 ] && [ "$(wc -l <"$T/bad.err")" -eq 1 ] && grep -q "$2" "$T/bad.err" && [ ! -s "$T/bad.out" ]; then
		ok "refused: clock $1"
	else
		not_ok "refused: clock $1 (rc $rc: $(cat "$T/bad.err"))"
	fi
}
bad "boottime 1x" "bad offset"
bad "boottime ''" "bad offset"
bad "boottime 1.5h" "bad offset"
bad "boottime +-3" "bad offset"
bad "boottime 99999999999" "bad offset"
bad "monotonic -$(($(uptime_s) + 100))" "before zero"
bad "realtime 5" "no clock 'realtime'"
bad "boottime" "missing offset"

# ---- rootless ----------------------------------------------------------------------
if setpriv --reuid=nobody --regid=nogroup --clear-groups unshare -U true 2>/dev/null; then
	before=$(uptime_s)
	lab rl "clock boottime 2h; unshare time; run cat /proc/uptime" nobody
	after=$(uptime_s)
	check "rootless: clock boottime 2h as nobody" shifted rl 7200
else
	skip "rootless: clock boottime 2h as nobody" "nobody cannot make a user namespace here"
fi

# ---- the host is as it was -----------------------------------------------------------
gone() { for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "$T" >/dev/null || return 0; sleep 0.2; done; return 1; }
check "no lab process is left" gone

echo "1..$n"
