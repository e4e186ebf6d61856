#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# host-snapshot.sh: print, in a stable and diffable form, everything a lab
# must never change on the host. Take one before and one after:
#   tests/host-snapshot.sh > before; ...; tests/host-snapshot.sh > after
#   diff -u before after
# Nothing here changes anything; tools that are not installed are skipped
# quietly. Values that move on their own (mount IDs, address lifetimes,
# firewall counters, PIDs) are left out.
#
# NSLAB: the nslab binary (default: ../src/nslab next to this file).
# NSLAB_TEST_TAG: when set, the snapshot is that test's view: nslab
# processes are listed only when their environment holds
# NSLAB_TEST_TAG=<that value>, and what another nslab that is running right
# now owns (a cgroup, a veth end, a run directory, named after its PID; see
# OWNED below) is left out, so that tests running in parallel do not see
# each other's labs. Whatever belongs to an nslab that is gone, or to one of
# this test's, is always shown: a leftover is never hidden. (With
# NSLAB_SNAPSHOT_FOREIGN, see foreign_nslabs, "gone" means: not seen
# running as another test's by an earlier snapshot of this test.)
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
nslab_bin=${NSLAB:-$here/../src/nslab}
tag=${NSLAB_TEST_TAG:-}

# OWNED: what nslab makes on the host, named after the PID of the nslab
# that made it. Each ERE ends in that PID. A new kind of host object (a
# new feature's) is one more line here and, for a directory, in STATE.
# The last is a test's: the cgroup v2 part of tests/integration/cgroup.sh
# runs nslab in a cgroup nslab-test.PID of the shell that made it, which
# the host sees in its own v2 hierarchy for a second.
OWNED='nslab\.[0-9]+
(^|[^a-z])nsl[0-9]+
/nslab/[0-9]+
/nslab-[0-9]+/[0-9]+
/nslab-test\.[0-9]+'
# STATE: where nslab keeps state and scratch directories (its run
# directory: /run/nslab, /dev/shm/nslab, $XDG_RUNTIME_DIR/nslab,
# /tmp/nslab-UID). Each is listed with what is in it.
STATE="/run/nslab /dev/shm/nslab /tmp/nslab-[0-9]* /var/tmp/nslab-[0-9]*${XDG_RUNTIME_DIR:+ $XDG_RUNTIME_DIR/nslab}"

section() { printf '\n== %s\n' "$1"; }

# ip ARG...: a listing that changed while the kernel dumped it (another
# test's lab made or removed a link) is said by ip to be "interrupted" and
# may hold a half-made state: ask again.
ip_dump() {
	for _ in 1 2 3 4 5; do
		out=$(ip "$@" 2>&1)
		case $out in *"Dump was interrupted"*) continue ;; esac
		break
	done
	printf '%s\n' "$out"
}

# The entries of the directory $1, one a line, or nothing when it is gone.
entries() {
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] && echo "$f"
	done
}

# A file's first line, or "-" when it cannot be read. (Not `read`: dash
# reads byte by byte, and numeric sysctls answer a read at an offset with
# nothing.)
value() {
	v=$(head -n 1 "$1" 2>/dev/null) || v=-
	printf '%s=%s\n' "$2" "$v"
}

