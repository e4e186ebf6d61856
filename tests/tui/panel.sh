#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# panel.sh: the status panel of the real REPL in a 100x30 tmux pane: the
# states and facts it shows after a teaching sequence, a hostile hostname
# shown escaped, a multibyte one shown as typed, 200 lines of output
# scrolling above it into the scrollback, and its idle refresh leaving the
# typed line alone.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"

host_name=$(cat /proc/sys/kernel/hostname)
host_uts=$(stat -L -c %i /proc/self/ns/uts)

tui_start -x 100 -y 30 -- "$NSLAB"
tui_wait "nslab starts" 5 on_screen "nslab>"

# ---- before anything is isolated
check_panel_at "the panel fills the 9 bottom rows of a 100x30 screen" 22
like "its title names the lab and counts no isolated namespace" "$(tui_line 22)" \
	'^ nslab · lab1 · 0 of 8 isolated$'
unlike "every namespace is the host's (○ host)" "$(panel_rows | tail -n 8)" '^ ● |^ [^ ]+ +[a-z]+ +lab '
is "output scrolls in the rows above the panel (scroll region 0-20)" "0-20" \
	"$(tui_fmt '#{scroll_region_upper}-#{scroll_region_lower}')"

# ---- the teaching sequence
tui_cmd 'unshare uts ipc pid mnt'
init=$(tui_history 100 | sed -n 's/.*its PID 1 is host PID \([0-9]*\).*/\1/p' | tail -n1)
tui_cmd 'hostname foo'
tui_cmd 'mount proc'
tui_cmd 'ipcmk -Q'
check_panel_at "after unshare, hostname, mount proc, ipcmk: the panel is whole" 22
like "the title counts 4 isolated namespaces and names PID 1's host PID" "$(tui_line 22)" \
	"^ nslab · lab1 · 4 of 8 isolated · PID 1 is host PID ${init:-X}\$"
for ns in uts ipc pid mnt; do
	like "$ns: isolated (● lab, the lab's inode ≠ the host's)" "$(panel_row $ns)" \
		"^ ● $ns +lab +[0-9]+≠[0-9]+ "
done
for ns in net user cgroup time; do
	like "$ns: still the host's (○ host)" "$(panel_row $ns)" "^ ○ $ns +host +[0-9]+ host( |\$)"
done
like "uts: the host's inode beside the lab's" "$(panel_row uts)" "≠$host_uts "
like "uts: the lab's hostname, and the host's beside it" "$(panel_row uts)" \
	"hostname foo, .*\\(host: $host_name\\)"
like "ipc: the lab's one message queue, none on the host's side" "$(panel_row ipc)" \
	'[^0-9]1 queues?, 0 shm, 0 sem \(host: 0/'
like "pid: PID 1 is the lab's init, one process" "$(panel_row pid)" \
	"PID 1 = host PID ${init:-X}, 1 process(es)?\$"
like "mnt: /proc is the lab's" "$(panel_row mnt)" '[0-9]+ mounts, /proc is lab$'
is "the host keeps its hostname" "$host_name" "$(cat /proc/sys/kernel/hostname)"

# ---- a hostname holding an escape sequence (ESC [ 3 1 m: red) is typed with
# readline's quoted-insert (C-v), so the ESC byte reaches nslab's line.
tui_type 'hostname a'
tui_key C-v
tui_type $'\033'
tui_type '[31mb'
tui_key Enter
tui_wait "the hostile hostname is set" 5 on_screen 'hostname a\x1b[31mb'
like "uts: the hostname is shown escaped (a\\x1b[31mb)" "$(panel_row uts)" \
	'hostname a\\x1b\[31mb, domain'
uts_e=$(panel_row uts -e)
is "uts: the ESC byte is not in the panel's text" "" "$(panel_row uts | tr -cd '\033')"
is "uts: no red (SGR 31) reaches the panel's line" "" "$(sgr_params "$uts_e" | grep -x 31)"
is "no red (SGR 31) anywhere on the screen" "" "$(sgr_params "$(tui_screen -e)" | grep -x 31)"
is "the name and the rest of the line share one style (no SGR from the name on)" \
	"a\\x1b[31mb, domain (none) (host: $host_name)" "${uts_e#*hostname }"

# ---- multibyte input: typed, edited and shown as it is (printable text is
# not escaped; wide characters take two columns)
tui_type 'hostname héllo-世界x'
tui_key BSpace
tui_cmd ''
like "a multibyte hostname, edited with backspace, is shown as typed" "$(panel_row uts)" \
	'hostname héllo-世界, domain \(none\)'

# ---- 200 lines of output
tui_cmd 'run seq 1 200'
check_panel_at "after 200 lines of output the panel is whole, still at the bottom" 22
like "...and still shows the lab (uts ● lab)" "$(panel_row uts)" '^ ● uts +lab '
is "the last line of output sits right above the prompt" "200" "$(tui_line 20)"
like "the prompt sits right above the panel" "$(tui_line 21)" "$TUI_PROMPT_RE\$"
hist=$(tui_history 300)
is "the scrollback holds the 200 lines, in order, once each" "$(seq 1 200)" \
	"$(grep -xE '[0-9]+' <<<"$hist" | grep -vx 0)"
is "no copy of the panel was pushed into the scrollback" "1" "$(grep -cE "$PANEL_TITLE_RE" <<<"$hist")"

# ---- the idle refresh: a process ends while the prompt waits; the panel
# follows it without a key pressed, and the half-typed line stays as it was.
tui_cmd "run sh -c 'sleep 1 &'"
like "pid: a second process while sleep runs" "$(panel_row pid)" ', 2 process(es)?$'
tui_type 'hostna'
tui_until 3 on_screen_re ', 1 process(es)?$'
like "pid: back to 1 process when it ends, with no key pressed" "$(panel_row pid)" ', 1 process(es)?$'
like "the half-typed line is untouched" "$(tui_cursor_line)" "${TUI_PROMPT_RE}hostna\$"
is "the cursor stays at its end" "$(($(tui_cursor_line | wc -m) - 1))" "$(tui_fmt '#{cursor_x}')"

tui_key C-u
tui_type quit
tui_key Enter
tui_wait "quit ends nslab" 3 pane_dead
no_lab_left "quit leaves no nslab or lab process behind"
tui_stop
done_testing
