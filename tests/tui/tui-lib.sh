# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tui-lib.sh: drive the real nslab REPL in tmux, and say what it showed in TAP.
# Source it first:
#
#   : "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
#   . "$TESTS_DIR/tui/tui-lib.sh"
#
# Every test runs its own tmux server (socket nslab-tui-PID, no config file
# but ours), so it never touches anyone's sessions, and the server is killed
# at exit. Nothing sleeps for a fixed time: every wait polls the pane, 50 ms
# at a time, for at most a few seconds.
#
# tmux:    tui_start [-x W] [-y H] [-e VAR=VAL]... [--] PROGRAM [ARG...]
#            (a fresh session "t" running PROGRAM; skips the whole test
#            when tmux cannot start), tui_stop
# keys:    tui_type TEXT (literal text), tui_key KEY... (tmux key names:
#            Enter, F2, C-c...), tui_cmd TEXT (type TEXT, Enter, and wait for
#            the next bare prompt)
# screen:  tui_screen [-e] (the visible pane; -e with SGR attributes),
#            tui_history N (the last N lines of scrollback and the screen),
#            tui_line N [-e] (row N of the screen, from 1), tui_fmt FORMAT
#            (a tmux format for the pane: #{cursor_y}, #{scroll_region_lower}),
#            tui_wait DESC TIMEOUT CMD... (poll until CMD succeeds; a failure
#            on timeout, with the screen)
# panel:   panel_title_row (row of the panel's title line, 0: none),
#            panel_rows (the title line and the 8 rows below it),
#            panel_row NAME (the row of namespace NAME), sgr_params TEXT
#            (every SGR parameter in TEXT, one per line)
# TAP:     ok, not_ok, skip, diag, is, like, unlike, contains, lacks,
#            check DESC CMD..., done_testing; a failure shows the screen.
# cleanup: no_lab_left DESC (no nslab or lab process of this test is left)
# $TUI_DIR is a private directory (HOME and XDG_STATE_HOME of the session).

# A shared hold on the test lock (see tests/lib.sh).
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -s 8

if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u

: "${TESTS_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${NSLAB:=$TESTS_DIR/../src/nslab}"
export TESTS_DIR NSLAB
# tmux and what runs in it read UTF-8; C.UTF-8 is built into glibc.
export LC_ALL=C.UTF-8
unset TMUX TMUX_PANE NSLAB_LAB

TUI_SOCK=nslab-tui-$$
TUI_TAG="nslab-tui.$(basename "$0" .sh).$$"
TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nslab-tui.XXXXXX") || {
	echo "Bail out! cannot make a temp directory"
	exit 1
}
mkdir -p "$TUI_DIR/home" "$TUI_DIR/state"
# The prompt of nslab's REPL, for tui_cmd.
TUI_PROMPT_RE='^nslab(\[[^]]*\])?> ?'

# The terminal type the pane announces: tmux's own when terminfo has it.
TUI_TERM=screen
for _t in tmux-256color screen-256color; do
	if infocmp "$_t" >/dev/null 2>&1; then
		TUI_TERM=$_t
		break
	fi
done
unset _t

cat >"$TUI_DIR/tmux.conf" <<EOF
set -g default-terminal $TUI_TERM
set -g remain-on-exit on
set -g history-limit 5000
set -g escape-time 0
EOF

tmx() { tmux -L "$TUI_SOCK" -f "$TUI_DIR/tmux.conf" "$@"; }

# ---- cleanup ----------------------------------------------------------------

# Processes of this test's labs: nslab itself, and anything carrying the
# tag in another namespace than ours.
_tui_lab_pids() {
	local p pid comm t env
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
		env=$(tr '\0' '\n' 2>/dev/null <"$p/environ") || continue
		grep -qx "NSLAB_TEST_TAG=$TUI_TAG" <<<"$env" || continue
		read -r comm 2>/dev/null <"$p/comm" || continue
		if [[ $comm == nslab* ]]; then
			echo "$pid"
			continue
		fi
		for t in pid mnt uts ipc net; do
			if ! [[ $p/ns/$t -ef /proc/self/ns/$t ]]; then
				echo "$pid"
				break
			fi
		done
	done
}

