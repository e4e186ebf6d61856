#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# random.sh: random sequences of 1-50 commands from the whole command
# language, valid and invalid (tests/random/gen.py), each run by a new
# nslab in script mode with --keep-going. After each: nslab neither
# crashed nor hung, the host is as it was (tests/host-snapshot.sh) and no
# lab process is left. One seed in four runs as nobody (rootless). A
# failing seed is printed with the command that replays it.
#
# RANDOM_N: how many sequences (default 200; `make soak` runs thousands).
# RANDOM_SEED: the first seed (default: the time); sequence i has seed
#   RANDOM_SEED + i.
# RANDOM_SECONDS: stop early after this long (default 50, for make check;
#   0: no limit).
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
# shellcheck source=../random/common.sh
. "$TESTS_DIR/random/common.sh"
require_root
command -v python3 >/dev/null || skip_all "no python3 to generate the sequences"
cd "$T" || bail "cannot cd to $T"

: "${RANDOM_N:=200}"
: "${RANDOM_SEED:=$(date +%s)}"
: "${RANDOM_SECONDS:=50}"
random_setup
# shellcheck disable=SC2046 # one seed a word
random_gen $(seq "$RANDOM_SEED" $((RANDOM_SEED + RANDOM_N - 1)))
diag "RANDOM_N=$RANDOM_N RANDOM_SEED=$RANDOM_SEED; commands: $RANDOM_COMMANDS"
snapshot_begin

ran=0 failed=0 cmds=0 start=$SECONDS
for seed in $(seq "$RANDOM_SEED" $((RANDOM_SEED + RANDOM_N - 1))); do
	if [ "$RANDOM_SECONDS" -gt 0 ] && [ $((SECONDS - start)) -ge "$RANDOM_SECONDS" ]; then
		diag "stopping after ${RANDOM_SECONDS}s"
		break
	fi
	random_run "$seed"
	ran=$((ran + 1))
	cmds=$((cmds + $(grep -cv '^#' "$T/seq/$seed.nsl")))
	problems=$(random_problems)
	if [ -z "$problems" ]; then
		ok "seed $seed ($(random_who "$seed")): exit $RC, host unchanged, no lab process left"
		continue
	fi
	failed=$((failed + 1))
	not_ok "seed $seed ($(random_who "$seed"))"
	diag "$problems"
	diag "replay: TESTS_DIR=$TESTS_DIR NSLAB=$NSLAB $TESTS_DIR/random/replay.sh $seed"
	diag_block "the script:" "$(cat -v "$T/seq/$seed.nsl")"
	diag_block "stderr (last 10 lines):" "$(tail -n 10 <<<"$ERR")"
	# Put things back so that one failure does not fail every seed after it.
	for p in $(_lab_pids); do kill -KILL "$p" 2>/dev/null; done
	_restore_host_names
	snapshot_begin
done
diag "sequences: $ran, command lines: $cmds, failing: $failed, in $((SECONDS - start)) s"
done_testing
