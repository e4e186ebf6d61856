#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# trace.sh: `--trace` and `trace on|off`. The lines nslab prints for a
# sample session name the calls strace sees, in the same order and with the
# same main arguments (nslab and strace watch the same run); failures carry
# the errno's name; `trace off` stops them; `trace` says the state; lines
# are dimmed on a terminal only, and never with NO_COLOR; bad input is one
# line. As root and as nobody. The host is left as it was.
set -u
export LC_ALL=C
: "${NSLAB:=$(cd "$(dirname "$0")/../.." && pwd)/src/nslab}"

# ---- TAP -----------------------------------------------------------------
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
# shellcheck disable=SC2001 # every line of a multi-line text, which ${//} cannot anchor
diag() { sed "s/^/# /" <<<"$*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"
		diag "expected: $2"$'\n'"got:      $3"
	fi
}
# like DESC TEXT ERE: some line of TEXT matches.
like() {
	if grep -Eq -- "$3" <<<"$2"; then ok "$1"; else
		not_ok "$1"
		diag "no line matches /$3/ in:"$'\n'"$2"
	fi
}
unlike() {
	if ! grep -Eq -- "$3" <<<"$2"; then ok "$1"; else
		not_ok "$1"
		diag "a line matches /$3/:"$'\n'"$(grep -E -- "$3" <<<"$2")"
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root (the rootless part runs as nobody from root)"; exit 0; }
command -v strace >/dev/null || { echo "1..0 # SKIP strace is not installed"; exit 0; }
# Our labs' cgroups would show in the host snapshots of tests running
# meanwhile: hold the tests' lock alone (as cgroup.sh does; lib.sh).
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -x 8

T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-trace.XXXXXX") || exit 1
chmod 755 "$T"
TAG="nslab-trace-test.$$"
export NSLAB_TRACE_TEST_TAG=$TAG
cleanup() {
	for p in $(tagged_pids); do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# nslab processes (nslab, nslab-init) started by this test.
tagged_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = $$ ] && continue
		{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "NSLAB_TRACE_TEST_TAG=$TAG" || continue
		grep -q '^nslab' "$p/comm" 2>/dev/null && echo "${p#/proc/}"
	done
}

snapshot() {
	cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname
	awk '{ for (i = 7; $i != "-"; i++) ; print $5, $(i + 1) }' /proc/self/mountinfo
	cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem
	readlink /proc/self/ns/*
}

# nsl 'CMD; CMD' [OPTION...]: OUT, ERR and RC of one nslab run.
nsl() {
	local text=$1
	shift
	"$NSLAB" "$@" -c "$text" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# ---- comparing with strace ---------------------------------------------------
CALLS='unshare,setns,clone,clone3,sethostname,mount,umount2,fsopen,fsconfig,fsmount,move_mount,msgget,pivot_root,mkdirat,unlinkat,write'

# One call per line, in the order the calls began, as "name(arguments)":
# no PID, no result, no strace -y decorations (fd<path>); for clone only
# the flags. Writes, mkdirat and unlinkat only on cgroup files: the rest
# (stdout, these very lines) is not the lab's business.
calls_of() {
	awk -v want="$CALLS" '
	BEGIN { n = split(want, w, ","); for (i = 1; i <= n; i++) keep[w[i]] = 1 }
	{
		sub(/^[0-9]+ +/, "")
		if ($0 ~ /resumed>|^\+\+\+|^---/) next
		sub(/ <unfinished \.\.\.>$/, ")")
		sub(/\) *= [-0-9?].*$/, ")")
		name = $0; sub(/\(.*/, "", name)
		if (!(name in keep)) next
		if (name ~ /^(write|mkdirat|unlinkat)$/ && $0 !~ /^[a-z]+\([0-9]+<\/sys\/fs\/cgroup\//) next
		gsub(/<[^>]*>/, "")
		if (name == "clone" && match($0, /flags=[^,)]*/)) $0 = "clone(" substr($0, RSTART + 6, RLENGTH - 6) ")"
		if (name == "clone3" && match($0, /flags=[^,}]*/)) {
			f = substr($0, RSTART + 6, RLENGTH - 6)
			if (match($0, /exit_signal=[A-Z0-9]+/)) f = f "|" substr($0, RSTART + 12, RLENGTH - 12)
			$0 = "clone(" f ")"
		}
		print
	}' "$1"
}

