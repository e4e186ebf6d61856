#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# badinput.sh: every bad input of issue 2. Each must give exactly one line
# on stderr, a nonzero exit that is no crash (< 128), and leave the host as
# it was.
# nslab commands and messages hold a literal $ and backticks:
# shellcheck disable=SC2016
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"

# ---- unknown commands: suggest the closest
bad_input "unknown command: suggests the closest (hostnme)" 'hostnme foo' 'did you mean `hostname`'
bad_input "unknown command: suggests the closest (unshre)" 'unshre uts' 'did you mean `unshare`'
bad_input "unknown command: suggests the closest (ipcmkk)" 'ipcmkk -Q' 'did you mean `ipcmk`'
bad_input "unknown command far from any: points to help" 'xyzzy-plugh' "unknown command 'xyzzy-plugh'.*help"
bad_input "ambiguous prefix lists the candidates" 'mou' 'mount.*mounts'
bad_input "help of an unknown command" 'help xyzzy-plugh' "unknown command"

# ---- unknown namespaces: list the valid ones
valid='uts.*ipc.*pid.*mnt.*net.*user.*cgroup.*time'
bad_input "unshare of an unknown namespace lists the valid ones" 'unshare foo' "unknown namespace 'foo'.*$valid"
bad_input "share of an unknown namespace lists the valid ones" 'share bar' "unknown namespace 'bar'.*$valid"
bad_input "unshare of one good and one unknown namespace" 'unshare uts foo' "unknown namespace 'foo'"
nsl 'unshare uts foo; hostname evil' -k
is "unshare uts foo isolates nothing (hostname is then refused)" 2 "$(wc -l <<<"$ERR")"
bad_input "unshare with an empty namespace name" "unshare ''" 'unknown namespace'

# ---- missing and extra arguments: show the usage
bad_input "unshare without a namespace" 'unshare' 'missing argument.*usage: unshare'
bad_input "share without a namespace" 'share' 'missing argument.*usage: share'
bad_input "mount without a kind" 'mount' 'usage: mount'
bad_input "mount tmpfs without a directory" 'unshare mnt; mount tmpfs' 'usage: mount'
bad_input "mount bind with one path" 'unshare mnt; mount bind /etc' 'usage: mount'
bad_input "mount of an unknown kind" 'unshare mnt; mount ext4 /mnt' "unknown kind 'ext4'.*usage: mount"
bad_input "umount without a directory" 'umount' 'usage: umount'
bad_input "ipcmk without an option" 'ipcmk' 'usage: ipcmk'
bad_input "ipcmk -M without a size" 'unshare ipc; ipcmk -M' 'usage: ipcmk'
bad_input "ipcmk -Q -p without a mode" 'unshare ipc; ipcmk -Q -p' 'usage: ipcmk'
bad_input "ipcmk with an unknown option" 'unshare ipc; ipcmk -X' 'usage: ipcmk'
bad_input "ipcmk -p alone makes nothing" 'unshare ipc; ipcmk -p 600' 'usage: ipcmk'
bad_input "ipcrm without an option" 'ipcrm' 'usage: ipcrm'
bad_input "ipcrm -q without an id" 'unshare ipc; ipcrm -q' 'usage: ipcrm'
bad_input "ipcs with an unknown option" 'ipcs -x' 'usage: ipcs'
bad_input "run without a program" 'run' 'usage: run'
bad_input "host without a program" 'host' 'usage: host'
bad_input "hostname with two names" 'unshare uts; hostname a b' 'too many arguments.*usage: hostname'
bad_input "domainname with two names" 'unshare uts; domainname a b' 'too many arguments.*usage: domainname'
bad_input "reset with an argument" 'reset now' 'too many arguments.*usage: reset'
bad_input "mounts with an argument" 'mounts all' 'too many arguments.*usage: mounts'
bad_input "status with an unknown option" 'status --xml' 'usage: status'
bad_input "status with two options" 'status --json --json' 'usage: status'
bad_input "umount with two directories" 'unshare mnt; umount /a /b' 'usage: umount'
bad_input "mount proc with two directories" 'unshare mnt; mount proc /a /b' 'usage: mount'
bad_input "quit with two codes" 'quit 1 2' 'usage: quit'
bad_input "help with two commands" 'help mount umount' 'usage: help'
bad_input "quit with a code above 255" 'quit 256' 'exit code'
bad_input "quit with a code that is no number" 'quit x' 'exit code'

# ---- names over 64 bytes
long=$(printf 'n%.0s' $(seq 65))
bad_input "a 65-byte hostname" "unshare uts; hostname $long" '65 bytes.*64'
bad_input "a 65-byte domain name" "unshare uts; domainname $long" '65 bytes.*64'
bad_input "a 300-byte hostname" "unshare uts; hostname $(printf 'n%.0s' $(seq 300))" '300 bytes'

# ---- renaming the host, mounting on the host, changing the host's IPC
bad_input "hostname while uts is shared" 'hostname evil' 'unshare uts'
bad_input "mount proc while mnt is shared: refuse, suggest unshare mnt" 'mount proc' 'unshare mnt'
bad_input "mount proc with pid isolated but mnt shared" 'unshare pid; mount proc' 'unshare mnt'
bad_input "mount tmpfs on / while mnt is shared" 'mount tmpfs /' 'unshare mnt'
bad_input "ipcmk while ipc is shared" 'ipcmk -Q' 'unshare ipc'

