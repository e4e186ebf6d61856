#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Network namespaces and veth pairs (issue 4, NET): lo only after `unshare
# net`, host<->lab and lab<->lab pairs that ping, refusals, and no trace on
# the host afterwards, also after SIGTERM and SIGKILL. TAP; as root, and
# as nobody where rootless use applies. Traffic only between namespaces the
# test makes, one bounded `ping -c1 -W2` at a time.
NSLAB=${NSLAB:-$(dirname "$0")/../../src/nslab}
# Alone: a SIGKILLed nslab's host end must wait for this test's own next
# start, not another test's sweep (see tests/lib.sh).
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -x 8
tmp=$(mktemp -d /tmp/nslab-net-test.XXXXXX) || exit 99
holders=""
n=0

cleanup() {
	for p in $holders; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check DESC CONDITION...: the condition is a command.
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "stdout: $out" "stderr: $err"; fi; }

# nslab with a script; sets out, err, rc.
lab() {
	out=$("$NSLAB" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}

# Test files run in parallel: the veth ends of a live nslab that is not
# this test's (its environment lacks our tag) are theirs, and left out.
NSLAB_TEST_TAG="nslabtest.net.$$"
export NSLAB_TEST_TAG
foreign_ends() {
	grep -o 'nsl[0-9][0-9]*v[0-9][0-9]*' | sort -u | while read -r name; do
		pid=${name#nsl}
		pid=${pid%%v*}
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = nslab ] || continue
		tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "NSLAB_TEST_TAG=$NSLAB_TEST_TAG" ||
			echo "$name"
	done | paste -sd '|'
}
snapshot() {
	all=$({ ip -o link; ip -o addr; ip route; } 2>&1 | sed 's/ *valid_lft.*//')
	foreign=$(printf '%s\n' "$all" | foreign_ends)
	if [ -n "$foreign" ]; then
		printf '%s\n' "$all" | grep -Ev "(^|[ :])($foreign)([@: ]|\$)"
	else
		printf '%s\n' "$all"
	fi
}
snapshot >"$tmp/host.before"
# After every test: no new links, addresses or routes on the host.
host_same() {
	snapshot >"$tmp/host.after"
	if cmp -s "$tmp/host.before" "$tmp/host.after"; then
		ok "host links, addresses, routes unchanged after: $1"
	else
		not_ok "host links, addresses, routes unchanged after: $1" \
			"$(diff "$tmp/host.before" "$tmp/host.after" | head -10)"
	fi
}

one_line() { [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ]; }
has() { printf '%s\n' "$out" | grep -q -- "$1"; }
err_has() { printf '%s\n' "$err" | grep -q -- "$1"; }
lines_of() { printf '%s\n' "$1" | grep -c .; }

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (veth ends on the host); rootless cases run as nobody from root"
	exit 0
fi
if ip -o addr | grep -q ' 10\.77\.'; then
	echo "1..0 # SKIP the host uses 10.77.0.0/16, nslab's default veth subnets"
	exit 0
fi
have_ping=yes
command -v ping >/dev/null || have_ping=""
ping1() { [ -n "$have_ping" ] && echo "$1 ping -c1 -W2 $2" || echo "$1 true"; }

# ---- a new network namespace: lo only, and down -------------------------------
lab -c 'unshare net; status; status --json; run ip -o link'
check "unshare net: status says lo(down)" has '^net  *lab .* lo(down) (host: '
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "unshare net: status --json lists one link, lo, down" \
	sh -c '[ "$(printf "%s\n" "$1" | grep -c "\"name\": \"lo\"")" -eq 1 ] &&
	       [ "$(printf "%s\n" "$1" | grep -c "\"name\":")" -eq 1 ] &&
	       printf "%s\n" "$1" | grep -q "\"state\": \"down\""' - "$out"
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "unshare net: ip -o link in the lab shows lo only, DOWN" \
	sh -c '[ "$(printf "%s\n" "$1" | grep -c "^[0-9]*: ")" -eq 1 ] && printf "%s\n" "$1" | grep -q "^1: lo: .*state DOWN"' - "$out"
host_same "unshare net"

# ---- host <-> lab ---------------------------------------------------------------
lab -c "unshare net; veth; $(ping1 host 10.77.1.2); $(ping1 run 10.77.1.1); run ip -o link; status"
check "veth: pair made, pings both ways (rc=$rc)" [ "$rc" -eq 0 ]
check "veth: defaults eth0 10.77.1.2/24 in the lab, nsl<PID>v1 10.77.1.1/24 on the host" \
	has 'veth pair: eth0 in lab1 (10.77.1.2/24) <-> nsl[0-9]*v1 on the host (10.77.1.1/24), both up'
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "veth: ip -o link in the lab sees only lo and eth0, both UP" \
	sh -c '[ "$(printf "%s\n" "$1" | grep -c "^[0-9]*: ")" -eq 2 ] &&
	       printf "%s\n" "$1" | grep -q "^1: lo: <LOOPBACK,UP" &&
	       printf "%s\n" "$1" | grep -q "^[0-9]*: eth0@.*,UP,"' - "$out"
check "veth: status shows eth0 up with its address" has 'eth0(up 10.77.1.2/24)'
host_same "veth host<->lab"

lab -c "unshare net; veth v0 --host 10.77.250.1/30; $(ping1 host 10.77.250.2); links"
check "veth NAME --host ADDR/30: the lab end takes the other address" \
	has '^ *[0-9]* v0  *up  *10\.77\.250\.2/30  pipe to nsl[0-9]*v1 on the host (10\.77\.250\.1/30)'
host_same "veth NAME --host"

lab -c "unshare net; veth; link down eth0; status; link up eth0; $(ping1 run 10.77.1.1)"
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "link down/up: status says eth0(down ...), ping works again after up" \
	sh -c '[ "$2" -eq 0 ] && printf "%s\n" "$1" | grep -q "eth0(down 10.77.1.2/24)"' - "$out" "$rc"
host_same "link down/up"

# ---- lab <-> lab ------------------------------------------------------------------
lab -c "unshare net; lab new lab2; unshare net; veth --to lab1; $(ping1 run 10.77.1.1); run ip -o link;
	lab use lab1; $(ping1 run 10.77.1.2); links"
check "veth --to: lab2 and lab1 ping each other (rc=$rc)" [ "$rc" -eq 0 ]
check "veth --to: eth0 in lab2 <-> eth0 in lab1" has 'veth pair: eth0 in lab2 (10.77.1.2/24) <-> eth0 in lab1 (10.77.1.1/24)'
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "veth --to: ip -o link in lab2 shows only lo and eth0" \
	sh -c '[ "$(printf "%s\n" "$1" | grep -c "^[0-9]*: ")" -eq 2 ]' - "$out"
host_same "veth lab<->lab"

# ---- host ends go on veth del, share net, reset, lab del -----------------------------
cat >"$tmp/ends" <<'EOF'
unshare net
veth
veth del eth0
host sh -c '! ip -o link | grep -q "nsl${PPID}v"'
veth
share net
host sh -c '! ip -o link | grep -q "nsl${PPID}v"'
unshare net
veth
reset
host sh -c '! ip -o link | grep -q "nsl${PPID}v"'
lab new b
unshare net
veth
lab use lab1
lab del b
host sh -c '! ip -o link | grep -q "nsl${PPID}v"'
EOF
lab "$tmp/ends"
check "the host end goes at once on veth del, share net, reset and lab del (rc=$rc)" [ "$rc" -eq 0 ]
host_same "veth del, share net, reset, lab del"

# ---- SIGTERM and SIGKILL mid-session, with a process holding the lab's network -------
# nslab reads its commands from a fifo and is ended while a sleep in the
# lab keeps the network namespace (and so the pair) alive.
session() {
	rm -f "$tmp/fifo" "$tmp/holder"
	mkfifo "$tmp/fifo"
	"$NSLAB" <"$tmp/fifo" >"$tmp/session.out" 2>&1 &
	spid=$!
	exec 7>"$tmp/fifo"
	echo "unshare net; veth; run sh -c 'sleep 60 </dev/null >/dev/null 2>&1 & echo \$! >$tmp/holder'" >&7
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -s "$tmp/holder" ] && break
		sleep 0.1
	done
	holder=$(cat "$tmp/holder" 2>/dev/null)
	holders="$holders $holder"
}
end_session() {
	exec 7>&-
	wait "$spid" 2>/dev/null
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
}

