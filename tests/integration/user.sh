#!/bin/sh
# User namespaces and rootless nslab: id, uid/gid maps, setgroups, who owns
# each namespace, and every basic command as an unprivileged user. TAP.
# Real kernel; the root cases skip (saying why) when not run as root.
set -u
# A shared hold on the test lock (see tests/lib.sh): the tests that hold it
# alone (kill, net, cgroup, trace, export) see no lab of this one's.
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -s 8

NSLAB=${NSLAB:-$(dirname "$0")/../../src/nslab}
case $NSLAB in /*) ;; *) NSLAB=$(pwd)/$NSLAB ;; esac
T=$(mktemp -d /tmp/nslab-test-user.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
cd /

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { if [ "$2" = 0 ]; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$T/out" "$T/err" | head -40; fi; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Run nslab -c TEXT (as nobody with AS=nobody); output in $T/out, $T/err.
run() {
	if [ "${AS:-}" = nobody ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSLAB" -c "$1" >"$T/out" 2>"$T/err"
	else
		"$NSLAB" -c "$1" >"$T/out" 2>"$T/err"
	fi
}
has() { grep -q -- "$1" "$T/out"; }
# A value from `status --json` (json-c's pretty form: one key a line).
jget() {
	awk -v ns="\"$1\": {" -v key="\"$2\":" '
		index($0, ns) { inside = 1; next }
		inside && /^ *}/ { inside = 0 }
		inside && index($0, key) { v = $0; sub(/^[^:]*: */, "", v); sub(/,$/, "", v); gsub(/"/, "", v); print v; exit }' "$T/out"
}
# Bad input: a non-zero exit, exactly one line on stderr.
refused() {
	run "$2"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -ne 0 ] && [ "$lines" -eq 1 ]; then ok "refused: $1"; else
		not_ok "refused: $1 (exit $rc, $lines lines)"; sed 's/^/# /' "$T/err"; fi
}
# After each run: the lab's PID 1 and user namespace are gone.
gone() {
	pid=$(sed -n 's/.*its PID 1 is host PID \([0-9]*\).*/\1/p' "$T/out" | head -1)
	ino=$(sed -n 's/^user *isolated: namespace \([0-9]*\).*/\1/p' "$T/out" | head -1)
	if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = nslab-init ]; then
		not_ok "$1: no lab process left (PID $pid)"; return; fi
	# shellcheck disable=SC2010 # ls -l shows the links' targets, which are what is matched
	if [ -n "$ino" ] && is_root && ls -l /proc/[0-9]*/ns/user 2>/dev/null | grep -q "user:\[$ino\]"; then
		not_ok "$1: the lab's user namespace $ino is gone"; return; fi
	ok "$1: nothing of the lab left"
}

# The host's hostname, mounts, and IPC objects of the user the rootless
# cases run as.
snapshot() {
	{ hostname; grep -v ' - nsfs ' /proc/self/mountinfo | awk '{print $5, $9}' | sort
	  ipcs -a 2>/dev/null | grep -c nobody; } >"$1"
}
snapshot "$T/host.before"

# ---- id ----------------------------------------------------------------------
if is_root; then
	run 'unshare user; id'
	check "id as root in a user namespace: uid 0 inside, 0 outside" "$(has 'inside lab1, in user namespace' && has '^  uid=0(root)' && sed -n '/as the host sees/,$p' "$T/out" | grep -q '^  uid=0(root)'; echo $?)"
else
	skip "id as root in a user namespace" "not root"
fi
AS=nobody run 'unshare user; id'
check "id rootless: root inside, nobody outside" "$(sed -n '/^inside/,/^as the host/p' "$T/out" | grep -q '^  uid=0(root) gid=0' && sed -n '/as the host sees/,$p' "$T/out" | grep -q 'uid=65534(nobody)' && has 'effective: all'; echo $?)"
AS=nobody run 'id'
check "id rootless without a user namespace: no capabilities" "$(has 'in the host.s user namespace' && has 'effective: none'; echo $?)"

