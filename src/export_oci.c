/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `export oci`: the lab as an OCI runtime bundle's config.json, shaped as
 * `runc spec` writes it (the same process defaults, masked paths and
 * mounts), with the lab's namespaces, maps, names, limits and mounts. json-c
 * does the quoting. Where the lab has a user namespace but not the
 * namespace a filesystem belongs to, that filesystem is bound from the host
 * rather than mounted anew, as `runc spec --rootless` does for /sys.
 */
#include "config.h"
#include "export.h"

#include <json-c/json.h>
#include <string.h>

#include "util.h"

typedef struct json_object json;

static json *str(const char *s)
{
	return json_object_new_string(s);
}

static json *strings(const char *const *v)
{
	json *a = json_object_new_array();

	for (; *v; v++)
		json_object_array_add(a, str(*v));
	return a;
}

static void put(json *o, const char *key, json *v)
{
	json_object_object_add(o, key, v);
}

static json *process(char *const *argv)
{
	static const char *const env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
					  "TERM=xterm", NULL};
	static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};
	static const char *const sets[] = {"bounding", "effective", "permitted", "ambient"};
	static const char *const sh[] = {"sh", NULL};
	json *p = json_object_new_object(), *user = json_object_new_object(), *c = json_object_new_object();
	json *rl = json_object_new_object(), *rls = json_object_new_array();

	/* A shell wants the terminal; a program given is run as a command. */
	put(p, "terminal", json_object_new_boolean(!argv));
	put(user, "uid", json_object_new_int(0));
	put(user, "gid", json_object_new_int(0));
	put(p, "user", user);
	put(p, "args", strings(argv ? (const char *const *)argv : sh));
	put(p, "env", strings(env));
	put(p, "cwd", str("/"));
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		put(c, sets[i], strings(caps));
	put(p, "capabilities", c);
	put(rl, "type", str("RLIMIT_NOFILE"));
	put(rl, "hard", json_object_new_int(1024));
	put(rl, "soft", json_object_new_int(1024));
	json_object_array_add(rls, rl);
	put(p, "rlimits", rls);
	put(p, "noNewPrivileges", json_object_new_boolean(true));
	return p;
}

static void add_mount(json *mounts, const char *dst, const char *type, const char *src, const char *const *opts)
{
	json *m = json_object_new_object();

	put(m, "destination", str(dst));
	put(m, "type", str(type));
	put(m, "source", str(src));
	if (opts)
		put(m, "options", strings(opts));
	json_object_array_add(mounts, m);
}

/* Forget every mount at DST; true if there was one. */
static bool drop_mount(json *mounts, const char *dst)
{
	bool found = false;

	for (size_t i = json_object_array_length(mounts); i-- > 0;) {
		json *d;
		if (json_object_object_get_ex(json_object_array_get_idx(mounts, i), "destination", &d) &&
		    strcmp(json_object_get_string(d), dst) == 0) {
			json_object_array_del_idx(mounts, i, 1);
			found = true;
		}
	}
	return found;
}

static bool mapped(const struct idmap *m, uint32_t inside)
{
	for (unsigned i = 0; i < m->n; i++)
		if (inside >= m->line[i].in && inside - m->line[i].in < m->line[i].count)
			return true;
	return false;
}

