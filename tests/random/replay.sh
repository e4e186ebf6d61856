#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# replay.sh SEED [COMMANDS]: run random sequence SEED again, as
# tests/integration/random.sh ran it, and show the script, what nslab said,
# and what it left on the host.
#   tests/random/replay.sh 1718000000
# NSLAB (default: this tree's src/nslab); COMMANDS (default: what
# `nslab -c help` lists) must be the same as in the failing run for the
# same script.
if ! { [ $# -ge 1 ] && [ "$1" -eq "$1" ] 2>/dev/null; }; then
	echo "usage: $0 SEED [COMMANDS]" >&2
	exit 2
fi
seed=$1
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
NSLAB_TEST_TAG=
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
# shellcheck source=common.sh
. "$TESTS_DIR/random/common.sh"
cd "$T" || exit 1
random_setup
[ -n "${2:-}" ] && RANDOM_COMMANDS=$2
random_gen "$seed"
echo "== the script (seed $seed)"
cat -v "$T/seq/$seed.nsl"
snapshot_begin
random_run "$seed"
echo "== exit code $RC"
echo "== stdout"
echo "$OUT"
echo "== stderr"
echo "$ERR"
problems=$(random_problems)
echo "== problems"
echo "${problems:-none}"
[ -z "$problems" ]
