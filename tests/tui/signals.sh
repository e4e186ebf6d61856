#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# signals.sh: the signal matrix on a real terminal, at nslab's prompt and
# inside `enter`: INT, QUIT, TSTP (the keys and kill(1)), CONT, EOF, TERM,
# and HUP by closing the terminal (tmux kill-pane and kill-session). Each
# ends as nslab(1) documents (EXIT STATUS): the prompt ignores INT, QUIT
# and TSTP; inside `enter` the keys belong to the shell; EOF leaves with
# 0; TERM and HUP end nslab with 128+n after it has ended the lab. After
# each: no lab process, the host unchanged, and where the terminal is
# still there its settings as before (stty -g).
#
# nslab runs under a small wrapper (sigwrap) that makes it the session
# leader of the pane's terminal, as a login shell is, so that closing the
# terminal sends it SIGHUP, and that writes its exit status and the
# terminal's settings before and after to files.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=tui-lib.sh
. "$TESTS_DIR/tui/tui-lib.sh"
command -v python3 >/dev/null || _tui_skip_all "no python3 for the wrapper"

W=$TUI_DIR/w
mkdir -p "$W"
cat >"$W/sigwrap.py" <<'EOF'
import fcntl, os, signal, subprocess, sys, termios
d, cmd = sys.argv[1], sys.argv[2:]
def stty(name):
    try:
        out = subprocess.run(["stty", "-g"], stdin=0, capture_output=True, text=True, timeout=5).stdout
    except Exception:
        out = ""
    with open(os.path.join(d, name), "w") as f:
        f.write(out)
stty("stty.before")
for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTOU, signal.SIGTTIN):
    signal.signal(s, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTOU, signal.SIGTTIN):
        signal.signal(s, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 1)
    with open(os.path.join(d, "pid"), "w") as f:
        f.write(str(os.getpid()))
    os.execvp(cmd[0], cmd)
_, st = os.waitpid(pid, 0)
rc = os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)
stty("stty.after")
with open(os.path.join(d, "rc.tmp"), "w") as f:
    f.write(str(rc))
os.rename(os.path.join(d, "rc.tmp"), os.path.join(d, "rc"))
EOF

SNAP() { NSLAB_TEST_TAG=$TUI_TAG sh "$TESTS_DIR/host-snapshot.sh"; }
SNAP >"$W/snap.before"
SHELL_RE='^\[lab1:[a-z,]*\] [^ ]+ # ?$'

# start: nslab (its panel on) under the wrapper, a lab with uts pid mnt.
# Each start writes to a directory of its own ($R): a run that failed
# and was left to the tmux server's end cannot write its status into the
# next one's.
runs=0
start() {
	runs=$((runs + 1))
	R=$W/$runs
	mkdir -p "$R"
	tui_start -x 100 -y 30 -- python3 "$W/sigwrap.py" "$R" "$NSLAB"
	tui_wait "nslab starts" 5 on_screen "nslab>"
	tui_cmd 'unshare uts pid mnt; mount proc; hostname sig'
	tui_cmd "run sh -c 'sleep 300 >/dev/null 2>&1 &'"
	PID=$(cat "$R/pid")
}
alive() { kill -0 "$PID" 2>/dev/null && [ ! -e "$R/rc" ]; }
# still_there DESC: nslab runs and answers at its prompt.
still_there() {
	local n
	tui_until 2 _bare_prompt 0
	n=$(_prompt_count)
	tui_type 'say still-here'
	tui_key Enter
	if alive && tui_until 5 _bare_prompt "$n" && on_screen "still-here"; then
		ok "$1: nslab goes on"
	else
		_fail "$1: nslab goes on"
	fi
}
# ended DESC RC [terminal]: nslab ended with RC; no lab process; the host
# as it was; with "terminal", the terminal's settings as before.
ended() {
	local rc
	tui_until 10 test -e "$R/rc"
	rc=$(cat "$R/rc" 2>/dev/null)
	is "$1: nslab exits $2" "$2" "${rc:-(still running)}"
	no_lab_left "$1: no lab process is left"
	is "$1: the host is as it was" "$(cat "$W/snap.before")" "$(SNAP)"
	if [ "${3:-}" = terminal ]; then
		is "$1: the terminal's settings are as before (stty -g)" "$(cat "$R/stty.before")" "$(cat "$R/stty.after")"
	fi
	tui_stop
}
in_shell() { tui_cursor_line | grep -Eq -- "$SHELL_RE"; }
# shell_cmd TEXT: a command in the entered shell; wait for its prompt.
shell_cmd() {
	local n
	n=$(tui_history 500 | grep -Ec -- "$SHELL_RE")
	tui_type "$1"
	tui_key Enter
	# shellcheck disable=SC2016 # for eval to expand at each try
	tui_until 5 eval '[ "$(tui_history 500 | grep -Ec -- "$SHELL_RE")" -gt "$n" ]'
}
# job_in_front: this test's `sleep 30` runs and holds its terminal's
# foreground (its group is the terminal's), so a key's signal reaches it.
job_in_front() {
	local p f
	for p in $(pgrep -xf 'sleep 30'); do
		grep -qx "NSLAB_TEST_TAG=$TUI_TAG" < <(tr '\0' '\n' 2>/dev/null <"/proc/$p/environ") || continue
		read -ra f 2>/dev/null <"/proc/$p/stat" || continue
		# pid (comm) state ppid pgrp session tty_nr tpgid
		[ "${f[2]}" != T ] && [ "${f[4]}" = "${f[7]}" ] && return 0
	done
	return 1
}
# shell_job TEXT: a command in the entered shell that goes on running
# (`sleep 30`, or `fg` of it); wait until it has the terminal.
shell_job() {
	tui_type "$1"
	tui_key Enter
	tui_until 5 job_in_front
}
enter_shell() {
	tui_type enter
	tui_key Enter
	tui_wait "the shell in the lab starts" 5 in_shell
}

