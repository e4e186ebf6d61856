#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# export.sh: every form `export` writes reproduces the lab when it is run:
# the unshare(1) line (as root, and rootless as nobody), the shell script,
# the C program built with cc -Wall -Werror, the OCI bundle under crun and
# runc. A probe run as the program reports from inside: hostname, domain
# name, each namespace (compared with the host's), the maps, /proc, the
# cgroup limits, the mounts. Labs with clock offsets (the probe's clocks
# shifted), with a root of tools/mkrootfs.sh made theirs by rootfs or chroot
# (`ls /` in it), with an overlay root (left out, and said so), with a veth
# pair (the script makes it again; one ping across it, in a network
# namespace of the test's own). Bad input fails cleanly; the host is left as
# it was (no cgroup, container state, temp directory, link or process).
set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
: "${NSLAB:=$here/../../src/nslab}"
NSLAB_TEST_TAG="nslabtest.export.$$"
export NSLAB NSLAB_TEST_TAG

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -z "${2-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'
}
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected [$2], got [$3]"; fi; }
isnt() { if [ "$2" != "$3" ]; then ok "$1"; else not_ok "$1" "got [$3], wanted anything else"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP runs as root (and as nobody inside)"
	exit 0
fi
# The tests' lock (tests/lib.sh): held alone, since the cgroups, containers
# and temp dirs made here would show in other tests' host snapshots.
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -x 8

T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-export-test.XXXXXX") || exit 1
chmod 755 "$T"
CID=nslab-export-test-$$
# The host as the lab must leave it, and what the exports make: cgroups
# nslab-export.PID, containers $CID-*, temp dirs nslab-export.*. Other
# test suites' nslab-* temp dirs come and go meanwhile: not ours to watch.
snapshot() {
	"$here/../host-snapshot.sh" | grep -Ev '^/(tmp|var/tmp)/nslab'
	find /sys/fs/cgroup -name 'nslab-export.*' 2>/dev/null
	ls -d /run/crun/*"$CID"* /run/runc/*"$CID"* 2>/dev/null
	ls -d "${TMPDIR:-/tmp}"/nslab-export.* 2>/dev/null
}
cleanup() {
	runc delete -f "$CID-runc" >/dev/null 2>&1
	crun delete -f "$CID-crun" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
snapshot >"$T/before"
# Every process started from here on carries this; none may outlive the test.
export NSLAB_EXPORT_RUN=$CID

mkdir -p "$T/share" "$T/mnt" "$T/tm" "$T/other"
cat >"$T/share/probe" <<'EOF'
#!/bin/sh
# What a process sees from inside, a fact a line; "$@": directories whose
# filesystem type to report.
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "domainname=$(cat /proc/sys/kernel/domainname)"
for t in user mnt uts ipc net pid cgroup time; do
	echo "ns.$t=$(readlink /proc/self/ns/$t)"
done
map() { awk '{ printf "%s%s %s %s", (NR > 1 ? "," : ""), $1, $2, $3 }' "$1"; }
echo "uid_map=$(map /proc/self/uid_map)"
echo "gid_map=$(map /proc/self/gid_map)"
echo "uid=$(id -u)"
if [ "$(readlink /proc/1/ns/pid 2>/dev/null)" = "$(readlink /proc/self/ns/pid)" ]; then
	echo "proc=own"
else
	echo "proc=other"
fi
cg_path() {
	while IFS=: read -r _ c p; do
		case ",$c," in *",$1,"*) echo "$p"; return ;; esac
	done </proc/self/cgroup
}
# Beside the host's view of the hierarchy (our cgroup's path in it), a
# container's own mount of it (its cgroup at the top).
limit() {
	p=$(cg_path "$1")
	for f in "/sys/fs/cgroup/$1$p/$2" "/sys/fs/cgroup/$1/$2"; do
		if [ -r "$f" ]; then cat "$f"; return; fi
	done
	echo none
}
echo "memory=$(limit memory memory.limit_in_bytes)"
echo "pids=$(limit pids pids.max)"
echo "cpu=$(limit cpu cpu.cfs_quota_us)/$(limit cpu cpu.cfs_period_us)"
for d in "$@"; do
	echo "mount:$d=$(awk -v d="$d" '$5 == d { for (i = 7; $i != "-"; i++) ; t = $(i + 1) } END { print t }' /proc/self/mountinfo)"
done
EOF
chmod 755 "$T/share/probe"
PROBE=$T/mnt/probe # through the lab's bind mount of $T/share

host_ns() { readlink "/proc/self/ns/$1"; }
host_name=$(cat /proc/sys/kernel/hostname)
host_domain=$(cat /proc/sys/kernel/domainname)
val() { # val KEY TEXT: the value of the first KEY=... line
	local l
	while IFS= read -r l; do
		if [[ $l == "$1="* ]]; then
			printf '%s\n' "${l#"$1="}"
			return
		fi
	done <<<"$2"
}

# nsl [AS] SCRIPT: nslab -c SCRIPT (as nobody with AS=nobody); OUT, ERR, RC.
nsl() {
	local as=()
	[ "${AS:-}" = nobody ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	OUT=$("${as[@]}" "$NSLAB" -c "$1" 2>"$T/err" </dev/null)
	RC=$?
	ERR=$(cat "$T/err")
}

# check FORM LAB-OUTPUT ISOLATED(t...) : what the probe saw against the lab.
# Expectations come in globals: E_HOST E_DOMAIN ("-": not checked) E_UIDMAP
# E_PROC E_MEM E_PIDS E_CPU E_MOUNTS ("dir=type ...").
check() {
	local form=$1 out=$2 iso=" $3 " t
	if [ -z "$(val hostname "$out")" ]; then
		not_ok "$form: the probe ran" "$out"
		return
	fi
	is "$form: hostname" "$E_HOST" "$(val hostname "$out")"
	[ "$E_DOMAIN" = - ] || is "$form: domain name" "$E_DOMAIN" "$(val domainname "$out")"
	local same="" differ=""
	for t in user mnt uts ipc net pid cgroup time; do
		if [[ $iso == *" $t "* ]]; then
			[ "$(val "ns.$t" "$out")" != "$(host_ns $t)" ] || differ="$differ $t"
		else
			[ "$(val "ns.$t" "$out")" = "$(host_ns $t)" ] || same="$same $t"
		fi
	done
	is "$form: isolated namespaces differ from the host's, the others are the host's" "" "$differ$same"
	is "$form: uid_map" "$E_UIDMAP" "$(val uid_map "$out")"
	[ -z "${E_PROC:-}" ] || is "$form: /proc shows the lab's PID namespace" "$E_PROC" "$(val proc "$out")"
	if [ -n "${E_MEM:-}" ]; then
		is "$form: cgroup limits (memory, pids, cpu)" "$E_MEM $E_PIDS $E_CPU" \
			"$(val memory "$out") $(val pids "$out") $(val cpu "$out")"
	fi
	for m in ${E_MOUNTS:-}; do
		is "$form: ${m%%=*} is a ${m#*=} mount" "${m#*=}" "$(val "mount:${m%%=*}" "$out")"
	done
}

run_oci() { # run_oci RUNTIME BUNDLE: the bundle's output
	if [ "$1" = crun ]; then
		# crun 1.8 refuses the hybrid cgroup layout while it sees the v2
		# hierarchy at /sys/fs/cgroup/unified: hide it, privately.
		# shellcheck disable=SC2016 # "$1" and "$2" are the inner sh's
		timeout 60 unshare -m sh -c 'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
			exec crun run -b "$1" "$2"' sh "$2" "$CID-crun" </dev/null 2>&1
	else
		timeout 60 runc run -b "$2" "$CID-runc" </dev/null 2>&1
	fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# ============ lab A: root, every kind but user, time and cgroup; names
# with quotes, spaces, backslashes and an escape byte; proc, tmpfs, bind;
# three limits
esc=$'\033'
weird="we'ird \"h\\ost\\\" x${esc}[1m!"
nsl "unshare uts ipc mnt pid net; hostname 'we'\\''ird \"h\\ost\\\" x${esc}[1m!'; domainname 'lab \"d\\om'
mount proc; mount tmpfs $T/tm; mount bind $T/share $T/mnt; mount tmpfs $T/other; umount $T/other
cgroup memory 64M; cgroup pids 50; cgroup cpu 50
export sh $T/a.sh; export c $T/a.c; export oci $T/a.oci $PROBE $T/tm; export unshare $PROBE $T/tm"
is "lab A: the lab and its exports are made" 0 "$RC"
[ "$RC" = 0 ] || diag "$ERR"
line=$(tail -n 1 <<<"$OUT")
E_HOST=$weird E_DOMAIN='lab "d\om' E_UIDMAP="0 0 4294967295" E_PROC=own
E_MEM=67108864 E_PIDS=50 E_CPU=50000/100000 E_MOUNTS="$T/tm=tmpfs"
isoA="mnt uts ipc net pid"
case $line in
unshare\ *) ok "export unshare: the command line is the last line" ;;
*) not_ok "export unshare: the command line is the last line" "$OUT" ;;
esac
if grep -q '^# not in this line: the lab'"'"'s cgroup limits' <<<"$OUT"; then
	ok "export unshare: a note says the limits are not in the line"
else
	not_ok "export unshare: a note says the limits are not in the line" "$OUT"
fi
if printf '%s' "$OUT" | cat - "$T/a.sh" "$T/a.c" "$T/a.oci/config.json" | grep -q "$esc"; then
	not_ok "the exported text holds no raw escape byte (the name's comes from printf, \\033, \\u001b)"
else
	ok "the exported text holds no raw escape byte (the name's comes from printf, \\033, \\u001b)"
fi
if grep -q "$T/other" "$T/a.sh"; then not_ok "a mount the lab unmounted is left out"; else ok "a mount the lab unmounted is left out"; fi

out=$(sh -c "$line" 2>&1)
E_MEM='' check "unshare line" "$out" "$isoA"
out=$(sh "$T/a.sh" "$PROBE" "$T/tm" 2>&1)
check "sh script" "$out" "$isoA"
if cc -Wall -Werror -o "$T/a" "$T/a.c" 2>"$T/cc.err"; then
	ok "C program: cc -Wall -Werror compiles it"
	out=$("$T/a" "$PROBE" "$T/tm" 2>&1)
	check "C program" "$out" "$isoA"
else
	not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
fi
if have crun; then
	check "OCI bundle, crun" "$(run_oci crun "$T/a.oci")" "$isoA"
else
	skip "OCI bundle, crun" "crun is not installed"
fi
if have runc; then
	# runc 1.1 leaves the domain name alone (crun sets it).
	E_DOMAIN=- check "OCI bundle, runc" "$(run_oci runc "$T/a.oci")" "$isoA"
else
	skip "OCI bundle, runc" "runc is not installed"
fi

# ============ lab B: root, a user namespace with a range of ids, uts, mnt,
# pid and cgroup namespaces
nsl "uidmap 0 100000 65536; gidmap 0 100000 65536; unshare user uts mnt pid cgroup
hostname lab-b; mount proc; mount bind $T/share $T/mnt
export sh $T/b.sh; export c $T/b.c; export oci $T/b.oci $PROBE; export unshare $PROBE"
is "lab B: the lab and its exports are made" 0 "$RC"
E_HOST=lab-b E_DOMAIN=$host_domain E_UIDMAP="0 100000 65536" E_PROC=own E_MEM='' E_MOUNTS=''
isoB="user mnt uts pid cgroup"
line=$(tail -n 1 <<<"$OUT")
case $line in
"unshare --user --map-users=100000,0,65536 --map-groups=100000,0,65536 --setuid=0 --setgid=0 "*)
	ok "export unshare: a range of ids becomes --map-users and --map-groups" ;;
*) not_ok "export unshare: a range of ids becomes --map-users and --map-groups" "$line" ;;
esac
if have newuidmap && grep -q '^root:' /etc/subuid 2>/dev/null; then
	check "unshare line (newuidmap)" "$(sh -c "$line" 2>&1)" "$isoB"
else
	skip "unshare line with a range of ids" "it needs newuidmap(1) and root's ranges in /etc/subuid"
fi
check "sh script" "$(sh "$T/b.sh" "$PROBE" 2>&1)" "$isoB"
if cc -Wall -Werror -o "$T/b" "$T/b.c" 2>"$T/cc.err"; then
	check "C program" "$("$T/b" "$PROBE" 2>&1)" "$isoB"
else
	not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
fi
have crun && check "OCI bundle, crun" "$(run_oci crun "$T/b.oci")" "$isoB"
have runc && check "OCI bundle, runc" "$(run_oci runc "$T/b.oci")" "$isoB"

# ============ lab C: root, the default map (root is root), ipc and time
nsl "unshare user ipc time; ipcmk -Q; export sh $T/c.sh; export c $T/c.c; export oci $T/c.oci $PROBE; export unshare $PROBE"
is "lab C: the lab and its exports are made" 0 "$RC"
notes=$(grep -h 'System V IPC' "$T/c.sh" "$T/c.c"; grep -c '^# not reproduced: the lab.s System V IPC objects' <<<"$OUT")
is "every form says the lab's IPC objects are not reproduced" \
	"# Not reproduced: the lab's 1 System V IPC object(s); ipcmk(1) makes new ones.
 * Not reproduced: the lab's 1 System V IPC object(s).
1" "$notes"
E_HOST=$host_name E_UIDMAP="0 0 1" E_PROC='' E_MOUNTS=''
isoC="user ipc time"
line=$(tail -n 1 <<<"$OUT")
is "export unshare: the default map is --map-root-user" "unshare --map-root-user --ipc --time --fork $PROBE" "$line"
# The probe through the host's view of $T/share: this lab binds nothing.
PROBE_C=$T/share/probe
check "unshare line" "$(sh -c "${line% *} $PROBE_C" 2>&1)" "$isoC"
check "sh script" "$(sh "$T/c.sh" "$PROBE_C" 2>&1)" "$isoC"
if cc -Wall -Werror -o "$T/c" "$T/c.c" 2>"$T/cc.err"; then
	check "C program" "$("$T/c" "$PROBE_C" 2>&1)" "$isoC"
else
	not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
fi
if have crun; then
	# The bundle's root is busybox: give it the probe.
	cp "$T/share/probe" "$T/c.oci/rootfs/probe"
	sed -i "s|\"$PROBE\"|\"/probe\"|" "$T/c.oci/config.json"
	check "OCI bundle, crun (a mount namespace too: the root needs it)" "$(run_oci crun "$T/c.oci")" "$isoC mnt"
fi

# ============ lab R: rootless, as nobody: uts, pid, mnt in a user namespace
mkdir -m 777 "$T/nobody"
AS=nobody nsl "unshare uts pid mnt; hostname lab-r; mount proc; mount tmpfs $T/tm
export sh $T/nobody/r.sh; export c $T/nobody/r.c; export unshare $PROBE_C $T/tm"
is "lab R (as nobody): the lab and its exports are made" 0 "$RC"
[ "$RC" = 0 ] || diag "$ERR"
nobody=$(id -u nobody)
E_HOST=lab-r E_DOMAIN=$host_domain E_UIDMAP="0 $nobody 1" E_PROC=own E_MOUNTS="$T/tm=tmpfs"
isoR="user mnt uts pid"
line=$(tail -n 1 <<<"$OUT")
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
check "unshare line, as nobody" "$("${as_nobody[@]}" sh -c "$line" 2>&1)" "$isoR"
check "sh script, as nobody" "$("${as_nobody[@]}" sh "$T/nobody/r.sh" "$PROBE_C" "$T/tm" 2>&1)" "$isoR"
if cc -Wall -Werror -o "$T/r" "$T/nobody/r.c" 2>"$T/cc.err"; then
	check "C program, as nobody" "$("${as_nobody[@]}" "$T/r" "$PROBE_C" "$T/tm" 2>&1)" "$isoR"
else
	not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
fi

# ============ lab T: clock offsets (root, and as nobody). A static probe
# reads CLOCK_MONOTONIC, CLOCK_BOOTTIME and /proc/uptime (boottime too),
# here and then in each form: the differences are the offsets.
cat >"$T/clk.c" <<'EOF'
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec m, b;
	double up = -1;
	FILE *f = fopen("/proc/uptime", "r");

	if (!f || fscanf(f, "%lf", &up) != 1)
		up = -1;
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	printf("monotonic=%lld\nboottime=%lld\nuptime=%lld\n", (long long)m.tv_sec, (long long)b.tv_sec, (long long)up);
	return 0;
}
EOF
CLK=$T/share/clk
# offsets FORM OUTPUT: the probe's clocks against the host's, read just before.
offsets() {
	local host=$HOST_CLK k d bad=
	if [ -z "$(val monotonic "$2")" ]; then
		not_ok "$1: the clock probe ran" "$2"
		return
	fi
	for k in monotonic:3600 boottime:172800 uptime:172800; do
		d=$(($(val "${k%%:*}" "$2") - $(val "${k%%:*}" "$host")))
		[ "$d" -ge $((${k#*:} - 2)) ] && [ "$d" -le $((${k#*:} + 30)) ] || bad="$bad ${k%%:*}:+$d"
	done
	is "$1: monotonic +1h, boottime and /proc/uptime +2d" "" "$bad"
}
if cc -static -O2 -o "$CLK" "$T/clk.c" 2>"$T/cc.err"; then
	nsl "clock monotonic 1h; clock boottime 2d; unshare time
export sh $T/t.sh; export c $T/t.c; export oci $T/t.oci /clk; export unshare $CLK"
	is "lab T: the lab and its exports are made" 0 "$RC"
	[ "$RC" = 0 ] || diag "$ERR"
	line=$(tail -n 1 <<<"$OUT")
	is "export unshare: --monotonic and --boottime" "unshare --time --fork --monotonic=3600 --boottime=172800 $CLK" "$line"
	if grep -qF -- '--monotonic=3600 --boottime=172800 -- sh -c' "$T/t.sh"; then
		ok "export sh: unshare --monotonic --boottime"
	else
		not_ok "export sh: unshare --monotonic --boottime" "$(cat "$T/t.sh")"
	fi
	if grep -qF 'write_file("/proc/self/timens_offsets", "monotonic 3600 0\nboottime 172800 0\n");' "$T/t.c"; then
		ok "export c: timens_offsets written"
	else
		not_ok "export c: timens_offsets written" "$(cat "$T/t.c")"
	fi
	json=$(tr -d ' \n' <"$T/t.oci/config.json")
	case $json in
	*'"timeOffsets":{"monotonic":{"secs":3600,"nanosecs":0},"boottime":{"secs":172800,"nanosecs":0}}'*'"run.oci.timens_offset":"monotonic36000\nboottime1728000\n"'*)
		ok "export oci: linux.timeOffsets and crun's run.oci.timens_offset" ;;
	*) not_ok "export oci: linux.timeOffsets and crun's run.oci.timens_offset" "$(cat "$T/t.oci/config.json")" ;;
	esac
	HOST_CLK=$("$CLK") offsets "unshare line" "$(sh -c "$line" 2>&1)"
	HOST_CLK=$("$CLK") offsets "sh script" "$(sh "$T/t.sh" "$CLK" 2>&1)"
	if cc -Wall -Werror -o "$T/t" "$T/t.c" 2>"$T/cc.err"; then
		HOST_CLK=$("$CLK") offsets "C program" "$("$T/t" "$CLK" 2>&1)"
	else
		not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
	fi
	if have crun; then
		cp "$CLK" "$T/t.oci/rootfs/clk"
		HOST_CLK=$("$CLK") offsets "OCI bundle, crun" "$(run_oci crun "$T/t.oci")"
	fi
	have runc && skip "OCI bundle with a time namespace, runc" "runc before 1.2 refuses time namespaces"

	AS=nobody nsl "clock monotonic 1h; clock boottime 2d; unshare time
export sh $T/nobody/t.sh; export c $T/nobody/t.c; export unshare $CLK"
	is "lab T (as nobody): the lab and its exports are made" 0 "$RC"
	[ "$RC" = 0 ] || diag "$ERR"
	line=$(tail -n 1 <<<"$OUT")
	HOST_CLK=$("$CLK") offsets "unshare line, as nobody" "$("${as_nobody[@]}" sh -c "$line" 2>&1)"
	HOST_CLK=$("$CLK") offsets "sh script, as nobody" "$("${as_nobody[@]}" sh "$T/nobody/t.sh" "$CLK" 2>&1)"
	if cc -Wall -Werror -o "$T/tn" "$T/nobody/t.c" 2>"$T/cc.err"; then
		HOST_CLK=$("$CLK") offsets "C program, as nobody" "$("${as_nobody[@]}" "$T/tn" "$CLK" 2>&1)"
	else
		not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
	fi
else
	skip "lab T: clock offsets" "cc -static cannot link the clock probe: $(head -n 1 "$T/cc.err")"
fi

# ============ lab F: a root from tools/mkrootfs.sh, made the lab's with
# rootfs (pivot_root) and with chroot; a probe in it reports what is
# there. Every form runs in that root; the root is left as it was.
ROOT=$T/root
if sh "$here/../../tools/mkrootfs.sh" "$ROOT" >"$T/mkrootfs.out" 2>&1; then
	cat >"$ROOT/probe" <<'EOF'
#!/bin/sh
echo "root=$(ls / | tr '\n' ' ')"
# Nothing to /dev/null: where no /dev is mounted, that would make a file.
[ -r /proc/1/comm ] && echo "pid1=$(cat /proc/1/comm)" || echo pid1=
if [ -c /dev/null ]; then echo dev=yes; else echo dev=no; fi
echo "hostname=$(hostname)"
EOF
	chmod 755 "$ROOT/probe"
	# shellcheck disable=SC2012 # mkrootfs.sh's plain names, compared with `ls /` in the lab
	root_list=$(ls "$ROOT" | tr '\n' ' ')
	(cd "$ROOT" && find . | sort) >"$T/root.before"
	# inroot FORM OUTPUT PID1 DEV HOSTNAME
	inroot() {
		if [ -z "$(val root "$2")" ]; then
			not_ok "$1: the probe ran in the root" "$2"
			return
		fi
		is "$1: ls / shows the small root; /proc, /dev/null, hostname" "$root_list|$3|$4|$5" \
			"$(val root "$2")|$(val pid1 "$2")|$(val dev "$2")|$(val hostname "$2")"
	}
	nsl "unshare mnt pid uts; hostname lab-f; rootfs $ROOT
export sh $T/f.sh; export c $T/f.c; export oci $T/f.oci /probe; export unshare /probe"
	is "lab F (rootfs): the lab and its exports are made" 0 "$RC"
	[ "$RC" = 0 ] || diag "$ERR"
	line=$(tail -n 1 <<<"$OUT")
	is "export unshare: --root, and a new /proc in it" \
		"unshare --mount --uts --pid --fork --mount-proc '--root=$ROOT' sh -c 'hostname lab-f && exec \"\$@\"' sh /probe" "$line"
	if grep -q '^# --root is chroot(2), and mounts no /dev or /sys' <<<"$OUT"; then
		ok "export unshare: a note says --root is chroot(2)"
	else
		not_ok "export unshare: a note says --root is chroot(2)" "$OUT"
	fi
	inroot "unshare line" "$(sh -c "$line" 2>&1)" probe no lab-f
	inroot "sh script" "$(sh "$T/f.sh" /probe 2>&1)" probe yes lab-f
	if cc -Wall -Werror -o "$T/f" "$T/f.c" 2>"$T/cc.err"; then
		inroot "C program" "$("$T/f" /probe 2>&1)" probe yes lab-f
	else
		not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
	fi
	if grep -qF "\"path\": \"$ROOT\"" "$T/f.oci/config.json" && [ ! -e "$T/f.oci/rootfs" ]; then
		ok "export oci: root.path is the lab's root, no busybox root beside it"
	else
		not_ok "export oci: root.path is the lab's root" "$(ls "$T/f.oci"; grep -A2 '"root"' "$T/f.oci/config.json")"
	fi
	have crun && inroot "OCI bundle, crun" "$(run_oci crun "$T/f.oci")" probe yes lab-f
	have runc && inroot "OCI bundle, runc" "$(run_oci runc "$T/f.oci")" probe yes lab-f

	nsl "unshare mnt uts; hostname lab-h; chroot $ROOT
export sh $T/h.sh; export c $T/h.c; export unshare /probe"
	is "lab F (chroot): the lab and its exports are made" 0 "$RC"
	line=$(tail -n 1 <<<"$OUT")
	# chroot mounts nothing: no /proc, no /dev in the root, as in the lab.
	inroot "chroot, unshare line" "$(sh -c "$line" 2>&1)" "" no lab-h
	inroot "chroot, sh script" "$(sh "$T/h.sh" /probe 2>&1)" "" no lab-h
	if cc -Wall -Werror -o "$T/h" "$T/h.c" 2>"$T/cc.err"; then
		inroot "chroot, C program" "$("$T/h" /probe 2>&1)" "" no lab-h
	else
		not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
	fi

	AS=nobody nsl "unshare mnt pid; rootfs $ROOT
export sh $T/nobody/f.sh; export c $T/nobody/f.c; export unshare /probe"
	is "lab F (rootfs, as nobody): the lab and its exports are made" 0 "$RC"
	[ "$RC" = 0 ] || diag "$ERR"
	line=$(tail -n 1 <<<"$OUT")
	inroot "unshare line, as nobody" "$("${as_nobody[@]}" sh -c "$line" 2>&1)" probe no "$host_name"
	inroot "sh script, as nobody" "$("${as_nobody[@]}" sh "$T/nobody/f.sh" /probe 2>&1)" probe yes "$host_name"
	if cc -Wall -Werror -o "$T/fn" "$T/nobody/f.c" 2>"$T/cc.err"; then
		inroot "C program, as nobody" "$("${as_nobody[@]}" "$T/fn" /probe 2>&1)" probe yes "$host_name"
	else
		not_ok "C program: cc -Wall -Werror compiles it" "$(cat "$T/cc.err")"
	fi

	# An overlay root exists only in the lab's mount namespace: left out,
	# and each form says so.
	nsl "unshare mnt pid; overlay $ROOT; rootfs
export sh $T/o.sh; export c $T/o.c; export oci $T/o.oci; export unshare"
	is "lab O (overlay root): the lab and its exports are made" 0 "$RC"
	said=$(grep -c "^# not reproduced: the lab's root, its overlay" <<<"$OUT")
	said="$said $(grep -c "^# Not reproduced: the lab's root, its overlay" "$T/o.sh")"
	said="$said $(grep -c "^ \* Not reproduced: the lab's root, its overlay" "$T/o.c")"
	said="$said $(grep -c "note: not reproduced: the lab's root, its overlay.*busybox root" <<<"$OUT")"
	is "every form says the overlay root is left out (unshare, sh, c, oci)" "1 1 1 1" "$said"
	roots=$({ cat "$T/o.sh" "$T/o.c"; grep '^unshare ' <<<"$OUT"; } | grep -e '--root' -e 'pivot_root' -e 'chroot(')
	if [ -n "$roots" ] || grep -q '"path": "/' "$T/o.oci/config.json"; then
		not_ok "no form uses the overlay's path as a root" "$roots"
	else
		ok "no form uses the overlay's path as a root"
	fi
	(cd "$ROOT" && find . | sort) >"$T/root.after"
	if diff -u "$T/root.before" "$T/root.after" >"$T/root.diff"; then
		ok "the root is left as it was (nothing made in it by the forms)"
	else
		not_ok "the root is left as it was" "$(cat "$T/root.diff")"
	fi
else
	skip "lab F: rootfs and chroot" "tools/mkrootfs.sh: $(tail -n 1 "$T/mkrootfs.out")"
fi

# ============ lab V: a veth pair to the host. The shell script makes it
# again, with the script's own name for the host's end; it runs in a
# network namespace this test makes, so the ping crosses only the pair.
if ip -o addr show 2>/dev/null | grep -q ' 10\.77\.'; then
	skip "lab V: veth pairs" "the host uses 10.77.0.0/16, nslab's default veth subnets"
else
	nsl "unshare net uts; hostname lab-v; veth
export sh $T/v.sh; export c $T/v.c; export oci $T/v.oci; export unshare"
	is "lab V: the lab and its exports are made" 0 "$RC"
	[ "$RC" = 0 ] || diag "$ERR"
	steps=$(grep -E '^(far=|ip link add|ip addr add|ip link set|nsenter .*ip (addr|link set))' "$T/v.sh")
	# shellcheck disable=SC2016 # the script's text, literally
	is "export sh: ip link add ... veth peer ... netns, addresses, up" 'far=nslx$$v1
ip link add "$far" type veth peer name eth0 netns "$holder"
ip addr add 10.77.1.1/24 dev "$far"
ip link set "$far" up
nsenter --target "$holder" --net ip addr add 10.77.1.2/24 dev eth0
nsenter --target "$holder" --net ip link set eth0 up
nsenter --target "$holder" --net ip link set lo up' "$steps"
	said=$(grep -c "^# not in this line: the lab's veth pairs" <<<"$OUT")
	said="$said $(grep -c "^ \* Not here: the lab's veth pairs" "$T/v.c")"
	said="$said $(grep -c "note: not reproduced: the lab's veth pairs; OCI has no veth" <<<"$OUT")"
	is "the unshare line, the C program and the bundle each say, once, that the veth is not there" "1 1 1" "$said"
	out=$(unshare --net -- sh "$T/v.sh" sh -c 'hostname; ip -o -4 addr show dev eth0; ip -o link show dev lo
		ping -c1 -W2 10.77.1.1 >/dev/null 2>&1 && echo ping=ok' 2>&1)
	case $out in
	lab-v*" eth0 "*"inet 10.77.1.2/24 "*"lo: <LOOPBACK,UP"*"ping=ok")
		ok "sh script: eth0 10.77.1.2/24 in the lab, lo up, one ping to the far end 10.77.1.1" ;;
	*) not_ok "sh script: eth0 10.77.1.2/24 in the lab, lo up, one ping to the far end 10.77.1.1" "$out" ;;
	esac
fi

# ============ what the mount record forgets, and a lab with nothing
nsl "unshare mnt; mount tmpfs $T/tm; share mnt; unshare mnt; export sh"
if grep -q 'mount -t tmpfs' <<<"$OUT"; then
	not_ok "share mnt forgets the lab's mounts" "$OUT"
else
	ok "share mnt forgets the lab's mounts"
fi
nsl "export unshare"
is "a lab that isolates nothing: a note, then a plain unshare" \
	"# the lab isolates nothing yet: this runs the program with the host's namespaces"$'\n'"unshare" "$OUT"

# ============ bad input: one line on stderr, non-zero, nothing made
mkdir "$T/full" && touch "$T/full/x"
bad() { # bad DESC CMDS
	nsl "$2"
	local lines
	lines=$(printf '%s' "$ERR" | grep -c '')
	if [ "$RC" != 0 ] && [ "$lines" = 1 ]; then ok "$1"; else not_ok "$1" "rc=$RC stderr: $ERR"; fi
}
bad "export with no form is refused" "export"
bad "an unknown form is refused" "export docker"
bad "export oci without a directory is refused" "export oci"
bad "export oci into a directory that is not empty is refused" "export oci $T/full"
bad "export sh with two files is refused" "export sh $T/x $T/y"
bad "export c into a directory that does not exist is refused" "export c $T/no/such.c"
# shellcheck disable=SC2010 # the test's own plain names, listed as ls sorts them
is "nothing was written by the refusals" "x" "$(ls "$T/full"; ls "$T" | grep -E '^(x|y|no)$')"

# ============ the host as it was
sleep 0.2
snapshot >"$T/after"
if diff -u "$T/before" "$T/after" >"$T/diff"; then
	ok "the host is unchanged: names, mounts, links, cgroups, container state, processes, temp dirs"
else
	not_ok "the host is unchanged" "$(cat "$T/diff")"
fi
left=
for p in /proc/[0-9]*; do
	[ "${p#/proc/}" = $$ ] && continue
	while IFS= read -r -d '' kv; do
		if [ "$kv" = "NSLAB_EXPORT_RUN=$CID" ]; then
			IFS= read -r c <"$p/comm" && left="$left $c"
			break
		fi
	done 2>/dev/null <"$p/environ"
done
is "no process the exports started is left (holders, programs, nslab)" "" "$left"
echo "1..$n"
[ "$failed" = 0 ]
