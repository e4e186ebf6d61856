#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# record-finale.sh [FILE]: record the finale lesson, examples/12-container.nslab,
# typed at 40 characters a second with the status panel, as an asciicast v2
# recording (docs/finale.cast by default) for `asciinema play`. Run it as root
# from a built tree (the finale needs root: cgroup limits and a veth pair).
#
# --demo draws the panel only on a terminal, so nslab runs in a detached tmux
# session of COLS x ROWS (120 x 32 by default). Where the lesson pauses, this
# script waits PAUSE seconds (1.5) and presses Enter for the viewer. The
# recording is checked (a JSON header with version 2, width and height, then
# [time, "o", text] events) before it replaces FILE.
#   NSLAB=path/to/nslab   another binary (default: src/nslab)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
out=${1:-docs/finale.cast}
nslab=${NSLAB:-src/nslab}
lesson=examples/12-container.nslab
cols=${COLS:-120}
rows=${ROWS:-32}
pause=${PAUSE:-1.5}
limit=600 # seconds: the finale takes about two minutes

die() {
	echo "record-finale: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "run it as root: the finale sets cgroup limits and makes a veth pair"
[ -x "$nslab" ] || die "no nslab at $nslab (build first: autoreconf -fi && ./configure && make)"
command -v tmux >/dev/null || die "tmux is needed (apt-get install tmux)"
command -v python3 >/dev/null || die "python3 is needed to check the recording"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-finale.XXXXXX")
sock=$tmp/tmux.sock
cleanup() {
	tmux -S "$sock" kill-server 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A server of its own (-S), no configuration (-f /dev/null); the session ends
# when nslab does, and leaves its exit status behind.
tmux -S "$sock" -f /dev/null new-session -d -s finale -x "$cols" -y "$rows" \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 '$nslab' --demo=40 --record '$tmp/finale.cast' '$lesson'; echo \$? > '$tmp/rc'"

start=$(date +%s)
while tmux -S "$sock" has-session -t finale 2>/dev/null; do
	sleep 0.3
	[ $(($(date +%s) - start)) -lt "$limit" ] || die "the finale did not end within ${limit}s"
	y=$(tmux -S "$sock" display-message -p -t finale '#{cursor_y}' 2>/dev/null) || continue
	line=$(tmux -S "$sock" capture-pane -p -t finale -S "$y" -E "$y" 2>/dev/null) || continue
	case $line in
	*"(press Enter to go on)"*)
		sleep "$pause"
		tmux -S "$sock" send-keys -t finale Enter 2>/dev/null || :
		sleep 0.3 ;;
	esac
done

[ -s "$tmp/rc" ] || die "nslab left no exit status"
rc=$(cat "$tmp/rc")
[ "$rc" -eq 0 ] || die "the finale failed (exit status $rc); nothing written"

python3 - "$tmp/finale.cast" <<'EOF' || die "the recording is not a valid asciicast v2 file"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    header = json.loads(f.readline())
    assert header.get("version") == 2, "version is not 2"
    assert isinstance(header.get("width"), int) and isinstance(header.get("height"), int)
    last, n = 0.0, 0
    for line in f:
        event = json.loads(line)
        assert isinstance(event, list) and len(event) == 3, "an event is not [time, code, data]"
        t, code, data = event
        assert isinstance(t, (int, float)) and t >= last, "time goes backwards"
        assert code == "o" and isinstance(data, str)
        last, n = t, n + 1
    assert n > 0, "no events"
print("record-finale: %dx%d, %d events, %.0f s" % (header["width"], header["height"], n, last))
EOF

mkdir -p "$(dirname "$out")"
cp "$tmp/finale.cast" "$out"
echo "record-finale: wrote $out ($(wc -c <"$out") bytes); play it with: asciinema play $out"
