#!/bin/sh
# cgroup limits (memory, pids, cpu), OOM reports, the cgroup namespace, and
# cleanup: cgroup v1 as this machine mounts it, and cgroup v2 in a cgroup2
# mount made in a private mount namespace (limits there only if the kernel
# lets v2 have the controllers; otherwise a skip that says why). TAP.
set -u

NSLAB=${NSLAB:-$(cd "$(dirname "$0")/../../src" && pwd)/nslab}
T=0
tmp=

ok() { T=$((T + 1)); echo "ok $T - $1"; }
nok() { T=$((T + 1)); echo "not ok $T - $1"; }
skip() { T=$((T + 1)); echo "ok $T # SKIP $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
diag() { sed 's/^/# /' "$@"; }
has() { grep -q -e "$1" "$2"; }

finish() {
	[ -n "$tmp" ] && rm -rf "$tmp"
	echo "1..$T"
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP cgroup tests need root"
	exit 0
fi
# Alone: this test leaves a SIGKILLed nslab's cgroups for the next start
# to sweep, and other tests' starts would sweep them (see tests/lib.sh).
exec 8>>"${TMPDIR:-/tmp}/nslab-tests.lock"
flock -x 8
tmp=$(mktemp -d /tmp/nslab-test-cgroup.XXXXXX)
chmod 755 "$tmp"
trap finish EXIT

# The cgroup tree, and nslab cgroups whose nslab is gone (leftovers).
cgtree() { find /sys/fs/cgroup -maxdepth 5 -type d 2>/dev/null | sort; }
stale_cgroups() {
	find /sys/fs/cgroup -maxdepth 5 -type d -name 'nslab.*' 2>/dev/null | while read -r d; do
		pid=${d##*/nslab.}
		pid=${pid%%.*}
		kill -0 "$pid" 2>/dev/null || echo "$d"
	done
}
cgtree > "$tmp/tree.before"

cat > "$tmp/bomb.sh" <<'EOF'
n=0
while [ $n -lt 500 ]; do
	sleep 3171 &
	n=$((n + 1))
done
EOF
# Work done from second START for LEN seconds (perl-base only: whole seconds).
cat > "$tmp/busy.pl" <<'EOF'
my ($start, $len) = @ARGV; my $n = 0;
sleep 1 while time < $start - 1;
1 while time < $start;
$n++ while time < $start + $len;
print "$n\n";
EOF
cat > "$tmp/hog-child.sh" <<'EOF'
perl -e '$x = "x" x (200 << 20)'
exit 3
EOF

# ---- v1 (or whatever this machine has): limits -----------------------------

"$NSLAB" -c 'cgroup' > "$tmp/out" 2>&1
check "cgroup: a new lab has no cgroup of its own" has 'no cgroup of its own yet' "$tmp/out"

"$NSLAB" -c 'cgroup pids 20; cgroup memory 64M; cgroup cpu 20%; cgroup; status; status --json' > "$tmp/out" 2>&1
check "cgroup: limits are set and shown" \
	sh -c "grep -q 'pids .*limit 20,' '$tmp/out' && grep -q 'limit 64M' '$tmp/out' && grep -q 'limit 20% of one CPU' '$tmp/out'"
check "status --json: the lab's cgroup and its pids limit" \
	sh -c "grep -q '\"lab_cgroup\": \"nslab\\.' '$tmp/out' && grep -q '\"max\": 20' '$tmp/out'"
check "status: the cgroup row shows usage against limits" has '^cgroup .*mem [0-9.]*[BKM]/64M, pids [0-9]*/20' "$tmp/out"

cat > "$tmp/bomb.nslab" <<EOF
cgroup pids 20
! run timeout 20 sh $tmp/bomb.sh
cgroup
hostname
EOF
timeout 60 "$NSLAB" "$tmp/bomb.nslab" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "pids: a fork bomb fails inside the lab, nslab goes on (exit $rc)" [ $rc -eq 0 ]
check "pids: forks were refused at the limit" has 'limit 20, [1-9][0-9]* forks\{0,1\} refused' "$tmp/out"
n=$(sed -n 's/.*pids *\([0-9]*\) process.*/\1/p' "$tmp/out")
check "pids: the lab never went over 20 processes ($n)" [ "${n:-99}" -le 20 ]
check "pids: the next command answers" [ "$(tail -n 1 "$tmp/out")" = "$(hostname)" ]
check "pids: the bomb's processes are gone with nslab" sh -c "! pgrep -f 'slee[p] 3171' > /dev/null"

cat > "$tmp/oom.nslab" <<'EOF'
cgroup memory 32M
run perl -e '$x = "x" x (200 << 20); print "survived\n"'
EOF
timeout 60 "$NSLAB" "$tmp/oom.nslab" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "memory: a hog over the limit is reported as OOM-killed, in one line" \
	sh -c "[ $rc -eq 1 ] && grep -q 'perl: killed by the OOM killer (memory limit 32M)' '$tmp/err' && [ \$(wc -l < '$tmp/err') -eq 1 ]"
diag "$tmp/err"
check "memory: the hog did not survive" sh -c "! grep -q survived '$tmp/out'"

timeout 60 "$NSLAB" -c "cgroup memory 32M; ! run sh $tmp/hog-child.sh; cgroup" > "$tmp/out" 2>/dev/null
check "memory: a child OOM-killed under a shell is counted and reported" \
	sh -c "grep -q 'exit status 3; the OOM killer ended 1 process' '$tmp/out' && grep -q 'limit 32M, 1 OOM kill' '$tmp/out'"

# The same busy loop for the same time, on the host and (at the same time,
# so both see the same load) in a lab at 10% of a CPU: a ratio, not a time.
start=$(($(date +%s) + 2))
perl "$tmp/busy.pl" $start 2 > "$tmp/free" &
timeout 60 "$NSLAB" -c "cgroup cpu 10; run perl $tmp/busy.pl $start 2; cgroup" > "$tmp/out" 2>&1
wait
free=$(cat "$tmp/free")
slow=$(sed -n '2p' "$tmp/out")
ratio=$(awk -v a="${slow:-0}" -v b="${free:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 9) }')
check "cpu: a quota of 10% slows a busy loop (work ratio $ratio: $slow / $free)" \
	awk -v r="$ratio" 'BEGIN { exit !(r > 0 && r < 0.5) }'
check "cpu: the lab was throttled" has 'throttled [1-9]' "$tmp/out"

# ---- bad input: one line, non-zero, nothing changed -------------------------

for bad in 'memory 12Q' 'memory 0' 'memory 512K' 'pids 0' 'pids -3' 'pids 99999999' 'cpu 0' 'cpu 101x' \
	'cpu 100000' 'disk 5' 'memory' 'memory 1M 2'; do
	"$NSLAB" -k -c "cgroup $bad; cgroup" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "bad input 'cgroup $bad': one line, nothing made" \
		sh -c "[ $rc -ne 0 ] && [ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q 'no cgroup of its own yet' '$tmp/out'"
done

cat > "$tmp/below.nslab" <<'EOF'
unshare pid
run sh -c 'sleep 3172 & sleep 3172 & sleep 3172 &'
cgroup pids 2
cgroup
EOF
"$NSLAB" -k "$tmp/below.nslab" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "pids below what the lab has: refused in one line that says what the kernel would do" \
	sh -c "[ $rc -ne 0 ] && [ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q 'refuse every fork' '$tmp/err' && grep -q 'no cgroup of its own yet' '$tmp/out'"
diag "$tmp/err"

cat > "$tmp/below.nslab" <<'EOF'
cgroup memory 300M
run sh -c 'perl -e "\$x = q(x) x (40 << 20); sleep 30" < /dev/null > /dev/null 2>&1 &'
run sleep 1
cgroup memory 16M
cgroup
EOF
"$NSLAB" -k "$tmp/below.nslab" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "memory below what the lab uses: refused in one line (reclaim, then OOM), limit unchanged" \
	sh -c "[ $rc -ne 0 ] && [ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q 'OOM-kill' '$tmp/err' && grep -q 'limit 300M' '$tmp/out'"

# ---- the cgroup namespace ----------------------------------------------------

cat > "$tmp/ns.nslab" <<'EOF'
lab new cgtestns
cgroup pids 50
unshare cgroup
run sh -c 'echo lines not at the root: $(grep -vc ":/$" /proc/self/cgroup)'
run sh -c 'grep -qx $$ /sys/fs/cgroup/pids/nslab.*.cgtestns/cgroup.procs && echo in the lab cgroup'
lab new other
unshare cgroup
run sh -c 'echo lines not at the root: $(grep -vc ":/$" /proc/self/cgroup)'
cgroup
EOF
"$NSLAB" "$tmp/ns.nslab" > "$tmp/out" 2>&1
check "unshare cgroup: /proc/self/cgroup reads / in the lab" \
	[ "$(grep -c 'lines not at the root: 0' "$tmp/out")" -eq 2 ]
check "unshare cgroup: its root is the lab's cgroup, not nslab's" has 'in the lab cgroup' "$tmp/out"
check "unshare cgroup: it gives the lab a cgroup of its own" has 'other: cgroup nslab\.[0-9]*\.other' "$tmp/out"

cat > "$tmp/rootless.nslab" <<'EOF'
unshare cgroup
run sh -c 'echo lines not at the root: $(grep -vc ":/$" /proc/self/cgroup)'
cgroup
EOF
chmod 644 "$tmp"/*.nslab
setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSLAB" "$tmp/rootless.nslab" > "$tmp/out" 2>&1
check "rootless: unshare cgroup reads / in the lab" has 'lines not at the root: 0' "$tmp/out"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSLAB" -c 'cgroup pids 20' > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc -eq 0 ]; then
	skip "rootless limits: this machine delegates a cgroup v2 to nobody"
else
	check "rootless: a limit is refused in one line that says why and what would work" \
		sh -c "[ $rc -ne 0 ] && [ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q 'Delegate=yes' '$tmp/err'"
fi
diag "$tmp/err"

# ---- cleanup: reset, lab del, SIGKILL --------------------------------------

"$NSLAB" -c "cgroup pids 30; run sh -c 'sleep 3173 &'; reset; cgroup" > "$tmp/out" 2>&1
check "reset: the lab's cgroup and what was in it are gone" \
	sh -c "grep -q 'no cgroup of its own yet' '$tmp/out' && ! pgrep -f 'slee[p] 3173' > /dev/null"
"$NSLAB" -c "lab new two; cgroup pids 30; run sh -c 'sleep 3174 &'; lab use lab1; lab del two; host sh -c 'ls -d /sys/fs/cgroup/pids/nslab.*.two 2>/dev/null || echo none left'" > "$tmp/out" 2>&1
check "lab del: the lab's cgroup and what was in it are gone" \
	sh -c "grep -q 'none left' '$tmp/out' && ! pgrep -f 'slee[p] 3174' > /dev/null"

printf '%s\n' 'cgroup pids 40' "run sh -c 'sleep 3175 & sleep 3175 &'" 'unshare cgroup pid' 'run sleep 3176' > "$tmp/kill.nslab"
"$NSLAB" "$tmp/kill.nslab" > /dev/null 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	pgrep -f 'slee[p] 3176' > /dev/null && break
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
sleep 0.2
left=$(find /sys/fs/cgroup -maxdepth 5 -type d -name "nslab.$pid.*" | wc -l)
check "SIGKILL: the killed nslab left its cgroups ($left)" [ "$left" -gt 0 ]
"$NSLAB" -c 'hostname' > /dev/null 2>&1
check "SIGKILL: a new start removes them and what ran in them" \
	sh -c "[ -z \"\$(find /sys/fs/cgroup -maxdepth 5 -type d -name 'nslab.$pid.*')\" ] && ! pgrep -f 'slee[p] 317[56]' > /dev/null"

# ---- cgroup v2, in a cgroup2 mount in a private mount namespace -------------

cat > "$tmp/v2.sh" <<EOF
umount -R /sys/fs/cgroup && mount -t cgroup2 nslab-test /sys/fs/cgroup || exit 3
# nslab runs in a cgroup of its own below the root, as under a delegation.
mkdir /sys/fs/cgroup/nslab-test.\$\$ && echo \$\$ > /sys/fs/cgroup/nslab-test.\$\$/cgroup.procs || exit 3
cat /sys/fs/cgroup/cgroup.controllers > $tmp/v2.controllers
"$NSLAB" -c 'cgroup' > $tmp/v2.show 2>&1
"$NSLAB" $tmp/rootless.nslab > $tmp/v2.ns 2>&1
"$NSLAB" -c 'cgroup pids 20' > /dev/null 2> $tmp/v2.bad
echo \$? > $tmp/v2.bad.rc
if grep -qw pids $tmp/v2.controllers; then
	timeout 60 "$NSLAB" $tmp/bomb.nslab > $tmp/v2.bomb 2>&1
	echo \$? > $tmp/v2.bomb.rc
	timeout 60 "$NSLAB" $tmp/oom.nslab > /dev/null 2> $tmp/v2.oom
fi
"$NSLAB" -c 'unshare cgroup; run sleep 3177' > /dev/null 2>&1 &
sleep 0.5
ls /sys/fs/cgroup/nslab-test.\$\$ > $tmp/v2.killed
kill -9 \$!
wait \$! 2>/dev/null
"$NSLAB" -c hostname > /dev/null 2>&1
ls /sys/fs/cgroup/nslab-test.\$\$ > $tmp/v2.after
echo \$\$ > /sys/fs/cgroup/cgroup.procs
rmdir /sys/fs/cgroup/nslab-test.\$\$
EOF
unshare -m sh "$tmp/v2.sh" > "$tmp/v2.out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	skip "cgroup v2: cannot mount cgroup2 in a private mount namespace here (exit $rc)"
	diag "$tmp/v2.out"
else
	check "v2: nslab finds cgroup v2 and says per controller what it can use" \
		sh -c "[ \$(grep -c -e '(cgroup v2)' -e 'not available' '$tmp/v2.show') -eq 3 ]"
	diag "$tmp/v2.show"
	check "v2: unshare cgroup reads / in the lab, under nslab's own v2 cgroup" \
		sh -c "grep -q 'lines not at the root: 0' '$tmp/v2.ns' && grep -q '^  /sys/fs/cgroup/nslab-test\\.[0-9]*/nslab\\.' '$tmp/v2.ns'"
	check "v2: the killed nslab's cgroup is swept by the next start" \
		sh -c "grep -q '^nslab\\.' '$tmp/v2.killed' && ! grep -q '^nslab\\.' '$tmp/v2.after' && ! pgrep -f 'slee[p] 3177' > /dev/null"
	if grep -qw pids "$tmp/v2.controllers"; then
		check "v2: pids limit stops the fork bomb, nslab goes on" \
			sh -c "[ \$(cat '$tmp/v2.bomb.rc') -eq 0 ] && grep -q 'limit 20, [1-9][0-9]* forks\\{0,1\\} refused' '$tmp/v2.bomb'"
		check "v2: the memory hog is reported as OOM-killed" has 'killed by the OOM killer (memory limit 32M)' "$tmp/v2.oom"
	else
		check "v2: a limit the hierarchy cannot have is refused in one line that says why" \
			sh -c "[ \$(cat '$tmp/v2.bad.rc') -ne 0 ] && [ \$(wc -l < '$tmp/v2.bad') -eq 1 ] && grep -q 'not available' '$tmp/v2.bad'"
		diag "$tmp/v2.bad"
		skip "v2 limits: this kernel binds memory, pids and cpu to v1 hierarchies (/proc/cgroups), so a cgroup2 mount has only: $(cat "$tmp/v2.controllers")"
	fi
fi

# ---- the host is as it was ---------------------------------------------------

cgtree > "$tmp/tree.after"
comm -3 "$tmp/tree.before" "$tmp/tree.after" | tr -d '\t' > "$tmp/tree.diff"
grep '/nslab' "$tmp/tree.diff" | while read -r d; do
	pid=${d##*/nslab.}
	pid=${pid%%.*}
	kill -0 "$pid" 2>/dev/null || echo "$d"
done > "$tmp/tree.ours"
grep -v '/nslab' "$tmp/tree.diff" | sed 's/^/# changed meanwhile, not by nslab: /'
check "host: the cgroup tree is as it was (no nslab cgroup left)" [ ! -s "$tmp/tree.ours" ]
diag "$tmp/tree.ours"
stale_cgroups > "$tmp/stale"
check "host: no nslab cgroup without its nslab" [ ! -s "$tmp/stale" ]
check "host: no lab process left" sh -c "! pgrep -f 'slee[p] 317[0-9]' > /dev/null && ! pgrep -f '$tmp/[b]usy.pl' > /dev/null"
