/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Limits and usage of the lab's cgroup: the same three controllers, under
 * other file names on v1 and v2. */
#include "config.h"
#include "cgroup_int.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "args.h"
#include "lab.h"

#define MEM_MIN ((uint64_t)1 << 20)
#define MEM_MAX ((uint64_t)1 << 44)
#define MEM_V1_UNLIMITED ((uint64_t)1 << 62) /* v1 reads "no limit" as a huge number */
#define PIDS_MAX 4194304		     /* the kernel's PID_MAX_LIMIT */
#define CPU_PERIOD 100000		     /* µs: the kernel's default CFS period */

static const char *const ctl_names[CG_CTL_COUNT] = {"memory", "pids", "cpu"};

const char *cgroup_ctl_name(enum cg_ctl c)
{
	return ctl_names[c];
}

const char *cgroup_mount_point(enum cg_ctl c)
{
	cg_probe();
	return cg_sys.of[c] >= 0 ? cg_sys.h[cg_sys.of[c]].mount : NULL;
}

const char *cgroup_unavailable(enum cg_ctl c)
{
	return cg_kind_why((enum cg_kind)c);
}

void cgroup_format_size(uint64_t n, char *out, size_t size)
{
	static const char units[] = "BKMGTPE";
	double v = (double)n;
	int u = 0;

	if (n == CG_UNLIMITED || n == CG_UNKNOWN) {
		snprintf(out, size, "%s", n == CG_UNLIMITED ? "max" : "?");
		return;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, size, "%lluB", (unsigned long long)n);
	else
		snprintf(out, size, v == (double)(uint64_t)v || v >= 10 ? "%.0f%c" : "%.1f%c", v, units[u]);
}

static long cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/* ---- parsing ------------------------------------------------------------ */

static int parse_value(enum cg_ctl c, const char *s, uint64_t *v, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(s);
	unsigned long n;
	size_t len = strlen(s);
	char num[32];

	switch (c) {
	case CG_MEMORY:
		if (parse_size(s, MEM_MAX, v, e) == 0 && *v >= MEM_MIN)
			return 0;
		nserr_set(e, 0, _("cgroup memory: bad size '%s'"), w);
		return nserr_hint(e, _("a size such as 64M or 2G, from 1M to 16T, or max"));
	case CG_PIDS:
		if (parse_uint(s, "number", PIDS_MAX, &n, e) == 0 && n > 0) {
			*v = n;
			return 0;
		}
		nserr_set(e, 0, _("cgroup pids: bad number of processes '%s'"), w);
		return nserr_hint(e, _("a whole number from 1 to %d, or max"), PIDS_MAX);
	default:
		snprintf(num, sizeof(num), "%.*s", (int)(len && s[len - 1] == '%' ? len - 1 : len), s);
		if (len < sizeof(num) && parse_uint(num, "percentage", (unsigned long)(100 * cpus()), &n, e) == 0 &&
		    n > 0) {
			*v = n;
			return 0;
		}
		nserr_set(e, 0, _("cgroup cpu: bad percentage '%s'"), w);
		return nserr_hint(e, _("a whole percentage of one CPU, from 1 to %ld (%ld CPUs), or max"),
				  100 * cpus(), cpus());
	}
}

int cgroup_parse_limit(const char *ctl, const char *value, struct cg_limit *l, struct nserr *e)
{
	int c = 0;

	while (c < CG_CTL_COUNT && strcmp(ctl, ctl_names[c]) != 0)
		c++;
	if (c == CG_CTL_COUNT) {
		_cleanup_free_ char *w = escaped(ctl);
		nserr_set(e, 0, _("cgroup: unknown controller '%s'"), w);
		return nserr_hint(e, _("one of: memory, pids, cpu"));
	}
	l->ctl = (enum cg_ctl)c;
	if (strcmp(value, "max") == 0) {
		l->value = CG_UNLIMITED;
		return 0;
	}
	return parse_value(l->ctl, value, &l->value, e);
}

/* ---- usage ---------------------------------------------------------------- */

static void read_memory(int dir, int v, struct cg_usage *u)
{
	cg_read_u64(dir, v == 1 ? "memory.usage_in_bytes" : "memory.current", &u->mem_current);
	cg_read_u64(dir, v == 1 ? "memory.max_usage_in_bytes" : "memory.peak", &u->mem_peak);
	cg_read_u64(dir, v == 1 ? "memory.limit_in_bytes" : "memory.max", &u->mem_max);
	if (v == 1 && u->mem_max != CG_UNKNOWN && u->mem_max >= MEM_V1_UNLIMITED)
		u->mem_max = CG_UNLIMITED;
	if (v == 1 && cg_read_key(dir, "memory.oom_control", "oom_kill", &u->oom_kills) < 0)
		cg_read_u64(dir, "memory.failcnt", &u->oom_kills); /* before 4.13: limit hits */
	if (v == 2)
		cg_read_key(dir, "memory.events", "oom_kill", &u->oom_kills);
}

