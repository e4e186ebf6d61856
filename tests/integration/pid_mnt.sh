#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pid_mnt.sh: PID and mount namespaces: mount proc and what ps shows, the
# refusal to mount on the host, the warning with a shared PID namespace,
# tmpfs and bind mounts, umount, the mounts listing, share pid ending the
# lab's processes, and reset.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"

# ---- the lab's own /proc: PID 1 and almost nothing else
nsl 'unshare pid mnt; mount proc; echo @@ps; ps -e -o pid=,comm=; echo @@self; run sh -c '\''echo $$'\'''
rc_is "unshare pid mnt; mount proc; ps -e succeed" 0
is "no warning when the lab has its own PID namespace" "" "$ERR"
like "unshare pid reports the lab's PID 1 as a host PID" "$OUT" \
	'^pid +isolated: namespace [0-9]+ \(host [0-9]+\); its PID 1 is host PID [0-9]+'
ps_out=$(part ps)
like "ps -e shows PID 1 nslab-init" "$ps_out" '^ *1 nslab-init$'
n=$(wc -l <<<"$ps_out")
check "ps -e shows few processes ($n)" test "$n" -le 3
lacks "ps -e does not show this test's shell" "$(awk '{print " " $1 " "}' <<<"$ps_out")" " $$ "
self=$(part self)
check "a program in the lab has a small PID ($self)" test "${self:-999}" -le 10
check "the host's /proc still shows the host's processes" test -d "/proc/$$"
snapshot_check "host unchanged after mount proc in the lab"

# ---- the classic surprise: a new PID namespace, but the host's /proc
nsl 'unshare pid mnt; ps -e -o pid='
rc_is "ps -e before mount proc runs" 0
like "before mount proc, ps -e still lists the host's processes" "$OUT" "^ *$$\$"

# ---- mount proc is refused while the mount namespace is the host's
nsl 'mount proc'
fails_cleanly "mount proc is refused while mnt is shared" 'unshare mnt'
nsl 'unshare pid; mount proc'
fails_cleanly "mount proc is refused with pid isolated but mnt shared" 'unshare mnt'
nsl 'unshare mnt; share mnt; mount proc'
fails_cleanly "mount proc is refused again after share mnt" 'unshare mnt'
nsl "mount tmpfs $T"
fails_cleanly "mount tmpfs is refused while mnt is shared" 'unshare mnt'
nsl "mount bind /etc $T"
fails_cleanly "mount bind is refused while mnt is shared" 'unshare mnt'
nsl 'umount /proc'
fails_cleanly "umount is refused while mnt is shared" 'unshare mnt'
snapshot_check "host unchanged after the refusals"

# ---- mount proc with the host's PID namespace: allowed, with a warning
nsl 'unshare mnt; mount proc; ps -e -o pid='
rc_is "mount proc with pid shared is allowed" 0
lines_is "it prints exactly one line on stderr" 1 "$ERR"
like "the line is a warning that /proc shows the host's processes" "$ERR" \
	"warning: .*host's processes"
like "and indeed ps -e lists the host's processes" "$OUT" "^ *$$\$"
snapshot_check "host unchanged after mount proc with pid shared"

# ---- tmpfs, bind, umount, and the lab's own mounts marked +
mkdir -p "$T/src" "$T/dst"
echo from-the-host >"$T/src/file"
nsl "unshare mnt; mount tmpfs $T/dst; run touch $T/dst/made-in-lab
echo @@m1; mounts; echo @@ls; run ls $T/dst; umount $T/dst
mount bind $T/src $T/dst; echo @@cat; run cat $T/dst/file; echo @@m2; mounts
umount $T/dst; echo @@m3; mounts"
rc_is "mount tmpfs, mount bind, umount, mounts succeed" 0
is "nothing on stderr" "" "$ERR"
like "mounts marks the lab's tmpfs with +" "$(part m1)" "^\\+ $T/dst +tmpfs +tmpfs\$"
like "mounts shows the host's / without +" "$(part m1)" '^  / +'
unlike "mounts marks nothing of the host's with +" "$(part m1)" '^\+ / '
like "mounts ends with a count of the lab's own" "$(part m1)" '^[0-9]+ mounts; 1 marked \+'
is "a file made in the lab's tmpfs is there in the lab" "made-in-lab" "$(part ls)"
check "and not on the host" test ! -e "$T/dst/made-in-lab"
is "the bind mount shows the source's file" "from-the-host" "$(part cat)"
like "mounts marks the bind mount with +" "$(part m2)" "^\\+ $T/dst "
unlike "after umount, mounts no longer lists it" "$(part m3)" " $T/dst "
like "after umount, the count of the lab's own is 0" "$(part m3)" '^[0-9]+ mounts; 0 marked \+'
snapshot_check "host unchanged after tmpfs and bind mounts"