# The PIDs of the nslab processes that are not this test's: what they own
# is theirs to clean. Empty without a tag (a run by hand sees everything).
# NSLAB_SNAPSHOT_FOREIGN (a file, lib.sh sets it) remembers them from one
# snapshot to the next, so that an nslab of another test that was running
# at the first snapshot and was killed by the second (its cgroups wait for
# the next start's sweep) is still known as not ours. A PID that is now an
# nslab of this test's is ours whatever the file says.
# PIDS (optional): owners named in the listing, looked at whatever they
# are called now (an nslab under valgrind is "memcheck-amd64-").
foreign_nslabs() {
	[ -n "$tag" ] || return 0
	mem=${NSLAB_SNAPSHOT_FOREIGN:-}
	ours=" " now=
	# shellcheck disable=SC2086 # $1 is a list of PIDs, one word each
	for p in /proc/[0-9]* ${1:+$(printf '/proc/%s ' $1)}; do
		comm=
		read -r comm 2>/dev/null <"$p/comm" || continue
		case $comm:" $1 " in
		nslab*) ;;
		*" ${p#/proc/} "*) ;;
		*) continue ;;
		esac
		pid=${p#/proc/}
		if tr "\0" "\n" 2>/dev/null <"$p/environ" | grep -qxF "NSLAB_TEST_TAG=$tag"; then
			ours="$ours$pid "
		elif [ -d "$p" ]; then
			now="$now$pid "
		fi
	done
	if [ -n "$mem" ]; then
		now="$now$(tr '\n' ' ' 2>/dev/null <"$mem")"
		# shellcheck disable=SC2086 # one word per PID
		printf '%s\n' $now | sort -un >"$mem"
	fi
	for pid in $now; do
		case $ours in *" $pid "*) continue ;; esac
		printf '%s ' "$pid"
	done
}

# NSLAB_SNAPSHOT_OURS (a file of PIDs, one a line): the test knows every
# nslab it started (random.sh does). Then an object is shown only if it
# belongs to one of them or to a running nslab with this test's tag: an
# nslab of another test that was started and killed between two
# snapshots (its cgroups left for the next start's sweep) is not this
# test's leftover.
our_nslabs() {
	[ -n "$tag" ] && [ -n "${NSLAB_SNAPSHOT_OURS:-}" ] || return 0
	printf ' '
	tr '\n' ' ' <"$NSLAB_SNAPSHOT_OURS" 2>/dev/null
	for p in /proc/[0-9]*; do
		comm=
		read -r comm 2>/dev/null <"$p/comm" || continue
		case $comm in nslab*) ;; *) continue ;; esac
		tr "\0" "\n" 2>/dev/null <"$p/environ" | grep -qxF "NSLAB_TEST_TAG=$tag" && printf '%s ' "${p#/proc/}"
	done
}

# The owners' PIDs in the listing on stdin, one a line.
owner_pids() {
	awk -v owned="$OWNED" '
	BEGIN { n = split(owned, re, "\n") }
	{
		for (i = 1; i <= n; i++) {
			rest = $0
			while (match(rest, re[i])) {
				pid = substr(rest, RSTART, RLENGTH)
				sub(/.*[^0-9]/, "", pid)
				print pid
				rest = substr(rest, RSTART + RLENGTH)
			}
		}
	}' | sort -un
}

# Leave out the lines that name an object of a foreign nslab (or, with
# NSLAB_SNAPSHOT_OURS, of any nslab not this test's): $1 foreign PIDs, $2
# ours. $3 (optional): PIDs of owners that are gone, whose lines stay only
# if they are also in the file $4 (a second listing).
drop_foreign() {
	awk -v owned="$OWNED" -v foreign=" $1" -v ours="$2" -v gone=" ${3:-}" -v again="${4:-}" '
	BEGIN {
		n = split(owned, re, "\n")
		while (again != "" && (getline l <again) > 0)
			seen[l] = 1
	}
	{
		line = $0
		for (i = 1; i <= n; i++) {
			rest = line
			while (match(rest, re[i])) {
				pid = substr(rest, RSTART, RLENGTH)
				sub(/.*[^0-9]/, "", pid)
				if (index(foreign, " " pid " ") || (ours != "" && !index(ours, " " pid " ")) ||
				    (index(gone, " " pid " ") && !(line in seen)))
					next
				rest = substr(rest, RSTART + RLENGTH)
			}
		}
		print
	}'
}

