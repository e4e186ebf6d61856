#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The layered filesystem on the real kernel: overlay, rootfs, chroot, diff,
# layer save, and the run directory's cleanup (TAP). As root, and rootless
# as nobody.
set -u
# A shared hold on the test lock (see tests/lib.sh): the tests that hold it
# alone (kill, net, cgroup, trace, export) see no lab of this one's.
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -s 8
NSLAB=$(realpath "${NSLAB:-$(dirname "$0")/../../src/nslab}")
TESTS_DIR=$(realpath "${TESTS_DIR:-$(dirname "$0")/..}")
MKROOTFS=$TESTS_DIR/../tools/mkrootfs.sh

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
has() { grep -q -e "$2" "$1"; }
lines() { wc -l <"$1" | tr -d ' '; }

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (the rootless cases run as nobody from root)"
	exit 0
fi
[ -x /bin/busybox ] || { echo "1..0 # SKIP needs busybox-static (apt-get install busybox-static)"; exit 0; }

# nslab's run directory as root: /run/nslab where /run is a tmpfs, else
# /dev/shm/nslab (see FILES in nslab(1)).
if [ "$(stat -f -c %T /run)" = tmpfs ] || [ "$(stat -f -c %T /dev/shm)" != tmpfs ]; then
	RUN=/run/nslab
else
	RUN=/dev/shm/nslab
fi
T=$(mktemp -d /tmp/nslab-fs-test.XXXXXX)
chmod 755 "$T"
mounts() { awk '{print $5}' /proc/self/mountinfo | sort; }
mounts >"$T/mounts.before"
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT

# lab NAME SCRIPT [USER]: run nslab; $rc its status, $pid its PID, and
# $T/NAME.out, $T/NAME.err what it printed. The script names $T, so every
# process of this test can be found by it.
lab() {
	if [ $# -gt 2 ]; then
		(cd / && exec setpriv --reuid="$3" --regid=nogroup --clear-groups env -u XDG_RUNTIME_DIR \
			"$NSLAB" -c "$2 # $T") </dev/null >"$T/$1.out" 2>"$T/$1.err" &
	else
		"$NSLAB" -c "$2 # $T" </dev/null >"$T/$1.out" 2>"$T/$1.err" &
	fi
	pid=$!
	pids="$pids $pid"
	wait "$pid"
	rc=$?
}
pids=
no_run_dir() { [ ! -e "$RUN/$1" ] && [ ! -e "/tmp/nslab-65534/$1" ]; }
no_lab_process() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "$T" >/dev/null || return 0
		sleep 0.2
	done
	return 1
}

mkdir "$T/host"
echo secret >"$T/host/marker"
echo victim >"$T/host/victim"
tag=$(basename "$T")

# ---- the busybox root ------------------------------------------------------------
"$MKROOTFS" "$T/root" >/dev/null 2>"$T/mk.err"
check "mkrootfs builds a root from busybox-static" \
	test -x "$T/root/bin/busybox" -a -L "$T/root/bin/sh" -a -L "$T/root/bin/ps" -a -f "$T/root/etc/passwd" -a -d "$T/root/proc"

# ---- overlay over the host's root ------------------------------------------------
lab ov "unshare mnt pid; overlay; rootfs; run sh -c 'echo added > /$tag; rm $T/host/victim; echo more >> $T/host/marker'; diff; run cat /$tag"
check "overlay + rootfs over the host's root runs" test "$rc" -eq 0
check "diff lists a file the lab wrote as A" has "$T/ov.out" "^A /$tag\$"
check "diff lists a host file the lab deleted as D" has "$T/ov.out" "^D $T/host/victim\$"
check "diff lists a changed file and its directories as C" sh -c "grep -q '^C $T/host/marker\$' '$T/ov.out' && grep -q '^C /tmp\$' '$T/ov.out'"
check "nothing of it reached the host" sh -c "[ ! -e '/$tag' ] && [ -f '$T/host/victim' ] && [ \"\$(cat '$T/host/marker')\" = secret ]"
check "the run directory is gone after exit" no_run_dir "$pid"

# ---- rootfs into the busybox root -----------------------------------------------
lab rf "unshare mnt pid; rootfs $T/root; run ps; run ls /; ! run cat $T/host/marker; ! run cat /proc/1/root$T/host/marker; run cat /proc/1/root/etc/hostname"
check "rootfs into the busybox root runs" test "$rc" -eq 0
check "ps shows the lab's PID 1 and itself only" sh -c "grep -q '^ *1 .*nslab-init' '$T/rf.out' && [ \$(grep -c '^ *[0-9]' '$T/rf.out') -eq 2 ]"
check "ls / shows the small root" has "$T/rf.out" "^usr\$"
check "the host's files are not reachable, not even through /proc/1/root" \
	sh -c "[ \$(grep -c 'failed as expected' '$T/rf.out') -eq 2 ] && grep -q '^nslab\$' '$T/rf.out'"