static void default_mounts(const struct export_lab *x, json *mounts)
{
	static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
	static const char *const pts[] = {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL};
	static const char *const shm[] = {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL};
	static const char *const plain[] = {"nosuid", "noexec", "nodev", NULL};
	static const char *const sys[] = {"nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const rbind[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const rbind_rw[] = {"rbind", "nosuid", "noexec", "nodev", NULL};
	static const char *const cg[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};
	bool user = x->isolated & NS_BIT(NS_USER);
	const char *const *pts_opts = pts;
	const char *pts_nogid[ARRAY_SIZE(pts)] = {0};

	/* A new proc, mqueue or sysfs needs privilege over the PID, IPC or
	 * network namespace it shows: without one of the lab's own (owned by
	 * its user namespace) the host's is bound instead, or left out. */
	if (user && !(x->isolated & NS_BIT(NS_PID)))
		add_mount(mounts, "/proc", "none", "/proc", rbind_rw);
	else
		add_mount(mounts, "/proc", "proc", "proc", NULL);
	add_mount(mounts, "/dev", "tmpfs", "tmpfs", dev);
	if (user && !mapped(&x->gid, 5)) {
		/* gid=5 (tty) must exist in the user namespace. */
		for (size_t i = 0, j = 0; pts[i]; i++)
			if (strcmp(pts[i], "gid=5") != 0)
				pts_nogid[j++] = pts[i];
		pts_opts = pts_nogid;
	}
	add_mount(mounts, "/dev/pts", "devpts", "devpts", pts_opts);
	add_mount(mounts, "/dev/shm", "tmpfs", "shm", shm);
	/* The host's mqueue is seldom mounted anywhere to bind from. */
	if (!user || (x->isolated & NS_BIT(NS_IPC)))
		add_mount(mounts, "/dev/mqueue", "mqueue", "mqueue", plain);
	if (user && !(x->isolated & NS_BIT(NS_NET)))
		add_mount(mounts, "/sys", "none", "/sys", rbind);
	else
		add_mount(mounts, "/sys", "sysfs", "sysfs", sys);
	add_mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", cg);
}

static void lab_mounts(const struct export_lab *x, json *mounts, struct buf *notes)
{
	static const char *const proc[] = {"nosuid", "noexec", "nodev", NULL};
	static const char *const tmpfs[] = {"nosuid", "nodev", "mode=755", NULL};
	static const char *const bind[] = {"rbind", NULL};

	for (size_t i = 0; i < x->nmounts; i++) {
		const struct export_mount *m = &x->mounts[i];
		switch (m->kind) {
		case EXPORT_PROC:
			if (strcmp(m->dst, "/proc") != 0) /* the bundle has /proc already */
				add_mount(mounts, m->dst, "proc", "proc", proc);
			break;
		case EXPORT_TMPFS:
			add_mount(mounts, m->dst, "tmpfs", "tmpfs", tmpfs);
			break;
		case EXPORT_BIND:
			add_mount(mounts, m->dst, "bind", m->src, bind);
			break;
		default:
			if (!drop_mount(mounts, m->dst)) {
				_cleanup_free_ char *d = escaped(m->dst);
				buf_printf(notes, _("umount %s: the bundle's root has no such mount; nothing to leave out\n"), d);
			}
			break;
		}
	}
}

static json *id_mappings(const struct idmap *m)
{
	json *a = json_object_new_array();

	for (unsigned i = 0; i < m->n; i++) {
		json *o = json_object_new_object();
		put(o, "containerID", json_object_new_int64(m->line[i].in));
		put(o, "hostID", json_object_new_int64(m->line[i].out));
		put(o, "size", json_object_new_int64(m->line[i].count));
		json_object_array_add(a, o);
	}
	return a;
}

static json *resources(const struct export_lab *x)
{
	json *r = json_object_new_object(), *dev = json_object_new_object(), *devs = json_object_new_array();

	put(dev, "allow", json_object_new_boolean(false));
	put(dev, "access", str("rwm"));
	json_object_array_add(devs, dev);
	put(r, "devices", devs);
	if (x->has[CG_MEMORY]) {
		json *m = json_object_new_object();
		put(m, "limit", json_object_new_int64((int64_t)x->mem_max));
		/* Memory and swap together, as nslab limits them: no swap. */
		if (x->memsw || x->cg_version[CG_MEMORY] == 2)
			put(m, "swap", json_object_new_int64((int64_t)x->mem_max));
		put(r, "memory", m);
	}
	if (x->has[CG_PIDS]) {
		json *p = json_object_new_object();
		put(p, "limit", json_object_new_int64((int64_t)x->pids_max));
		put(r, "pids", p);
	}
	if (x->has[CG_CPU]) {
		json *c = json_object_new_object();
		put(c, "quota", json_object_new_int64((int64_t)x->cpu_quota));
		put(c, "period", json_object_new_int64((int64_t)x->cpu_period));
		put(r, "cpu", c);
	}
	return r;
}

static json *namespaces(const struct export_lab *x, struct buf *notes)
{
	static const struct {
		enum ns_type t;
		const char *oci;
	} types[] = {{NS_PID, "pid"}, {NS_NET, "network"}, {NS_IPC, "ipc"}, {NS_UTS, "uts"},
		     {NS_MNT, "mount"}, {NS_CGROUP, "cgroup"}, {NS_USER, "user"}, {NS_TIME, "time"}};
	json *a = json_object_new_array();

	if (!(x->isolated & NS_BIT(NS_MNT)))
		buf_printf(notes, _("the bundle has a mount namespace of its own, which the lab has not: a root "
				    "filesystem needs one\n"));
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if ((x->isolated & NS_BIT(types[i].t)) || types[i].t == NS_MNT) {
			json *o = json_object_new_object();
			put(o, "type", str(types[i].oci));
			json_object_array_add(a, o);
		}
	return a;
}

static json *time_offsets(const struct export_lab *x)
{
	static const char *const names[EXPORT_CLOCKS] = {"monotonic", "boottime"};
	json *t = json_object_new_object();

	for (int c = 0; c < EXPORT_CLOCKS; c++)
		if (x->clock_set[c]) {
			json *o = json_object_new_object();
			put(o, "secs", json_object_new_int64(x->clock_sec[c]));
			put(o, "nanosecs", json_object_new_int(0));
			put(t, names[c], o);
		}
	return t;
}

static json *linux_section(const struct export_lab *x, struct buf *notes)
{
	static const char *const masked[] = {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
					     "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
					     "/proc/sched_debug", "/sys/firmware", "/proc/scsi", NULL};
	static const char *const ro[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};
	json *l = json_object_new_object();

	if (x->isolated & NS_BIT(NS_USER)) {
		put(l, "uidMappings", id_mappings(&x->uid));
		put(l, "gidMappings", id_mappings(&x->gid));
	}
	put(l, "resources", resources(x));
	put(l, "namespaces", namespaces(x, notes));
	if (x->clock_set[EXPORT_MONOTONIC] || x->clock_set[EXPORT_BOOTTIME])
		put(l, "timeOffsets", time_offsets(x));
	put(l, "maskedPaths", strings(masked));
	put(l, "readonlyPaths", strings(ro));
	return l;
}

void export_oci_config(const struct export_lab *x, const char *rootfs, char *const *argv, struct buf *b,
		       struct buf *notes)
{
	json *c = json_object_new_object(), *root = json_object_new_object(), *mounts = json_object_new_array();
	bool time = x->clock_set[EXPORT_MONOTONIC] || x->clock_set[EXPORT_BOOTTIME];

	/* timeOffsets came with runtime-spec 1.1. */
	put(c, "ociVersion", str(time ? "1.1.0" : "1.0.2"));
	put(c, "process", process(argv && argv[0] ? argv : NULL));
	put(root, "path", str(rootfs));
	put(root, "readonly", json_object_new_boolean(x->root_kind == EXPORT_ROOT_NONE));
	put(c, "root", root);
	if (x->set_hostname)
		put(c, "hostname", str(x->hostname));
	if (x->set_domainname)
		put(c, "domainname", str(x->domainname));
	default_mounts(x, mounts);
	lab_mounts(x, mounts, notes);
	put(c, "mounts", mounts);
	put(c, "linux", linux_section(x, notes));
	if (time) {
		/* crun before 1.9 reads the offsets from its own annotation. */
		json *a = json_object_new_object();
		struct buf text = {0};
		if (x->clock_set[EXPORT_MONOTONIC])
			buf_printf(&text, "monotonic %lld 0\n", x->clock_sec[EXPORT_MONOTONIC]);
		if (x->clock_set[EXPORT_BOOTTIME])
			buf_printf(&text, "boottime %lld 0\n", x->clock_sec[EXPORT_BOOTTIME]);
		put(a, "run.oci.timens_offset", str(text.s));
		put(c, "annotations", a);
		buf_free(&text);
	}
	if (x->ipc_objects > 0)
		buf_printf(notes, _("not reproduced: the lab's System V IPC objects\n"));
	if (x->isolated & NS_BIT(NS_TIME))
		buf_printf(notes, _("runc before 1.2 refuses time namespaces; crun takes them\n"));
	if (x->set_domainname)
		buf_printf(notes, _("runc before 1.2 leaves the domain name as it is; crun sets it\n"));
	if (x->nveth)
		buf_printf(notes, _("not reproduced: the lab's veth pairs; OCI has no veth (a runtime's hooks or a CNI "
				    "plugin make those)\n"));
	if (x->overlay_root)
		buf_printf(notes, _("not reproduced: the lab's root, its overlay, which exists only in the lab's mount "
				    "namespace; the bundle gets a busybox root\n"));
	else if (x->overlay)
		buf_printf(notes, _("not reproduced: the lab's overlay, which exists only in the lab's mount namespace\n"));
	buf_printf(b, "%s\n", json_object_to_json_string_ext(c, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(c);
}
