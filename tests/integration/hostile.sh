#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile.sh: a program inside the lab turns against nslab and the host
# (tests/hostile/hostile.c, built here): it opens nslab's /proc/PID/exe
# and /proc/PID/mem for writing, ptraces nslab, reaches for nslab's root,
# fds and namespaces; it swaps mount targets, /proc, /dev entries and its
# cgroup for symlinks or nested cgroups while nslab works on them. Every
# attempt is counted; none may succeed (nslab's binary unchanged, the host
# unchanged). And what the lab is given: only fds 0, 1, 2, no inheritable
# or ambient capability, a working directory inside the lab.
# The terminal attacks (TIOCSTI, TIOCLINUX) are in tests/tui/hostile.sh.
#
# A lab without a user namespace, run by root, is root on the host: such a
# lab may ptrace nslab and write the host's files, by design. Its figures
# are shown, not counted; the labs counted are those with a user
# namespace, as root and rootless (as nobody).
# shellcheck disable=SC2016 # nslab commands hold literal $
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
cd "$T" || bail "cannot cd to $T"
CC=${CC:-cc}
command -v "$CC" >/dev/null || skip_all "no C compiler ($CC) to build the hostile program"
"$CC" -O2 -o "$T/hostile" "$TESTS_DIR/hostile/hostile.c" 2>"$T/cc.err" ||
	bail "cannot build tests/hostile/hostile.c: $(cat "$T/cc.err")"
chmod 755 "$T/hostile"
H=$T/hostile
snapshot_begin
nslab_sum=$(sha256sum <"$NSLAB")
# shellcheck disable=SC2012 # a fingerprint of the listing, modes and times included
etc_sum=$(ls -la --time-style=+%s /etc | sha256sum)

ATTEMPTS=0 SUCCESSES=0
# count DESC: the attempt lines of the last run (OUT), counted; each
# success is a failure of the test.
count() {
	local a s
	a=$(grep -c '^attempt ' <<<"$OUT")
	s=$(grep -c '^attempt .*: SUCCEEDED$' <<<"$OUT")
	ATTEMPTS=$((ATTEMPTS + a))
	SUCCESSES=$((SUCCESSES + s))
	if [ "$a" -gt 0 ] && [ "$s" -eq 0 ]; then
		ok "$1: $a attempts, none succeeds"
	else
		not_ok "$1: $a attempts, $s succeed"
		_show_run
	fi
}

# nslab with its PID in $T/nslab.pid, for the hostile program to find.
NSL_WRAP=(sh -c 'echo $$ >"$0"; exec "$@"' "$T/nslab.pid")

# ---- against nslab, from labs with a user namespace
# Root's default map (0 0 1) makes the lab's root the host's uid 0, owner
# of the host's files: a lab meant to be hostile gets a range of its own.
MAPS='uidmap 0 100000 65536; gidmap 0 100000 65536'
for lab in 'user uts ipc pid mnt' 'user uts ipc mnt' 'user pid' 'user uts ipc pid mnt cgroup'; do
	nsl "unshare $lab; run $H nslab $T/nslab.pid"
	count "root nslab, lab of $lab: at nslab's /proc, ptrace"
	nsl "$MAPS; unshare $lab; run $H nslab $T/nslab.pid"
	count "root nslab, lab of $lab, uid 0 = host 100000: at nslab's /proc, ptrace"
done
for lab in 'user uts ipc pid mnt' 'user uts ipc mnt'; do
	NSL_AS=nobody nsl "unshare $lab; run $H nslab $T/nslab.pid"
	count "rootless nslab, lab of $lab: at nslab's /proc, ptrace"
done
NSL_AS=nobody nsl "unshare user uts ipc pid mnt; enter $H nslab $T/nslab.pid"
count "rootless nslab, enter: at nslab's /proc, ptrace"
# For the record: root in a lab without a user namespace is root.
nsl "unshare uts ipc mnt; run $H nslab $T/nslab.pid"
diag "root lab without a user namespace (not counted: root on the host by design):" \
	"$(grep -c SUCCEEDED <<<"$OUT") of $(grep -c '^attempt ' <<<"$OUT") attempts succeed"
is "nslab's binary is unchanged" "$nslab_sum" "$(sha256sum <"$NSLAB")"

# ---- symlinks under nslab's feet: mount targets, /proc, /dev
mkdir -p "$T/m"
# (What the lab writes there goes only where the tmpfs is mounted: a test
# must not write into the host's /etc if the mount failed.)
echo 'grep -q " /etc [^ ]* - tmpfs " /proc/self/mountinfo && touch /etc/nslab-hostile' >"$T/touch.sh"
nsl "unshare mnt; run ln -s /etc $T/x; mount tmpfs $T/x; run sh $T/touch.sh; mount bind $T/x /mnt; umount $T/x"
ATTEMPTS=$((ATTEMPTS + 1))
if [ ! -e /etc/nslab-hostile ] && [ -z "$(_snapshot_diff)" ]; then
	ok "mount tmpfs on a symlink to /etc: the host's /etc is untouched"
