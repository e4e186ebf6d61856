#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen.py [-c COMMANDS] SEED: print a random nslab script, the same for the same SEED.
gen.py [-c COMMANDS] -o DIR SEED...: write each to DIR/SEED.nsl (one start for many).

A script is 1 to 50 commands drawn from the whole command language, valid
and invalid: commands with good arguments, with bad ones, unknown
commands, abbreviations, quoting, `!`, several commands on a line, and
lines of random bytes. tests/integration/random.sh runs them with
--keep-going and checks that the host is unchanged afterwards.

The command language is the table GRAMMAR below: one entry per command,
its valid forms and its invalid ones. A feature that brings commands
(veth, overlay, rootfs, time...) adds an entry. COMMANDS (the names
`nslab -c help` lists, separated by blanks or commas) keeps the entries of
the commands this nslab has; one it has and GRAMMAR lacks is still drawn,
with random words for arguments. The same seed gives the same script for
the same COMMANDS.

Programs run by the scripts (run, host, enter, compare, expect) come from
a short list that reads and never writes, because a lab that isolates
nothing is the host: random.sh also runs nslab with PATH holding only
those programs.
"""

import random
import sys

NS = ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time"]
NS_BAD = ["all", "UTS", "pidd", "", "mount", "network", "0", "-1", "uts,ipc", "ns"]
LABS = ["lab1", "two", "b", "x-1", "y_2"]
LABS_BAD = ["1abc", "", "-x", "a" * 16, "a/b", "é", "a b", "..", "lab\x01"]
DIRS = ["/mnt", "/tmp", "/srv", "/opt", "/media", "/var/tmp", "/nslab-missing"]
DIRS_BAD = ["relative", "", "/proc/self", "/dev/null", "/etc/passwd", "/nonexistent/deeper", "../..", "/" + "x" * 5000]
SIZES = ["64M", "1G", "512K", "4096", "max", "1", "100M", "2g"]
SIZES_BAD = ["-1", "0x10", "lots", "1Z", "", "99999999999999999999", "1.5.5", "M"]
SAFE_PROGS = [
    ["true"], ["false"], ["echo", "hello"], ["uname", "-n"], ["id"], ["cat", "/proc/self/status"],
    ["cat", "/proc/self/mountinfo"], ["ls", "/"], ["sleep", "0.01"], ["ps", "-e"], ["env"],
    ["sh", "-c", "exit 3"], ["sh", "-c", "kill -9 $$"], ["sh", "-c", "sleep 2 &"],
    ["sh", "-c", "echo $$; cat /proc/self/cgroup"], ["sh", "-c", "ls /proc | wc -l"],
    ["sh", "-c", "exec 3>&-; ls /proc/self/fd"], ["grep", "-c", "", "/proc/self/mountinfo"],
    ["nslab-no-such-program"], ["/etc/passwd"], ["/nonexistent/prog"], ["sh", "-c", "exit 0"],
]
HOST_PROGS = [["true"], ["false"], ["uname", "-n"], ["id"], ["echo", "host"], ["cat", "/proc/self/mountinfo"]]
TOPICS = ["uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time", "cgroups", "overlay",
          "pivot_root", "veth", "maps", "init", "propagation"]
WORDS = ["a", "lab", "hello world", "'quoted'", '"dq"', "\\;", ";", "#", "!", "$HOME", "*", "-", "--", "\t"]


def q(word):
    """Quote a word for nslab's parser when it needs it."""
    if word and all(c.isalnum() or c in "-_./=:,+@%" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'" if "\\" not in word else '"' + word.replace('"', '\\"') + '"'


def prog(r, progs=SAFE_PROGS):
    return " ".join(q(w) for w in r.choice(progs))


def ns_list(r, good=True):
    k = r.randint(1, 4)
    names = r.sample(NS, k) if good else [r.choice(NS_BAD + NS) for _ in range(k)]
    if good and r.random() < 0.1:
        return "all"
    return " ".join(q(n) for n in names)


def num(r):
    return str(r.choice([0, 1, 2, 5, 10, 100, 1000, 65535, 65536, 4294967295, -1, 2**40]))


def idmap(r, good=True):
    if not good:
        return " ".join(q(r.choice(["0", "x", "-1", "1 2", "", "4294967296", "0 0"])) for _ in range(r.randint(1, 4)))
    lines = []
    for _ in range(r.randint(1, 3)):
        lines += [str(r.choice([0, 1, 1000])), str(r.choice([0, 100000, 1000, 65534])), str(r.choice([1, 10, 65536]))]
    return " ".join(lines)


# GRAMMAR: (feature, command, valid forms, invalid forms); a form is a
# function of the random generator that returns the arguments (quoted).
GRAMMAR = [
    ("core", "unshare", [lambda r: ns_list(r)], [lambda r: ns_list(r, False), lambda r: ""]),
    ("core", "share", [lambda r: ns_list(r)], [lambda r: ns_list(r, False), lambda r: ""]),
    ("core", "reset", [lambda r: ""], [lambda r: "now"]),
    ("core", "status", [lambda r: "", lambda r: "--json"], [lambda r: "--yaml", lambda r: "a b"]),
    ("core", "lab", [lambda r: "new " + r.choice(LABS), lambda r: "use " + r.choice(LABS), lambda r: "list",
                     lambda r: "del " + r.choice(LABS), lambda r: ""],
     [lambda r: "new " + q(r.choice(LABS_BAD)), lambda r: "frob x", lambda r: "new", lambda r: "use a b"]),
    ("core", "hostname", [lambda r: "", lambda r: r.choice(["lab", "a.b", "x" * 64, "n" + str(r.randint(0, 99))])],
     [lambda r: q(r.choice(["", "x" * 65, "a b", "-x", "\x01"])), lambda r: "a b"]),
    ("core", "domainname", [lambda r: "", lambda r: r.choice(["example.org", "d"])], [lambda r: q("x" * 65)]),
    ("core", "mount", [lambda r: "proc", lambda r: "proc " + r.choice(DIRS), lambda r: "tmpfs " + r.choice(DIRS),
                       lambda r: "bind " + r.choice(DIRS) + " " + r.choice(DIRS)],
     [lambda r: "", lambda r: "ext4 /mnt", lambda r: "tmpfs " + q(r.choice(DIRS_BAD)),
      lambda r: "bind " + q(r.choice(DIRS_BAD)) + " " + q(r.choice(DIRS_BAD)), lambda r: "proc a b c"]),
    ("core", "umount", [lambda r: r.choice(DIRS + ["/proc"])], [lambda r: q(r.choice(DIRS_BAD)), lambda r: "a b"]),
    ("core", "mounts", [lambda r: ""], [lambda r: "all"]),
    ("core", "ipcmk", [lambda r: "-Q", lambda r: "-M " + r.choice(["4096", "1K", "1M"]), lambda r: "-S " + str(r.randint(1, 8)),
                       lambda r: "-Q -p " + r.choice(["600", "0644", "0"])],
     [lambda r: "", lambda r: "-X", lambda r: "-M " + q(r.choice(SIZES_BAD)), lambda r: "-S " + q(r.choice(["0", "-1", "x"])),
      lambda r: "-Q -p " + q(r.choice(["8", "01777", "-1", ""]))]),
    ("core", "ipcs", [lambda r: "", lambda r: r.choice(["-q", "-m", "-s", "-a", "-q -m"])], [lambda r: "-z"]),
    ("core", "ipcrm", [lambda r: "-a", lambda r: r.choice(["-q", "-m", "-s"]) + " " + str(r.randint(0, 5))],
     [lambda r: "-q", lambda r: "-q x", lambda r: "-z 1", lambda r: "-q " + num(r)]),
    ("core", "run", [lambda r: prog(r)], [lambda r: ""]),
    ("core", "host", [lambda r: prog(r, HOST_PROGS)], [lambda r: ""]),
    ("core", "enter", [lambda r: "", lambda r: prog(r)], []),
    ("core", "compare", [lambda r: prog(r, HOST_PROGS)], [lambda r: ""]),
    ("core", "pid", [lambda r: "", lambda r: "list", lambda r: "kill-init"], [lambda r: "frob", lambda r: "list x"]),
    ("core", "explain", [lambda r: "", lambda r: r.choice(TOPICS)], [lambda r: "nothing", lambda r: "a b"]),
    ("core", "lesson", [], [lambda r: "999", lambda r: "no-such-lesson", lambda r: "a b"]),
    ("core", "say", [lambda r: " ".join(q(r.choice(WORDS)) for _ in range(r.randint(0, 4)))], []),
    ("core", "pause", [lambda r: "", lambda r: "'press Enter'"], [lambda r: "a b"]),
    ("core", "expect", [lambda r: "isolated " + ns_list(r), lambda r: "shared " + ns_list(r),
                        lambda r: "'uname -n' " + r.choice(["contains", "lacks", "equals", "matches"]) + " " + q(r.choice(["lab", "^x", ""]))],
     [lambda r: "", lambda r: "isolated", lambda r: "'id' frob x", lambda r: "'a' 'b' contains x"]),
    ("user", "uidmap", [lambda r: "", lambda r: idmap(r), lambda r: "clear"], [lambda r: idmap(r, False)]),
    ("user", "gidmap", [lambda r: "", lambda r: idmap(r), lambda r: "clear"], [lambda r: idmap(r, False)]),
    ("user", "setgroups", [lambda r: "", lambda r: r.choice(["allow", "deny"])], [lambda r: "maybe"]),
    ("user", "id", [lambda r: ""], [lambda r: "-u"]),
    ("cgroup", "cgroup", [lambda r: "", lambda r: "memory " + r.choice(SIZES), lambda r: "pids " + r.choice(["1", "5", "50", "max"]),
                          lambda r: "cpu " + r.choice(["1", "50", "100", "200", "max"])],
     [lambda r: "memory", lambda r: "memory " + q(r.choice(SIZES_BAD)), lambda r: "pids " + q(r.choice(["0", "-1", "x", ""])),
      lambda r: "cpu " + q(r.choice(["0", "-5", "1e9", "%"])), lambda r: "swap 1M"]),
    ("core", "panel", [lambda r: "", lambda r: r.choice(["on", "off", "top", "bottom"])], [lambda r: "left"]),
    ("core", "help", [lambda r: "", lambda r: r.choice([g[1] for g in GRAMMAR])], [lambda r: "no-such-command"]),
    ("core", "quit", [lambda r: "", lambda r: str(r.randint(0, 3))], [lambda r: "x", lambda r: "1 2"]),
]


def garbage(r):
    """A line of random bytes (no NUL, no newline: one line)."""
    n = r.randint(1, 60)
    if r.random() < 0.5:
        return bytes(r.randint(32, 126) for _ in range(n))
    return bytes(r.choice([c for c in range(1, 256) if c != 10]) for _ in range(n))


def unknown(r):
    word = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(1, 8)))
    return "zz" + word + ("" if r.random() < 0.5 else " " + q(r.choice(WORDS)))