snapshot() {
section "uts"
value /proc/sys/kernel/hostname hostname
value /proc/sys/kernel/domainname domainname

section "sysctl"
# What a lab's namespaces carry a copy of (UTS, IPC, mqueue, net, user
# limits): a lab that writes the host's instead shows here. ns_last_pid
# moves by itself. One awk for all: this runs after every random sequence.
files=
for s in kernel/hostname kernel/domainname \
	kernel/shmmax kernel/shmall kernel/shmmni kernel/shm_rmid_forced kernel/msgmax kernel/msgmnb \
	kernel/msgmni kernel/auto_msgmni kernel/sem kernel/msg_next_id kernel/shm_next_id kernel/sem_next_id \
	fs/mqueue/msg_default fs/mqueue/msg_max fs/mqueue/msgsize_default fs/mqueue/msgsize_max \
	fs/mqueue/queues_max \
	net/ipv4/ip_forward net/ipv4/conf/all/forwarding net/ipv4/conf/default/forwarding \
	net/ipv4/ping_group_range net/ipv4/ip_unprivileged_port_start net/ipv4/ip_local_port_range \
	net/ipv6/conf/all/forwarding net/ipv6/conf/all/disable_ipv6 \
	user/max_user_namespaces user/max_mnt_namespaces user/max_pid_namespaces \
	user/max_net_namespaces user/max_uts_namespaces user/max_ipc_namespaces \
	user/max_cgroup_namespaces user/max_time_namespaces; do
	[ -r "/proc/sys/$s" ] && files="$files /proc/sys/$s"
done
# shellcheck disable=SC2086 # one path a word
awk 'FNR == 1 { n = substr(FILENAME, 11); gsub("/", ".", n); print n "=" $0 }' $files

section "namespaces"
find /proc/self/ns -mindepth 1 -maxdepth 1 -printf '%f %l\n' 2>/dev/null | sort
for f in uid_map gid_map setgroups; do
	printf '%s: %s\n' "$f" "$(tr -s ' ' <"/proc/self/$f" 2>/dev/null)"
done
# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS
section "mounts"
awk '{
	for (i = 7; i <= NF && $i != "-"; i++)
		;
	printf "%s %s %s %s %s root=%s\n", $5, $(i + 1), $(i + 2), $6, $(i + 3), $4
}' /proc/self/mountinfo

if command -v ip >/dev/null 2>&1; then
	section "ip link"
	links=$(ip_dump -o link show)
	printf '%s\n' "$links"
	section "ip addr"
	ip_dump -o addr show | sed -E 's/ (valid|preferred)_lft [^ ]+//g'
	# A route printed as "dev ifN" is one of a link deleted while ip
	# listed the routes: gone with it, and no longer the host's.
	links=$(printf '%s\n' "$links" | awk -F': ' '{ sub(/@.*/, "", $2); printf " %s", $2 }')
	section "ip route"
	{
		ip_dump route show table all
		ip_dump -6 route show table all
	} | awk -v links="$links " '{
		for (i = 1; i < NF; i++)
			if ($i == "dev" && $(i + 1) ~ /^if[0-9]+$/ && !index(links, " " $(i + 1) " "))
				next
		print
	}'
	section "ip rule"
	ip_dump rule show
	ip_dump -6 rule show
fi

if command -v nft >/dev/null 2>&1; then
	section "nft"
	nft list ruleset 2>&1 | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
fi
for t in iptables ip6tables; do
	if command -v "$t-save" >/dev/null 2>&1; then
		section "$t"
		"$t-save" 2>&1 | sed -E -e '/^#/d' -e 's/\[[0-9]+:[0-9]+\]/[]/g'
	fi
done

section "sysvipc"
for k in msg shm sem; do
	# key, id, perms and owner: the columns that do not move by themselves.
	[ -r "/proc/sysvipc/$k" ] && awk -v k="$k" 'NR > 1 {
		uid = (k == "msg" || k == "shm") ? $8 : $5
		print k, $1, $2, $3, "uid=" uid
	}' "/proc/sysvipc/$k"