else
	SUCCESSES=$((SUCCESSES + 1))
	not_ok "mount tmpfs on a symlink to /etc: the host's /etc is untouched"
	rm -f /etc/nslab-hostile
fi
rm -f "$T/x"

# A lab process swaps the target between a directory and a symlink to
# /etc while nslab mounts and unmounts there again and again.
{
	echo "unshare pid mnt; mount proc"
	echo "run sh -c 'while :; do ln -sfn /etc $T/r; rm -f $T/r; mkdir $T/r; rmdir $T/r; done >/dev/null 2>&1 &'"
	for _ in $(seq 40); do echo "mount tmpfs $T/r; umount $T/r; mount bind /var/empty $T/r"; done
	echo "reset"
} >"$T/race.nsl"
[ -d /var/empty ] || sed -i 's|/var/empty|/usr|' "$T/race.nsl"
nslab_run --keep-going "$T/race.nsl"
ATTEMPTS=$((ATTEMPTS + 120))
# shellcheck disable=SC2012 # the same fingerprint as etc_sum's
if [ "$(ls -la --time-style=+%s /etc | sha256sum)" = "$etc_sum" ] && [ -z "$(_snapshot_diff)" ]; then
	ok "120 mounts racing a symlink to /etc: the host's /etc and mounts are untouched"
else
	SUCCESSES=$((SUCCESSES + 1))
	not_ok "120 mounts racing a symlink to /etc: the host's /etc and mounts are untouched"
	diag_block "host diff:" "$(_snapshot_diff)"
fi
rm -rf "$T/r"

# /proc swapped for a symlink to /etc, then `mount proc`; symlinks in the
# host's /dev. Only from labs with a user namespace, where the kernel
# refuses. (Root in a lab without one can: `umount -l /proc; rmdir /proc`
# in the lab's own mount namespace removes the directory and with it the
# host's /proc mount, since a mount point of another namespace does not
# keep rmdir from working. Root in such a lab is root on the host.) Each
# script first checks that the lab cannot write / or /dev, and tries
# nothing if it can: this test must never damage the machine it runs on.
guard='if [ -w / ] || [ -w /dev ]; then echo "attempt $0 (not tried: / or /dev is writable): SUCCEEDED"; exit 0; fi'
{
	echo "$guard"
	echo 'umount -l /proc 2>/dev/null'
	echo 'if rmdir /proc 2>/dev/null || mv /proc /proc.gone 2>/dev/null || ln -s /etc /proc 2>/dev/null; then'
	echo '	echo "attempt replace /proc: SUCCEEDED"'
	echo 'else'
	echo '	echo "attempt replace /proc: refused"'
	echo 'fi'
} >"$T/proc.sh"
{
	echo "$guard"
	echo 'ln -s /etc/hostname /dev/nslab-hostile 2>/dev/null && echo "attempt link in /dev: SUCCEEDED" || echo "attempt link in /dev: refused"'
	echo 'ln -sf /etc/passwd /dev/null 2>/dev/null && echo "attempt replace /dev/null: SUCCEEDED" || echo "attempt replace /dev/null: refused"'
} >"$T/dev.sh"
chmod 644 "$T/proc.sh" "$T/dev.sh"
nsl "$MAPS; unshare user pid mnt; run sh $T/proc.sh; ! mount proc; run sh $T/dev.sh"
count "a lab with a user namespace: /proc swapped for a symlink, symlinks in /dev"
NSL_AS=nobody nsl "unshare user pid mnt; run sh $T/proc.sh; ! mount proc; run sh $T/dev.sh"
count "rootless: /proc swapped for a symlink, symlinks in /dev"
check "the host's /proc is still there" test -d /proc/self -a ! -L /proc
check "/dev/null is still the null device" test -c /dev/null -a ! -L /dev/null

# ---- the cgroup path: a lab process hides in a cgroup of its own below
# the lab's, where killing and removing the lab's cgroup would miss it.
CGS='for d in $(cut -d: -f3 /proc/self/cgroup | sort -u); do :; done
for c in $(cut -d: -f2,3 /proc/self/cgroup); do
	sub=${c%%:*}; p=${c#*:}; base=/sys/fs/cgroup/$sub
	case $sub in "") continue ;; esac
	[ -d "$base$p" ] || continue
	case $p in */nslab.*) ;; *) continue ;; esac
	if mkdir "$base$p/hide" 2>/dev/null && echo $$ > "$base$p/hide/cgroup.procs" 2>/dev/null; then
		echo "attempt hide in $sub: SUCCEEDED-IN-LAB"
	else
		echo "attempt hide in $sub: refused"
	fi
	ln -s /etc "$base$p/link" 2>/dev/null && echo "attempt symlink in the cgroup: SUCCEEDED" || echo "attempt symlink in the cgroup: refused"
