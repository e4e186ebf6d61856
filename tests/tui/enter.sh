#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# enter.sh: `enter` gives an interactive shell in the lab the whole screen,
# in the terminal's foreground; `exit` brings the panel back, whatever the
# shell did to the terminal.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

region() { tui_fmt '#{scroll_region_upper}-#{scroll_region_lower}'; }
SHELL_PROMPT_RE='^\[lab1:uts,pid\] [^ ]+ # ?'
# shell_cmd TEXT: run TEXT in the entered shell, wait for its next prompt.
shell_cmd() {
	local save=$TUI_PROMPT_RE rc
	TUI_PROMPT_RE=$SHELL_PROMPT_RE
	tui_cmd "$1"
	rc=$?
	TUI_PROMPT_RE=$save
	return $rc
}
panel_back() {
	[ "$(region)" = 0-20 ] && panel_at 22 && tui_cursor_line | grep -Eq -- "${TUI_PROMPT_RE}\$"
}

tui_start -x 100 -y 30 -- "$NSLAB"
tui_wait "nslab starts" 5 on_screen "nslab>"
tui_cmd 'unshare uts pid'
tui_cmd 'hostname inner'
check_panel_at "the panel is at the bottom before enter" 22

# ---- in the shell
tui_type enter
tui_key Enter
tui_wait "the shell's prompt appears" 5 on_screen_re "$SHELL_PROMPT_RE"
# shellcheck disable=SC2016 # backquotes as nslab prints them, not a command
like "enter says how to come back" "$(tui_screen)" '^entering lab1; `exit` comes back to nslab$'
like "the shell's prompt names the lab and what it isolates" "$(tui_cursor_line)" "$SHELL_PROMPT_RE\$"
is "the panel is gone while the shell runs" 0 "$(panel_titles)"
is "the shell has the whole screen (scroll region 0-29)" "0-29" "$(region)"
# shellcheck disable=SC2016 # expanded by the shell in the lab
shell_cmd 'stty size; hostname; echo "lab=$NSLAB_LAB"'
like "...and the terminal's whole size (stty size: 30 100)" "$(tui_screen)" '^30 100$'
like "the shell runs in the lab (its hostname)" "$(tui_screen)" '^inner$'
like "the shell knows its lab (NSLAB_LAB)" "$(tui_screen)" '^lab=lab1$'
unlike "the shell has job control (no warning about it)" "$(tui_history 100)" 'job control'
shell_cmd 'seq 1 40'
is "the shell's output reaches the last rows" "40" "$(tui_line 29)"
like "the shell's prompt is on the last row" "$(tui_line 30)" "$SHELL_PROMPT_RE\$"
# Ctrl-C goes to the shell's foreground job, not to nslab.
n=$(tui_history 200 | grep -Ec "$SHELL_PROMPT_RE")
tui_type 'sleep 30'
tui_key Enter
tui_until 1 on_screen_re "${SHELL_PROMPT_RE}sleep 30\$"
tui_key C-c
back_from_sleep() { [ "$(tui_history 200 | grep -Ec "$SHELL_PROMPT_RE")" -gt "$n" ]; }
check "Ctrl-C interrupts the shell's foreground job, and the shell prompts again" \
	tui_until 3 back_from_sleep
# A program may leave the terminal in any state: a scroll region of its own,
# a cleared screen.
shell_cmd "printf '\\033[3;8r\\033[H\\033[2J'"

# ---- back in nslab
tui_type exit
tui_key Enter
tui_wait "nslab prompts again after exit" 5 panel_back
check_panel_at "after exit the panel is back at the bottom" 22
is "...with the scroll region above it again (0-20)" "0-20" "$(region)"
like "...the title still counts the lab's 2 namespaces" "$(tui_line 22)" '^ nslab · lab1 · 2 of 8 isolated'
like "...uts: still the lab's hostname" "$(panel_row uts)" '^ ● uts +lab .*hostname inner,'
like "...pid: the shell is gone, 1 process" "$(panel_row pid)" ', 1 process(es)?$'
like "nslab's prompt holds the cursor, bare" "$(tui_cursor_line)" "^nslab\\[uts,pid\\]> ?\$"
tui_cmd 'run seq 1 40'
check_panel_at "40 lines of output after enter leave the panel whole" 22
is "...and scroll above it" "40" "$(tui_line 20)"
is "the shell's output stayed in the scrollback" "$(seq 1 40)" \
	"$(tui_history 300 | sed -n '/^\[lab1:uts,pid\] .* seq 1 40$/,/^\[lab1/p' | grep -xE '[0-9]+')"

# ---- a program run with `run` shares the screen; if it moves the scroll
# region, nslab fences the panel off again.
tui_cmd "run printf '\\033[3;8r'"
is "after a program moved the scroll region, nslab sets it back (0-20)" "0-20" "$(region)"
check_panel_at "...and the panel is whole" 22

tui_type quit
tui_key Enter
tui_wait "quit ends nslab" 3 pane_dead
no_lab_left "no nslab or lab process is left"
tui_stop
done_testing
