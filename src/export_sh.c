/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `export sh`: the lab as a POSIX shell script using util-linux and
 * iproute2. The script makes the lab's cgroups and writes their limits,
 * keeps a holder process in a new user (and network) namespace while it
 * writes the maps and moves veth ends in from outside, as nslab does, then
 * runs unshare(1) for the rest with a small inner script (names, mounts)
 * that finally execs the script's arguments.
 */
#include "config.h"
#include "export.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static const struct {
	enum ns_type t;
	const char *opt;
} unshare_opts[] = {
	{NS_MNT, "--mount"}, {NS_UTS, "--uts"}, {NS_IPC, "--ipc"}, {NS_NET, "--net"},
	{NS_PID, "--pid"}, {NS_CGROUP, "--cgroup"}, {NS_TIME, "--time"},
};

static void quoted(struct buf *b, const char *s)
{
	sh_quote(b, s);
}

void export_sh_mount_steps(const struct export_lab *x, const struct export_mount *skip, struct buf *b,
			   const char *sep)
{
	for (size_t i = 0; i < x->nmounts; i++) {
		const struct export_mount *m = &x->mounts[i];
		if (m == skip)
			continue;
		if (b->len)
			buf_printf(b, "%s", sep);
		switch (m->kind) {
		case EXPORT_PROC:
			buf_printf(b, "mount -t proc -o nosuid,nodev,noexec proc ");
			break;
		case EXPORT_TMPFS:
			buf_printf(b, "mount -t tmpfs -o mode=755,nosuid,nodev tmpfs ");
			break;
		case EXPORT_BIND:
			buf_printf(b, "mount --rbind ");
			quoted(b, m->src);
			buf_add(b, " ", 1);
			break;
		default:
			buf_printf(b, "umount ");
			break;
		}
		quoted(b, m->dst);
	}
}

/* Maps of other ids are written from outside; so are self maps when a
 * held network namespace must belong to the lab's user namespace. */
static bool needs_holder_user(const struct export_lab *x)
{
	return (x->isolated & NS_BIT(NS_USER)) && (!export_self_map(x) || x->nveth);
}

static bool any_limit(const struct export_lab *x)
{
	return x->has[CG_MEMORY] || x->has[CG_PIDS] || x->has[CG_CPU];
}

static void header(const struct export_lab *x, struct buf *b)
{
	char names[128];

	ns_mask_str(x->isolated, names, sizeof(names));
	buf_printf(b, "#!/bin/sh\n"
		      "# The nslab lab \"%s\" as a shell script (nslab's `export sh`): util-linux\n"
		      "# and iproute2 make the same namespaces (%s), names, mounts,\n"
		      "# maps and cgroup limits; then its arguments run in them (a shell without):\n"
		      "#     sh THIS-SCRIPT [PROGRAM [ARGS...]]\n",
		   x->name, *names ? names : "none");
	if (any_limit(x) || needs_holder_user(x) || x->nveth)
		buf_printf(b, "# as root: limits, maps of other ids and links on the host need it.\n");
	if (x->ipc_objects > 0)
		buf_printf(b, "# Not reproduced: the lab's %d System V IPC object(s); ipcmk(1) makes new ones.\n",
			   x->ipc_objects);
	if (x->overlay_root)
		buf_printf(b, "# Not reproduced: the lab's root, its overlay, which exists only in the lab's mount namespace.\n");
	else if (x->overlay)
		buf_printf(b, "# Not reproduced: the lab's overlay, which exists only in the lab's mount namespace.\n");
	buf_printf(b, "set -eu\n[ \"$#\" -gt 0 ] || set -- /bin/sh\n\n");
}

static void cleanup(const struct export_lab *x, struct buf *b)
{
	buf_printf(b, "holder= cgroups= links= tmp=\n"
		      "cleanup() {\n"
		      "\t[ -z \"$holder\" ] || kill \"$holder\" 2>/dev/null || :\n"
		      "\tfor l in $links; do ip link del \"$l\" 2>/dev/null || :; done\n"
		      "\tfor d in $cgroups; do\n"
		      "\t\t# A cgroup goes only once empty: end what the program left.\n"
		      "\t\tfor i in 1 2 3 4 5 6 7 8 9 10; do\n"
		      "\t\t\tfor p in $(cat \"$d/cgroup.procs\" 2>/dev/null); do kill -9 \"$p\" 2>/dev/null || :; done\n"
		      "\t\t\trmdir \"$d\" 2>/dev/null && break\n"
		      "\t\t\tsleep 0.1 2>/dev/null || sleep 1\n"
		      "\t\tdone\n"
		      "\tdone\n"
		      "\t[ -z \"$tmp\" ] || rm -rf \"$tmp\"\n"
		      "}\n"
		      "trap cleanup EXIT\ntrap 'exit 130' INT\ntrap 'exit 143' TERM HUP\n\n");
	(void)x;
}

