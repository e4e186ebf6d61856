#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 3's figures: one panel refresh with 100, 1,000 and 10,000 lab
# processes; the REPL's idle CPU with the panel on over 30 s; keystroke to
# echo with the panel on and off. As root. Usage: bench/panel.sh [BUILDDIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
nslab=$build/src/nslab
tmp=$(mktemp -d /tmp/nslab-bench-panel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), kernel $(uname -r), load $(cut -d' ' -f1 /proc/loadavg)"

# ---- refresh time (a C program against the library: no terminal needed)
# As nslab is linked (static deps by default): the Makefile's own lists.
libs() { sed -n "s/^$1 = //p" "$build/Makefile"; }
# shellcheck disable=SC2046
cc -std=gnu11 -O2 -I"$build" -I"$top/src" -o "$tmp/refresh" "$top/bench/panel-refresh.c" \
	"$build/src/libnslab.a" $(libs DEPS_LIBS) $(libs MNL_LIBS) $(libs LIBINTL)
for n in 100 1000 10000; do
	iters=200
	[ "$n" -ge 10000 ] && iters=30
	"$tmp/refresh" "$n" "$iters"
done
echo "target: under 1 ms median at 100 processes"

# ---- idle CPU and keystroke echo (python3 drives nslab on a pty)
python3 - "$nslab" <<'PY'
import os, pty, sys, time, select, statistics
nslab = sys.argv[1]

def start(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(nslab, [nslab] + args)
    import fcntl, termios, struct
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd

def drain(fd, wait=0.3):
    out = b""
    end = time.time() + wait
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    # utime stime cutime cstime: the panel's gathering children count too
    return sum(int(x) for x in f[11:15]) / tck

def echo_latency(fd, n=200):
    lat = []
    for i in range(n):
        ch = b"abcdefghij"[i % 10:i % 10 + 1]
        t0 = time.perf_counter()
        os.write(fd, ch)
        got = b""
        while ch not in got:
            r, _, _ = select.select([fd], [], [], 1)
            if not r:
                break
            got += os.read(fd, 4096)
        lat.append((time.perf_counter() - t0) * 1e3)
        if i % 50 == 49:
            os.write(fd, b"\x15")  # clear the line
            drain(fd, 0.05)
    return statistics.median(lat), sorted(lat)[int(n * 0.99) - 1]

for label, args in (("panel on ", []), ("panel off", ["--no-panel"])):
    pid, fd = start(args)
    drain(fd, 0.5)
    os.write(fd, b"unshare uts ipc pid mnt\r")
    drain(fd, 0.5)
    c0, t0 = cpu(pid), time.time()
    if label.startswith("panel on"):
        time.sleep(30)
        c1, t1 = cpu(pid), time.time()
        print(f"idle CPU with the panel on, 30 s: {100 * (c1 - c0) / (t1 - t0):.2f}% of one core (target under 1%)")
    med, p99 = echo_latency(fd)
    print(f"keystroke to echo, {label}: median {med:.3f} ms, p99 {p99:.3f} ms")
    os.write(fd, b"\x15quit\r")
    drain(fd, 0.5)
    os.waitpid(pid, 0)
PY

# ---- the floor under the idle figure: a process that only wakes once a
# second (on a virtual machine each wake-up costs more than the work done)
cat >"$tmp/wake.c" <<'C'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/select.h>
int main(void)
{
	struct rusage r;
	for (int i = 0; i < 10; i++) {
		struct timeval tv = {.tv_sec = 1};
		select(0, NULL, NULL, NULL, &tv);
	}
	getrusage(RUSAGE_SELF, &r);
	printf("floor: a process that only wakes once a second, 10 s: %.2f%% of one core\n",
	       (r.ru_utime.tv_sec * 1e3 + r.ru_utime.tv_usec / 1e3 + r.ru_stime.tv_sec * 1e3 +
		r.ru_stime.tv_usec / 1e3) / 100);
	return 0;
}
C
cc -O2 -o "$tmp/wake" "$tmp/wake.c" && "$tmp/wake"
