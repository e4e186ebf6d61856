#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# restore.sh: however nslab ends (quit, Ctrl-D, SIGTERM, SIGHUP, a crash
# signal), the shell it was started from gets its terminal back as it was:
# the same tty modes (icanon, echo...), the whole screen to scroll in, no
# panel left, typed text echoed, and no lab process left behind.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

region() { tui_fmt '#{scroll_region_upper}-#{scroll_region_lower}'; }
SH_PROMPT_RE='^tui\$ ?'

# An interactive bash in the pane, as a student's terminal would have.
tui_start -x 100 -y 30 -e 'PS1=tui$ ' -- bash --norc --noprofile -i
tui_wait "the shell starts" 5 on_screen_re "$SH_PROMPT_RE"

# session N HOW: start nslab from the shell through a plain sh, which
# neither fixes the terminal after a signal nor reads it with readline,
# so what the checks see is what nslab left: sh saves the tty modes,
# runs nslab, and right after it saves them again, then reads a line in
# the terminal's own (cooked) mode. HOW ends nslab: a command or a signal
# (SEGV stands for a crash; no core file is written).
session() {
	local n=$1 how=$2 shpid nspid
	tui_type "sh -c 'ulimit -c 0; stty -g >\"\$1.before\"; \"\$0\"; echo \$? >\"\$1.status\"; stty -g >\"\$1.after\"; stty -a >\"\$1.all\"; echo \"nslab ended\"; read -r x; echo \"read [\$x]\"' $(printf %q "$NSLAB") $TUI_DIR/tty$n"
	tui_key Enter
	tui_wait "nslab starts ($how)" 5 panel_at 22 || return 1
	tui_until 2 tui_cursor_line_is 'nslab> ?$'
	tui_cmd 'unshare uts pid' || return 1
	case $how in
	quit | C-d)
		[ "$how" = quit ] && tui_type quit && tui_key Enter
		[ "$how" = C-d ] && tui_key C-d ;;
	*)
		shpid=$(pgrep -P "$(tui_fmt '#{pane_pid}')" -x sh)
		nspid=$(pgrep -P "${shpid:-0}" -x nslab)
		if [ -z "$nspid" ]; then
			not_ok "$how: found nslab's process"
			return 1
		fi
		kill "-$how" "$nspid" ;;
	esac
	tui_wait "nslab ends ($how)" 5 test -s "$TUI_DIR/tty$n.all"
}
tui_cursor_line_is() { tui_cursor_line | grep -Eq -- "$1"; }

# check_restored N HOW STATUS
check_restored() {
	local n=$1 how=$2 status=$3 f=$TUI_DIR/tty$1
	tui_until 2 on_screen "nslab ended"
	is "$how: nslab exits with status $status" "$status" "$(cat "$f.status")"
	is "$how: the tty modes are as before nslab ran" "$(cat "$f.before" 2>/dev/null)" "$(cat "$f.after" 2>/dev/null)"
	# shellcheck disable=SC2020 # blanks and semicolons both become line breaks
	is "$how: canonical mode and echo are on (stty -a: icanon, echo)" "icanon echo" \
		"$(tr ' ;' '\n\n' <"$f.all" 2>/dev/null | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ' | sed 's/ $//')"
	is "$how: the whole screen scrolls again (scroll region 0-29)" "0-29" "$(region)"
	is "$how: the panel is erased" "" "$(tui_screen | grep -E "$PANEL_TITLE_RE|^ [●○] ")"
	is "$how: the cursor is visible, normal screen, normal keys" "1 0 0 0" \
		"$(tui_fmt '#{cursor_flag} #{alternate_on} #{keypad_cursor_flag} #{keypad_flag}')"
	# The read in sh: the terminal (not a line editor) echoes what is typed.
	tui_type "typed-after-$how"
	check "$how: text typed afterwards is echoed" tui_until 2 on_screen "typed-after-$how"
	tui_key Enter
	check "$how: a line typed afterwards is read whole" tui_until 2 on_screen "read [typed-after-$how]"
	tui_until 2 tui_cursor_line_is "$SH_PROMPT_RE\$"
	is "$how: no SGR attribute is left on (plain text after)" "" \
		"$(tui_screen -e | grep -F "read [typed-after-$how]" | grep -o $'\e\\[[0-9;]*m')"
	no_lab_left "$how: no nslab or lab process is left"
	# The shell, afterwards: its output scrolls on the whole screen.
	TUI_PROMPT_RE=$SH_PROMPT_RE tui_cmd 'seq 1 40'
	is "$how: the shell's output reaches the last rows" "40" "$(tui_line 29)"
	like "$how: the shell's prompt is on the last row" "$(tui_line 30)" "$SH_PROMPT_RE\$"
}

n=0
for how in quit C-d TERM HUP SEGV; do
	n=$((n + 1))
	case $how in
	quit | C-d) status=0 ;;
	TERM) status=143 ;;
	HUP) status=129 ;;
	SEGV) status=139 ;;
	esac
	if session "$n" "$how"; then
		check_restored "$n" "$how" "$status"
	else
		# Start over in a fresh shell.
		tui_stop
		tui_start -x 100 -y 30 -e 'PS1=tui$ ' -- bash --norc --noprofile -i
		tui_wait "the shell starts" 5 on_screen_re "$SH_PROMPT_RE"
	fi
done

tui_stop
done_testing