static void read_cpu(int dir, int v, struct cg_usage *u)
{
	char max[64];
	unsigned long long q, p;

	if (v == 1) {
		cg_read_u64(dir, "cpu.cfs_quota_us", &u->cpu_quota);
		cg_read_u64(dir, "cpu.cfs_period_us", &u->cpu_period);
	} else if (cg_read(dir, "cpu.max", max, sizeof(max)) > 0) {
		if (sscanf(max, "%llu %llu", &q, &p) == 2) {
			u->cpu_quota = q;
			u->cpu_period = p;
		} else if (sscanf(max, "max %llu", &p) == 1) {
			u->cpu_quota = CG_UNLIMITED;
			u->cpu_period = p;
		}
	}
	cg_read_key(dir, "cpu.stat", "nr_throttled", &u->throttled);
}

void cgroup_lab_usage(const struct lab *lab, struct cg_usage *u)
{
	int dir, v;
	uint64_t ns;

	for (uint64_t *p = &u->mem_current; p <= &u->throttled; p++)
		*p = CG_UNKNOWN;
	for (int c = 0; c < CG_CTL_COUNT; c++)
		u->version[c] = cg_kind_version((enum cg_kind)c);
	if ((dir = cg_lab_dir(lab, K_MEMORY, &v)) >= 0)
		read_memory(dir, v, u);
	if ((dir = cg_lab_dir(lab, K_PIDS, &v)) >= 0) {
		cg_read_u64(dir, "pids.current", &u->pids_current);
		cg_read_u64(dir, "pids.max", &u->pids_max);
		cg_read_key(dir, "pids.events", "max", &u->forks_refused);
	}
	if ((dir = cg_lab_dir(lab, K_CPU, &v)) >= 0)
		read_cpu(dir, v, u);
	if ((dir = cg_lab_dir(lab, K_CPUACCT, &v)) >= 0) {
		if (v == 1 && cg_read_u64(dir, "cpuacct.usage", &ns) == 0)
			u->cpu_usec = ns / 1000;
		else if (v == 2)
			cg_read_key(dir, "cpu.stat", "usage_usec", &u->cpu_usec);
	}
}

/* ---- setting limits ------------------------------------------------------- */

/* Below what the lab uses now the kernel does not refuse outright: say
 * what it would do instead, and change nothing. */
static int check_usage(struct lab *lab, const struct cg_limit *l, struct nserr *e)
{
	struct cg_usage u;
	char now[32], want[32];

	cgroup_lab_usage(lab, &u);
	if (!cgroup_lab_name(lab)) {
		/* A new cgroup: memory stays charged where it was, but the
		 * processes of the lab's PID namespace move in. */
		u.mem_current = 0;
		u.pids_current = (uint64_t)lab_count_processes(lab);
	}
	if (l->value == CG_UNLIMITED)
		return 0;
	if (l->ctl == CG_MEMORY && u.mem_current != CG_UNKNOWN && l->value < u.mem_current) {
		cgroup_format_size(u.mem_current, now, sizeof(now));
		cgroup_format_size(l->value, want, sizeof(want));
		nserr_set(e, 0, _("cgroup memory: the lab uses %s now; under a %s limit the kernel would reclaim "
				  "its memory and, failing that, OOM-kill processes in it"), now, want);
		return nserr_hint(e, _("give at least %s, or end some processes first"), now);
	}
	if (l->ctl == CG_PIDS && u.pids_current != CG_UNKNOWN && l->value < u.pids_current) {
		nserr_set(e, 0, _("cgroup pids: the lab has %llu processes now; a limit of %llu would end none of "
				  "them, but the kernel would refuse every fork in the lab until fewer remain"),
			  (unsigned long long)u.pids_current, (unsigned long long)l->value);
		return nserr_hint(e, _("give at least %llu, or end some processes first"),
				  (unsigned long long)u.pids_current);
	}
	return 0;
}

static int write_error(const char *file, int err, struct nserr *e)
{
	if (err == EBUSY)
		nserr_set(e, 0, _("cgroup memory: the kernel could not reclaim enough of the lab's memory to go under "
				  "that limit, so cgroup v1 refused it (%s)"), file);
	else if (err == EINVAL && strstr(file, "cpu"))
		nserr_set(e, err, _("cgroup cpu: the kernel refused %s: nslab's own cgroup may have a smaller quota"), file);
	else
		nserr_set(e, err, _("cgroup: cannot write %s"), file);
	return -1;
}

