#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make-soak.sh: what `make soak` runs (as root): thousands of random
# sequences, 10,000 lab cycles in one session (without and with a
# terminal), and a hundred random SIGKILLs. Each test's TAP goes to
# soak-TEST.log in the current directory; the figures are printed at the
# end. Fails if any test has a failure that is not a known TODO.
#
# RANDOM_N (3000), SOAK_CYCLES (10000), SOAK_PTY_CYCLES (2000),
# KILL_RANDOM (100) choose how much.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NSLAB:=$TESTS_DIR/../src/nslab}"
export TESTS_DIR NSLAB
failed=0

run() {
	local name=$1 log
	shift
	log=soak-$name.log
	echo "== $name: $*"
	env "$@" bash "$TESTS_DIR/integration/${name%%-*}.sh" >"$log" 2>&1
	grep -E '^# (sequences|soak|kills|hostile)' "$log"
	if grep -E '^not ok' "$log" | grep -vq '# TODO'; then
		echo "   FAILED (see $log):"
		grep -E '^not ok' "$log" | grep -v '# TODO' | head -n 5 | sed 's/^/   /'
		failed=1
	else
		echo "   $(grep -c '^ok' "$log") passed"
	fi
}

run random RANDOM_N="${RANDOM_N:-3000}" RANDOM_SECONDS=0
run soak SOAK_CYCLES="${SOAK_CYCLES:-10000}"
run soak-pty SOAK_CYCLES="${SOAK_PTY_CYCLES:-2000}" SOAK_PTY=1
run kill KILL_RANDOM="${KILL_RANDOM:-100}"
exit $failed
