#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/container.sh [NSLAB]: a lab from nothing to `run true` inside an
# overlay + pivot_root, against `crun run` of an equivalent OCI bundle (the
# same busybox root from tools/mkrootfs.sh, the same namespaces and mounts),
# side by side with hyperfine. Issue 5's figure: nslab within 1.5x of crun.
# With nslab's `cgroup` command (when built in) both also get memory and
# pids limits. Needs root, hyperfine, crun (or CRUN=runc) and jq.
#   RUNS=50 (per command)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
NSLAB=$(realpath "${1:-$here/../src/nslab}")
CRUN=${CRUN:-crun}
RUNS=${RUNS:-50}

die() { echo "container.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (crun and nslab both make namespaces as root here)"
for t in hyperfine "$CRUN" jq; do
	command -v "$t" >/dev/null || die "needs $t (apt-get install $t)"
done
[ -x "$NSLAB" ] || die "no nslab at $NSLAB"

T=$(mktemp -d /tmp/nslab-bench-container.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$here/../tools/mkrootfs.sh" "$T/root" >/dev/null

# bundle DIR RESOURCES: what `rootfs` does, said in OCI: the same five
# namespaces, a new /proc, a tmpfs /dev (the runtime adds the usual device
# nodes), devpts, /dev/shm and a read-only /sys.
bundle() {
	mkdir -p "$1"
	cat >"$1/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["true"],
              "env": ["PATH=/bin"], "cwd": "/"},
  "root": {"path": "$T/root", "readonly": false},
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}],
    "resources": $2
  }
}
EOF
}
bundle "$T/plain" '{}'
bundle "$T/limits" '{"memory": {"limit": 67108864}, "pids": {"limit": 64}}'

ns="unshare mnt pid net ipc uts"
set -- \
	-n "nslab overlay+pivot_root" "$NSLAB -c '$ns; overlay $T/root; rootfs; run true'" \
	-n "nslab pivot_root" "$NSLAB -c '$ns; rootfs $T/root; run true'" \
	-n "$CRUN run" "$CRUN run -b $T/plain nslab-bench-$$"
limits=no
if "$NSLAB" -c 'help cgroup' >/dev/null 2>&1; then
	limits=yes
	set -- "$@" \
		-n "nslab overlay+pivot_root+limits" "$NSLAB -c '$ns; cgroup memory 64M; cgroup pids 64; overlay $T/root; rootfs; run true'" \
		-n "$CRUN run +limits" "$CRUN run -b $T/limits nslab-bench-$$"
else
	echo "container.sh: this nslab has no \`cgroup\` command: measuring without memory and pids limits" >&2
fi

# crun 1.8 refuses a hybrid layout (v1 controllers beside a cgroup2 at
# /sys/fs/cgroup/unified): measure both in a private mount namespace
# without the unified mount. nslab does not care either way.
quote() { for a; do printf "'%s' " "$(printf %s "$a" | sed "s/'/'\\\\''/g")"; done; }
cmd="hyperfine -N --warmup 3 --runs $RUNS --export-json $T/res.json $(quote "$@")"
if [ -d /sys/fs/cgroup/memory ] && mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	unshare -m sh -c "umount /sys/fs/cgroup/unified && $cmd"
else
	sh -c "$cmd"
fi

ratio() {
	jq -r --arg a "$1" --arg b "$2" '
	  (.results[] | select(.command == $a) | .median) as $x |
	  (.results[] | select(.command == $b) | .median) as $y |
	  "\($a): median \($x * 1000 * 100 | round / 100) ms; \($b): \($y * 1000 * 100 | round / 100) ms; ratio \($x / $y * 100 | round / 100) (goal: at most 1.5)"' \
		"$T/res.json"
}
echo
ratio "nslab overlay+pivot_root" "$CRUN run"
[ "$limits" = no ] || ratio "nslab overlay+pivot_root+limits" "$CRUN run +limits"
