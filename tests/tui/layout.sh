#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# layout.sh: where the panel lives: it follows resizes (60x20 and back),
# becomes one compact line below 60x20, and `panel off|on|top|bottom` and F2
# hide, show and move it, each time leaving the prompt and the output intact.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

region() { tui_fmt '#{scroll_region_upper}-#{scroll_region_lower}'; }
compact_at() { tui_line "$1" | grep -Eq '^ lab1  uts. ipc. pid. mnt. net. user. cgroup. time.  '; }
no_panel() { [ "$(panel_titles)" = 0 ]; }
typed_abc() { tui_cursor_line | grep -Eq -- "${TUI_PROMPT_RE}abc\$"; }
# After a resize tmux shows the old content, moved, until nslab redraws:
# wait for what only nslab does, the scroll region above the panel (tmux
# resets it to the whole screen) and a prompt holding the cursor.
settled() {
	[ "$(region)" = "$1" ] && tui_cursor_line | grep -Eq -- "$TUI_PROMPT_RE"
}
# resize W H REGION: resize the window, wait for nslab to have redrawn.
resize() {
	tmx resize-window -t t -x "$1" -y "$2"
	tui_until 3 settled "$3" || diag "nslab did not settle at $1x$2 (scroll region $(region), expected $3)"
}

tui_start -x 100 -y 30 -- "$NSLAB"
tui_wait "nslab starts" 5 on_screen "nslab>"
tui_cmd 'unshare uts'
tui_cmd 'hostname resized'
check_panel_at "100x30: the panel is at the bottom" 22

# ---- 60x20, the smallest size with the full panel
tui_type 'abc'
resize 60 20 0-10
check_panel_at "resized to 60x20: the full panel is redrawn in the 9 bottom rows" 12
is "...once" 1 "$(panel_titles)"
is "...with the scroll region above it (0-10)" "0-10" "$(region)"
like "...cut to the width, not wrapped (uts row)" "$(panel_row uts)" '^ ● uts +lab +[0-9]+≠[0-9]+ hostname'
is "...and no row of it is wider than 59 columns" "" "$(panel_rows | while IFS= read -r l; do [ ${#l} -le 59 ] || echo "$l"; done)"
like "the half-typed line is redrawn with the prompt" "$(tui_cursor_line)" "${TUI_PROMPT_RE}abc\$"
tui_key C-u
tui_cmd 'run seq 1 30'
check_panel_at "60x20: 30 lines of output leave the panel whole" 12
is "60x20: the last line of output is right above the prompt" "30" "$(tui_line 10)"

# ---- back to 100x30
resize 100 30 0-20
check_panel_at "back to 100x30: the panel is redrawn at the bottom" 22
is "...once" 1 "$(panel_titles)"
is "...with the scroll region above it (0-20)" "0-20" "$(region)"
like "...and shows the lab's hostname in full" "$(panel_row uts)" 'hostname resized, domain \(none\) \(host: '
tui_cmd 'run seq 1 40'
check_panel_at "100x30: 40 lines of output leave the panel whole" 22
is "100x30: the last line of output is right above the prompt" "40" "$(tui_line 20)"

# ---- smaller than 60x20: one compact line
resize 59 20 0-18
tui_until 3 compact_at 20
ok_compact=$(tui_line 20)
like "59x20: one compact line at the bottom (lab, a symbol per namespace, hostname cut to fit)" \
	"$ok_compact" '^ lab1  uts● ipc○ pid○ mnt○ net○ user○ cgroup○ time○  res'
is "59x20: the compact line fits in 58 columns" 58 "$(($(wc -m <<<"$ok_compact") - 1))"
is "59x20: no full panel" 0 "$(panel_titles)"
is "59x20: the scroll region is all but the last row (0-18)" "0-18" "$(region)"
resize 100 12 0-10
tui_until 3 compact_at 12
like "100x12: the compact line too" "$(tui_line 12)" '^ lab1  uts● ipc○'
tui_cmd 'run seq 1 20'
like "100x12: 20 lines of output leave the compact line" "$(tui_line 12)" '^ lab1  uts● ipc○'
is "100x12: the last line of output is right above the prompt" "20" "$(tui_line 10)"
resize 100 30 0-20
check_panel_at "back to 100x30: the full panel again" 22
is "...and no compact line left on the screen" "" "$(tui_screen | grep -E '^ lab1  uts')"

# ---- panel off, on, top, bottom
tui_cmd 'panel off'
tui_until 3 no_panel
is "panel off: the panel is gone" 0 "$(panel_titles)"
is "panel off: no row of it is left" "" "$(tui_screen | grep -E '^ [●○] ')"
is "panel off: the whole screen scrolls (0-29)" "0-29" "$(region)"
tui_cmd 'run seq 1 40'
is "panel off: output reaches the last rows" "40" "$(tui_line 29)"
like "panel off: the prompt is on the last row" "$(tui_line 30)" "$TUI_PROMPT_RE\$"
tui_cmd 'panel on'
check_panel_at "panel on: the panel is back at the bottom" 22
is "panel on: output scrolls above it again (0-20)" "0-20" "$(region)"
is "panel on: what was on the screen moved up, not under it (40 above the prompt)" "40" \
	"$(tui_screen | grep -B1 -E "${TUI_PROMPT_RE}panel on\$" | head -n1)"
tui_cmd 'panel top'
check_panel_at "panel top: the panel is in the 9 top rows" 1
is "panel top: output scrolls below it (9-29)" "9-29" "$(region)"
tui_cmd 'run seq 1 5'
check_panel_at "panel top: after output the panel is still on top" 1
is "panel top: a program's output stays on the screen under it" "$(seq 1 5)" \
	"$(tui_screen | sed -n '10,$p' | grep -xE '[0-9]+')"
tui_cmd 'run seq 1 40'
check_panel_at "panel top: after 40 lines of output the panel is still on top" 1
is "panel top: the last line of output is right above the prompt" "40" "$(tui_line 29)"
tui_cmd 'panel bottom'
check_panel_at "panel bottom: back at the bottom" 22
is "panel bottom: once" 1 "$(panel_titles)"

# ---- F2
tui_type 'abc'
tui_key F2
tui_until 3 no_panel
is "F2 hides the panel" 0 "$(panel_titles)"
tui_until 2 typed_abc
is "F2: the prompt and the typed text are on the screen once" 1 \
	"$(tui_screen | grep -o 'nslab\[uts\]> abc' | wc -l)"
like "F2: the cursor line is the prompt and the typed text" "$(tui_cursor_line)" "${TUI_PROMPT_RE}abc\$"
tui_key F2
check_panel_at "F2 again shows it" 22
tui_until 2 typed_abc
like "F2 again: the cursor line is the prompt and the typed text" "$(tui_cursor_line)" "${TUI_PROMPT_RE}abc\$"
tui_key C-u
tui_cmd 'hostname'
like "after F2 the next command runs as usual" "$(tui_screen)" '^resized$'

tui_key C-d
tui_wait "Ctrl-D ends nslab" 3 pane_dead
no_lab_left "no nslab or lab process is left"
tui_stop
done_testing
