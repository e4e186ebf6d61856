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
# NSLAB_TEST_TAG: when set, only nslab processes whose environment holds
# NSLAB_TEST_TAG=<that value> are listed, so that test files running in
# parallel do not see each other's labs.
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
nslab_bin=${NSLAB:-$here/../src/nslab}
tag=${NSLAB_TEST_TAG:-}

section() { printf '\n== %s\n' "$1"; }

# A file's first line, or "-" when it cannot be read. (Not `read`: dash
# reads byte by byte, and numeric sysctls answer a read at an offset with
# nothing.)
value() {
	v=$(head -n 1 "$1" 2>/dev/null) || v=-
	printf '%s=%s\n' "$2" "$v"
}

section "uts"
value /proc/sys/kernel/hostname hostname
value /proc/sys/kernel/domainname domainname

section "sysctl"
for s in kernel/hostname kernel/domainname net/ipv4/ip_forward kernel/shmmax kernel/msgmnb \
	kernel/shmall kernel/shmmni kernel/msgmax kernel/msgmni kernel/sem; do
	value "/proc/sys/$s" "$(echo "$s" | tr / .)"
done

section "namespaces"
find /proc/self/ns -mindepth 1 -maxdepth 1 -printf '%f %l\n' 2>/dev/null | sort

# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS
section "mounts"
awk '{
	for (i = 7; i <= NF && $i != "-"; i++)
		;
	printf "%s %s %s %s %s root=%s\n", $5, $(i + 1), $(i + 2), $6, $(i + 3), $4
}' /proc/self/mountinfo

# The host ends of nslab's veth pairs are named nsl<PID>v<N> after their
# nslab. With a tag, those of a live nslab without it belong to a test file
# running in parallel and are left out, as its processes are; those of a
# dead nslab stay in: they are leftovers.
foreign_ends() {
	[ -n "$tag" ] || return 0
	grep -o 'nsl[0-9][0-9]*v[0-9][0-9]*' | sort -u | while read -r name; do
		pid=${name#nsl}
		pid=${pid%%v*}
		comm=
		read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
		[ "$comm" = nslab ] || continue
		tr "\0" "\n" 2>/dev/null <"/proc/$pid/environ" | grep -qxF "NSLAB_TEST_TAG=$tag" && continue
		printf '%s\n' "$name"
	done
}
without_foreign() {
	if [ -n "$foreign" ]; then
		grep -Ev "(^|[ :])($foreign)([@: ]|\$)"
	else
		cat
	fi
}

if command -v ip >/dev/null 2>&1; then
	links=$(ip -o link show 2>&1)
	addrs=$(ip -o addr show 2>&1 | sed -E 's/ (valid|preferred)_lft [^ ]+//g')
	routes=$(ip route show table all 2>&1; ip -6 route show table all 2>&1)
	foreign=$(printf '%s\n%s\n%s\n' "$links" "$addrs" "$routes" | foreign_ends | paste -sd '|')
	section "ip link"
	printf '%s\n' "$links" | without_foreign
	section "ip addr"
	printf '%s\n' "$addrs" | without_foreign
	section "ip route"
	printf '%s\n' "$routes" | without_foreign
	section "ip rule"
	ip rule show 2>&1
	ip -6 rule show 2>&1
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
# Every hierarchy and its top level; one level deeper only what is nslab's
# (other software makes and removes its own cgroups there all the time).
# With a tag, the cgroups nslab.PID[.LAB] of a live process without it (an
# nslab, or a unit test making cgroups under its own PID) belong to a test
# running in parallel and are left out, as its veth ends are.
foreign_cgroups() {
	[ -n "$tag" ] || return 0
	grep -o 'nslab\.[0-9][0-9]*' | sort -u | while read -r name; do
		pid=${name#nslab.}
		[ -d "/proc/$pid" ] || continue
		tr "\0" "\n" 2>/dev/null <"/proc/$pid/environ" | grep -qxF "NSLAB_TEST_TAG=$tag" && continue
		printf 'nslab\\.%s\n' "$pid"
	done
}
cgroups=$(find /sys/fs/cgroup -maxdepth 3 -type d \( -path '/sys/fs/cgroup/*/*/*' -a ! -name '*nslab*' \) \
	-prune -o -type d -print 2>/dev/null | sort)
foreign=$(printf '%s\n' "$cgroups" | foreign_cgroups | paste -sd '|')
if [ -n "$foreign" ]; then
	printf '%s\n' "$cgroups" | grep -Ev "/($foreign)(\.[^/]*)?(/|\$)"
else
	printf '%s\n' "$cgroups"
fi

section "nslab state"
# nslab's own state and temp directories. A lock file is not one, nor are
# the temp directories of nslab's test suites (nslab-tui.*, *test*), which
# other test files make and remove while this one runs.
for d in /tmp /var/tmp /run /dev/shm; do
	for f in "$d"/nslab*; do
		case ${f##*/} in
		nslab-tui.* | *test*) continue ;;
		esac
		case $f in
		/run/nslab | /dev/shm/nslab | /tmp/nslab-[0-9]*) continue ;; # run directories: below
		esac
		[ -d "$f" ] && echo "$f"
	done
done

section "nslab run directories"
# RUN/PID/ (overlay layers) belongs to the nslab whose PID it names while
# that one runs, and goes with it: only what a gone nslab left counts. RUN
# itself comes and goes with the nslabs that need one.
for d in /run/nslab /dev/shm/nslab /tmp/nslab-[0-9]*; do
	for p in "$d"/[0-9]*; do
		[ -d "$p" ] && [ ! -d "/proc/${p##*/}" ] && echo "left behind: $d/PID"
	done
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