nsl "unshare mnt; mount proc $T/dst; run sh -c 'test -e $T/dst/self && echo has-self'"
is "mount proc DIR mounts a proc at DIR" "has-self" "$(tail -n 1 <<<"$OUT")"

nsl "unshare mnt; umount $T/dst"
fails_cleanly "umount of something not mounted" 'not a mount point'
nsl "unshare mnt; mount tmpfs $T/no-such-dir"
fails_cleanly "mount tmpfs on a missing directory" 'does not exist'
nsl "unshare mnt; mount bind $T/no-such-dir $T/dst"
fails_cleanly "mount bind of a missing source" 'does not exist'
nsl 'unshare mnt; mount tmpfs relative/dir'
fails_cleanly "a relative mount point is refused" 'absolute'
check "nothing was made on the host" test ! -e "$T/no-such-dir" -a ! -e "$T/relative"

# ---- the propagation trap: a host whose / is rshared (as systemd makes it)
if command -v unshare >/dev/null && unshare -m --propagation shared true 2>/dev/null; then
	mkdir -p "$T/dst2"
	cat >"$T/rshared.sh" <<'S'
# In a throwaway mount namespace whose / is rshared: run nslab, and list the
# mount points before and after.
out=$1
shift
awk '{ print $5 }' /proc/self/mountinfo >"$out.before"
"$@"
rc=$?
awk '{ print $5 }' /proc/self/mountinfo >"$out.after"
exit $rc
S
	NSL_WRAP=(unshare -m --propagation shared -- sh "$T/rshared.sh" "$T/rshared")
	nsl "unshare pid mnt; mount proc; mount tmpfs $T/dst; mount bind $T/src $T/dst2; mount proc $T/dst2"
	NSL_WRAP=()
	rc_is "with / rshared: mount proc, tmpfs and bind in the lab succeed" 0
	if [ -s "$T/rshared.before" ] && cmp -s "$T/rshared.before" "$T/rshared.after"; then
		ok "with / rshared: no mount propagates out of the lab"
	else
		not_ok "with / rshared: no mount propagates out of the lab"
		diag_block "mount points that appeared outside:" \
			"$(diff "$T/rshared.before" "$T/rshared.after" 2>&1)"
	fi
else
	skip "with / rshared: no mount propagates out of the lab" "util-linux unshare --propagation does not work here"
fi
snapshot_check "host unchanged after the propagation trap"