done
if command -v ipcs >/dev/null 2>&1; then
	section "ipcs"
	# used-bytes, messages and nattch move when the host uses its
	# objects; keep key, id, owner, perms and size.
	ipcs -a 2>&1 | awk '/^0x/ { print $1, $2, $3, $4, $5; next } { print }'
fi

section "mqueue"
if [ -d /dev/mqueue ]; then
	ls -A /dev/mqueue 2>&1
else
	echo "(no /dev/mqueue)"
fi

section "cgroups"
# Every hierarchy and its first level (other software makes and removes
# its own cgroups deeper all the time), and every cgroup of nslab's at any
# depth (a lab's is a child of nslab's own cgroup, wherever that is).
find /sys/fs/cgroup -mindepth 0 -maxdepth 2 -type d 2>/dev/null | sort
find /sys/fs/cgroup -mindepth 3 -type d -name 'nslab*' 2>/dev/null | sort
# v2: the controllers nslab's cgroup hands down (nslab turns them on for a
# lab and off again).
v2=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup 2>/dev/null)
for m in /sys/fs/cgroup /sys/fs/cgroup/unified; do
	if [ -n "$v2" ] && [ -r "$m$v2/cgroup.subtree_control" ]; then
		printf '%s: %s\n' "$m${v2%/}/cgroup.subtree_control" "$(cat "$m$v2/cgroup.subtree_control")"
	fi
done

section "nslab state"
# nslab's run directories (STATE) and what is in them; an empty one left
# behind shows too.
# A running nslab's directory is empty for a moment as it is made (before
# the nslab's own directory in it) and as it goes (after it), and a
# directory found can be gone by the time it is read: one is "empty" only
# when it stays so for a tenth of a second.
for d in $STATE; do
	list=
	for _ in 1 2 3 4 5; do
		[ -d "$d" ] || break
		list=$(entries "$d")
		[ -z "$list" ] || break
		sleep 0.02
	done
	if [ -n "$list" ]; then
		printf '%s\n' "$list"
	elif [ -d "$d" ]; then
		echo "$d (empty)"
	fi
done

section "nslab processes"
# A lab's init is called nslab-init; nslab itself (and its short-lived
# helpers) run the nslab binary. PIDs are left out: only what and how many.
for p in /proc/[0-9]*; do
	pid=${p#/proc/}
	[ "$pid" = "$$" ] && continue
	comm=
	read -r comm 2>/dev/null <"$p/comm" || continue
	case $comm in
	nslab*) ;;
	*) continue ;;
	esac
	cmd=$(tr "\0" " " 2>/dev/null <"$p/cmdline")
	case $comm:$cmd in
	nslab-init:*) ;;
	*:"$nslab_bin"*|*:nslab\ *|*:nslab|*:*/nslab\ *|*:*/nslab) ;;
	*) continue ;;
	esac
	if [ -n "$tag" ]; then
		tr "\0" "\n" 2>/dev/null <"$p/environ" | grep -qxF "NSLAB_TEST_TAG=$tag" || continue
	fi
	printf '%s: %s\n' "$comm" "$cmd"
done | sort
}

# Other nslabs are looked for before and after the listing: one that runs
# through either check is seen. One that started after the first and ended
# before the second (a short run of a test alongside) is gone by then, and
# what it owned at the listing was its own, cleaned as it ended: a second
# listing tells that from a leftover, which stays.
foreign=$(foreign_nslabs)
listing=$(snapshot)
owners=$(printf '%s\n' "$listing" | owner_pids | tr '\n' ' ')
foreign="$foreign $(foreign_nslabs "$owners")"
gone=
for pid in $owners; do
	[ -d "/proc/$pid" ] || gone="$gone$pid "
done
again=
if [ -n "$gone" ]; then
	again=$(mktemp) || exit 1
	snapshot >"$again"
fi
printf '%s\n' "$listing" | drop_foreign "$foreign " "$(our_nslabs)" "$gone" "$again"
[ -z "$again" ] || rm -f "$again"