session
kill -TERM "$spid"
sleep 0.2
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "SIGTERM: the host end is deleted on the way out, though a lab process lives on" \
	sh -c '[ -n "$2" ] && ! ip -o link | grep -q "nsl$1v"' - "$spid" "$holder"
end_session
host_same "SIGTERM mid-session"

session
had=no
ip -o link | grep -q "nsl${spid}v1" && had=yes
kill -KILL "$spid"
exec 7>&-
wait "$spid" 2>/dev/null
kept=no
ip -o link | grep -q "nsl${spid}v1" && kept=yes
check "SIGKILL: the host end outlives nslab while a lab process holds the lab's network" \
	[ "$had$kept" = yesyes ]
lab -c 'true'
# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
check "SIGKILL, then a new start: no nsl<PID> link remains" \
	sh -c '! ip -o link | grep -q "nsl$1v"' - "$spid"
[ -n "$holder" ] && kill "$holder" 2>/dev/null
host_same "SIGKILL mid-session and a new start"

# ---- refusals: one line, non-zero, nothing changed ------------------------------------
host4=$(ip -o -4 addr show scope global | awk '{print $4; exit}')
refuse() {
	prep=$1 bad=$2 want=$3
	lab -k -c "$prep; links; run echo ---; $bad; links"
	before=$(printf '%s\n' "$out" | sed '/^---$/q' | sed -n '/^lab1/,$p' | grep -v -- '^---$')
	after=$(printf '%s\n' "$out" | sed -n '/^---$/,$p' | grep -v -- '^---$')
	snapshot >"$tmp/host.after"
	if [ "$rc" -ne 0 ] && one_line && err_has "$want" && [ "$before" = "$after" ] &&
	   cmp -s "$tmp/host.before" "$tmp/host.after"; then
		ok "refused in one line, the lab and the host unchanged: $bad"
	else
		not_ok "refused in one line, the lab and the host unchanged: $bad" "rc=$rc" "stderr: $err" \
			"before: $before" "after: $after" "$(diff "$tmp/host.before" "$tmp/host.after" | head -5)"
	fi
}
refuse "run true" "veth" "unshare net"
refuse "unshare net" "veth --peer 10.0.0.1" "no prefix length"
refuse "unshare net" "veth --peer nonsense/24" "not an IPv4 address"
refuse "unshare net" "veth --lab 10.1.2.3/33" "out of range"
refuse "unshare net" "veth --lab 10.1.2.3/31" "out of range"
refuse "unshare net" "veth --lab 10.1.2.3/7" "out of range"
refuse "unshare net" "veth --lab 10.1.2.0/24" "network address"
refuse "unshare net" "veth --lab 127.0.0.2/8" "loopback"
refuse "unshare net" "veth --peer 10.9.0.1/24 --lab 10.9.1.2/24" "not in one subnet"
refuse "unshare net" "veth --peer 10.9.0.1/24 --lab 10.9.0.1/24" "both ends"
refuse "unshare net" "veth abcdefghijklmnop" "16 bytes"
refuse "unshare net" "veth lo" "already"
refuse "unshare net; veth" "veth eth0" "already"
refuse "unshare net; veth --lab 10.77.240.2/24" "veth v1 --lab 10.77.240.2/24" "in use in lab1"
refuse "unshare net" "veth --to nolab" "no lab 'nolab'"
refuse "unshare net" "veth --to lab1" "the current lab"
refuse "unshare net; lab new lab2; lab use lab1" "veth --to lab2" "lab2 still uses the host's network"
refuse "unshare net" "veth --bogus" "unknown option"
refuse "unshare net" "veth --to" "needs a value"
refuse "unshare net" "veth a b" "one interface name"
refuse "unshare net" "veth del nothere" "no veth pair"
refuse "run true" "link up lo" "unshare net"
refuse "unshare net" "link up nope" "no interface 'nope'"
refuse "unshare net" "link sideways lo" "up or down"
if [ -n "$host4" ]; then
	refuse "unshare net" "veth --peer $host4" "in use on the host"
	case $host4 in
	*/24) other=${host4%.*/24}.250/24
	      [ "$other" != "$host4" ] && refuse "unshare net" "veth --peer $other" "overlaps the host's" ;;
	esac