static int set_memory(int dir, int v, uint64_t value, struct buf *said, struct nserr *e)
{
	const char *limit = v == 1 ? "memory.limit_in_bytes" : "memory.max";
	const char *swap = v == 1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max";
	char num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)value);
	if (value == CG_UNLIMITED)
		snprintf(num, sizeof(num), "%s", v == 1 ? "-1" : "max");
	/* v1 keeps memory+swap at least memory: raise it first when needed. */
	if (cg_write(dir, limit, num) < 0 &&
	    (errno != EINVAL || v != 1 || cg_write(dir, swap, num) < 0 || cg_write(dir, limit, num) < 0))
		return write_error(limit, errno, e);
	/* No swap beyond the limit, so that reaching it means OOM. */
	if (cg_write(dir, swap, v == 2 && value != CG_UNLIMITED ? "0" : num) < 0 && errno != ENOENT)
		return write_error(swap, errno, e);
	buf_printf(said, "%s %s", limit, num);
	return 0;
}

static int set_cpu(int dir, int v, uint64_t pct, struct buf *said, struct nserr *e)
{
	char text[64], quota[32];

	snprintf(quota, sizeof(quota), "%llu", (unsigned long long)(pct * CPU_PERIOD / 100));
	if (pct == CG_UNLIMITED)
		snprintf(quota, sizeof(quota), "%s", v == 1 ? "-1" : "max");
	if (v == 2) {
		snprintf(text, sizeof(text), "%s %d", quota, CPU_PERIOD);
		if (cg_write(dir, "cpu.max", text) < 0)
			return write_error("cpu.max", errno, e);
		buf_printf(said, "cpu.max %s", text);
		return 0;
	}
	snprintf(text, sizeof(text), "%d", CPU_PERIOD);
	if (cg_write(dir, "cpu.cfs_period_us", text) < 0)
		return write_error("cpu.cfs_period_us", errno, e);
	if (cg_write(dir, "cpu.cfs_quota_us", quota) < 0)
		return write_error("cpu.cfs_quota_us", errno, e);
	buf_printf(said, "cpu.cfs_quota_us %s per cpu.cfs_period_us %d", quota, CPU_PERIOD);
	return 0;
}

int cgroup_lab_set(struct lab *lab, const struct cg_limit *l, struct buf *said, struct nserr *e)
{
	char num[32];
	int dir, v;

	if (check_usage(lab, l, e) < 0)
		return -1;
	if (cg_lab_ensure(lab, K_BIT(l->ctl), e) < 0) {
		_cleanup_free_ char *what = xasprintf("cgroup %s", ctl_names[l->ctl]);
		return nserr_prefix(e, what);
	}
	dir = cg_lab_dir(lab, (enum cg_kind)l->ctl, &v);
	switch (l->ctl) {
	case CG_MEMORY:
		return set_memory(dir, v, l->value, said, e);
	case CG_PIDS:
		snprintf(num, sizeof(num), "%llu", (unsigned long long)l->value);
		if (cg_write(dir, "pids.max", l->value == CG_UNLIMITED ? "max" : num) < 0)
			return write_error("pids.max", errno, e);
		buf_printf(said, "pids.max %s", l->value == CG_UNLIMITED ? "max" : num);
		return 0;
	default:
		return set_cpu(dir, v, l->value, said, e);
	}
}

/* ---- OOM kills ------------------------------------------------------------ */

uint64_t cgroup_oom_kills(const struct lab *lab)
{
	struct cg_usage u = {.oom_kills = CG_UNKNOWN};
	int v, dir = cg_lab_dir(lab, K_MEMORY, &v);

	if (dir >= 0)
		read_memory(dir, v, &u);
	return u.oom_kills;
}

void cgroup_describe_status(const struct lab *lab, uint64_t before, int status, char *out, size_t size)
{
	uint64_t now = before == CG_UNKNOWN ? CG_UNKNOWN : cgroup_oom_kills(lab);
	struct cg_usage u;
	char limit[64], lim[32];
	size_t len;

	describe_status(status, out, size);
	if (now == CG_UNKNOWN || now <= before)
		return;
	cgroup_lab_usage(lab, &u);
	cgroup_format_size(u.mem_max, lim, sizeof(lim));
	if (u.mem_max == CG_UNLIMITED)
		snprintf(limit, sizeof(limit), _("the lab has no memory limit of its own"));
	else
		snprintf(limit, sizeof(limit), _("memory limit %s"), lim);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		snprintf(out, size, _("killed by the OOM killer (%s)"), limit);
		return;
	}
	len = strlen(out);
	snprintf(out + len, size - len, _("; the OOM killer ended %llu process(es) in the lab (%s)"),
		 (unsigned long long)(now - before), limit);
}

