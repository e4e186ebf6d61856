#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# rootless.sh: the same lab as an unprivileged user (nobody): nslab makes a
# user namespace first, in which the user is root, and then UTS, IPC, PID
# and mount namespaces, hostname, mount proc, ps, ipcmk and status work with
# no host privilege.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) is not installed"
if ! id nobody >/dev/null 2>&1 || ! getent group nogroup >/dev/null; then
	skip_all "there is no user nobody or group nogroup"
fi
as_nobody test -x "$NSLAB" ||
	skip_all "nobody cannot run $NSLAB (a directory on the way is closed to others)"
if command -v unshare >/dev/null; then
	as_nobody unshare -U true 2>/dev/null ||
		skip_all "unprivileged user namespaces are disabled here (unshare -U fails as nobody)"
elif [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null)" = 0 ] ||
	[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null)" = 0 ]; then
	skip_all "unprivileged user namespaces are disabled here (sysctl)"
fi

snapshot_begin
host_name=$(cat /proc/sys/kernel/hostname)
cd "$T" || bail "cannot cd to $T"
NSL_AS=nobody

# ---- the whole first lesson, rootless
nsl 'unshare uts ipc pid mnt; echo @@hostname; hostname rootless-lab; hostname
echo @@ps; mount proc; ps -e -o pid=,comm=; echo @@ipc; ipcmk -Q; ipcs -q
echo @@id; run id -u; echo @@json; status --json; echo @@text; status'
rc_is "as nobody: unshare uts ipc pid mnt, hostname, mount proc, ps, ipcmk, status" 0
is "nothing on stderr" "" "$ERR"
like "nslab says it makes a user namespace first" "$OUT" 'rootless: creating a user namespace'
like "the user namespace is reported isolated" "$OUT" '^user +isolated: namespace'
is "hostname NAME works rootless" "rootless-lab" "$(part hostname)"
ps_out=$(part ps)
like "mount proc works rootless: ps -e shows PID 1 nslab-init" "$ps_out" '^ *1 nslab-init$'
n=$(wc -l <<<"$ps_out")
check "ps -e shows few processes ($n)" test "$n" -le 3
like "ipcmk -Q works rootless" "$(part ipc)" '^Message queue id: 0$'
like "ipcs -q lists the queue, owned by root inside" "$(part ipc)" '^0x[0-9a-f]{8} 0 +root +644 +0 +0 *$'
is "a program in the lab is root inside" 0 "$(part id)"
json=$(part json)
contains "status --json: user is isolated" "$(tr -d ' \n' <<<"$json")" '"user":{"isolated":true'
like "status --json: uid_map maps 0 to nobody" "$(tr -s ' ' <<<"$json")" '"uid_map": " ?0 65534 1"'
contains "status --json: uts has the lab's hostname" "$json" '"hostname": "rootless-lab"'
like "status: user is the lab's" "$(part text)" '^user +lab '
like "status: 5 of 8 isolated" "$(part text)" '5 of 8 namespace types isolated'
is "the host keeps its hostname" "$host_name" "$(cat /proc/sys/kernel/hostname)"
snapshot_check "host unchanged after the rootless lab"

if command -v ipcs >/dev/null; then
	nsl 'unshare ipc; ipcmk -Q; ipcmk -M 1K; echo @@nslab; ipcs -q; echo @@util-linux; run ipcs -q'
	is "rootless ipcs -q reads as util-linux's" "$(part util-linux)" "$(part nslab)"
else
	skip "rootless ipcs -q reads as util-linux's" "util-linux ipcs is not installed"
fi

# ---- mounts rootless
mkdir -p "$T/dst"
chmod 777 "$T/dst"
nsl "unshare mnt; mount tmpfs $T/dst; run touch $T/dst/made-in-lab; echo @@mounts; mounts"
rc_is "mount tmpfs works rootless" 0
like "mounts marks it with +" "$(part mounts)" "^\\+ $T/dst +tmpfs"
check "the file made in the lab's tmpfs is not on the host" test ! -e "$T/dst/made-in-lab"

# ---- refusals stay refusals
nsl 'hostname evil'
fails_cleanly "rootless: hostname is refused while uts is shared" 'unshare uts'
nsl 'mount proc'
fails_cleanly "rootless: mount proc is refused while mnt is shared" 'unshare mnt'
nsl 'ipcmk -Q'
fails_cleanly "rootless: ipcmk is refused while ipc is shared" 'unshare ipc'
nsl 'unshare uts; share user'
fails_cleanly "rootless: share user while the lab's uts belongs to it is refused" 'share them too|reset'

# ---- share and reset rootless
mark="4343.$$"
nsl "unshare pid mnt; mount proc; run sh -c 'sleep $mark & :'; share pid; echo @@after; host sh -c 'pgrep -cf \"^[s]leep $mark\" || :'"
rc_is "rootless: share pid succeeds" 0
is "rootless: share pid ends the lab's processes" 0 "$(part after)"
nsl 'unshare uts ipc pid mnt; hostname r; reset; echo @@json; status --json'
rc_is "rootless: reset succeeds" 0
lacks "rootless: after reset nothing is isolated" "$(part json)" '"isolated": true'
nsl 'unshare uts; share uts; share user; echo @@json; status --json'
rc_is "rootless: share uts then share user succeeds" 0
lacks "rootless: then nothing is isolated" "$(part json)" '"isolated": true'

NSL_AS=
no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