else
	skip "refused: veth --peer HOST_ADDRESS" "the host has no global IPv4 address"
fi
host_same "the refusals"

# ---- rootless: as nobody -----------------------------------------------------------------
as_nobody() {
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSLAB" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}
chmod 755 "$tmp"
if ! setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSLAB" --version >/dev/null 2>&1; then
	skip "rootless cases" "nobody cannot run $NSLAB (setpriv missing or the build directory is private)"
else
	as_nobody -c 'unshare net; status'
	check "rootless: unshare net gives lo(down)" has '^net  *lab .* lo(down)'
	as_nobody -c 'unshare net; veth'
	# shellcheck disable=SC2016 # $1, $2 are the inner sh's arguments
	check "rootless: veth to the host is refused in one line: CAP_NET_ADMIN, and veth --to needs none" \
		sh -c '[ "$1" -ne 0 ] && [ "$(printf "%s\n" "$2" | grep -c .)" -eq 1 ] &&
		       printf "%s\n" "$2" | grep -q "CAP_NET_ADMIN on the host" &&
		       printf "%s\n" "$2" | grep -q "veth --to LAB"' - "$rc" "$err"
	as_nobody -c "unshare net; link up lo; $(ping1 run 127.0.0.1)"
	check "rootless: link up lo, and lo answers" [ "$rc" -eq 0 ]
	as_nobody -c "unshare net; lab new lab2; unshare net; veth --to lab1; $(ping1 run 10.77.1.1); lab use lab1; $(ping1 run 10.77.1.2)"
	if [ "$rc" -ne 0 ] && err_has "one user namespace"; then
		skip "rootless: veth --to between two labs" "the labs have separate user namespaces: $err"
	else
		check "rootless: veth --to between two labs, and they ping each other" [ "$rc" -eq 0 ]
	fi
	host_same "the rootless cases"
fi

# ---- nothing left ------------------------------------------------------------------------
# An init whose nslab was just SIGKILLed (by another test running at the
# same time) is an orphan for the few milliseconds its lifeline takes:
# only one that stays counts.
orphans=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	orphans=""
	for p in $(pgrep -x nslab-init); do
		# Only this test's: fs.sh, time.sh and user.sh do not hold the
		# test lock, so their labs may be starting or ending right now.
		tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qxF "NSLAB_TEST_TAG=$NSLAB_TEST_TAG" || continue
		parent=$(ps -o comm= -p "$(ps -o ppid= -p "$p" | tr -d ' ')" 2>/dev/null)
		[ "$parent" = nslab ] || orphans="$orphans $p"
	done
	[ -z "$orphans" ] && break
	sleep 0.2
done
if [ -z "$orphans" ]; then
	ok "no lab process outlives its nslab"
else
	# shellcheck disable=SC2086 # one word per PID
	not_ok "no lab process outlives its nslab" "$(ps -o pid,ppid,stat,etime,comm,args -p "$(echo $orphans | tr ' ' ,)")"
fi
# The holders were killed above; their reaper may take a moment.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	left=""
	for p in $holders; do
		[ -e "/proc/$p" ] && [ "$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)" != Z ] && left="$left $p"
	done
	[ -z "$left" ] && break
	sleep 0.1
done
check "no process the test started survives" [ -z "$left" ]
echo "1..$n"