# The session under strace and --trace at once: both watch the same
# processes. $1: the commands; "$@" after it: what runs strace (setpriv).
traced_session() {
	local text=$1
	shift
	# LeakSanitizer cannot work under ptrace: no leak check in an ASan
	# build's run under strace (the other tests check leaks).
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	"$@" strace -f -y -qq -e trace="$CALLS,execve" -o "$T/run/strace" "$NSLAB" --trace -c "$text" \
		>"$T/run/out" 2>"$T/run/err" </dev/null
	RC=$?
	ERR=$(cat "$T/run/err")
	calls_of "$T/run/strace" >"$T/run/strace.calls"
	grep -v '^-c:' "$T/run/err" | calls_of /dev/stdin >"$T/run/trace.calls"
}

compare_session() {
	local who=$1 mine theirs
	mine=$(cat "$T/run/trace.calls")
	theirs=$(cat "$T/run/strace.calls")
	if [ -n "$mine" ] && [ "$mine" = "$theirs" ]; then
		ok "$who: the trace names the calls strace sees, in order, with their arguments ($(wc -l <<<"$mine") calls)"
	else
		not_ok "$who: the trace names the calls strace sees, in order, with their arguments"
		diag "$(diff -u "$T/run/strace.calls" "$T/run/trace.calls" | head -40)"
	fi
	# Every line as strace writes one.
	unlike "$who: every trace line reads CALL(ARGS) = RESULT" "$(grep -v '^-c:' "$T/run/err")" \
		'^([^a-z]|[a-z0-9_]+[^a-z0-9_(]|.*[^)] = |.*\) = [^-0-9]|.*\) = -1 [^E])'
	# The program run: the execve that worked, at the path strace saw.
	local path
	path=$(sed -n 's/^[0-9]* *execve("\([^"]*\)".*= 0$/\1/p; s/^[0-9]* *<... execve resumed>.*= 0$/RESUMED/p' "$T/run/strace" |
		tail -n 1)
	[ "$path" = RESUMED ] && path=$(grep -o 'execve("[^"]*"' "$T/run/strace" | tail -n 1 | cut -d'"' -f2)
	like "$who: run true shows execve of $path = 0" "$ERR" "^execve\\(\"$path\", \\[\"true\"\\], 0x[0-9a-f]+ /\\* [0-9]+ vars \\*/\\) = 0$"
}

mkdir -p "$T/run"
before=$(snapshot)

# ---- as root: the sample session -----------------------------------------------
SESSION='unshare uts ipc pid mnt; hostname foo; mount proc; ipcmk -Q; cgroup pids 10; run true'
traced_session "$SESSION"
is "root: the sample session succeeds under strace" 0 "$RC"
compare_session root
like "root: one clone makes the lab's namespaces (and is its PID 1)" "$ERR" \
	'^clone\(CLONE_NEWNS\|CLONE_NEWUTS\|CLONE_NEWIPC\|CLONE_NEWPID\|SIGCHLD\) = [0-9]+$'
like "root: the new mount namespace is made private" "$ERR" \
	'^mount\(NULL, "/", NULL, MS_REC\|MS_PRIVATE, NULL\) = 0$'
like "root: hostname foo is sethostname(\"foo\", 3)" "$ERR" '^sethostname\("foo", 3\) = 0$'
like "root: joining is setns(FD, CLONE_NEWPID)" "$ERR" '^setns\([0-9]+, CLONE_NEWPID\) = 0$'
like "root: mount proc is fsopen/fsconfig/fsmount/move_mount onto /proc" "$ERR" \
	'^move_mount\([0-9]+, "", AT_FDCWD, "/proc", MOVE_MOUNT_F_EMPTY_PATH\) = 0$'