/* ---- status, panel -------------------------------------------------------- */

static void limit_text(uint64_t v, bool bytes, char *out, size_t size)
{
	if (bytes || v == CG_UNLIMITED || v == CG_UNKNOWN)
		cgroup_format_size(v, out, size);
	else
		snprintf(out, size, "%llu", (unsigned long long)v);
}

static uint64_t cpu_percent(const struct cg_usage *u)
{
	if (u->cpu_quota == CG_UNLIMITED || u->cpu_quota == CG_UNKNOWN || !u->cpu_period ||
	    u->cpu_period == CG_UNKNOWN)
		return u->cpu_quota;
	return (u->cpu_quota * 100 + u->cpu_period / 2) / u->cpu_period;
}

void cgroup_summary(const struct lab *lab, struct buf *b)
{
	struct cg_usage u;
	char now[32], max[32];
	const char *sep = b->len ? "; " : "";

	if (!cgroup_lab_name(lab))
		return;
	cgroup_lab_usage(lab, &u);
	if (u.version[CG_MEMORY]) {
		cgroup_format_size(u.mem_current, now, sizeof(now));
		cgroup_format_size(u.mem_max, max, sizeof(max));
		buf_printf(b, _("%smem %s/%s"), sep, now, max);
		if (u.oom_kills && u.oom_kills != CG_UNKNOWN)
			buf_printf(b, ngettext(" (%llu OOM kill)", " (%llu OOM kills)", (unsigned long)u.oom_kills),
				   (unsigned long long)u.oom_kills);
		sep = ", ";
	}
	if (u.version[CG_PIDS]) {
		limit_text(u.pids_current, false, now, sizeof(now));
		limit_text(u.pids_max, false, max, sizeof(max));
		buf_printf(b, _("%spids %s/%s"), sep, now, max);
		sep = ", ";
	}
	if (u.cpu_usec != CG_UNKNOWN)
		buf_printf(b, _("%scpu %.2fs"), sep, (double)u.cpu_usec / 1e6);
	if (u.version[CG_CPU] && cpu_percent(&u) != CG_UNLIMITED && cpu_percent(&u) != CG_UNKNOWN)
		buf_printf(b, _(" at most %llu%%"), (unsigned long long)cpu_percent(&u));
}

static json_object *json_u64(uint64_t v)
{
	return v == CG_UNKNOWN || v == CG_UNLIMITED ? NULL : json_object_new_int64((int64_t)v);
}

void cgroup_json(const struct lab *lab, json_object *o)
{
	const char *name = cgroup_lab_name(lab);
	struct cg_usage u;
	json_object *c[CG_CTL_COUNT] = {0}; /* all set below; gcc -fanalyzer cannot tell */

	cgroup_lab_usage(lab, &u);
	json_object_object_add(o, "lab_cgroup", name ? json_object_new_string(name) : NULL);
	for (int i = 0; i < CG_CTL_COUNT; i++) {
		c[i] = json_object_new_object();
		json_object_object_add(c[i], "version", json_object_new_int(u.version[i]));
	}
	if (name) {
		json_object_object_add(c[CG_MEMORY], "current", json_u64(u.mem_current));
		json_object_object_add(c[CG_MEMORY], "peak", json_u64(u.mem_peak));
		json_object_object_add(c[CG_MEMORY], "max", json_u64(u.mem_max));
		json_object_object_add(c[CG_MEMORY], "oom_kills", json_u64(u.oom_kills));
		json_object_object_add(c[CG_PIDS], "current", json_u64(u.pids_current));
		json_object_object_add(c[CG_PIDS], "max", json_u64(u.pids_max));
		json_object_object_add(c[CG_PIDS], "forks_refused", json_u64(u.forks_refused));
		json_object_object_add(c[CG_CPU], "usage_usec", json_u64(u.cpu_usec));
		json_object_object_add(c[CG_CPU], "max_percent", json_u64(cpu_percent(&u)));
		json_object_object_add(c[CG_CPU], "throttled", json_u64(u.throttled));
	}
	for (int i = 0; i < CG_CTL_COUNT; i++)
		json_object_object_add(o, ctl_names[i], c[i]);
}