check "the lab's /dev, /proc, /sys are new mounts" sh -c "grep -q '^/dev   a tmpfs' '$T/rf.out' && grep -q '^/sys   a new sysfs, read-only' '$T/rf.out'"

# ---- chroot against pivot_root --------------------------------------------------
lab ch "unshare mnt pid; chroot $T/root; mount proc; run ls /; ! run cat $T/host/marker; run cat /proc/1/root$T/host/marker"
check "chroot: programs see the small root" sh -c "[ $rc -eq 0 ] && grep -q '^usr\$' '$T/ch.out' && grep -q 'failed as expected' '$T/ch.out'"
check "chroot: the old root is still reachable through /proc/1/root" has "$T/ch.out" "^secret\$"
check "pivot_root + detach: it is not (test above)" has "$T/rf.out" "failed as expected: cat"

lab old "unshare pid; unshare mnt; rootfs $T/root; run cat /proc/1/root$T/host/marker"
check "a PID 1 made before the mount namespace keeps the host's root, and rootfs warns" \
	sh -c "[ $rc -eq 0 ] && grep -q '^secret\$' '$T/old.out' && grep -q 'made before its mount namespace' '$T/old.err'"

# ---- layer save, then stack it ---------------------------------------------------
lab ls1 "unshare mnt pid; overlay $T/root; rootfs; run sh -c 'echo kept > /saved-file; rm /etc/passwd; rm -rf /tmp; mkdir /tmp; touch /tmp/new'; layer save $T/layer"
check "layer save copies the upper layer" sh -c "[ $rc -eq 0 ] && [ \"\$(cat '$T/layer/saved-file')\" = kept ]"
check "layer save keeps whiteouts (character device 0/0)" sh -c "[ -c '$T/layer/etc/passwd' ] && [ \"\$(stat -c %t:%T '$T/layer/etc/passwd')\" = 0:0 ]"
lab ls2 "unshare mnt pid; overlay $T/layer $T/root; rootfs; run cat /saved-file; ! run cat /etc/passwd; run ls /tmp; diff"
check "overlay SAVED LOWER stacks it: the saved file is there, the deleted one is not" \
	sh -c "[ $rc -eq 0 ] && grep -q '^kept\$' '$T/ls2.out' && grep -q 'failed as expected' '$T/ls2.out' && grep -q '^new\$' '$T/ls2.out'"
lab ls3 "unshare mnt; overlay $T/layer; run sh -c 'cat $RUN/\$PPID/lab1/merged/saved-file'"
check "overlay SAVED alone sees the saved file" has "$T/ls3.out" "^kept\$"
check "the saved root is unchanged on the host" sh -c "[ -f '$T/root/etc/passwd' ] && [ ! -e '$T/root/saved-file' ]"

# ---- refusals: one line, a failure, nothing changed -----------------------------
refuse() {
	d=$1; shift
	lab bad "$1"
	if [ "$rc" -ne 0 ] && [ "$(lines "$T/bad.err")" -eq 1 ] && no_run_dir "$pid" && has "$T/bad.err" "$2"; then
		ok "refused: $d"
	else
		not_ok "refused: $d (rc $rc: $(cat "$T/bad.err"))"
	fi
}
refuse "rootfs in the host's mount namespace" "rootfs $T/root" "shares the host's mount namespace"
refuse "chroot in the host's mount namespace" "chroot $T/root" "shares the host's mount namespace"
refuse "a rootfs that is not a directory" "unshare mnt; rootfs $T/host/marker" "is not a directory"
refuse "a rootfs without /bin/sh" "unshare mnt; rootfs $T/host" "has no /bin/sh"
refuse "a rootfs that does not exist" "unshare mnt; rootfs $T/nothing" "does not exist in the lab"
refuse "an overlay over a lower that does not exist" "unshare mnt; overlay $T/nothing" "does not exist in the lab"
refuse "an overlay in the host's mount namespace" "overlay" "shares the host's mount namespace"
refuse "a relative lower" "unshare mnt; overlay tmp" "not an absolute path"
refuse "a second overlay" "unshare mnt; overlay $T/root; overlay $T/root" "has an overlay already"
refuse "diff without an overlay" "unshare mnt; diff" "has no overlay"
refuse "layer save without an overlay" "layer save $T/x" "has no overlay"
refuse "layer save into a non-empty directory" "unshare mnt; overlay $T/root; layer save $T/host" "is not empty"
lab unchanged "unshare mnt pid; ! rootfs $T/host; ! overlay $T/nothing; run test -f $T/host/marker; host sh -c 'test ! -e $RUN/\$PPID'"
check "after those refusals the lab's root and the run directory are as before" test "$rc" -eq 0

