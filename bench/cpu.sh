#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/cpu.sh NSLAB [RUNS] — the whole-lab figures of issues 2 and 4 in CPU
# time (user + system of the process and every child it waited for, wait4),
# which hardly moves with other load on the machine, unlike wall time:
#   nslab -c 'unshare uts ipc pid mnt; mount proc; run true'
#     against unshare -uipmf --mount-proc true           (as root)
#   nslab -c 'unshare user uts ipc pid mnt; mount proc; run true'
#     against unshare -r -uipmf --mount-proc true        (as nobody)
#   nslab -c '' against bash --norc --noprofile -c exit
# Each pair alternates in ROUNDS rounds of RUNS runs (default 7 x 200); the
# figure is the median over the rounds of each round's median. Target: 1.3x
# for the labs, 1.5x for the start. Run as root; about a minute.
set -eu

nslab=$(readlink -f "${1:?usage: bench/cpu.sh NSLAB [RUNS]}")
runs=${2:-200}
rounds=${BENCH_ROUNDS:-7}
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "cpu.sh: run as root (namespaces, setpriv)" >&2; exit 77; }
for t in cc unshare setpriv bash; do
	command -v "$t" >/dev/null || { echo "cpu.sh: $t is missing" >&2; exit 77; }
done
T=$(mktemp -d /tmp/nslab-bench-cpu.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
cc -O2 -o "$T/floor" "$here/floor.c"
nogroup=$(getent group nogroup >/dev/null && echo nogroup || echo nobody)
as_nobody="setpriv --reuid=nobody --regid=$nogroup --clear-groups"
lab='unshare uts ipc pid mnt; mount proc; run true'

# cpu NAME CMD...: one round's median CPU (ms), appended to $T/NAME.
# cpu_nobody: the same as nobody (floor itself runs as nobody, so that
# setpriv's own exec is not counted on both sides).
cpu() {
	name=$1
	shift
	"$T/floor" rss "$runs" "$@" | awk '{ print $2 }' >>"$T/$name"
}
cpu_nobody() {
	name=$1
	shift
	# shellcheck disable=SC2086 # $as_nobody is a command line
	$as_nobody "$T/floor" rss "$runs" "$@" | awk '{ print $2 }' >>"$T/$name"
}
median() { sort -n "$T/$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

cd "$T"
for _ in $(seq "$rounds"); do
	cpu lab "$nslab" -c "$lab"
	cpu unshare unshare -uipmf --mount-proc true
	cpu_nobody rl_lab "$nslab" -c "unshare user ${lab#unshare }"
	cpu_nobody rl_unshare unshare -r -uipmf --mount-proc true
	cpu start "$nslab" -c ''
	cpu bash bash --norc --noprofile -c exit
done

row() { # DESC NAME REF TARGET
	awk -v d="$1" -v a="$(median "$2")" -v b="$(median "$3")" -v t="$4" 'BEGIN {
		r = a / b
		printf "%-58s %6.3f ms %6.3f ms %5.2fx  <=%sx %s\n", d, a, b, r, t, (r <= t ? "PASS" : "FAIL")
	}'
}
echo "CPU per whole process, median of $rounds rounds x $runs runs (nslab, reference, ratio)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
row "nslab -c '$lab' / unshare -uipmf --mount-proc true" lab unshare 1.3
row "rootless: the same with user / unshare -r -uipmf ..." rl_lab rl_unshare 1.3
row "nslab -c '' / bash --norc --noprofile -c exit" start bash 1.5