_tui_cleanup() {
	local p
	tui_stop
	for p in $(_tui_lab_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$TUI_DIR"
}
trap _tui_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- TAP ----------------------------------------------------------------------

_tap_n=0

diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

diag_block() {
	local line
	printf '#   %s\n' "$1"
	while IFS= read -r line; do
		printf '#   | %s\n' "$line"
	done <<<"$2"
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $1"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

done_testing() {
	echo "1..$_tap_n"
	exit 0
}

# A failed assert shows the screen as it is (with cat -v for control bytes).
show_screen() {
	diag_block "the screen ($(tui_fmt '#{pane_width}x#{pane_height}'), cursor at row $(($(tui_fmt '#{cursor_y}') + 1))):" \
		"$(tui_screen | cat -v | nl -ba -w2 -s' ')"
}

_fail() {
	not_ok "$1"
	shift
	[ $# -gt 0 ] && diag "$@"
	show_screen
	return 1
}

is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		_fail "$1" "  expected: $2" "  got:      $3"
	fi
}

# check DESC CMD...: ok when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		_fail "$desc" "  failed: $(printf '%q ' "$@" | cat -v)"
	fi
}

# like DESC TEXT ERE: some line of TEXT matches ERE.
like() {
	if grep -Eq -- "$3" <<<"$2"; then
		ok "$1"
	else
		_fail "$1" "  no line matches: $3" "$(diag_block "in:" "$(cat -v <<<"$2")")"
	fi
}

unlike() {
	if ! grep -Eq -- "$3" <<<"$2"; then
		ok "$1"
	else
		_fail "$1" "  a line matches: $3" "$(diag_block "in:" "$(cat -v <<<"$2")")"
	fi
}

contains() {
	if [[ $2 == *"$3"* ]]; then
		ok "$1"
	else
		_fail "$1" "  expected to contain: $3" "$(diag_block "in:" "$(cat -v <<<"$2")")"
	fi
}

lacks() {
	if [[ $2 != *"$3"* ]]; then
		ok "$1"
	else
		_fail "$1" "  expected not to contain: $3" "$(diag_block "in:" "$(cat -v <<<"$2")")"
	fi
}

# ---- tmux -----------------------------------------------------------------------

# tui_start [-x W] [-y H] [-e VAR=VAL]... [--] PROGRAM [ARG...]
tui_start() {
	local w=100 h=30 envs=() cmd err
	while [ $# -gt 0 ]; do
		case $1 in
		-x) w=$2; shift 2 ;;
		-y) h=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	if ! command -v tmux >/dev/null 2>&1; then
		_tui_skip_all "tmux is not installed"
	fi
	[ -x "$NSLAB" ] || {
		echo "Bail out! no nslab binary at $NSLAB (build first, or set NSLAB)"
		exit 1
	}
	# A known environment: no colour or size overrides from outside, a
	# private HOME (history, ~/.inputrc), bash for `enter`.
	cmd=$(printf '%q ' exec env -u NO_COLOR -u COLUMNS -u LINES -u INPUTRC -u PROMPT_COMMAND \
		"TERM=$TUI_TERM" LC_ALL=C.UTF-8 "HOME=$TUI_DIR/home" "XDG_STATE_HOME=$TUI_DIR/state" \
		SHELL=/bin/bash "NSLAB_TEST_TAG=$TUI_TAG" ${envs[@]+"${envs[@]}"} "$@")
	tui_stop
	if ! err=$(tmx new-session -d -s t -x "$w" -y "$h" "$cmd" 2>&1 </dev/null); then
		_tui_skip_all "tmux cannot start: ${err:-no reason given}"
	fi
	# A detached session keeps the size it was given.
	tmx set-option -g window-size manual >/dev/null 2>&1
	return 0
}

_tui_skip_all() {
	skip "terminal tests of $(basename "$0" .sh)" "$1"
	done_testing
}

# The server ends; tmux leaves its socket behind, so it goes too.
tui_stop() {
	local sock
	sock=$(tmx display-message -p '#{socket_path}' 2>/dev/null)
	tmx kill-server >/dev/null 2>&1
	[ -n "$sock" ] && rm -f "$sock"
	return 0
}

tui_type() { tmx send-keys -t t -l -- "$1"; }
tui_key() { tmx send-keys -t t "$@"; }
tui_fmt() { tmx display-message -p -t t "$1"; }

tui_screen() {
	if [ "${1:-}" = -e ]; then
		tmx capture-pane -p -e -t t
	else
		tmx capture-pane -p -t t
	fi
}

tui_history() { tmx capture-pane -p -t t -S "-$1"; }

tui_line() { tui_screen "${2:-}" | sed -n "$1p"; }

# The row the cursor is on.
tui_cursor_line() { tui_line $(($(tui_fmt '#{cursor_y}') + 1)); }