static const char *const v1_names[CG_CTL_COUNT] = {"memory", "pids", "cpu"};

static void cgroups(const struct export_lab *x, struct buf *b)
{
	bool made[CG_CTL_COUNT] = {0};

	if (!any_limit(x))
		return;
	buf_printf(b, "# ---- cgroup limits: the files nslab wrote, in a cgroup of the lab's own.\n"
		      "# On v1 it is made beside the one this script runs in, so that the lab\n"
		      "# stays inside whatever limits that has; on v2 under the root (v2 lets a\n"
		      "# cgroup hand controllers down only while it holds no process).\n"
		      "own_cgroup() {\t# where we are in the v1 hierarchy of controller $1\n"
		      "\twhile IFS=: read -r _ ctls path; do\n"
		      "\t\tcase \",$ctls,\" in *\",$1,\"*) echo \"${path%%/}\"; return ;; esac\n"
		      "\tdone </proc/self/cgroup\n"
		      "}\n"
		      "new_cgroup() {\t# $1: where the hierarchy is mounted; $2: v1 controller, or \"\" on v2\n"
		      "\td=$1\n"
		      "\t[ -z \"$2\" ] || d=$d$(own_cgroup \"$2\")\n"
		      "\td=$d/nslab-export.$$\n"
		      "\tmkdir \"$d\"\n"
		      "\tcgroups=\"$cgroups $d\"\n"
		      "}\n");
	for (int c = 0; c < CG_CTL_COUNT; c++) {
		if (!x->has[c] || made[c])
			continue;
		if (x->cg_version[c] == 2)
			buf_printf(b, "echo +%s >%s/cgroup.subtree_control\n", v1_names[c], x->cg_mount[c]);
		buf_printf(b, "new_cgroup %s %s\n", x->cg_mount[c], x->cg_version[c] == 2 ? "''" : v1_names[c]);
		/* Controllers that share the hierarchy share the directory. */
		for (int o = c; o < CG_CTL_COUNT; o++) {
			if (!x->has[o] || strcmp(x->cg_mount[o], x->cg_mount[c]) != 0)
				continue;
			made[o] = true;
			if (o == CG_MEMORY && x->cg_version[o] == 1) {
				buf_printf(b, "echo %llu >\"$d/memory.limit_in_bytes\"\n", (unsigned long long)x->mem_max);
				buf_printf(b, "[ ! -e \"$d/memory.memsw.limit_in_bytes\" ] || echo %llu >\"$d/memory.memsw.limit_in_bytes\"\n",
					   (unsigned long long)x->mem_max);
			} else if (o == CG_MEMORY) {
				buf_printf(b, "echo %llu >\"$d/memory.max\"\necho 0 >\"$d/memory.swap.max\"\n",
					   (unsigned long long)x->mem_max);
			} else if (o == CG_PIDS) {
				buf_printf(b, "echo %llu >\"$d/pids.max\"\n", (unsigned long long)x->pids_max);
			} else if (x->cg_version[o] == 1) {
				buf_printf(b, "echo %llu >\"$d/cpu.cfs_period_us\"\necho %llu >\"$d/cpu.cfs_quota_us\"\n",
					   (unsigned long long)x->cpu_period, (unsigned long long)x->cpu_quota);
			} else {
				buf_printf(b, "echo '%llu %llu' >\"$d/cpu.max\"\n", (unsigned long long)x->cpu_quota,
					   (unsigned long long)x->cpu_period);
			}
		}
	}
	buf_printf(b, "in_cgroups() {\t# run \"$@\" in them: a child joins, then execs\n"
		      "\tNSLAB_CGROUPS=$cgroups sh -c 'for d in $NSLAB_CGROUPS; do echo $$ >\"$d/cgroup.procs\"; done\n"
		      "\t\tunset NSLAB_CGROUPS; exec \"$@\"' sh \"$@\"\n"
		      "}\n\n");
}

static void map_text(const struct idmap *m, struct buf *b)
{
	buf_printf(b, "printf '%%s\\n'");
	for (unsigned i = 0; i < m->n; i++)
		buf_printf(b, " '%u %u %u'", m->line[i].in, m->line[i].out, m->line[i].count);
}