done
sleep 300 &
'
printf '%s' "$CGS" >"$T/cg.sh"
chmod 644 "$T/cg.sh"
nsl "unshare uts ipc mnt; cgroup pids 50; run sh $T/cg.sh; reset"
hidden=$(grep -c 'SUCCEEDED-IN-LAB' <<<"$OUT")
ATTEMPTS=$((ATTEMPTS + $(grep -c '^attempt ' <<<"$OUT")))
left=$(find /sys/fs/cgroup -name "nslab.*" -path "*nslab.*" 2>/dev/null | while read -r d; do
	n=${d##*/nslab.}; n=${n%%.*}; kill -0 "$n" 2>/dev/null || echo "$d"; done)
if [ -z "$(_snapshot_diff)" ] && [ -z "$(_lab_pids)" ]; then
	ok "a lab process in a cgroup of its own below the lab's ($hidden hierarchies): reset removes it all"
else
	SUCCESSES=$((SUCCESSES + 1))
	not_ok "a lab process in a cgroup of its own below the lab's ($hidden hierarchies): reset removes it all"
	diag_block "host diff:" "$(_snapshot_diff)"
	diag_block "left:" "$left"
fi
nsl "$MAPS; unshare user uts mnt; cgroup pids 50; run sh $T/cg.sh"
count "a lab with a user namespace: a cgroup of its own, a symlink in the cgroup"
# For the record: with root's default map the lab's root owns what the
# host's root owns (a file here, mode 0644, owner root).
echo host >"$T/rootfile"
chmod 644 "$T/rootfile"
nsl "unshare user mnt; run sh -c 'echo lab >> $T/rootfile && echo writable || echo refused'"
diag "a lab with a user namespace and root's default map (0 0 1) writes a root-owned 0644 file: $(tail -n 1 <<<"$OUT")"

# ---- what the lab is given: fds, capabilities, working directory
# nslab started with extra fds open and inheritable/ambient capabilities.
mkdir -p "$T/cwd"
cd "$T/cwd" || bail "cd"
# shellcheck disable=SC2054 # the commas separate setpriv's capabilities
NSL_WRAP=(setpriv --inh-caps=+sys_admin,+net_admin --ambient-caps=+sys_admin sh -c 'exec 5</etc/hostname 7>/dev/null; exec "$@"' sh)
for how in 'unshare uts pid mnt; mount proc' 'unshare user uts pid mnt' 'unshare uts ipc'; do
	nsl "$how; echo @@run; run $H self; echo @@enter; enter $H self; echo @@sh; run sh -c '$H self'"
	for p in run enter sh; do
		got=$(part "$p")
		is "$how: $p: no fd but 0, 1, 2" "" "$(grep '^fd ' <<<"$got")"
		is "$how: $p: no inheritable or ambient capability" \
			$'CapInh:\t0000000000000000\nCapAmb:\t0000000000000000' "$(grep '^Cap' <<<"$got")"
	done
done
# The lab's init holds nothing either.
nsl "unshare pid mnt; mount proc; run sh -c 'ls /proc/1/fd | tr \"\\n\" \" \"; echo; grep -E \"^Cap(Inh|Amb)\" /proc/1/status'"
like "the lab's init holds only fd 0 (its lifeline)" "$OUT" '^0 $'
unlike "...and no inheritable or ambient capability" "$OUT" $'^Cap(Inh|Amb):\t0*[1-9a-f]'
NSL_WRAP=()
# The working directory is the lab's: a tmpfs mounted on it in the lab is
# where a program starts.
nsl "unshare mnt; mount tmpfs $T/cwd; run touch written-here; run $H self; run ls"
like "a program's working directory is inside the lab (what it writes there stays in the lab)" "$OUT" '^written-here$'
check "...and is not the host's directory" test ! -e "$T/cwd/written-here"
host_dev=$(stat -c %d "$T/cwd")
lab_dev=$(sed -n 's/^cwd .* dev \([0-9]*\) ino .*/\1/p' <<<"$OUT")
isnt "...on the lab's tmpfs (device $lab_dev, the host's is $host_dev)" "$host_dev" "${lab_dev:-$host_dev}"
NSL_AS=nobody nsl "unshare user mnt; mount tmpfs $T/cwd; run touch written-here; run ls"
like "rootless: the working directory is inside the lab too" "$OUT" '^written-here$'
check "...and not the host's" test ! -e "$T/cwd/written-here"
cd "$T" || bail "cd"

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
is "nslab's binary is unchanged at the end" "$nslab_sum" "$(sha256sum <"$NSLAB")"
diag "hostile attempts: $ATTEMPTS; successes: $SUCCESSES"
done_testing
