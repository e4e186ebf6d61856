#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/analyze.sh: static analysis, each with 0 findings required (a
# suppression is written, with its reason, where it applies): gcc
# -fanalyzer over src/, cppcheck over src/, tests/unit/ and fuzz/, and
# ShellCheck over the shell scripts of tests/, fuzz/, tools/ and .ci/.
# Run it in a configured tree (it needs config.h). Prints TAP.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
[ -f config.h ] || { echo "Bail out! no config.h: run ./configure first"; exit 1; }
n=0 bad=0
out=$(mktemp "${TMPDIR:-/tmp}/nslab-analyze.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

result() { # DESC (the findings are in $out)
	n=$((n + 1))
	local found
	found=$(grep -cE '(warning|error|note|style|portability|performance): ' "$out")
	if [ "$found" -eq 0 ]; then
		echo "ok $n - $1: 0 findings"
	else
		echo "not ok $n - $1: $found findings"
		head -40 "$out" | sed 's/^/#   /'
		bad=$((bad + 1))
	fi
}

# The flags of the build, and the libraries' include paths.
cflags=(-std=gnu11 -I. -Isrc '-DLOCALEDIR="/usr/share/locale"' '-DLESSONSDIR="/usr/share/nslab/lessons"')
read -ra pcflags <<<"$(pkg-config --cflags json-c ncursesw readline libcap 2>/dev/null)"
cflags+=("${pcflags[@]}")
if command -v gcc >/dev/null; then
	printf '%s\0' src/*.c | xargs -0 -P"$(nproc)" -n1 gcc "${cflags[@]}" -fanalyzer -c -o /dev/null >"$out" 2>&1
	result "gcc -fanalyzer (src/)"
fi

if command -v cppcheck >/dev/null; then
	# missingIncludeSystem: cppcheck is not given the system's headers.
	cppcheck --quiet --enable=warning,portability,performance --std=c11 --inline-suppr \
		-I src -I . --suppress=missingIncludeSystem --template=gcc \
		src tests/unit fuzz >"$out" 2>&1
	result "cppcheck (src/, tests/unit/, fuzz/)"
else
	n=$((n + 1)); echo "ok $n - cppcheck # SKIP not installed (apt-get install cppcheck)"
fi

if command -v shellcheck >/dev/null; then
	# .shellcheckrc holds the settings and the one general suppression.
	shellcheck -f gcc tests/*.sh tests/*/*.sh fuzz/*.sh tools/*.sh .ci/run >"$out" 2>&1
	result "shellcheck (tests/, fuzz/, tools/, .ci/run)"
else
	n=$((n + 1)); echo "ok $n - shellcheck # SKIP not installed (apt-get install shellcheck)"
fi
echo "1..$n"
[ "$bad" -eq 0 ]
