#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# uts.sh: the UTS namespace: hostname and domainname in the lab, the host
# keeping its own, the 64-byte limit, and no renaming of the host.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin

host_name=$(cat /proc/sys/kernel/hostname)
host_domain=$(cat /proc/sys/kernel/domainname)
host_uts=$(stat -L -c %i /proc/self/ns/uts)

# ---- showing the names while the lab shares the host's UTS namespace
nsl 'hostname'
is "hostname shows the host's name before unshare" "$host_name" "$OUT"
nsl 'domainname'
is "domainname shows the host's domain name before unshare" "$host_domain" "$OUT"

# ---- a lab of its own
nsl 'unshare uts; hostname lab-uts; domainname lab.example
echo @@hostname; hostname; echo @@domainname; domainname
echo @@uname; uname -n; run cat /proc/sys/kernel/domainname
echo @@host; host uname -n; host cat /proc/sys/kernel/domainname'
rc_is "unshare uts, hostname NAME, domainname NAME succeed" 0
is "nothing on stderr" "" "$ERR"
like "unshare reports the new namespace and the host's" "$OUT" \
	"^uts +isolated: namespace [0-9]+ \\(host $host_uts\\)"
lab_uts=$(sed -n 's/^uts *isolated: namespace \([0-9]*\).*/\1/p' <<<"$OUT")
isnt "the lab's UTS namespace is not the host's" "$host_uts" "$lab_uts"
is "hostname shows the lab's name" "lab-uts" "$(part hostname)"
is "domainname shows the lab's domain name" "lab.example" "$(part domainname)"
is "programs in the lab see both names" $'lab-uts\nlab.example' "$(part uname)"
is "host programs see the host's names" "$host_name"$'\n'"$host_domain" "$(part host)"
is "the host keeps its hostname" "$host_name" "$(cat /proc/sys/kernel/hostname)"
is "the host keeps its domain name" "$host_domain" "$(cat /proc/sys/kernel/domainname)"
snapshot_check "host unchanged after renaming the lab"

# ---- names with spaces and other bytes are the kernel's business
nsl "unshare uts; hostname 'a b;c'; hostname"
is "a quoted name with a space and ; is set whole" "a b;c" "$(tail -n 1 <<<"$OUT")"

# ---- the 64-byte limit (the kernel's __NEW_UTS_LEN)
n64=$(printf 'h%.0s' $(seq 64))
n65=${n64}x
nsl "unshare uts; hostname $n64; hostname; domainname $n64; domainname"
rc_is "a 64-byte hostname and domain name are accepted" 0
is "the 64-byte names come back whole" "$n64"$'\n'"$n64" "$(tail -n 2 <<<"$OUT")"
nsl "unshare uts; hostname $n65"
fails_cleanly "a 65-byte hostname is refused" '64'
nsl "unshare uts; domainname $n65"
fails_cleanly "a 65-byte domain name is refused" '64'
nsl "unshare uts; hostname keep; ! hostname $n65; hostname"
is "a refused name leaves the lab's name as it was" "keep" "$(tail -n 1 <<<"$OUT")"

# ---- the host is never renamed
nsl 'hostname nslab-evil'
fails_cleanly "hostname NAME is refused while uts is shared" 'unshare uts'
nsl 'domainname nslab-evil'
fails_cleanly "domainname NAME is refused while uts is shared" 'unshare uts'
nsl 'unshare uts; share uts; hostname nslab-evil'
fails_cleanly "hostname NAME is refused again after share uts" 'unshare uts'
is "the host kept its hostname" "$host_name" "$(cat /proc/sys/kernel/hostname)"
is "the host kept its domain name" "$host_domain" "$(cat /proc/sys/kernel/domainname)"
snapshot_check "host unchanged after the refusals"

# ---- share and unshare again
nsl 'unshare uts; hostname first; share uts; echo @@shared; hostname; echo @@unshare; unshare uts; echo @@fresh; hostname'
rc_is "share uts, then unshare uts again" 0
like "share uts says the host's namespace is back" "$OUT" "^uts +back to the host's"
is "after share uts hostname is the host's" "$host_name" "$(part shared)"
is "a fresh UTS namespace starts from the host's name" "$host_name" "$(part fresh)"
nsl 'unshare uts; hostname kept; unshare uts; hostname'
rc_is "unshare uts twice is not an error" 0
is "unshare uts twice keeps the lab's namespace and name" "kept" "$(tail -n 1 <<<"$OUT")"
like "the second unshare says it is already isolated" "$OUT" "already isolated"

# ---- a name with control bytes never reaches the terminal raw
nsl $'unshare uts; hostname a\x1b[31mb; hostname; status'
rc_is "a hostname with an escape byte is the kernel's business" 0
lacks "hostname and status show it escaped, never the raw byte" "$OUT" $'\x1b'
like "hostname shows the escape as \\x1b" "$OUT" '^a\\x1b\[31mb$'

# ---- share all
nsl 'unshare uts ipc; share all'
rc_is "share all succeeds" 0
is "share all says what came back and what already was the host's" \
	"$(printf '%s\n' "uts    back to the host's" "ipc    back to the host's" "pid    already the host's" \
		"mnt    already the host's" "net    already the host's" "user   already the host's" \
		"cgroup already the host's" "time   already the host's")" "$(tail -n 8 <<<"$OUT")"

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