# ---- share pid ends the lab's processes
mark="4242.$$"
nsl "unshare pid mnt; mount proc; run sh -c 'sleep $mark & sleep $mark & :'
echo @@before; host sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do [ \$(pgrep -cf \"^[s]leep $mark\") -eq 2 ] && break; sleep 0.1; done; pgrep -cf \"^[s]leep $mark\"'
echo @@share; share pid; echo @@after; host sh -c 'pgrep -cf \"^[s]leep $mark\" || :'
echo @@run; run sh -c 'echo \$\$'; echo @@status; status --json"
rc_is "share pid succeeds" 0
is "two sleeps ran in the lab before share pid" 2 "$(part before)"
like "share pid says the lab's PID 1 ended and with it 3 processes" "$OUT" \
	"^pid +back to the host's; the lab's PID 1 ended, and with it 3 process"
is "after share pid the lab's processes are gone" 0 "$(part after)"
check "after share pid programs run with host PIDs" test "$(part run)" -gt 10
contains "status: pid is the host's again" "$(part status)" '"init_pid": 0'
is "no sleep is left on the host" "" "$(pgrep -f "^sleep $mark" || true)"

# ---- the lab's PID 1 killed from the host: refuse new processes, recover
# shellcheck disable=SC2016 # for the sh in the lab to expand
kill_init='host sh -c '\''for p in $(pgrep -x nslab-init); do { tr "\0" "\n" <"/proc/$p/environ"; } 2>/dev/null | grep -qx "NSLAB_TEST_TAG=$NSLAB_TEST_TAG" && kill -KILL "$p"; done; sleep 0.1'\'''
nsl "unshare pid mnt; mount proc; $kill_init; status; run true"
fails_cleanly "after its PID 1 is killed, run in the lab fails cleanly" 'PID 1 has ended'
like "status says PID 1 has ended" "$OUT" '^pid +lab .*PID 1 has ended'
nsl "unshare pid mnt; mount proc; $kill_init; share pid; unshare pid; echo @@run; run sh -c 'echo \$\$'"
rc_is "share pid, unshare pid makes a new PID namespace after PID 1 died" 0
inner=$(part run)
check "and programs start in it again (PID $inner)" test "${inner:-999}" -le 10

# ---- pid PID: one process's numbers; the host PID comes from nslab's own
# answer, so nslab reads its commands from a pipe, one at a time
# (bash forgets a coproc's variables once it has ended: copies first)
coproc PIDLAB { timeout -k 2 "$NSL_TIMEOUT" "$NSLAB" -k 2>&1; }
pl_pid=$PIDLAB_PID pl_out=${PIDLAB[0]} pl_in=${PIDLAB[1]}
echo 'unshare pid mnt' >&"$pl_in"
first=
read -r -t 5 first <&"$pl_out" || :
init=$(sed -n 's/.*its PID 1 is host PID \([0-9]*\).*/\1/p' <<<"$first")
printf 'pid %s\npid 1\npid 12x\n' "${init:-0}" >&"$pl_in"
exec {pl_in}>&- # the end of the script: nslab's status says whether a line failed
OUT=$(cat <&"$pl_out")
RC=0
wait "$pl_pid" || RC=$?
rc_is "pid PID: a session driven one command at a time" 1
like "pid HOSTPID names the lab's PID 1 and its number in the lab" "$OUT" \
	"^nslab-init: host PID $init is PID 1 in lab1's PID namespace$"
like "and its NSpid line, the host's number first" "$OUT" "^NSpid: $init 1 \\("
like "a host PID outside the lab is refused, saying why" "$OUT" \
	"^<stdin>:3: pid: host PID 1 is not a process of lab1's PID namespace"
like "a number that is no PID is refused, saying what would do" "$OUT" \
	"^<stdin>:4: pid: '12x' is not a PID \\(give a host PID as \`pid list\` shows it, e.g. \`pid $init\`\\)$"

# ---- the aliases of mnt and net
nsl 'unshare mount network; echo @@json; status --json'
rc_is "unshare mount network (aliases) succeeds" 0
json=$(part json | tr -d ' \n')
contains "mount is mnt" "$json" '"mnt":{"isolated":true'
contains "network is net" "$json" '"net":{"isolated":true'

# ---- reset
nsl 'unshare uts ipc pid mnt; hostname resetme; mount proc; reset; echo @@h; hostname; echo @@json; status --json'
rc_is "reset succeeds" 0
like "reset says everything is the host's again" "$OUT" "every namespace is the host's again"
is "after reset hostname is the host's" "$(cat /proc/sys/kernel/hostname)" "$(part h)"
lacks "after reset nothing is isolated" "$(part json)" '"isolated": true'
nsl 'reset; reset'
rc_is "reset with nothing isolated is fine" 0

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
