#!/bin/sh
# Rootless nslab against unshare(1), side by side, with hyperfine:
#   nslab -c 'unshare uts ipc pid mnt; mount proc; run true'
#   unshare -r -uipmf --mount-proc true
# both as the same unprivileged user (the caller, or nobody when run as
# root). The figure (issue 4): nslab within 1.3x of unshare, by median.
#   bench/rootless.sh [NSLAB] [RUNS]
# Exits 1 when the ratio is above 1.3, 77 when it cannot measure.
set -eu

nslab=${1:-$(dirname "$0")/../src/nslab}
runs=${2:-300}
limit=1.3
case $nslab in /*) ;; *) nslab=$(pwd)/$nslab ;; esac

for tool in hyperfine unshare python3; do
	command -v "$tool" >/dev/null || { echo "rootless.sh: $tool is not installed" >&2; exit 77; }
done
[ -x "$nslab" ] || { echo "rootless.sh: no nslab at $nslab (build it first)" >&2; exit 77; }

as=""
if [ "$(id -u)" -eq 0 ]; then
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
dir=$(mktemp -d /tmp/nslab-bench-rootless.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"

# From a directory the user may enter: nslab goes back to it in the lab.
# Rounds that alternate the two, so that load from elsewhere on the machine
# falls on both alike.
cd "$dir"
rounds=5
per=$(( (runs + rounds - 1) / rounds ))
for r in $(seq "$rounds"); do
	touch "$dir/r$r.json"
	chmod 666 "$dir/r$r.json"
	$as hyperfine -N --style none --warmup 10 --runs "$per" --export-json "$dir/r$r.json" \
		-n nslab "$nslab -c 'unshare uts ipc pid mnt; mount proc; run true'" \
		-n unshare "unshare -r -uipmf --mount-proc true" >/dev/null
done

echo "as $($as id -un), $(uname -r), $(nproc) cpus: median and min wall time"
python3 - "$limit" "$dir"/r*.json <<'EOF'
import json, statistics, sys
limit = float(sys.argv[1])
res = {}
for f in sys.argv[2:]:
    for r in json.load(open(f))["results"]:
        res.setdefault(r["command"], []).extend(r["times"])
med = {k: statistics.median(v) * 1e3 for k, v in res.items()}
low = {k: min(v) * 1e3 for k, v in res.items()}
ratio = med["nslab"] / med["unshare"]
print(f"{len(res['nslab'])} runs each")
print(f"median: nslab {med['nslab']:.2f} ms, unshare {med['unshare']:.2f} ms, ratio {ratio:.2f} (limit {limit})")
print(f"min:    nslab {low['nslab']:.2f} ms, unshare {low['unshare']:.2f} ms, ratio {low['nslab'] / low['unshare']:.2f}")
sys.exit(0 if ratio <= limit else 1)
EOF