like "root: ipcmk -Q is msgget(KEY, IPC_CREAT|IPC_EXCL|0644)" "$ERR" \
	'^msgget\(0x[0-9a-f]+, IPC_CREAT\|IPC_EXCL\|0644\) = [0-9]+$'
like "root: the limit is a write to pids.max, with the file shown" "$ERR" \
	'^write\([0-9]+</sys/fs/cgroup/(pids/)?.*nslab\.[0-9]+\.lab1/pids\.max>, "10", 2\) = 2$'
pid=$(grep -o 'nslab\.[0-9]*\.lab1' <<<"$ERR" | head -n 1 | cut -d. -f2)
is "root: nslab's cgroups are gone after the session" "" \
	"$(find /sys/fs/cgroup -maxdepth 3 -name "nslab.$pid.*" 2>/dev/null)"

# ---- netlink: one line per request ---------------------------------------------------
nsl 'unshare net; veth' --trace
like "veth: the RTM_NEWLINK request in words" "$ERR" \
	'^sendmsg\(RTM_NEWLINK veth "eth0" up peer "nsl[0-9]+v1" netns [0-9]+\) = 0$'
like "veth: the address, by interface index" "$ERR" '^sendmsg\(RTM_NEWADDR 10\.77\.1\.2/24 index [0-9]+\) = 0$'
host_end=$(grep -o 'peer "nsl[0-9]*v1"' <<<"$ERR" | cut -d'"' -f2)
like "veth: the host end goes at the end (RTM_DELLINK)" "$ERR" "^sendmsg\\(RTM_DELLINK \"$host_end\"\\) = 0$"
is "veth: the host end is gone" "" "$(ip -o link show "$host_end" 2>/dev/null)"

# ---- failures, on and off, state ------------------------------------------------
nsl "unshare mnt; umount $T" --trace
like "a failing call shows -1 and the errno's name" "$ERR" \
	"^umount2\\(\"$T\", UMOUNT_NOFOLLOW\\) = -1 EINVAL \\(Invalid argument\\)$"

nsl 'unshare pid; run nosuchprog-trace' --trace
like "a program not found: its execve fails with ENOENT" "$ERR" \
	'^execve\("nosuchprog-trace", \["nosuchprog-trace"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = -1 ENOENT \(No such file or directory\)$'
like "a program not found: said so (not 'Unknown error')" "$ERR" '^-c:1: nosuchprog-trace: command not found in the lab$'
"$NSLAB" --trace -c 'unshare pid; run sh -c "echo out"' >"$T/both" 2>&1 </dev/null
is "the execve line comes before the program's output" "execve out" \
	"$(sed -n 's/^\(execve\)(.*/\1/p; /^out$/p' "$T/both" | tr '\n' ' ' | sed 's/ $//')"

nsl 'unshare uts; hostname one; trace off; hostname two' --trace
like "--trace: traced until trace off" "$ERR" '^sethostname\("one", 3\) = 0$'
unlike "trace off: not a line after it" "$(sed -n '/sethostname("one"/,$p' <<<"$ERR" | sed 1d)" '.'

nsl 'unshare uts; hostname one; trace on; hostname two; trace off; hostname three'
is "trace on ... trace off: exactly the calls between them" 'sethostname("two", 3) = 0' \
	"$(grep sethostname <<<"$ERR")"
unlike "without --trace nothing is traced before trace on" "$ERR" '^clone\(.*CLONE_NEWUTS'

nsl 'trace; trace on; trace; trace off; trace'
is "trace with no argument says the state" "trace: off
trace: on; each command shows the system calls it makes, on stderr
trace: on; each command shows the system calls it makes, on stderr
trace: off
trace: off" "$OUT"
nsl trace --trace
is "--trace: trace says on" "trace: on; each command shows the system calls it makes, on stderr" "$OUT"

