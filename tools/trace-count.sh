#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# trace-count.sh [NSLAB]: how many of the commands `help` lists print trace
# lines. Each command runs once, as root, after what it needs (a prelude)
# and with `trace on` just before it, with a typical argument; a command
# counts when it prints at least one line of the CALL(ARGS) = RESULT form.
# Prints one line per command, then the count.
set -u
NSLAB=${1:-$(cd "$(dirname "$0")/.." && pwd)/src/nslab}
T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-trace-count.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# A busybox root for rootfs and chroot, if one can be made.
ROOT=/
if sh "$(dirname "$0")/mkrootfs.sh" "$T/root" >/dev/null 2>&1; then
	ROOT=$T/root
fi

# COMMAND: PRELUDE | ARGUMENTS
declare -A how=(
	[unshare]='| uts' [share]='unshare uts | uts' [reset]='unshare uts |' [status]='unshare uts |'
	[lab]='lab new b; lab use b; unshare pid; lab use lab1 | del b'
	[hostname]='unshare uts | foo' [domainname]='unshare uts | foo'
	[mount]='unshare pid mnt | proc' [umount]='unshare pid mnt; mount proc | /proc' [mounts]='unshare mnt |'
	[ipcmk]='unshare ipc | -Q' [ipcs]='unshare ipc |' [ipcrm]='unshare ipc; ipcmk -Q | -a'
	[link]='unshare net | up lo' [links]='unshare net |' [veth]='unshare net |'
	[run]='| true' [host]='| true' [enter]='| true' [compare]='| true' [pid]='unshare pid | kill-init'
	[overlay]='unshare mnt |' [rootfs]="unshare mnt pid | $ROOT" [chroot]="unshare mnt | $ROOT"
	[diff]='unshare mnt; overlay |' [layer]="unshare mnt; overlay | save $T/layer"
	[clock]='clock monotonic 1d; unshare time |' [explain]='| uts' [lesson]='|' [say]='| hi'
	[pause]='|' [expect]="unshare uts; hostname foo | 'hostname' equals foo"
	[uidmap]='| 0 0 1' [gidmap]='| 0 0 1' [setgroups]='| deny' [id]='unshare user |'
	[cgroup]='| pids 10' [export]='unshare uts | unshare' [trace]='| on' [panel]='|' [help]='|'
	[quit]='unshare pid |'
)

commands=$("$NSLAB" -c help | sed -n 's/^  \([a-z]\+\)\( .*\)\?$/\1/p')
total=0 traced=0
for c in $commands; do
	spec=${how[$c]:-|}
	prelude=${spec%%|*}
	args=${spec#*|}
	text="${prelude:+$prelude; }trace on; $c$args"
	lines=$(cd "$T" && "$NSLAB" -c "$text" 2>&1 >/dev/null </dev/null |
		grep -cE '^[a-z_0-9]+\(.*\) = (-1 E[A-Z0-9]+ \(.*\)|[0-9]+)$')
	total=$((total + 1))
	[ "$lines" -gt 0 ] && traced=$((traced + 1))
	printf '%-11s %3d  %s\n' "$c" "$lines" "$c$args"
done
echo "$traced of $total commands print trace lines"
