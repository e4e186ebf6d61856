# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# common.sh: what random.sh and replay.sh share. Source after tests/lib.sh.
#
# random_setup: $T/bin holds the only programs a random script may run
#   (a lab that isolates nothing is the host), $T/seq the scripts; sets
#   RANDOM_COMMANDS to the commands this nslab has.
# random_gen SEED...: write $T/seq/SEED.nsl for each.
# random_run SEED: nslab --keep-going $T/seq/SEED.nsl with that PATH; sets
#   OUT, ERR, RC (lib.sh's nslab_run). One seed in four runs as nobody
#   (rootless); random_who SEED says which.
# random_problems: what is wrong after a run, one per line (empty: fine):
#   a crash or a hang, a host difference, a lab process left.

RANDOM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RANDOM_PROGS="true false echo uname id cat ls sleep ps env sh grep wc"

random_setup() {
	local p
	mkdir -p "$T/bin" "$T/seq" "$T/home"
	: >>"$NSLAB_SNAPSHOT_OURS"
	chmod 666 "$NSLAB_SNAPSHOT_OURS" # the rootless runs write there too
	for p in $RANDOM_PROGS; do
		ln -sf "$(type -P "$p")" "$T/bin/$p" || bail "no $p on this machine"
	done
	RANDOM_COMMANDS=$("$NSLAB" -c help 2>/dev/null | awk '/^  [a-z]/ { print $1 }' | tr '\n' ' ')
	[ -n "$RANDOM_COMMANDS" ] || bail "nslab -c help lists no commands"
}

random_gen() {
	python3 "$RANDOM_DIR/gen.py" -c "$RANDOM_COMMANDS" -o "$T/seq" "$@" || bail "gen.py failed"
}

random_who() {
	if [ $(($1 % 4)) -eq 3 ]; then echo nobody; else echo root; fi
}

# Every nslab a sequence starts is written down ($T/.ours): the host
# snapshot then tells this test's leftovers from those of other tests
# that run at the same time (see NSLAB_SNAPSHOT_OURS in host-snapshot.sh).
export NSLAB_SNAPSHOT_OURS=$T/.ours
random_run() {
	# shellcheck disable=SC2034,SC2016 # NSL_AS is read by nslab_run (tests/lib.sh): none inherited; $$ and "$@" are the inner sh's
	local NSL_WRAP=(sh -c 'echo $$ >>"$0"; exec "$@"' "$NSLAB_SNAPSHOT_OURS" env "PATH=$T/bin" SHELL=/bin/sh "HOME=$T/home") NSL_AS=
	[ "$(random_who "$1")" = root ] ||
		NSL_WRAP=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${NSL_WRAP[@]}")
	nslab_run --keep-going "$T/seq/$1.nsl"
}

random_problems() {
	local d left
	if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
		echo "nslab hung (killed after ${NSL_TIMEOUT}s)"
	elif [ "$RC" -ge 128 ]; then
		echo "nslab died of signal $((RC - 128))"
	elif [ "$RC" -ge 126 ]; then
		echo "nslab did not run (exit $RC)"
	fi
	if grep -Eq 'AddressSanitizer|runtime error:|Assertion|double free|corrupted' <<<"$ERR"; then
		echo "nslab reported memory or assertion errors"
	fi
	d=$(_snapshot_diff)
	[ -z "$d" ] || printf 'the host changed:\n%s\n' "$d"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left=$(_lab_pids)
		[ -z "$left" ] && break
		sleep 0.05
	done
	# shellcheck disable=SC2086 # one word per PID
	[ -z "$left" ] || printf 'lab processes left:\n%s\n' "$(_describe_pids $left)"
}