# ---- maps --------------------------------------------------------------------
if is_root; then
	run 'uidmap 0 100000 65536; gidmap 0 100000 65536; unshare user; run id -u; run cat /proc/self/uid_map /proc/self/gid_map; id; status --json'
	check "uidmap 0 100000 65536: id -u is 0 inside" "$(sed -n '/written by/,$p' "$T/out" | grep -qx 0; echo $?)"
	check "uid_map and gid_map as configured" "$(test "$(sed -n '/isolated/,$p' "$T/out" | grep -c '^ *0 *100000 *65536$')" -eq 2; echo $?)"
	check "id: uid 100000 as the host sees it" "$(sed -n '/as the host sees/,$p' "$T/out" | grep -q 'uid=100000 gid=100000'; echo $?)"
	gone "custom maps"
	run 'uidmap 0 100000 1000 1000 200000 10; setgroups allow; unshare user; run cat /proc/self/uid_map /proc/self/setgroups'
	check "two map lines and setgroups allow" "$(has '1000 *200000 *10' && has '^allow$'; echo $?)"
	run 'uidmap 0 100000 65536; unshare user pid mnt; mount proc; run ps -o user= -p 1'
	check "PID 1 of a mapped lab is root inside" "$(grep -qx root "$T/out"; echo $?)"
	gone "mapped PID namespace"
	refused "a map after unshare user (too late)" 'unshare user; uidmap 0 100000 10'
	grep -q 'too late' "$T/err" && grep -q 'share user' "$T/err"
	check "too late says what to do" $?
	refused "setgroups after unshare user" 'unshare user; setgroups allow'
	run 'unshare user; share user; uidmap 0 100000 10; unshare user; run cat /proc/self/uid_map'
	check "share user, uidmap, unshare user works" "$(has '0 *100000 *10$'; echo $?)"
else
	skip "custom maps" "they need CAP_SETUID/CAP_SETGID (root)"
fi
refused "uidmap with two numbers" 'uidmap 0 100000'
refused "uidmap that is not a number" 'uidmap 0 x 1'
refused "uidmap with count 0" 'uidmap 0 1000 0'
refused "uidmap that reaches 4294967295" 'uidmap 4294967290 0 10'
refused "uidmap with an outside id of -1" 'uidmap 0 4294967295 1'
refused "gidmap lines overlapping inside" 'gidmap 0 1000 10 5 2000 10'
refused "gidmap lines overlapping outside" 'gidmap 0 1000 10 20 1005 10'
refused "setgroups maybe" 'setgroups maybe'
lines=$(awk 'BEGIN { for (i = 0; i < 341; i++) printf "%d %d 1 ", i, i + 100000 }')
refused "341 map lines (the kernel's limit is 340)" "uidmap $lines"
refused "a map in one call adding to a bad earlier line" 'uidmap 0 1000 10; uidmap 9 5000 1'
AS=nobody refused "rootless uidmap 0 100000 65536" 'uidmap 0 100000 65536'
grep -q 'newuidmap' "$T/err"
check "rootless uidmap says newuidmap is not used" $?
AS=nobody refused "rootless uidmap of root's uid" 'uidmap 0 0 1'
AS=nobody refused "rootless setgroups allow" 'setgroups allow'
AS=nobody run 'uidmap 1000 65534 1; gidmap 1000 65534 1; unshare user; run id -u; run id -g'
check "rootless uidmap 1000 OWN 1: uid 1000 inside" "$(test "$(grep -cx 1000 "$T/out")" -eq 2; echo $?)"
AS=nobody run 'uidmap; unshare user; uidmap'
check "uidmap shows the next map and the current one" "$(has 'default' && has 'now, in lab1.s user namespace' && has '0 65534 1'; echo $?)"