/* The far ends are named after the script's PID, nslx<PID>v<N>: nslab's
 * own host end (nsl<PID>v<N>) may still exist, a later nslab would sweep
 * a name of that shape once its nslab is gone, and a far end that was in
 * another lab may be called eth0, as the host's own link. */
static void veth_steps(const struct export_lab *x, bool user, struct buf *b)
{
	const char *in = user ? "nsenter --target \"$holder\" --user --net " : "nsenter --target \"$holder\" --net ";

	for (size_t i = 0; i < x->nveth; i++) {
		const struct export_veth *v = &x->veth[i];
		struct buf name = {0}, was = {0};
		quoted(&name, v->name);
		quoted(&was, v->peer);
		if (v->peer_lab[0])
			buf_printf(b, "# veth %s <-> %s in lab %s: here that end is on the host, named after this script.\n",
				   name.s, was.s, v->peer_lab);
		else
			buf_printf(b, "# veth %s <-> the host (nslab's %s): the host's end is named after this script.\n",
				   name.s, was.s);
		buf_printf(b, "far=nslx$$v%zu\nip link add \"$far\" type veth peer name %s netns \"$holder\"\n"
			      "links=\"$links $far\"\n", i + 1, name.s);
		if (v->peer_addr[0])
			buf_printf(b, "ip addr add %s dev \"$far\"\n", v->peer_addr);
		buf_printf(b, "ip link set \"$far\" up\n");
		if (v->addr[0])
			buf_printf(b, "%sip addr add %s dev %s\n", in, v->addr, name.s);
		buf_printf(b, "%sip link set %s up\n", in, name.s);
		buf_free(&name);
		buf_free(&was);
	}
	if (x->nveth)
		buf_printf(b, "%sip link set lo up\n", in);
	/* A carrier comes a moment after both ends are up: nslab waits too. */
	for (size_t i = 0; i < x->nveth; i++) {
		struct buf name = {0};
		quoted(&name, x->veth[i].name);
		buf_printf(b, "for i in 1 2 3 4 5 6 7 8 9 10; do\n"
			      "\t%sip -o link show dev %s | grep -q 'state UP' && break\n"
			      "\tsleep 0.1 2>/dev/null || sleep 1\ndone\n", in, name.s);
		buf_free(&name);
	}
}

static void holder(const struct export_lab *x, struct buf *b)
{
	bool user = needs_holder_user(x);

	buf_printf(b, "# ---- a holder process keeps the new %s namespace%s while this script\n"
		      "# sets %s up from outside, as nslab does.\n",
		   user && x->nveth ? "user and network" : user ? "user" : "network", user && x->nveth ? "s" : "",
		   user && x->nveth ? "them" : "it");
	buf_printf(b, "tmp=$(mktemp -d \"${TMPDIR:-/tmp}/nslab-export.XXXXXX\")\n"
		      "mkfifo \"$tmp/ready\"\n"
		      "unshare%s%s -- sh -c 'echo >\"$1\"; exec sleep 2147483647' sh \"$tmp/ready\" &\n"
		      "holder=$!\n"
		      "read -r _ <\"$tmp/ready\"\n",
		   user ? " --user" : "", x->nveth ? " --net" : "");
	if (user) {
		buf_printf(b, "# The kernel takes each map once, in one write, from a process with\n"
			      "# CAP_SETUID (CAP_SETGID) over the parent namespace; setgroups before gid_map.\n"
			      "echo %s >/proc/$holder/setgroups\n", x->setgroups_deny ? "deny" : "allow");
		map_text(&x->uid, b);
		buf_printf(b, " >/proc/$holder/uid_map\n");
		map_text(&x->gid, b);
		buf_printf(b, " >/proc/$holder/gid_map\n");
	}
	veth_steps(x, user, b);
	buf_printf(b, "\n");
}

/* What nslab's `rootfs` does: a new /proc (the old one bound where a user
 * namespace may not mount one), a small /dev of the usual nodes bound
 * from the old one, /sys read-only; then pivot_root(".", "."), which
 * stacks the old root on the new, and a lazy umount of "." takes it away. */