# ---- cleanup on every path --------------------------------------------------------
lab sh "unshare mnt; overlay; host sh -c 'test -d $RUN/\$PPID/lab1/upper'; share mnt; host sh -c 'test ! -e $RUN/\$PPID'; unshare mnt; overlay; reset; host sh -c 'test ! -e $RUN/\$PPID'; lab new b; lab use b; unshare mnt; overlay; lab use lab1; lab del b; host sh -c 'test ! -e $RUN/\$PPID'"
check "share mnt, reset and lab del remove the run directory" test "$rc" -eq 0

wait_for() { for _ in $(seq 50); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }
"$NSLAB" -c "unshare mnt pid; overlay; rootfs; run sleep 60 # $T" </dev/null >/dev/null 2>&1 &
pid=$!
wait_for "$RUN/$pid/lab1/upper"
kill -TERM "$pid"
wait "$pid"
check "SIGTERM: the run directory is removed on the way out" no_run_dir "$pid"


# ---- rootless, as nobody ---------------------------------------------------------
mkdir "$T/nobody"
chown nobody:nogroup "$T/nobody"
if setpriv --reuid=nobody --regid=nogroup --clear-groups "$MKROOTFS" "$T/nobody/root" >/dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups unshare -U true 2>/dev/null; then
	lab rl "unshare mnt pid; overlay $T/nobody/root; rootfs; run sh -c 'echo x > /added; rm /etc/passwd'; diff; run ps; ! run cat $T/host/marker; layer save $T/nobody/layer" nobody
	check "rootless: overlay + rootfs + diff as nobody" \
		sh -c "[ $rc -eq 0 ] && grep -q '^A /added\$' '$T/rl.out' && grep -q '^D /etc/passwd\$' '$T/rl.out' && grep -q 'nslab-init' '$T/rl.out'"
	check "rootless: the host's root stays out of reach" has "$T/rl.out" "failed as expected: cat"
	check "rootless: the lower layer is unchanged and the run directory gone" \
		sh -c "[ -f '$T/nobody/root/etc/passwd' ] && [ ! -e '$T/nobody/root/added' ] && [ ! -e /tmp/nslab-65534/$pid ]"
	lab rl2 "unshare mnt pid; overlay $T/nobody/layer $T/nobody/root; rootfs; run cat /added; ! run cat /etc/passwd" nobody
	check "rootless: a saved layer stacks" sh -c "[ $rc -eq 0 ] && grep -q '^x\$' '$T/rl2.out'"
	lab rl3 "unshare mnt pid; chroot $T/nobody/root; mount proc; run ls /; run cat /proc/1/root$T/host/marker" nobody
	check "rootless: chroot, and its /proc/1/root escape" sh -c "[ $rc -eq 0 ] && grep -q '^secret\$' '$T/rl3.out'"
	# With a run directory of the test's own, what the killed run leaves
	# is seen by no other test running meanwhile.
	mkdir -m 700 "$T/xdg"
	chown nobody:nogroup "$T/xdg"
	(cd / && exec setpriv --reuid=nobody --regid=nogroup --clear-groups env XDG_RUNTIME_DIR="$T/xdg" \
		"$NSLAB" -c "unshare mnt pid; overlay $T/nobody/root; rootfs; run sleep 60 # $T") </dev/null >/dev/null 2>&1 &
	pid=$!
	wait_for "$T/xdg/nslab/$pid/lab1/upper"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	check "SIGKILL leaves the run directory behind" test -d "$T/xdg/nslab/$pid/lab1/upper"
	no_lab_process
	(cd / && exec setpriv --reuid=nobody --regid=nogroup --clear-groups env XDG_RUNTIME_DIR="$T/xdg" \
		"$NSLAB" -c "lab list # $T") </dev/null >/dev/null 2>&1
	check "... and the next start removes it" test ! -e "$T/xdg/nslab/$pid"
	lab rl4 "unshare mnt; overlay" nobody
	check "rootless: the host's root as a layer is refused in one line, with the reason" \
		sh -c "[ $rc -ne 0 ] && [ \$(wc -l <'$T/rl4.err') -eq 1 ] && grep -q 'mounts below it' '$T/rl4.err'"
else
	for d in "overlay + rootfs + diff" "host root out of reach" "cleanup" "saved layer" "chroot" \
		"SIGKILL leaves the run directory" "the next start removes it" "refusal"; do
		skip "rootless: $d" "nobody cannot make a user namespace here"
	done
fi

# ---- the host is as it was ----------------------------------------------------------
check "no lab process is left" no_lab_process
mounts >"$T/mounts.after"
check "the host's mount table is unchanged" cmp -s "$T/mounts.before" "$T/mounts.after"
left=""
for p in $pids; do no_run_dir "$p" || left="$left $p"; done
check "no nslab of this test left a run directory" test -z "$left"

echo "1..$n"
