#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lessons.sh: every lesson in examples/ runs to the end (exit 0) as root
# and, unless it says "# Needs root:", as an unprivileged user; the host is
# unchanged after each and no lab process is left. `lesson` lists them all,
# `lesson N` and `lesson NAME` run one in the REPL, `lesson 99` fails
# cleanly, and all the lessons run one after another in one session.
#
# A lesson's header (the comment lines at its top) may say:
#   # Needs root: REASON     it cannot run rootless (skipped as nobody)
#   # Uses: PROGRAM...       host programs it runs (skipped if one is missing)
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"

LESSONS=$(cd "$TESTS_DIR/../examples" && pwd) || bail "no examples/ next to $TESTS_DIR"
export NSLAB_LESSONS=$LESSONS
cd "$T" || bail "cannot cd to $T"

lessons=()
for f in "$LESSONS"/*.nslab; do
	[ -e "$f" ] && lessons+=("$f")
done
[ "${#lessons[@]}" -gt 0 ] || bail "no lessons in $LESSONS"

# header FILE: the comment lines at the top of a lesson.
header() { sed -n '/^#/!q; p' "$1"; }
needs_root() { header "$1" | sed -n 's/^# Needs root: *//p' | head -n 1; }
missing_programs() {
	local p
	for p in $(header "$1" | sed -n 's/^# Uses: *//p'); do
		type -P "$p" >/dev/null || printf '%s ' "$p"
	done
}

# Can nobody run nslab and make a user namespace here? (Empty: yes.)
rootless_reason() {
	[ "$(id -u)" -eq 0 ] || {
		echo "running as uid $(id -u), not root (setpriv needs root)"
		return
	}
	command -v setpriv >/dev/null || {
		echo "setpriv (util-linux) is not installed"
		return
	}
	if ! id nobody >/dev/null 2>&1 || ! getent group nogroup >/dev/null; then
		echo "there is no user nobody or group nogroup"
		return
	fi
	setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$NSLAB" || {
		echo "nobody cannot run $NSLAB"
		return
	}
	setpriv --reuid=nobody --regid=nogroup --clear-groups test -r "${lessons[0]}" || {
		echo "nobody cannot read the lessons in $LESSONS"
		return
	}
	if command -v unshare >/dev/null &&
		! setpriv --reuid=nobody --regid=nogroup --clear-groups unshare -U true 2>/dev/null; then
		echo "unprivileged user namespaces are disabled here"
	fi
}
no_rootless=$(rootless_reason)
am_root=false
[ "$(id -u)" -eq 0 ] && am_root=true

# ---- the lessons' shape ---------------------------------------------------------
for f in "${lessons[@]}"; do
	name=$(basename "$f" .nslab)
	like "$name: the first line is its title, '# Lesson N: ...'" "$(head -n 1 "$f")" \
		"^# Lesson $((10#${name%%-*})): .+"
	first=$(grep -v -e '^#' -e '^[[:space:]]*$' "$f" | head -n 1)
	like "$name: it starts with reset (or lab use lab1)" "$first" '^(reset|lab use lab1)$'
	like "$name: it checks what it teaches with expect" "$(cat "$f")" '^expect '
	contains "$name: examples/list.am ships it" "$(cat "$LESSONS/list.am")" "examples/$name.nslab"
done

# ---- each lesson, as root and as nobody ------------------------------------------

# run_lesson FILE WHO: nslab FILE as WHO ("" for this user), and the checks.
run_lesson() {
	local f=$1 who=$2 name what
	name=$(basename "$f" .nslab)
	what="$name${who:+ as $who}"
	snapshot_begin
	NSL_AS=$who NSL_TIMEOUT=60 nslab_run "$f"
	rc_is "$what: nslab $name.nslab exits 0" 0
	if [ -z "$who" ] && $am_root; then
		is "$what: nothing on stderr" "" "$ERR"
	else
		is "$what: nothing but notes on stderr" "" "$(grep -v ': note: ' <<<"$ERR")"
	fi
	unlike "$what: no check failed" "$OUT$ERR" '^[^ ]*:[0-9]+: expected '
	snapshot_check "$what: the host is unchanged"
	no_lab_process_left "$what: no lab process left"
}