static void pivot_steps(const struct export_lab *x, struct buf *in)
{
	struct buf dir = {0};

	quoted(&dir, x->root_dir);
	buf_printf(in, "mount --rbind %s %s\ncd %s\n", dir.s, dir.s, dir.s);
	buf_printf(in, "if [ -d proc ]; then\n"
		       "\tmount -t proc -o nosuid,nodev,noexec proc proc 2>/dev/null || mount --rbind /proc proc\nfi\n"
		       "if [ -d dev ]; then\n"
		       "\tmount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs dev\n"
		       "\tfor n in null zero full random urandom tty; do\n"
		       "\t\t: >\"dev/$n\"\n\t\tmount --bind \"/dev/$n\" \"dev/$n\"\n\tdone\n"
		       "\tmkdir dev/pts dev/shm\n"
		       "\tmount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620 devpts dev/pts\n"
		       "\tmount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm dev/shm\n"
		       "\tln -s pts/ptmx dev/ptmx\n\tln -s /proc/self/fd dev/fd\n"
		       "\tln -s /proc/self/fd/0 dev/stdin\n\tln -s /proc/self/fd/1 dev/stdout\n"
		       "\tln -s /proc/self/fd/2 dev/stderr\nfi\n"
		       "if [ -d sys ]; then\n"
		       "\tmount -t sysfs -o ro,nosuid,nodev,noexec sysfs sys 2>/dev/null ||\n"
		       "\t\t{ mount --rbind /sys sys && mount -o remount,bind,ro sys; }\nfi\n"
		       "pivot_root . .\numount -l .\ncd /\n");
	buf_free(&dir);
}

static void inner(const struct export_lab *x, struct buf *b)
{
	struct buf in = {0};

	buf_printf(&in, "set -e\n");
	if (x->set_hostname && hostname_tool_accepts(x->hostname)) {
		buf_printf(&in, "hostname ");
		quoted(&in, x->hostname);
		buf_printf(&in, "\n");
	} else if (x->set_hostname) {
		buf_printf(&in, "# hostname(1) refuses this name; /proc takes it from the host's root only\nprintf %%s ");
		quoted(&in, x->hostname);
		buf_printf(&in, " >/proc/sys/kernel/hostname\n");
	}
	if (x->set_domainname) {
		buf_printf(&in, "domainname -- ");
		quoted(&in, x->domainname);
		buf_printf(&in, "\n");
	}
	struct buf mounts = {0};
	export_sh_mount_steps(x, NULL, &mounts, "\n");
	if (mounts.len)
		buf_printf(&in, "%s\n", mounts.s);
	buf_free(&mounts);
	if (x->root_kind == EXPORT_ROOT_PIVOT)
		pivot_steps(x, &in);
	if (x->root_kind == EXPORT_ROOT_CHROOT) {
		buf_printf(&in, "exec chroot ");
		quoted(&in, x->root_dir);
		buf_printf(&in, " \"$@\"");
	} else {
		buf_printf(&in, "exec \"$@\"");
	}
	buf_printf(b, "# ---- inside the new namespaces (the PID 1 of its own PID namespace, if\n"
		      "# the lab has one): the names and the mounts, then the program.\n"
		      "inner=");
	quoted(b, in.s);
	buf_printf(b, "\n");
	buf_free(&in);
}

static void final(const struct export_lab *x, struct buf *b)
{
	bool held_user = needs_holder_user(x), held = held_user || x->nveth;

	buf_printf(b, "status=0\n%s", any_limit(x) ? "in_cgroups " : "");
	if (held)
		buf_printf(b, "nsenter --target \"$holder\"%s%s -- ", held_user ? " --user" : "", x->nveth ? " --net" : "");
	buf_printf(b, "unshare");
	if ((x->isolated & NS_BIT(NS_USER)) && !held_user) {
		if (x->uid.line[0].in == 0 && x->gid.line[0].in == 0)
			buf_printf(b, " --map-root-user");
		else
			buf_printf(b, " --map-user=%u --map-group=%u", x->uid.line[0].in, x->gid.line[0].in);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unshare_opts); i++)
		if ((x->isolated & NS_BIT(unshare_opts[i].t)) && !(unshare_opts[i].t == NS_NET && x->nveth))
			buf_printf(b, " %s", unshare_opts[i].opt);
	if (x->isolated & (NS_BIT(NS_PID) | NS_BIT(NS_TIME)))
		buf_printf(b, " --fork");
	if (x->clock_set[EXPORT_MONOTONIC])
		buf_printf(b, " --monotonic=%lld", x->clock_sec[EXPORT_MONOTONIC]);
	if (x->clock_set[EXPORT_BOOTTIME])
		buf_printf(b, " --boottime=%lld", x->clock_sec[EXPORT_BOOTTIME]);
	buf_printf(b, " -- sh -c \"$inner\" sh \"$@\" || status=$?\nexit \"$status\"\n");
}

void export_sh(const struct export_lab *x, struct buf *b)
{
	header(x, b);
	cleanup(x, b);
	cgroups(x, b);
	if (needs_holder_user(x) || x->nveth)
		holder(x, b);
	inner(x, b);
	final(x, b);
}
