#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# modes.sh: how the panel reads in each kind of terminal: colours by
# default, none with NO_COLOR but the symbols and weights still there, ASCII
# in a non-UTF-8 locale, no panel at all with --no-panel or on a terminal
# that cannot fence rows off.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

region() { tui_fmt '#{scroll_region_upper}-#{scroll_region_lower}'; }
has_panel() { [ "$(panel_titles)" != 0 ] || [ "$(region)" != 0-29 ]; }
# has_param TEXT N: SGR parameter N is set somewhere in TEXT.
has_param() { sgr_params "$1" | grep -qx "$2"; }

# start [tui_start's options] [-- nslab's options]: nslab, with uts isolated.
start() {
	tui_start "$@"
	tui_wait "nslab starts" 5 on_screen "nslab>"
	tui_cmd 'unshare uts'
}

# ---- colours, by default
start -- "$NSLAB"
uts=$(panel_row uts -e)
ipc=$(panel_row ipc -e)
check "colour: the lab's rows are green" has_param "$uts" 32
check "colour: ...and bold" has_param "$uts" 1
check "colour: the host's rows are dim" has_param "$ipc" 2
tui_stop

# ---- NO_COLOR
start -e NO_COLOR=1 -- "$NSLAB"
rows=$(panel_rows -e)
is "NO_COLOR: no colour (SGR 30-38, 40-48, 90-107) in the panel" "" "$(sgr_colours "$rows" | sort -u | tr '\n' ' ')"
is "NO_COLOR: no colour anywhere on the screen" "" "$(sgr_colours "$(tui_screen -e)" | sort -u | tr '\n' ' ')"
like "NO_COLOR: the lab's row keeps its symbol (●)" "$(panel_row uts)" '^ ● uts +lab '
like "NO_COLOR: the host's rows keep theirs (○)" "$(panel_row ipc)" '^ ○ ipc +host '
check "NO_COLOR: the lab's row is still bold" has_param "$(panel_row uts -e)" 1
check "NO_COLOR: the title is still in reverse video" has_param "$(tui_line 22 -e)" 7
tui_stop

# ---- a locale that is not UTF-8: the panel speaks ASCII
start -e LC_ALL=C -e LANG=C -- "$NSLAB"
check_panel_at "C locale: the panel is there" 22
like "C locale: the lab's row is marked with *" "$(panel_row uts)" '^ \* uts +lab +[0-9]+/[0-9]+ '
like "C locale: the host's rows with -" "$(panel_row ipc)" '^ - ipc +host '
is "C locale: nothing but ASCII reaches the terminal in the panel" "" \
	"$(panel_rows | LC_ALL=C grep -n $'[\x80-\xff]' | head -n3)"
tui_stop

# ---- --no-panel
start -- "$NSLAB" --no-panel
is "--no-panel: no panel" 0 "$(panel_titles)"
is "--no-panel: no row of one" "" "$(tui_screen | grep -E '^ [●○] ')"
is "--no-panel: the whole screen scrolls (0-29)" "0-29" "$(region)"
tui_cmd 'run seq 1 40'
is "--no-panel: output reaches the last rows" "40" "$(tui_line 29)"
like "--no-panel: the prompt is on the last row" "$(tui_line 30)" "$TUI_PROMPT_RE\$"
tui_key F2
tui_until 1 has_panel
is "--no-panel: F2 does not bring a panel" 0 "$(panel_titles)"
is "--no-panel: ...nor fences rows off (0-29)" "0-29" "$(region)"
tui_key C-u
tui_cmd 'panel on'
tui_until 1 has_panel
is "--no-panel: \`panel on\` does not bring one either" 0 "$(panel_titles)"
is "--no-panel: ...nor fences rows off (0-29)" "0-29" "$(region)"
like "--no-panel: \`panel on\` says why" "$(tui_history 5)" 'no-panel'
tui_stop

# ---- a terminal that cannot set a scroll region
start -e TERM=dumb -- "$NSLAB"
is "TERM=dumb: no panel" 0 "$(panel_titles)"
tui_cmd 'hostname'
like "TERM=dumb: commands work (hostname)" "$(tui_screen)" "^$(cat /proc/sys/kernel/hostname)\$"
is "TERM=dumb: no escape sequence in what nslab wrote" "" "$(tui_screen -e | grep -o $'\e\\[[0-9;]*[A-Za-z]' | sort -u)"
tui_type quit
tui_key Enter
tui_wait "quit ends nslab" 3 pane_dead
no_lab_left "no nslab or lab process is left"
tui_stop
done_testing