# ---- status and the panel's facts are bookkeeping ------------------------------------
nsl 'unshare uts; trace on; status'
is "status (facts read in the lab) prints no trace lines" "" "$ERR"

# ---- bad input ----------------------------------------------------------------------
for bad in 'trace maybe' 'trace on off' "trace 'o n'" 'trace ON'; do
	nsl "$bad"
	if [ "$RC" -ne 0 ] && [ "$(wc -l <<<"$ERR")" -eq 1 ] && [ -n "$ERR" ] && [ -z "$OUT" ]; then
		ok "bad input '$bad': one line on stderr, non-zero exit"
	else
		not_ok "bad input '$bad': one line on stderr, non-zero exit"
		diag "rc=$RC out=$OUT err=$ERR"
	fi
done
nsl 'trace on; trace maybe; trace' -k
is "bad input changes nothing: trace stays on" "trace: on; each command shows the system calls it makes, on stderr" \
	"$(tail -n 1 <<<"$OUT")"
nsl 'trace maybe'
like "bad input names what is right" "$ERR" "neither on nor off.*usage: trace \\[on \\| off\\]"

# ---- dimmed on a terminal only ------------------------------------------------------
if command -v script >/dev/null; then
	tty_run() {
		env "$@" TERM=xterm script -qec "$NSLAB --trace -c 'unshare uts; hostname foo'" /dev/null </dev/null 2>&1
	}
	out=$(tty_run -u NO_COLOR)
	like "on a terminal, trace lines are dimmed" "$out" $'^\e\\[2msethostname\\("foo", 3\\) = 0\e\\[22m'
	out=$(tty_run NO_COLOR=1)
	like "NO_COLOR: plain lines on a terminal too" "$out" '^sethostname\("foo", 3\) = 0.?$'
	unlike "NO_COLOR: no escape at all" "$out" $'\e'
else
	skip "on a terminal, trace lines are dimmed" "script (util-linux) is not installed"
	skip "NO_COLOR: plain lines" "script (util-linux) is not installed"
	skip "NO_COLOR: no escape at all" "script (util-linux) is not installed"
fi
unlike "not a terminal: no escape codes" "$(cat "$T/run/err")" $'\e'

# ---- rootless ---------------------------------------------------------------------------
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
if "${AS_NOBODY[@]}" "$NSLAB" -c 'unshare user' >/dev/null 2>&1; then
	rm -f "$T"/run/*
	chown nobody "$T/run"
	traced_session 'unshare uts ipc pid mnt; hostname foo; mount proc; ipcmk -Q; run true' "${AS_NOBODY[@]}"
	is "nobody: the sample session (no cgroup: v1 is root's) succeeds under strace" 0 "$RC"
	compare_session nobody
	like "nobody: the user namespace's maps are written by nslab" "$ERR" \
		'^write\([0-9]+</proc/[0-9]+/uid_map>, "0 65534 1\\n", 10\) = 10$'
	unlike "nobody: without CAP_SYS_ADMIN nothing is tried that must fail (no setns EPERM)" "$ERR" \
		'^setns\([0-9]+, CLONE_NEW[A-Z]+\) = -1 EPERM'
	is "nobody: a join enters the user namespace first, then the rest" \
		"CLONE_NEWUSER CLONE_NEWIPC CLONE_NEWUTS CLONE_NEWPID CLONE_NEWNS" \
		"$(grep -o '^setns([0-9]*, CLONE_NEW[A-Z]*' <<<"$ERR" | head -n 5 | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
else
	skip "nobody: the sample session" "unprivileged user namespaces are not available"
fi

# ---- the host ---------------------------------------------------------------------------
is "the host is as it was (names, mounts, IPC, namespaces)" "$before" "$(snapshot)"
sleep 0.1
is "no lab process is left" "" "$(tagged_pids)"

echo "1..$n"
