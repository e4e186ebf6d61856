/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the lab is, for `export`: one look from inside (names, maps, IPC
 * objects), the limits of its cgroup, and the mounts it made. */
#include "config.h"
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "lab.h"
#include "mountrec.h"
#include "trace.h"

/* Seen from a process that joined the lab. */
struct inside {
	char hostname[65], domainname[65];
	int ipc_objects;
	char uid_map[8192], gid_map[8192], setgroups[16];
};

static int count_sysvipc(const char *kind)
{
	char path[32], text[16384];
	int n = 0;

	/* /proc/sysvipc shows the reader's IPC namespace: a header, then one
	 * line per object (the last newline is gone: one per object). */
	snprintf(path, sizeof(path), "sysvipc/%s", kind);
	if (read_small_file(host.proc, path, text, sizeof(text)) < 0)
		return 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

static int look_inside(void *arg, struct buf *out, struct nserr *e)
{
	struct inside *in = xcalloc(1, sizeof(*in));
	struct utsname u;

	(void)arg;
	if (uname(&u) < 0) {
		free(in);
		return nserr_set(e, errno, "uname");
	}
	snprintf(in->hostname, sizeof(in->hostname), "%s", u.nodename);
	snprintf(in->domainname, sizeof(in->domainname), "%s", u.domainname);
	in->ipc_objects = count_sysvipc("msg") + count_sysvipc("shm") + count_sysvipc("sem");
	read_small_file(host.proc, "self/uid_map", in->uid_map, sizeof(in->uid_map));
	read_small_file(host.proc, "self/gid_map", in->gid_map, sizeof(in->gid_map));
	read_small_file(host.proc, "self/setgroups", in->setgroups, sizeof(in->setgroups));
	buf_add(out, (const char *)in, sizeof(*in));
	free(in);
	return 0;
}

/* "         0     100000      65536\n" lines into M. */
static void parse_map(const char *text, struct idmap *m)
{
	unsigned long long in, out, count;
	int used;

	m->n = 0;
	while (m->n < IDMAP_MAX_LINES && sscanf(text, "%llu %llu %llu%n", &in, &out, &count, &used) == 3) {
		m->line[m->n++] = (struct idmap_line){(uint32_t)in, (uint32_t)out, (uint32_t)count};
		text += used;
	}
}

static void gather_inside(const struct inside *in, struct export_lab *x)
{
	struct utsname host_uts;

	if (uname(&host_uts) < 0)
		host_uts.nodename[0] = host_uts.domainname[0] = '\0';
	if (x->isolated & NS_BIT(NS_UTS)) {
		snprintf(x->hostname, sizeof(x->hostname), "%s", in->hostname);
		snprintf(x->domainname, sizeof(x->domainname), "%s", in->domainname);
		x->set_hostname = strcmp(in->hostname, host_uts.nodename) != 0;
		x->set_domainname = strcmp(in->domainname, host_uts.domainname) != 0;
	}
	if (x->isolated & NS_BIT(NS_IPC))
		x->ipc_objects = in->ipc_objects;
	if (x->isolated & NS_BIT(NS_USER)) {
		parse_map(in->uid_map, &x->uid);
		parse_map(in->gid_map, &x->gid);
		x->setgroups_deny = strncmp(in->setgroups, "deny", 4) == 0;
	}
}

static bool limited(uint64_t v)
{
	return v != CG_UNLIMITED && v != CG_UNKNOWN;
}

static void gather_limits(const struct lab *lab, struct export_lab *x)
{
	struct cg_usage u;
	char path[4096];

	if (!cgroup_lab_name(lab))
		return;
	cgroup_lab_usage(lab, &u);
	x->has[CG_MEMORY] = limited(u.mem_max);
	x->has[CG_PIDS] = limited(u.pids_max);
	x->has[CG_CPU] = limited(u.cpu_quota) && limited(u.cpu_period) && u.cpu_period;
	x->mem_max = u.mem_max;
	x->pids_max = u.pids_max;
	x->cpu_quota = u.cpu_quota;
	x->cpu_period = u.cpu_period;
	for (int c = 0; c < CG_CTL_COUNT; c++) {
		const char *m = cgroup_mount_point((enum cg_ctl)c);
		x->cg_version[c] = u.version[c];
		snprintf(x->cg_mount[c], sizeof(x->cg_mount[c]), "%s", m ? m : "");
		if (!m)
			x->has[c] = false;
	}
	cgroup_lab_path(lab, CG_MEMORY, path, sizeof(path) - 32);
	if (x->cg_version[CG_MEMORY] == 1 && path[0]) {
		strcat(path, "/memory.memsw.limit_in_bytes");
		x->memsw = access(path, F_OK) == 0;
	}
}

static void gather_mounts(const struct lab *lab, struct export_lab *x)
{
	const struct mount_rec *r = lab->mounts;
	static const char *const kinds[] = {"proc", "tmpfs", "bind", "umount"};

	if (!r || !(x->isolated & NS_BIT(NS_MNT)))
		return;
	x->mounts = xcalloc(r->n, sizeof(*x->mounts));
	for (size_t i = 0; i < r->n; i++) {
		struct export_mount *m = &x->mounts[x->nmounts++];
		for (int k = EXPORT_PROC; k <= EXPORT_UMOUNT; k++)
			if (strcmp(r->e[i].kind, kinds[k]) == 0)
				m->kind = (enum export_mount_kind)k;
		m->src = r->e[i].src ? xstrdup(r->e[i].src) : NULL;
		m->dst = xstrdup(r->e[i].dst);
		m->own_pid = r->e[i].own_pid;
	}
}

int export_gather(struct lab *lab, struct export_lab **out, struct nserr *e)
{
	struct export_lab *x = xcalloc(1, sizeof(*x));
	struct buf b = {0};

	snprintf(x->name, sizeof(x->name), "%s", lab->name);
	x->isolated = lab_isolated(lab);
	x->host_uid = (uint32_t)host.uid;
	x->host_gid = (uint32_t)host.gid;
	if (x->isolated) {
		if (UNTRACED(lab_call(lab, 0, look_inside, NULL, &b, e)) < 0) {
			export_free(x);
			return -1;
		}
		if (b.len != sizeof(struct inside)) {
			buf_free(&b);
			export_free(x);
			return nserr_set(e, EPROTO, _("could not look inside the lab"));
		}
		gather_inside((const struct inside *)b.s, x);
		buf_free(&b);
	}
	gather_limits(lab, x);
	gather_mounts(lab, x);
	export_gather_fs(lab, x);
	export_gather_net(lab, x);
	*out = x;
	return 0;
}

void export_free(struct export_lab *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nmounts; i++) {
		free(x->mounts[i].src);
		free(x->mounts[i].dst);
	}
	free(x->mounts);
	free(x->root_dir);
	free(x->veth);
	free(x);
}

bool export_self_map(const struct export_lab *x)
{
	return x->uid.n == 1 && x->uid.line[0].out == x->host_uid && x->uid.line[0].count == 1 && x->gid.n == 1 &&
	       x->gid.line[0].out == x->host_gid && x->gid.line[0].count == 1 && x->setgroups_deny;
}

const struct export_mount *export_own_proc(const struct export_lab *x)
{
	for (size_t i = 0; i < x->nmounts; i++)
		if (x->mounts[i].kind == EXPORT_PROC && x->mounts[i].own_pid)
			return &x->mounts[i];
	return NULL;
}
