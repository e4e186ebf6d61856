#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# script.sh: script mode: FILE, -c and a non-terminal stdin; FILE:LINE
# errors, exit codes, -k, -x, quoting and comments, `! CMD`, quit N,
# --help and --version.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin
cd "$T" || bail "cannot cd to $T"
host_name=$(cat /proc/sys/kernel/hostname)

# ---- a script file that fails on line 4
s=$(nsl_script fails.nsl <<'S'
# a comment line
unshare uts pid mnt

bogus-command here
hostname
S
)
nslab_run "$s"
rc_is "a script with a failing command exits 1" 1
lines_is "one line on stderr" 1 "$ERR"
like "the error names FILE:LINE" "$ERR" "^${s//./\\.}:4: unknown command 'bogus-command'"
lacks "the script stops at the failing line" "$OUT" "$host_name"
no_lab_process_left "a script that stops leaves no lab process"

nslab_run -k "$s"
rc_is "-k goes on but still exits 1" 1
lines_is "-k: one line on stderr" 1 "$ERR"
is "-k runs the lines after the failure" "$host_name" "$(tail -n 1 <<<"$OUT")"
nslab_run --keep-going "$s"
rc_is "--keep-going is -k" 1

s2=$(nsl_script twofail.nsl <<'S'
nope-one
hostname
nope-two; hostname
S
)
nslab_run -k "$s2"
rc_is "-k with two failures exits 1" 1
like "-k reports line 1" "$ERR" "twofail\\.nsl:1: unknown command 'nope-one'"
like "-k reports line 3" "$ERR" "twofail\\.nsl:3: unknown command 'nope-two'"
is "-k runs the rest of a line after a failing command" "$host_name"$'\n'"$host_name" "$OUT"

# ---- a clean script
s3=$(nsl_script good.nsl <<'S'
unshare uts   # trailing comment
hostname "from a file"
hostname
S
)
nslab_run "$s3"
rc_is "a clean script exits 0" 0
is "a clean script says nothing on stderr" "" "$ERR"
is "the script's commands ran in order" "from a file" "$(tail -n 1 <<<"$OUT")"
printf 'unshare uts\r\nhostname crlf\r\nhostname\r\n' >"$T/crlf.nsl"
nslab_run "$T/crlf.nsl"
is "a script with CRLF line ends runs" "crlf" "$(tail -n 1 <<<"$OUT")"
printf 'unshare uts; hostname lastline; hostname' >"$T/nonl.nsl"
nslab_run "$T/nonl.nsl"
is "a last line without a newline runs" "lastline" "$(tail -n 1 <<<"$OUT")"
nslab_run "$T/no-such-script.nsl"
rc_is "a missing script file exits 2" 2
like "and names the file" "$ERR" 'no-such-script\.nsl'

# ---- -c with ; and newlines
nsl $'hostname; hostname\nhostname'
is "-c runs commands separated by ; and newlines" "$host_name"$'\n'"$host_name"$'\n'"$host_name" "$OUT"
nsl $'hostname\nbogus'
fails_cleanly "-c reports the failing line as -c:LINE" '^-c:2: unknown command'
nsl ''
rc_is "-c '' does nothing and exits 0" 0
is "-c '' prints nothing" "" "$OUT$ERR"
nsl ';;  ; '
rc_is "empty commands between ; are fine" 0