# ---- bad ipcmk sizes and modes
for size in 0 -1 abc 1X 1KK 4096x '' 99999999999999T 18446744073709551616; do
	bad_input "ipcmk -M '$size' is a bad size" "unshare ipc; ipcmk -M '$size'" 'bad size'
done
for mode in 999 rw 8 01777 1000 '' -1 0x1ff; do
	bad_input "ipcmk -p '$mode' is a bad mode" "unshare ipc; ipcmk -Q -p '$mode'" 'bad mode'
done
for n in 0 -1 x 99999; do
	bad_input "ipcmk -S '$n' is a bad number of semaphores" "unshare ipc; ipcmk -S '$n'" 'semaphore'
done

# ---- unknown IPC ids
bad_input "ipcrm -q of an unknown id" 'unshare ipc; ipcrm -q 4242' 'no message queue with id 4242'
bad_input "ipcrm -m of an unknown id" 'unshare ipc; ipcrm -m 1' 'no shared memory segment with id 1'
bad_input "ipcrm -s of an unknown id" 'unshare ipc; ipcrm -s 2' 'no semaphore array with id 2'
bad_input "ipcrm -q of an id that is no number" 'unshare ipc; ipcrm -q abc' "bad id 'abc'"
bad_input "ipcrm -q of a negative id" 'unshare ipc; ipcrm -q -1' "bad id '-1'"

# ---- programs that do not exist
bad_input "run of a program that does not exist" 'run nslab-no-such-program' 'not found'
bad_input "run of a path that does not exist" 'run /nonexistent/nslab-prog' 'not found'
bad_input "host of a program that does not exist" 'host nslab-no-such-program' 'not found'
bad_input "enter of a program that does not exist" 'enter /nonexistent/nslab-prog' 'not found'
printf 'echo hi\n' >"$T/not-executable"
chmod 644 "$T/not-executable"
bad_input "run of a file that is not executable" "run $T/not-executable" 'not-executable'


# ---- paths
bad_input "mount tmpfs on a relative path" 'unshare mnt; mount tmpfs dir' 'absolute'
bad_input "mount bind from a relative path" 'unshare mnt; mount bind etc /mnt' 'absolute'
bad_input "umount of a relative path" 'unshare mnt; umount proc' 'absolute'
bad_input "mount on a path over PATH_MAX" "unshare mnt; mount tmpfs /$(printf 'p%.0s' $(seq 4200))" 'too long'
bad_input "umount of what is not mounted" 'unshare mnt; umount /etc' 'not a mount point'

# ---- syntax and bytes
bad_input "an unterminated single quote" "hostname 'x" 'unterminated quote'
bad_input "an unterminated double quote" 'hostname "x' 'unterminated quote'
bad_input "! with no command" '!' 'needs a command'
bad_input "a control character in a command is shown escaped" $'host\x1b[2Jname' 'unknown command'
check "the escape byte does not reach the terminal" test "${ERR//$'\x1b'/}" = "$ERR"
nsl $'hostname\x01x'
lacks "a control byte is shown escaped, never raw" "$ERR" $'\x01'
printf 'hostname a\0b\n' >"$T/nul.nsl"
NSL_STDIN=$T/nul.nsl nslab_run
fails_cleanly_host "a NUL byte in a line on stdin" 'NUL'
head -c 1100000 /dev/zero | tr '\0' a >"$T/long.nsl"
NSL_STDIN=$T/long.nsl nslab_run
fails_cleanly_host "a line over 1 MiB on stdin" 'bytes long'
printf '\xff\xfe\xc3\x28 uts\n' >"$T/utf8.nsl"
NSL_STDIN=$T/utf8.nsl nslab_run
fails_cleanly_host "invalid UTF-8 on stdin" 'unknown command'
NSL_STDIN=/dev/null

# ---- random bytes on stdin (seeded: a failure names its seed and bytes)
for seed in 1 2 3 4 5 6 7 8; do
	LC_ALL=C awk -v seed="$seed" 'BEGIN { srand(seed); for (i = 0; i < 600; i++) printf "%c", int(rand() * 256) }' \
		>"$T/random.$seed"
	NSL_STDIN=$T/random.$seed nslab_run
	fails_cleanly_host "random bytes on stdin (seed $seed)" ||
		diag "  bytes: $(od -An -tx1 "$T/random.$seed" | tr -d '\n' | cut -c1-600)"
	NSL_STDIN=$T/random.$seed nslab_run -k
	if [ "$RC" -ge 1 ] && [ "$RC" -lt 128 ]; then
		ok "random bytes on stdin with -k: exit $RC, no crash (seed $seed)"
	else
		not_ok "random bytes on stdin with -k: exit $RC, no crash (seed $seed)"
	fi
done
NSL_STDIN=/dev/null

# ---- without the privileges a step needs: say which
if command -v unshare >/dev/null && unshare -U true 2>/dev/null; then
	# In a user namespace without a uid mapping nslab can make no namespace.
	NSL_WRAP=(unshare -U --)
	nsl 'unshare uts'
	NSL_WRAP=()
	fails_cleanly_host "unshare without the privilege says which privilege" 'CAP_SYS_ADMIN'
else
	skip "unshare without the privilege says which privilege" "util-linux unshare -U does not work here"
fi

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
