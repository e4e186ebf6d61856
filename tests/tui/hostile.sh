#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile.sh: a program in the lab pushes text into the terminal's input
# (TIOCSTI, and its variant with high bits set in the request; TIOCLINUX
# paste), at once or from the background after nslab has gone back to its
# prompt or ended. The text must reach neither nslab's prompt nor the shell
# that started nslab: a program in the lab only ever has a pseudo-terminal
# of its own (src/ttyrelay.c). This machine allows TIOCSTI
# (dev.tty.legacy_tiocsti=1), so the attempts themselves work on the lab's
# own pty; what counts is where the text lands.
#
# The text: `host touch D/via-nslab` (only nslab runs that), then
# `[ -z "$NSLAB_LAB" ] && echo $((6*7)) > D/via-shell` (only the outer
# shell, not a shell in the lab, writes that file).
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

CC=${CC:-cc}
D=$TUI_DIR/h
mkdir -p "$D"
chmod 755 "$TUI_DIR" "$D"
if ! command -v "$CC" >/dev/null || ! "$CC" -O2 -o "$D/hostile" "$TESTS_DIR/hostile/hostile.c" 2>"$D/cc.err"; then
	_tui_skip_all "cannot build tests/hostile/hostile.c with $CC"
fi
H=$D/hostile
# Shell words inside nslab's quotes: no ' in them.
TEXT="host touch $D/via-nslab
[ -z \"\$NSLAB_LAB\" ] && echo \$((6*7)) > $D/via-shell
"
printf '%s' "$TEXT" >"$D/text"
printf '%s\n' "#!/bin/sh" "exec $H tiocsti \"\$(cat $D/text)\"" >"$D/inject"
printf '%s\n' "#!/bin/sh" "(sleep 1; $H tiocsti \"\$(cat $D/text)\" >>$D/bg.log 2>&1) &" >"$D/inject-later"
chmod 755 "$D/inject" "$D/inject-later"
OUTER_RE='^outer\$ ?$'
ATTEMPTS=0 REACHED=0

outer_prompt() { tui_cursor_line | grep -Eq -- "$OUTER_RE"; }
# outer TEXT: a command line at the outer shell; wait for its next prompt.
outer() {
	tui_type "$1"
	tui_key Enter
	sleep 0.2
	tui_until 10 outer_prompt || diag "no outer prompt after: $1"
}
# nslab_cmd TEXT: a command at nslab's prompt (tui_cmd, any nslab prompt).
nslab_cmd() { tui_cmd "$1" 10; }

# landed DESC: neither file exists (the text reached no one it must not);
# counts the attempts the hostile program reported on the screen and in
# the background log.
landed() {
	local a
	a=$(($(tui_history 3000 | grep -o 'attempt TIOC' | wc -l) + $(grep -o 'attempt TIOC' "$D"/bg.log 2>/dev/null | wc -l)))
	a=$((a - ATTEMPTS_SEEN))
	ATTEMPTS_SEEN=$((ATTEMPTS_SEEN + a))
	ATTEMPTS=$((ATTEMPTS + a))
	if [ ! -e "$D/via-nslab" ] && [ ! -e "$D/via-shell" ]; then
		ok "$1: $a attempts; the text reached neither nslab nor the outer shell"
	else
		REACHED=$((REACHED + 1))
		_fail "$1: the text reached $([ -e "$D/via-nslab" ] && echo "nslab's prompt ")$([ -e "$D/via-shell" ] && echo "the outer shell")"
		rm -f "$D/via-nslab" "$D/via-shell"
	fi
}
ATTEMPTS_SEEN=0

tui_start -x 120 -y 40 -e 'PS1=outer$ ' -e "D=$D" -- bash --norc --noprofile
tui_wait "the outer shell starts" 5 outer_prompt
outer "stty -g > $D/stty.before"

# ---- at nslab's prompt (REPL), with and without namespaces
outer "$NSLAB --no-panel"
tui_wait "nslab starts" 5 on_screen "nslab>"
nslab_cmd "run $D/inject"
nslab_cmd "say after run"
nslab_cmd "unshare uts pid mnt; mount proc"
nslab_cmd "run $D/inject"
nslab_cmd "enter $D/inject"
nslab_cmd "run $H tioclinux"
nslab_cmd "say after enter"
landed "REPL: run and enter of a program that pushes text"
# From the background, once nslab is back at its prompt.
nslab_cmd "share pid"
nslab_cmd "run $D/inject-later"
sleep 2
nslab_cmd "say after the background"
landed "REPL: a background process pushes text after run returned"
nslab_cmd "unshare pid; run $D/inject-later"
sleep 2
nslab_cmd "say after the background in a PID namespace"
landed "REPL: the same in a lab with a PID namespace"
# Then nslab ends: the text must not reach the outer shell either. (In a
# lab that isolates nothing the process is the host's and outlives nslab.)
nslab_cmd "reset"
nslab_cmd "run $D/inject-later"
tui_type quit
tui_key Enter
tui_until 5 outer_prompt
sleep 2
outer "echo outer-after"
landed "REPL: a background process pushes text after nslab ended"

# ---- script mode on the terminal, and an entered shell in the lab
outer "$NSLAB -c 'run $D/inject; enter $D/inject'"
outer "$NSLAB -c 'unshare uts; run $D/inject-later'"
sleep 2
outer "echo after-script"
landed "script mode on a terminal: at once and from the background"
outer "$NSLAB --no-panel"
tui_wait "nslab starts" 5 on_screen "nslab>"
nslab_cmd "unshare uts pid mnt"
tui_type "enter"
tui_key Enter
tui_until 5 on_screen_re '^\[lab1:'
tui_type "$D/inject-later; exit"
tui_key Enter
tui_until 5 _bare_prompt 0
sleep 2
nslab_cmd "say after the entered shell"
tui_type quit
tui_key Enter
tui_until 5 outer_prompt
outer "echo after-enter"
landed "an entered shell leaves a process that pushes text later"

# ---- rootless
outer "setpriv --reuid=nobody --regid=nogroup --clear-groups $NSLAB -c 'unshare user uts pid mnt; run $D/inject; run $D/inject-later'"
sleep 2
outer "echo after-rootless"
landed "rootless: at once and from the background"

outer "stty -g > $D/stty.after"
is "the outer terminal's settings are as before (stty -g)" "$(cat "$D/stty.before")" "$(cat "$D/stty.after")"
check "the attempts were made ($ATTEMPTS)" test "$ATTEMPTS" -gt 20
diag "terminal injection attempts: $ATTEMPTS; reached nslab or the outer shell: $REACHED"
[ "${HOSTILE_DEBUG:-}" ] && tui_history 3000 >"$HOSTILE_DEBUG"
outer "exit"
no_lab_left "no nslab or lab process is left"
done_testing