# ---- ownership -----------------------------------------------------------------
AS=nobody run 'unshare uts pid; status --json'
uino=$(jget user inode)
hostuser=$(jget user host_inode)
check "status --json: uts and pid owned by the lab's user namespace" "$(test -n "$uino" && test "$(jget uts owner)" = "$uino" && test "$(jget pid owner)" = "$uino"; echo $?)"
check "status --json: the host's ipc owned by the host's user namespace" "$(test "$(jget ipc owner)" = "$hostuser"; echo $?)"
check "status --json: parents of the user and PID namespaces" "$(test "$(jget user parent)" = "$hostuser" && test "$(jget pid parent)" = "$(jget pid host_inode)" && test "$(jget user creator_uid)" = 65534; echo $?)"
uino_re='[0-9]+ '
AS=nobody run 'unshare uts; status'
check "status: an OWNER column" "$(grep -q '^NS .*OWNER' "$T/out" && grep -Eq "^uts +lab +[0-9]+ +[0-9]+ +$uino_re" "$T/out"; echo $?)"
if is_root; then
	run 'unshare uts; unshare user; unshare ipc; status --json'
	check "status --json as root: uts made before the user namespace is the host's" "$(test "$(jget uts owner)" = "$(jget user host_inode)" && test "$(jget ipc owner)" = "$(jget user inode)"; echo $?)"
fi

# ---- rootless: every basic command -----------------------------------------------
AS=nobody run 'unshare uts ipc pid mnt net cgroup time; hostname nslab-test-rl; hostname; mount proc; ps -e; ipcmk -Q; ipcs; status'
rc=$?
check "rootless: unshare uts ipc pid mnt net cgroup time, hostname, mount proc, ps, ipcmk, status" "$(test $rc -eq 0 && has 'rootless: creating a user namespace first' && grep -qx nslab-test-rl "$T/out" && has 'nslab-init' && has '/proc is lab' && has 'lo(down)'; echo $?)"
gone "rootless lab"
AS=nobody run 'unshare all; status --json'
check "rootless: unshare all" "$(test "$(grep -c '"isolated": true' "$T/out")" -eq 8; echo $?)"

# ---- rootless: labs share one user namespace ---------------------------------------
AS=nobody run 'unshare net; lab new b; unshare net pid; status --json; lab use lab1; status --json'
b=$(awk '/"lab": "b"/ {p = 1} p' "$T/out" | awk '/"user": {/ {u = 1} u && /"inode"/ {gsub(/[^0-9]/, ""); print; exit}')
a=$(awk '/"lab": "lab1"/ {p = 1} p' "$T/out" | awk '/"user": {/ {u = 1} u && /"inode"/ {gsub(/[^0-9]/, ""); print; exit}')
check "rootless: two labs, one user namespace" "$(test -n "$a" && test "$a" = "$b" && has "b joins lab1's user namespace"; echo $?)"
gone "two rootless labs"
AS=nobody refused "rootless share user while it owns the lab's namespaces" 'unshare uts; share user'
AS=nobody run 'unshare uts pid; reset; unshare net; share net; share user; lab new b; unshare ipc; lab use lab1; lab del b; status --json'
rc=$?
check "rootless reset, share user, lab del" "$(test $rc -eq 0 && ! grep -q '"isolated": true' "$T/out"; echo $?)"
AS=nobody run 'uidmap 7 65534 1; lab new b; unshare uts; lab use lab1; unshare uts; run id -u'
check "rootless: a lab with its own map gets its own user namespace" "$(grep -qx 7 "$T/out" && ! has 'joins b'; echo $?)"

# ---- the host ---------------------------------------------------------------------
snapshot "$T/host.after"
if cmp -s "$T/host.before" "$T/host.after"; then ok "host hostname, mounts and IPC unchanged"; else
	not_ok "host hostname, mounts and IPC unchanged"; diff "$T/host.before" "$T/host.after" | sed 's/^/# /'; fi

echo "1..$n"
[ "$failed" -eq 0 ]
