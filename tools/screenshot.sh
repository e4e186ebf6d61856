#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# screenshot.sh: docs/panel.png, the README's picture of the panel, from a
# real nslab session: a short lesson typed into nslab in a private tmux
# server, the pane captured with its colours, drawn cell by cell.
#
#   tools/screenshot.sh [OUT.png]       (as root: the lesson makes a lab)
#
# NSLAB (default src/nslab), COLS and ROWS (100x30) and FONT_SIZE (16) may
# be set; ANS=FILE keeps the captured screen (text with its SGR sequences:
# cat it in a terminal to see it).
#
# Needs (Debian packages): tmux, python3, python3-pil, fonts-dejavu-core.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/panel.png}
nslab=${NSLAB:-$root/src/nslab}
cols=${COLS:-100}
rows=${ROWS:-30}
python=/usr/bin/python3

die() {
	echo "screenshot.sh: $*" >&2
	exit 1
}

# ---- what it needs
[ -x "$nslab" ] || die "no nslab at $nslab (build it first, or set NSLAB)"
[ "$(id -u)" -eq 0 ] || die "run it as root: the lesson unshares namespaces"
missing=
command -v tmux >/dev/null || missing+=" tmux"
[ -x "$python" ] || missing+=" python3"
[ -x "$python" ] && ! "$python" -c 'import PIL' 2>/dev/null && missing+=" python3-pil"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=" fonts-dejavu-core"
[ -z "$missing" ] || die "missing Debian packages; install them with: apt-get install$missing"

# ---- a private tmux server
sock=nslab-shot-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nslab-shot.XXXXXX")
mkdir -p "$tmp/home"
printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\n' >"$tmp/tmux.conf"
tmx() { tmux -L "$sock" -f "$tmp/tmux.conf" "$@"; }
cleanup() {
	local s
	s=$(tmx display-message -p '#{socket_path}' 2>/dev/null) || s=
	tmx kill-server >/dev/null 2>&1 || true
	[ -z "$s" ] || rm -f "$s"
	rm -rf "$tmp"
}
trap cleanup EXIT
unset TMUX TMUX_PANE
export LC_ALL=C.UTF-8

term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=screen-256color
cmd=$(printf '%q ' exec env -u NO_COLOR -u COLUMNS -u LINES TERM=$term LC_ALL=C.UTF-8 \
	HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" "$nslab")
tmx new-session -d -s shot -x "$cols" -y "$rows" "$cmd"

screen() { tmx capture-pane -p -t shot; }
# until TEXT: wait (at most 5 s) for TEXT on the screen.
until_shown() {
	local _
	for _ in $(seq 100); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	die "timed out waiting for: $1"
}
prompts() { tmx capture-pane -p -t shot -S - | grep -Ec '^nslab(\[[^]]*\])?>'; }
# type TEXT: type a command as a person would, and wait for the next prompt.
type_cmd() {
	local n _
	n=$(prompts)
	tmx send-keys -t shot -l -- "$1"
	tmx send-keys -t shot Enter
	for _ in $(seq 100); do
		[ "$(prompts)" -gt "$n" ] && return 0
		sleep 0.05
	done
	die "timed out after: $1"
}

# ---- the lesson
until_shown '^nslab>'
type_cmd 'unshare uts ipc pid mnt'
type_cmd 'hostname lab'
type_cmd 'mount proc'
type_cmd 'ipcmk -Q'
type_cmd 'ps -e'
until_shown '/proc is lab'

mkdir -p "$(dirname "$out")"
ans=${ANS:-$tmp/screen.ans}
tmx capture-pane -p -e -N -t shot >"$ans"
cursor=$(tmx display-message -p -t shot '#{cursor_x},#{cursor_y}')
"$python" "$root/tools/ansi2png.py" --cols "$cols" --rows "$rows" --cursor "$cursor" \
	--font-size "${FONT_SIZE:-16}" --title "nslab — ${cols}x${rows}" "$ans" "$out"
echo "screenshot.sh: wrote $out"
