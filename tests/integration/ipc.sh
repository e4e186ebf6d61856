#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ipc.sh: System V IPC in the lab: ipcmk, ipcs laid out as util-linux's,
# ipcrm, unknown ids, refusal while the IPC namespace is the host's, and the
# host's own objects untouched.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
have_ipcs=$(command -v ipcs || true)
host_ipcs=$([ -z "$have_ipcs" ] || ipcs -a)

# ---- making one object of each kind
nsl 'unshare ipc; ipcmk -Q; ipcmk -M 4096 -p 600; ipcmk -S 3 -p 0640
echo @@q; ipcs -q; echo @@m; ipcs -m; echo @@s; ipcs -s; echo @@all; ipcs
echo @@host; host cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem'
rc_is "unshare ipc; ipcmk -Q, -M 4096 -p 600, -S 3 -p 0640 succeed" 0
is "nothing on stderr" "" "$ERR"
like "ipcmk -Q prints the queue's id" "$OUT" '^Message queue id: 0$'
like "ipcmk -M prints the segment's id" "$OUT" '^Shared memory id: 0$'
like "ipcmk -S prints the array's id" "$OUT" '^Semaphore id: 0$'
like "ipcs -q lists the queue (mode 644 by default, empty)" "$(part q)" \
	'^0x[0-9a-f]{8} 0 +root +644 +0 +0 *$'
like "ipcs -m lists the segment (mode 600, 4096 bytes, no attach)" "$(part m)" \
	'^0x[0-9a-f]{8} 0 +root +600 +4096 +0 *$'
like "ipcs -s lists the array (mode 640, 3 semaphores)" "$(part s)" \
	'^0x[0-9a-f]{8} 0 +root +640 +3 *$'
# key and id of each object the host lists, as nslab's host saw it and as
# this test sees it.
ipc_ids() { awk '$1 != "key" { print $1, $2 }'; }
is "the host's /proc/sysvipc lists none of them" \
	"$(cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem | ipc_ids)" "$(part host | ipc_ids)"

# ---- the layout: the same text as util-linux's ipcs run in the same lab
if [ -n "$have_ipcs" ]; then
	for o in q m s a; do
		nsl "unshare ipc; ipcmk -Q; ipcmk -M 1M; ipcmk -S 2; ipcmk -Q -p 600
echo @@nslab; ipcs -$o; echo @@util-linux; run ipcs -$o"
		is "ipcs -$o reads exactly as util-linux's ipcs -$o" "$(part util-linux)" "$(part nslab)"
	done
	nsl 'unshare ipc; echo @@nslab; ipcs; echo @@util-linux; run ipcs'
	is "ipcs of an empty lab reads exactly as util-linux's" "$(part util-linux)" "$(part nslab)"
	headers=$(ipcs -a | grep '^key')
	is "ipcs uses util-linux's column headers" "$headers" "$(grep '^key' <<<"$(part nslab)")"
else
	skip "ipcs layout against util-linux" "util-linux ipcs is not installed"
fi

# ---- sizes and modes
nsl 'unshare ipc; ipcmk -M 2K; ipcmk -M 1M; ipcmk -M 1MiB -p 0; echo @@m; ipcs -m'
rc_is "ipcmk -M takes K, M and MiB sizes, and mode 0" 0
like "2K is 2048 bytes" "$(part m)" '^0x[0-9a-f]{8} 0 +root +644 +2048 '
like "1M is 1048576 bytes" "$(part m)" '^0x[0-9a-f]{8} 1 +root +644 +1048576 '
like "mode 0 is shown as 0" "$(part m)" '^0x[0-9a-f]{8} 2 +root +0 +1048576 '

# ---- ipcrm
nsl 'unshare ipc; ipcmk -Q; ipcmk -M 1K; ipcmk -S 1; ipcrm -q 0; ipcrm -m 0; ipcrm -s 0; echo @@after; ipcs'
rc_is "ipcrm -q 0, -m 0, -s 0 remove what ipcmk made" 0
unlike "ipcs lists nothing after ipcrm" "$(part after)" '^0x'
nsl 'unshare ipc; ipcmk -Q; ipcmk -Q; ipcmk -M 1K; ipcmk -S 1; ipcrm -a; echo @@after; ipcs'
rc_is "ipcrm -a succeeds" 0
like "ipcrm -a counts the queues it removed" "$OUT" '^removed 2 message queue'
unlike "ipcs lists nothing after ipcrm -a" "$(part after)" '^0x'
# Two ids of one kind: remove both, or refuse; never drop one silently.
nsl 'unshare ipc; ipcmk -Q; ipcmk -Q; ipcrm -q 0 -q 1; echo @@after; ipcs -q'
if [ "$RC" -eq 0 ]; then
	unlike "ipcrm -q 0 -q 1 removes both queues (or refuses)" "$(part after)" '^0x'
else
	fails_cleanly "ipcrm -q 0 -q 1 removes both queues (or refuses)"
fi

# ---- unknown ids
nsl 'unshare ipc; ipcrm -q 4242'
fails_cleanly "ipcrm -q of an unknown id" 'no message queue with id 4242'
nsl 'unshare ipc; ipcrm -m 4242'
fails_cleanly "ipcrm -m of an unknown id" 'no shared memory segment with id 4242'
nsl 'unshare ipc; ipcrm -s 4242'
fails_cleanly "ipcrm -s of an unknown id" 'no semaphore array with id 4242'
nsl 'unshare ipc; ipcmk -Q; ipcrm -q 0; ipcrm -q 0'
fails_cleanly "ipcrm -q of an id already removed" 'no message queue with id 0'

# ---- the host's IPC namespace is refused for changes
nsl 'ipcmk -Q'
fails_cleanly "ipcmk -Q is refused while ipc is shared" 'unshare ipc'
nsl 'ipcmk -M 4096'
fails_cleanly "ipcmk -M is refused while ipc is shared" 'unshare ipc'
nsl 'ipcmk -S 1'
fails_cleanly "ipcmk -S is refused while ipc is shared" 'unshare ipc'
nsl 'ipcrm -q 0'
fails_cleanly "ipcrm is refused while ipc is shared" 'unshare ipc'
nsl 'ipcrm -a'
fails_cleanly "ipcrm -a is refused while ipc is shared" 'unshare ipc'
nsl 'unshare ipc; share ipc; ipcmk -Q'
fails_cleanly "ipcmk is refused again after share ipc" 'unshare ipc'
nsl 'ipcs'
rc_is "ipcs (reading) works while ipc is shared" 0
snapshot_check "host unchanged after the refusals"

# ---- a lab's objects go with it
nsl 'unshare ipc; ipcmk -Q; share ipc; unshare ipc; echo @@fresh; ipcs -q'
unlike "a fresh IPC namespace has none of the old one's objects" "$(part fresh)" '^0x'

if [ -n "$have_ipcs" ]; then
	is "the host's ipcs is unchanged" "$host_ipcs" "$(ipcs -a)"
else
	skip "the host's ipcs is unchanged" "util-linux ipcs is not installed"
fi
no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