for f in "${lessons[@]}"; do
	name=$(basename "$f" .nslab)
	missing=$(missing_programs "$f")
	if [ -n "$missing" ]; then
		skip "$name: runs" "it uses programs not installed here: $missing"
		continue
	fi
	why_root=$(needs_root "$f")
	if $am_root; then
		run_lesson "$f" ""
	elif [ -n "$why_root" ]; then
		skip "$name: runs" "it needs root ($why_root); running as uid $(id -u)"
		echo "# $name needs root: $why_root" >&2
	else
		run_lesson "$f" ""
	fi
	if ! $am_root; then
		continue
	elif [ -n "$why_root" ]; then
		skip "$name: runs as nobody" "it needs root: $why_root"
	elif [ -n "$no_rootless" ]; then
		skip "$name: runs as nobody" "$no_rootless"
	else
		run_lesson "$f" nobody
	fi
done

# ---- lesson: the list, and one run in the REPL ----------------------------------------
snapshot_begin
nsl 'lesson'
rc_is "lesson lists the lessons" 0
is "lesson: nothing on stderr" "" "$ERR"
is "lesson lists every lesson, after a heading" "$((${#lessons[@]} + 1))" "$(wc -l <<<"$OUT" | tr -d ' ')"
for f in "${lessons[@]}"; do
	name=$(basename "$f" .nslab)
	title=$(head -n 1 "$f" | sed 's/^# *//')
	like "lesson lists $name with its title" "$OUT" "^  $name +${title//[^a-zA-Z0-9 ]/.}\$"
done

first=$(basename "${lessons[0]}" .nslab)
last_check=$(grep '^expect ' "${lessons[0]}" | tail -n 1)
for which in "$((10#${first%%-*}))" "${first#*-}"; do
	NSL_TIMEOUT=60 nsl "lesson $which"
	rc_is "lesson $which runs $first to the end" 0
	is "lesson $which: nothing on stderr" "" "$ERR"
	contains "lesson $which echoes each step with the prompt" "$OUT" "> $last_check"
	is "lesson $which ends by saying every check held" "Lesson complete: every check held." \
		"$(tail -n 1 <<<"$OUT")"
done
no_lab_process_left "lesson N leaves no lab process"

nsl 'lesson 99'
fails_cleanly "lesson 99 fails with one line" "no lesson '99'"
nsl 'lesson no-such-lesson'
fails_cleanly "lesson NAME that does not exist fails with one line" "no lesson 'no-such-lesson'"

# Every lesson in one session: each starts from where the last one ended.
all=
runnable=0
for f in "${lessons[@]}"; do
	[ -z "$(missing_programs "$f")" ] || continue
	$am_root || [ -z "$(needs_root "$f")" ] || continue
	name=$(basename "$f" .nslab)
	all+="lesson ${name#*-}; "
	runnable=$((runnable + 1))
done
NSL_TIMEOUT=120 nsl "$all"
rc_is "all the lessons, one after another in one session, pass" 0
is "each said every check held" "$runnable" "$(grep -c '^Lesson complete: every check held\.$' <<<"$OUT")"
snapshot_check "the host is unchanged after the lessons in the REPL"
no_lab_process_left "no lab process left after the lessons in the REPL"

# ---- a lesson that does not hold stops there ----------------------------------------
mkdir -p "$T/broken"
cat >"$T/broken/01-broken.nslab" <<'L'
# Lesson 1: a lesson with a wrong claim
reset
expect shared uts
expect isolated uts
say "never said"
L
NSLAB_LESSONS=$T/broken nsl 'lesson 1'
rc_is "a lesson whose check fails makes lesson fail" 1
like "the failure names the lesson's FILE:LINE" "$ERR" "01-broken\\.nslab:4: expected uts to be isolated"
lacks "the lesson stops at the failed check" "$OUT" "never said"
no_lab_process_left "a failed lesson leaves no lab process"

# ---- nslab-lessons(7): a section for each lesson, and lint clean ------------------
page=$TESTS_DIR/../man/nslab-lessons.7
if [ -r "$page" ]; then
	for f in "${lessons[@]}"; do
		name=$(basename "$f" .nslab)
		like "nslab-lessons(7) has a section for $name" "$(grep '^\.SS ' "$page")" \
			"^\\.SS \"$((10#${name%%-*})) \\\\- ${name#*-}: "
	done
	if command -v mandoc >/dev/null; then
		is "nslab-lessons(7) is clean under mandoc -Tlint" "" "$(mandoc -Tlint "$page" 2>&1)"
	else
		skip "nslab-lessons(7) is clean under mandoc -Tlint" "mandoc is not installed"
	fi
	if command -v groff >/dev/null; then
		is "nslab-lessons(7) is clean under groff -ww -z -man" "" "$(groff -ww -z -man "$page" 2>&1)"
	else
		skip "nslab-lessons(7) is clean under groff -ww -z -man" "groff is not installed"
	fi
else
	skip "nslab-lessons(7) has a section for each lesson" "no man/nslab-lessons.7 here"
fi

done_testing
