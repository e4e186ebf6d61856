#!/bin/sh
# Figure for issue 5: `cgroup` (limits and live usage) for a lab of 1,000
# processes, under 2 ms median. Builds bench/cgroup-usage.c against the
# built src/libnslab.a and runs it as root.
# Usage: bench/cgroup.sh [BUILDDIR [PROCESSES [CALLS]]]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src}" && pwd)
procs=${2:-1000}
calls=${3:-1000}
if [ "$(id -u)" != 0 ]; then
	echo "bench/cgroup.sh: needs root (cgroup v1 has no delegation)" >&2
	exit 77
fi
libs() { sed -n "s/^$1 = //p" "$build/Makefile"; }
tmp=$(mktemp -d /tmp/nslab-bench-cgroup.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
${CC:-cc} -std=gnu11 -O2 -I"$build" -I"$src/src" $(libs JSONC_CFLAGS) -o "$tmp/cgroup-usage" \
	"$src/bench/cgroup-usage.c" "$build/src/libnslab.a" \
	$(libs DEPS_LIBS) $(libs MNL_LIBS) $(libs LIBINTL)
echo "nslab cgroup benchmark: $(nproc) CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/cgroup-usage" "$procs" "$calls"