def command(r, entries):
    feature, name, good, bad = r.choice(entries)
    if r.random() < 0.1 and len(name) > 3:
        name = name[: r.randint(2, len(name) - 1)]  # an abbreviation, maybe ambiguous
    if quits(name) and r.random() < 0.9:  # the end of a script, now and then
        return command(r, entries)
    if not good and not bad:  # a command GRAMMAR does not know yet
        return (name + " " + " ".join(q(r.choice(WORDS)) for _ in range(r.randint(0, 3)))).rstrip()
    forms = good if (r.random() < 0.75 or not bad) and good else bad
    args = r.choice(forms)(r) if forms else ""
    line = (name + " " + args).rstrip()
    if r.random() < 0.05:
        line = "! " + line
    return line


def quits(name):
    return name in ("quit", "qui", "qu") or name == "exit"


def script(seed, commands):
    r = random.Random(seed)
    entries = [g for g in GRAMMAR if commands is None or g[1] in commands]
    known = {g[1] for g in GRAMMAR}
    entries += [("auto", c, [], []) for c in sorted(commands or []) if c not in known]
    n = r.randint(1, 50)
    lines, done = [], 0
    while done < n:
        x = r.random()
        if x < 0.08:
            lines.append(garbage(r))
            done += 1
        elif x < 0.13:
            lines.append(unknown(r).encode())
            done += 1
        elif x < 0.25:
            k = min(r.randint(2, 4), n - done)
            lines.append("; ".join(command(r, entries) for _ in range(k)).encode())
            done += k
        elif x < 0.27:
            lines.append(b"# a comment; unshare all")
        else:
            lines.append(command(r, entries).encode())
            done += 1
    return b"\n".join(lines) + b"\n"


def main():
    args, commands, out = sys.argv[1:], None, None
    while args and args[0] in ("-c", "-o") and len(args) > 1:
        if args[0] == "-c":
            commands = set(args[1].replace(",", " ").split())
        else:
            out = args[1]
        args = args[2:]
    if not args or not all(a.isdigit() for a in args) or (out is None and len(args) != 1):
        sys.stderr.write("usage: gen.py [-c COMMANDS] SEED | gen.py [-c COMMANDS] -o DIR SEED...\n")
        return 2
    for seed in args:
        text = script(int(seed), commands)
        if out is None:
            sys.stdout.buffer.write(text)
        else:
            with open(f"{out}/{seed}.nsl", "wb") as f:
                f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