# tui_until TIMEOUT CMD...: poll CMD every 50 ms until it succeeds.
tui_until() {
	local n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	"$@"
}

# tui_wait DESC TIMEOUT CMD...: a failure (with the screen) when CMD never
# succeeds; silent otherwise.
tui_wait() {
	local desc=$1 t=$2
	shift 2
	tui_until "$t" "$@" && return 0
	_fail "$desc" "  timed out after ${t}s waiting for: $*"
}

pane_dead() { [ "$(tui_fmt '#{pane_dead}')" = 1 ]; }
on_screen() { tui_screen | grep -Fq -- "$1"; }
on_screen_re() { tui_screen | grep -Eq -- "$1"; }

_prompt_count() { tui_history 10000 | grep -Ec -- "$TUI_PROMPT_RE"; }

_bare_prompt() {
	local n=$1
	[ "$(_prompt_count)" -gt "$n" ] && tui_cursor_line | grep -Eq -- "${TUI_PROMPT_RE}\$"
}

# tui_cmd TEXT [TIMEOUT]: type a command and wait until it has run (a new
# bare prompt holds the cursor). Returns 1 (after a diagnostic) on timeout.
tui_cmd() {
	local n
	n=$(_prompt_count)
	tui_type "$1"
	tui_key Enter
	tui_until "${2:-5}" _bare_prompt "$n" && return 0
	diag "timed out waiting for the prompt after: $1"
	show_screen
	return 1
}

# ---- the panel ---------------------------------------------------------------------

PANEL_TITLE_RE='^ nslab (·|-) [^ ]+ (·|-) [0-9] of 8 isolated'
PANEL_NAMES=(uts ipc pid mnt net user cgroup time)

panel_title_row() {
	tui_screen | grep -nE -- "$PANEL_TITLE_RE" | head -n1 | cut -d: -f1 | grep . || echo 0
}

# How many panel title lines are on the screen.
panel_titles() { tui_screen | grep -cE -- "$PANEL_TITLE_RE"; }

panel_rows() {
	local r
	r=$(panel_title_row)
	[ "$r" -gt 0 ] || return 0
	tui_screen "${1:-}" | sed -n "$r,$((r + 8))p"
}

# panel_row NAME [-e]: the row of namespace NAME (rows are in PANEL_NAMES'
# order, under the title).
panel_row() {
	local i
	for i in "${!PANEL_NAMES[@]}"; do
		[ "${PANEL_NAMES[$i]}" = "$1" ] && panel_rows "${2:-}" | sed -n "$((i + 2))p"
	done
	return 0
}

# The full panel, well-formed: a title at row TOP and the 8 namespace rows
# under it in the panel's order.
panel_at() {
	local top=$1 rows i
	[ "$(panel_title_row)" = "$top" ] || return 1
	rows=$(panel_rows)
	for i in "${!PANEL_NAMES[@]}"; do
		sed -n "$((i + 2))p" <<<"$rows" | grep -Eq -- "^ [●○*-] ${PANEL_NAMES[$i]} +(lab|host) " || return 1
	done
}

# check_panel_at DESC TOP
check_panel_at() {
	if tui_until 3 panel_at "$2"; then
		ok "$1"
	else
		_fail "$1" "  expected the panel's title at row $2 and its 8 rows below (title at row $(panel_title_row))"
	fi
}

# Every SGR parameter in TEXT, one a line ("1", "32", "38"...; an empty
# list, as in ESC[m, is 0).
sgr_params() {
	# shellcheck disable=SC2020 # ; and : both separate SGR parameters
	grep -oE $'\e\\[[0-9;:]*m' <<<"$1" | sed -e 's/^.\[//' -e 's/m$//' -e 's/^$/0/' | tr ';:' '\n\n'
}

# Colour parameters among them: 30-38, 40-48, 90-97, 100-107 (39 and 49,
# back to the default colour, are not colours).
sgr_colours() {
	sgr_params "$1" | grep -xE '3[0-8]|4[0-8]|9[0-7]|10[0-7]'
}

_tui_no_lab() { [ -z "$(_tui_lab_pids)" ]; }

# no_lab_left DESC: no nslab and no lab process of this test is left (a
# dying lab gets a second).
no_lab_left() {
	local left
	tui_until 1 _tui_no_lab
	left=$(_tui_lab_pids)
	if [ -z "$left" ]; then
		ok "$1"
	else
		_fail "$1" "  still running: $(for p in $left; do printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done)"
	fi
}
