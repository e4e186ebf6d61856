#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# status.sh: `status` as a table and `status --json`: all eight namespace
# types with isolated, inode and host_inode; isolated ones differ from the
# host's; the host inodes are the host's; the lab's facts (hostname...).
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin

types="uts ipc pid mnt net user cgroup time"
host_name=$(cat /proc/sys/kernel/hostname)

# flatten: JSON on stdin to "a.b.c=value" lines, sorted; fails on bad JSON.
if command -v jq >/dev/null; then
	flatten() {
		jq -r 'paths(type != "object" and type != "array") as $p | "\($p | map(tostring) | join("."))=\(getpath($p))"' | sort
	}
elif command -v python3 >/dev/null; then
	flatten() {
		python3 -c '
import json, sys
def walk(v, p):
    if isinstance(v, dict):
        for k, x in v.items(): walk(x, p + [k])
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(x, p + [str(i)])
    else:
        s = json.dumps(v) if v is None or isinstance(v, bool) else str(v)
        print(".".join(p) + "=" + s)
walk(json.load(sys.stdin), [])' | sort
	}
else
	skip_all "neither jq nor python3 is installed to read JSON"
fi
# jget KEY: the value of KEY in $FLAT.
jget() { sed -n "s/^$1=//p" <<<"$FLAT"; }

# ---- nothing isolated
nsl 'status --json'
rc_is "status --json succeeds" 0
is "status --json says nothing on stderr" "" "$ERR"
if FLAT=$(flatten <<<"$OUT"); then
	ok "status --json prints one valid JSON document"
else
	not_ok "status --json prints one valid JSON document"
	diag_block "stdout:" "$OUT"
fi
is "namespaces has exactly the eight types" "cgroup ipc mnt net pid time user uts" \
	"$(sed -n 's/^namespaces\.\([a-z]*\)\..*/\1/p' <<<"$FLAT" | sort -u | tr '\n' ' ' | sed 's/ $//')"
for t in $types; do
	host_ino=$(stat -L -c %i "/proc/self/ns/$t")
	is "$t: isolated is false" false "$(jget "namespaces\\.$t\\.isolated")"
	is "$t: host_inode is the host's $t namespace" "$host_ino" "$(jget "namespaces\\.$t\\.host_inode")"
	is "$t: inode is the host's" "$host_ino" "$(jget "namespaces\\.$t\\.inode")"
done
is "uts: hostname is the host's" "$host_name" "$(jget 'namespaces\.uts\.hostname')"

nsl 'status'
rc_is "status succeeds" 0
like "status says how many types are isolated" "$OUT" '0 of 8 namespace types isolated'
like "status has a header" "$OUT" '^NS +STATE +LAB +HOST +DETAIL'
for t in $types; do
	host_ino=$(stat -L -c %i "/proc/self/ns/$t")
	like "status row: $t is the host's" "$OUT" "^$t +host +$host_ino +$host_ino( |\$)"
done

# ---- four isolated
nsl 'unshare uts ipc pid mnt; hostname status-lab; ipcmk -Q; mount proc; echo @@json; status --json; echo @@text; status'
rc_is "status in a lab with uts ipc pid mnt succeeds" 0
is "nothing on stderr" "" "$ERR"
if FLAT=$(flatten <<<"$(part json)"); then
	ok "status --json in the lab is valid JSON"
else
	not_ok "status --json in the lab is valid JSON"
	diag_block "stdout:" "$(part json)"
fi
text=$(part text)
for t in $types; do
	host_ino=$(stat -L -c %i "/proc/self/ns/$t")
	iso=$(jget "namespaces\\.$t\\.isolated")
	ino=$(jget "namespaces\\.$t\\.inode")
	is "$t: host_inode is the host's $t namespace" "$host_ino" "$(jget "namespaces\\.$t\\.host_inode")"
	case $t in
	uts | ipc | pid | mnt)
		is "$t: isolated is true" true "$iso"
		check "$t: inode ($ino) is not the host's ($host_ino)" test -n "$ino" -a "$ino" != "$host_ino"
		like "status row: $t is the lab's, with its inode" "$text" "^$t +lab +$ino +$host_ino( |\$)"
		;;
	*)
		is "$t: isolated is false" false "$iso"
		is "$t: inode is the host's" "$host_ino" "$ino"
		like "status row: $t is the host's" "$text" "^$t +host +$host_ino +$host_ino( |\$)"
		;;
	esac
done
is "uts: hostname is the lab's" "status-lab" "$(jget 'namespaces\.uts\.hostname')"
is "uts: host_hostname is the host's" "$host_name" "$(jget 'namespaces\.uts\.host_hostname')"
is "ipc: one queue" 1 "$(jget 'namespaces\.ipc\.queues')"
is "mnt: /proc is the lab's" lab "$(jget 'namespaces\.mnt\.proc')"
init=$(jget 'namespaces\.pid\.init_pid')
check "pid: init_pid ($init) is a host PID" test "${init:-0}" -gt 1
like "status says 4 of 8 are isolated" "$text" '4 of 8 namespace types isolated'
like "status shows the lab's hostname and the host's" "$text" "^uts .*hostname status-lab.*\\(host: $host_name\\)"
like "status shows the lab's PID 1 as a host PID" "$text" "PID 1 is host PID $init"

# ---- all eight
nsl 'unshare all; echo @@json; status --json'
rc_is "unshare all; status --json succeeds" 0
FLAT=$(flatten <<<"$(part json)")
for t in $types; do
	ino=$(jget "namespaces\\.$t\\.inode")
	host_ino=$(jget "namespaces\\.$t\\.host_inode")
	if [ "$(jget "namespaces\\.$t\\.isolated")" = true ] && [ -n "$ino" ] && [ "$ino" != "$host_ino" ]; then
		ok "unshare all: $t is isolated with its own inode"
	else
		not_ok "unshare all: $t is isolated with its own inode"
		diag "  isolated=$(jget "namespaces\\.$t\\.isolated") inode=$ino host_inode=$host_ino"
	fi
done

nsl 'unshare uts; share uts; echo @@json; status --json'
FLAT=$(flatten <<<"$(part json)")
is "after share uts, uts is not isolated" false "$(jget 'namespaces\.uts\.isolated')"

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
