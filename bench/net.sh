#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/net.sh [NSLAB]: a pingable lab (issue 4's figure), side by side in
# one hyperfine run:
#   nslab  nslab -c 'unshare net; veth; host ping -c1 -W2 LAB'
#   ip     ip netns add, ip link add ... type veth peer ..., ip link set ...
#          netns, ip addr add (both ends), ip link set up (both ends and the
#          lab's lo), the same ping, then ip link del and ip netns del
# Each run makes a network namespace and a veth pair and removes them again
# (nslab on exit); the only traffic is one ping from the host into the
# namespace the run made. Needs root and hyperfine. Target: nslab within
# 1.3x of ip.
set -eu
NSLAB=${1:-$(dirname "$0")/../src/nslab}
RUNS=${RUNS:-40}

[ "$(id -u)" -eq 0 ] || { echo "bench/net.sh: needs root (a veth end on the host)" >&2; exit 77; }
command -v hyperfine >/dev/null || { echo "bench/net.sh: needs hyperfine" >&2; exit 77; }
command -v ping >/dev/null || { echo "bench/net.sh: needs ping (iputils-ping)" >&2; exit 77; }
if ip -o addr | grep -q ' 10\.77\.1\.'; then
	echo "bench/net.sh: the host uses 10.77.1.0/24, the subnet both sides take" >&2
	exit 1
fi

ns=nslab-bench-$$
hostend=nslb$$h
labend=nslb$$l
tmp=$(mktemp -d /tmp/nslab-bench-net.XXXXXX)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$hostend" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

cat >"$tmp/ip.sh" <<EOF
set -e
ip netns add $ns
ip link add $hostend type veth peer name $labend
ip link set $labend netns $ns
ip -n $ns addr add 10.77.1.2/24 dev $labend
ip addr add 10.77.1.1/24 dev $hostend
ip -n $ns link set $labend up
ip -n $ns link set lo up
ip link set $hostend up
ping -c1 -W2 10.77.1.2 >/dev/null
ip link del $hostend
ip netns del $ns
EOF

nslab_cmd="$NSLAB -c 'unshare net; veth; host ping -c1 -W2 10.77.1.2' >/dev/null"
before=$(ip -o link; ip -o addr; ip route)

hyperfine --warmup 3 --runs "$RUNS" --export-csv "$tmp/result.csv" \
	-n nslab "$nslab_cmd" -n ip "sh $tmp/ip.sh"

after=$(ip -o link; ip -o addr; ip route)
[ "$before" = "$after" ] || { echo "bench/net.sh: the host changed!" >&2; exit 1; }
# Medians, because a ping whose first ARP the kernel drops (a device not yet
# activated by the link watcher) waits a second: nslab waits for operstate
# UP before it returns, the ip(8) sequence does not, and so shows outliers.
awk -F, 'NR > 1 { mean[$1] = $2; med[$1] = $4; min[$1] = $7 }
	END { r = med["nslab"] / med["ip"];
	      for (c in mean)
		      printf "%-5s mean %7.2f ms  median %7.2f ms  min %7.2f ms\n", c, mean[c] * 1000, med[c] * 1000, min[c] * 1000;
	      printf "nslab/ip (medians) = %.2f, target <= 1.3: %s\n", r, r <= 1.3 ? "ok" : "MISSED" }' "$tmp/result.csv"