# ---- at the prompt: INT, QUIT, TSTP (keys and kill), CONT; then EOF
start
tui_type 'half a line'
tui_key C-c
still_there "prompt: Ctrl-C"
tui_key "C-\\"
still_there "prompt: Ctrl-\\"
tui_key C-z
still_there "prompt: Ctrl-Z"
for s in INT QUIT TSTP CONT; do
	kill -s "$s" "$PID"
	still_there "prompt: SIG$s"
done
tui_key C-d
ended "prompt: Ctrl-D (EOF)" 0 terminal

# ---- at the prompt: TERM; HUP by closing the terminal
start
kill -TERM "$PID"
ended "prompt: SIGTERM" 143 terminal
start
tmx kill-pane -t t
ended "prompt: the terminal closes (kill-pane)" 129
start
tmx kill-session -t t
ended "prompt: the terminal closes (kill-session)" 129

# ---- inside enter: the keys are the shell's; nslab ignores INT, QUIT,
# TSTP sent to it (they go on to the shell)
start
enter_shell
shell_job 'sleep 30'
tui_key C-c
tui_until 5 in_shell
check "enter: Ctrl-C ends the shell's job, the shell prompts again" in_shell
tui_key "C-\\"
shell_cmd 'echo after-quit-key'
check "enter: Ctrl-\\ leaves the shell there" on_screen after-quit-key
shell_job 'sleep 30'
tui_key C-z
tui_until 5 on_screen_re 'Stopped'
check "enter: Ctrl-Z stops the shell's job (job control)" on_screen_re 'Stopped'
# The stopped job ends in the foreground, where the shell waits for it:
# `kill %1` would leave its end to bash's SIGCHLD handler, and bash 5.2
# loses that end when a SIGINT (the next step) comes in the same moment
# (the job stays "stopped" in its table, and Ctrl-D then only says "There
# are stopped jobs."; plain bash in tmux does it too).
shell_job fg
tui_key C-c
tui_until 5 in_shell
check "enter: fg brings the job back, Ctrl-C ends it" in_shell
for s in INT QUIT TSTP CONT; do
	kill -s "$s" "$PID"
	shell_cmd "echo after-sig-$s"
	if alive && on_screen "after-sig-$s"; then ok "enter: SIG$s to nslab: the shell goes on"; else _fail "enter: SIG$s to nslab: the shell goes on"; fi
done
tui_key C-d
tui_wait "enter: Ctrl-D leaves the shell" 5 _bare_prompt 0
still_there "enter: Ctrl-D leaves the shell, not nslab"
tui_cmd quit
ended "enter, then quit" 0 terminal

start
enter_shell
kill -TERM "$PID"
ended "enter: SIGTERM" 143 terminal
start
enter_shell
shell_cmd 'stty raw -echo; sleep 60'
kill -TERM "$PID"
ended "enter: SIGTERM while the shell's program has the terminal raw" 143 terminal
start
enter_shell
tmx kill-pane -t t
ended "enter: the terminal closes (kill-pane)" 129
start
enter_shell
tmx kill-session -t t
ended "enter: the terminal closes (kill-session)" 129

done_testing