# ---- quotes and comments
nsl $'unshare uts; hostname \'a b\'; hostname # hostname c\n# hostname d\nhostname'
is "single quotes keep spaces; # starts a comment" $'a b\na b' "$(tail -n 2 <<<"$OUT")"
nsl 'unshare uts; hostname "x\"y;z"; hostname'
is "double quotes keep ; and take \\\" " 'x"y;z' "$(tail -n 1 <<<"$OUT")"
nsl 'unshare uts; hostname a#b; hostname'
is "# inside a word is not a comment" 'a#b' "$(tail -n 1 <<<"$OUT")"
nsl 'unshare uts; hostname a\ b; hostname'
is "a backslash escapes a space" 'a b' "$(tail -n 1 <<<"$OUT")"
nsl 'unshare uts; hostname x; hostname '\'''\''; echo @@h; hostname; echo @@end'
is "an empty quoted word is an argument" '' "$(part h)"
nsl "hostname 'unterminated"
fails_cleanly "an unterminated quote is an error" 'unterminated quote'
nsl "unshare uts; hostname ran; hostname 'x; hostname"
lacks "nothing of a line that does not parse runs" "$OUT" "ran"

# ---- commands from a non-terminal stdin
printf 'unshare uts\nhostname piped\nhostname\n' >"$T/stdin.nsl"
NSL_STDIN=$T/stdin.nsl nslab_run
rc_is "commands from a non-terminal stdin run" 0
is "stdin commands ran in order" "piped" "$(tail -n 1 <<<"$OUT")"
printf 'hostname\nbogus\nhostname\n' >"$T/stdin-bad.nsl"
NSL_STDIN=$T/stdin-bad.nsl nslab_run
fails_cleanly "a failing stdin command is reported as <stdin>:LINE" '^<stdin>:2: unknown command'
is "stdin stops at the failure too" "$host_name" "$OUT"
NSL_STDIN=$T/stdin-bad.nsl nslab_run -k
is "-k with stdin goes on" "$host_name"$'\n'"$host_name" "$OUT"
NSL_STDIN=/dev/null

# ---- -x
nsl $'hostname; unshare uts\nhostname' -x
rc_is "-x runs the commands" 0
is "-x echoes each line with the prompt before running it" \
	"nslab> hostname; unshare uts" "$(head -n 1 <<<"$OUT")"
like "-x shows the prompt with what is isolated" "$OUT" '^nslab\[uts\]> hostname$'
nsl 'hostname' --echo
is "--echo is -x" "nslab> hostname"$'\n'"$host_name" "$OUT"

# ---- ! CMD
nsl '! bogus; ! hostname x; hostname'
rc_is "! CMD with a failing command succeeds" 0
like "it says the command failed as expected" "$OUT" "^failed as expected: unknown command 'bogus'"
is "and the script goes on" "$host_name" "$(tail -n 1 <<<"$OUT")"
nsl '! hostname'
fails_cleanly "! CMD with a succeeding command fails" 'was expected to fail'
nsl '!'
fails_cleanly "! alone is an error" 'needs a command'

# ---- quit
nsl 'quit 7; hostname'
rc_is "quit 7 exits 7" 7
is "nothing after quit runs" "" "$OUT"
nsl 'exit 3'
rc_is "exit is quit" 3
nsl 'unshare uts pid mnt; quit'
rc_is "quit exits 0" 0
nsl 'quit 256'
fails_cleanly "quit 256 is refused" 'exit code'
nsl 'quit 1 2'
fails_cleanly "quit with two codes shows the usage" 'usage: quit'
no_lab_process_left "quit leaves no lab process"

# ---- usage errors exit 2
for args in "-z" "--no-such-option" "-c" "a b" "-c hostname file"; do
	# shellcheck disable=SC2086
	nslab_run $args
	rc_is "nslab $args is a usage error (exit 2)" 2
	like "nslab $args points to --help" "$ERR" "--help"
done

# ---- --help and --version
nslab_run --help
rc_is "--help exits 0" 0
like "--help shows the usage" "$OUT" '^Usage:'
like "--help lists -k" "$OUT" '--keep-going'
is "--help writes nothing on stderr" "" "$ERR"
nslab_run -h
rc_is "-h is --help" 0
nslab_run --version
rc_is "--version exits 0" 0
like "--version names nslab and its version" "$OUT" '^nslab [0-9]+\.[0-9]+'
like "--version mentions the GPL" "$OUT" 'GPL'
nslab_run -V
rc_is "-V is --version" 0
nsl 'help'
rc_is "help lists the commands" 0
for c in unshare share reset status hostname domainname mount umount mounts ipcmk ipcs ipcrm run host enter help quit; do
	like "help lists $c" "$OUT" "^  $c( |\$)"
done
nsl 'help mount'
like "help COMMAND shows its usage" "$OUT" '^usage: mount proc'

no_lab_process_left "no lab process left"
snapshot_check "host unchanged at the end"
done_testing
