/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The lab's cgroups: making, joining and removing its directories, and
 * sweeping what killed runs left (cgroup_probe.c finds the hierarchies).
 *
 * Lab cgroups are children of nslab's own cgroup in each hierarchy, named
 * nslab.<PID>.<LAB>, so a lab stays inside whatever limits or delegation
 * nslab itself was given, and the PID says whose they are.
 */
#include "config.h"
#include "cgroup_int.h"
#include "labfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"
#include "harden.h"
#include "signals.h"
#include "trace.h"

struct cgroup_lab {
	char name[48];
	int dir[CG_MAX_HIER];
};

int cg_lab_dir(const struct lab *lab, enum cg_kind k, int *version)
{
	int i = cg_sys.of[k];

	if (!lab->cg || i < 0 || lab->cg->dir[i] < 0)
		return -1;
	*version = cg_sys.h[i].version;
	return lab->cg->dir[i];
}

const char *cgroup_lab_name(const struct lab *lab)
{
	return lab->cg ? lab->cg->name : NULL;
}

void cgroup_lab_dirs(const struct lab *lab, struct buf *b)
{
	for (int i = 0; lab->cg && i < cg_sys.n; i++)
		if (lab->cg->dir[i] >= 0)
			buf_printf(b, "%s/%s\n", cg_sys.h[i].path, lab->cg->name);
}

void cgroup_lab_path(const struct lab *lab, enum cg_ctl c, char *out, size_t size)
{
	int i = cg_sys.of[c];

	out[0] = '\0';
	if (lab->cg && i >= 0 && lab->cg->dir[i] >= 0)
		snprintf(out, size, "%s/%s", cg_sys.h[i].path, lab->cg->name);
}


/* ---- emptying and removing (also from the fatal-signal path) -------------- */

/* SIGKILL every process listed in DIR; how many were signalled. Only
 * async-signal-safe calls: the fatal-signal path uses it too. */
static int kill_listed(int dir)
{
	int fd = openat(dir, "cgroup.procs", O_RDONLY | O_NOFOLLOW | O_CLOEXEC), found = 0;
	char buf[4096];
	long pid = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
				continue;
			}
			/* What cannot be killed (not ours) must not keep us looping. */
			if (pid > 1 && pid != getpid() && kill((pid_t)pid, SIGKILL) == 0)
				found++;
			pid = 0;
		}
	close(fd);
	return found;
}

static void empty_and_remove_at(int base, int dir, const char *name, int depth);

/* The first directory in DIR, or false. getdents64: no malloc, no stdio. */
static bool first_subdir(int dir, char *name, size_t size)
{
	struct dent {
		ino64_t ino;
		off64_t off;
		unsigned short reclen;
		unsigned char type;
		char name[];
	};
	char buf[2048];
	long n;

	lseek(dir, 0, SEEK_SET);
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			struct dent *d = (struct dent *)(buf + off);
			off += d->reclen;
			if (d->type == DT_DIR && strcmp(d->name, ".") != 0 && strcmp(d->name, "..") != 0 &&
			    strlen(d->name) < size) {
				memcpy(name, d->name, strlen(d->name) + 1);
				return true;
			}
		}
	return false;
}

/* A root lab may make cgroups of its own below the lab's and move into
 * them: there they escape a kill of the lab's cgroup.procs (v1 lists only
 * its own members), and the lab's cannot be removed (EBUSY). Deepest
 * first, each emptied and removed. */
static void remove_children(int dir, int depth)
{
	char name[256];

	for (int i = 0; i < 64 && depth < 16 && first_subdir(dir, name, sizeof(name)); i++)
		empty_and_remove_at(dir, -1, name, depth + 1);
}

static void empty_and_remove(int base, int dir, const char *name)
{
	empty_and_remove_at(base, dir, name, 0);
}

static void empty_and_remove_at(int base, int dir, const char *name, int depth)
{
	struct timespec pause = {0, 5 * 1000 * 1000};
	int own = -1;

	if (dir < 0)
		dir = own = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir >= 0) {
		/* v2 (5.14+) kills even what forks meanwhile; elsewhere, repeat. */
		cg_write(dir, "cgroup.kill", "1");
		for (int i = 0; i < 400 && kill_listed(dir) > 0; i++)
			nanosleep(&pause, NULL);
		remove_children(dir, depth);
	}
	for (int i = 0; i < 200; i++)
		if (TRACE(unlinkat(base, name, AT_REMOVEDIR), "unlinkat(%s, %s, AT_REMOVEDIR)", trace_fd(base),
			  trace_str(name)) == 0 || errno != EBUSY || nanosleep(&pause, NULL) < 0)
			break;
	if (own >= 0)
		close(own);
}

static struct {
	volatile int dir;
	int base;
	char name[48];
} emerg[96];

static void emergency_cleanup(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(emerg); i++)
		if (emerg[i].dir >= 0)
			empty_and_remove(emerg[i].base, emerg[i].dir, emerg[i].name);
}

static void emergency_track(int base, int dir, const char *name)
{
	static bool hooked;

	if (!hooked) {
		for (size_t i = 0; i < ARRAY_SIZE(emerg); i++)
			emerg[i].dir = -1;
		signals_on_fatal(emergency_cleanup);
		hooked = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(emerg); i++)
		if (emerg[i].dir < 0) {
			emerg[i].base = base;
			memcpy(emerg[i].name, name, sizeof(emerg[i].name));
			emerg[i].dir = dir;
			return;
		}
}

static void emergency_forget(int dir)
{
	for (size_t i = 0; i < ARRAY_SIZE(emerg); i++)
		if (emerg[i].dir == dir)
			emerg[i].dir = -1;
}

/* nslab.<PID> or nslab.<PID>.<LAB> whose nslab is gone. The PID is ours
 * only if a killed nslab had it before: nothing is made before the sweep. */
static bool stale(const char *name)
{
	char *end;
	long pid;

	if (strncmp(name, "nslab.", 6) != 0 || !isdigit((unsigned char)name[6]))
		return false;
	pid = strtol(name + 6, &end, 10);
	if (*end && (*end != '.' || !isalpha((unsigned char)end[1]) || strchr(end + 1, '/')))
		return false;
	if (pid <= 0 || pid == getpid())
		return pid > 0;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

void cgroup_sweep(void)
{
	cg_probe();
	for (int i = 0; i < cg_sys.n; i++) {
		int fd = openat(cg_sys.h[i].base, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d;
		struct dirent *de;

		/* Not ours to clean (rootless on v1, say): leave it alone. */
		if (fd < 0 || faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) < 0 || !(d = fdopendir(fd))) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((de = readdir(d)))
			if (de->d_type == DT_DIR && stale(de->d_name))
				empty_and_remove(cg_sys.h[i].base, -1, de->d_name);
		closedir(d);
	}
}

/* ---- the lab's cgroups ---------------------------------------------------- */

/* Put the lab's processes (those of its PID namespace) into new dirs. */
static void adopt(const struct lab *lab, const struct cgroup_lab *cg, unsigned made)
{
	_cleanup_close_ int fd = -1;
	struct dirent *de;
	struct stat st;
	char path[300];
	DIR *d;

	if (lab->fd[NS_PID] < 0 || (fd = openat(host.proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    !(d = fdopendir(fd)))
		return;
	fd = -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/ns/pid", de->d_name);
		if (fstatat(dirfd(d), path, &st, 0) < 0 || st.st_ino != lab->ino[NS_PID])
			continue;
		for (int i = 0; i < cg_sys.n; i++)
			if (made & (1u << i))
				cg_write(cg->dir[i], "cgroup.procs", de->d_name);
	}
	closedir(d);
}

static int mkdir_error(const struct cg_hier *h, const char *name, struct nserr *e)
{
	int err = errno;

	if ((err == EACCES || err == EPERM || err == EROFS) && h->version == 1 && geteuid() != 0) {
		nserr_set(e, err, _("cannot make a cgroup in %s: cgroup v1 belongs to root and has no safe delegation"),
			  h->path);
		return nserr_hint(e, _("run nslab as root, or on a cgroup v2 system in a delegated cgroup: "
				       "systemd-run --user --scope -p Delegate=yes nslab"));
	}
	if (err == EACCES || err == EPERM || err == EROFS) {
		nserr_set(e, err, _("cannot make a cgroup in %s: nslab's cgroup is not delegated to this user"), h->path);
		return nserr_hint(e, _("start nslab in a delegated cgroup: systemd-run --user --scope -p Delegate=yes nslab"));
	}
	return nserr_set(e, err, _("cannot make the cgroup %s/%s"), h->path, name);
}

/* Before nslab makes its first cgroup, its run directory says so, and what
 * killed nslabs left is swept (nothing of ours is made before the sweep);
 * once the last is gone, the mark goes. */
static bool marked;

static int cg_mark(struct nserr *e)
{
	if (marked)
		return 0;
	if (labfs_mark_cgroups(e) < 0)
		return -1;
	marked = true;
	cgroup_sweep();
	return 0;
}

static void cg_unmark_when_done(void)
{
	if (marked && cg_sys.labs == 0 && cg_sys.leaf < 0) {
		labfs_unmark_cgroups();
		marked = false;
	}
}

static int make_dir(struct cg_hier *h, const char *name, struct nserr *e)
{
	int fd;

	if (cg_mark(e) < 0)
		return -1;
	if (h->version == 2 && cg_v2_delegate(h, e) < 0)
		return -1;
	if (TRACE(mkdirat(h->base, name, 0755), "mkdirat(%s, %s, 0755)", trace_fd(h->base), trace_str(name)) < 0) {
		if (errno != EEXIST)
			return mkdir_error(h, name, e);
		/* Ours cannot exist yet: a killed nslab with our PID left it. */
		empty_and_remove(h->base, -1, name);
		if (TRACE(mkdirat(h->base, name, 0755), "mkdirat(%s, %s, 0755)", trace_fd(h->base), trace_str(name)) < 0)
			return mkdir_error(h, name, e);
	}
	fd = openat(h->base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		unlinkat(h->base, name, AT_REMOVEDIR);
		return nserr_set(e, err, _("cannot open the cgroup %s/%s"), h->path, name);
	}
	return fd;
}

static void unmake(struct cgroup_lab *cg, unsigned made)
{
	for (int i = 0; i < cg_sys.n; i++)
		if (made & (1u << i)) {
			TRACE(unlinkat(cg_sys.h[i].base, cg->name, AT_REMOVEDIR), "unlinkat(%s, %s, AT_REMOVEDIR)",
			      trace_fd(cg_sys.h[i].base), trace_str(cg->name));
			close(cg->dir[i]);
			cg->dir[i] = -1;
		}
}

int cg_lab_ensure(struct lab *lab, unsigned need, struct nserr *e)
{
	struct cgroup_lab *cg = lab->cg;
	unsigned made = 0;

	cg_probe();
	for (int k = 0; k < K_COUNT; k++)
		if ((need & K_BIT(k)) && cg_sys.of[k] < 0)
			return nserr_set(e, 0, _("not available: %s"), cg_sys.why[k]);
	if (!cg) {
		cg = xcalloc(1, sizeof(*cg));
		snprintf(cg->name, sizeof(cg->name), "nslab.%d.%s", (int)getpid(), lab->name);
		for (int i = 0; i < CG_MAX_HIER; i++)
			cg->dir[i] = -1;
	}
	for (int i = 0; i < cg_sys.n; i++) {
		if (!cg_sys.h[i].kinds || cg->dir[i] >= 0)
			continue;
		cg->dir[i] = make_dir(&cg_sys.h[i], cg->name, e);
		if (cg->dir[i] >= 0) {
			made |= 1u << i;
			test_pause("cgroup:after-mkdir");
			continue;
		}
		if (need & cg_sys.h[i].kinds) {
			unmake(cg, made);
			if (!lab->cg)
				free(cg);
			cg_v2_restore();
			cg_unmark_when_done();
			return -1;
		}
		nserr_clear(e);
	}
	if (!lab->cg && !made) {
		free(cg);
		cg_unmark_when_done();
		return 0;
	}
	if (!lab->cg)
		cg_sys.labs++;
	lab->cg = cg;
	adopt(lab, cg, made);
	for (int i = 0; i < cg_sys.n; i++)
		if (made & (1u << i))
			emergency_track(cg_sys.h[i].base, cg->dir[i], cg->name);
	return 0;
}

int cgroup_lab_join(const struct lab *lab, struct nserr *e)
{
	const struct cgroup_lab *cg = lab->cg;

	for (int i = 0; cg && i < cg_sys.n; i++)
		if (cg->dir[i] >= 0 && cg_write(cg->dir[i], "cgroup.procs", "0") < 0) {
			nserr_set(e, errno, _("cannot join the lab's cgroup %s/%s"), cg_sys.h[i].path, cg->name);
			return nserr_hint(e, _("`reset` gives the lab up and a new limit makes it anew"));
		}
	return 0;
}

void cgroup_lab_for_ns(struct lab *lab)
{
	struct nserr e;

	/* Without one (rootless v1, say) the namespace's root is nslab's. */
	cg_lab_ensure(lab, 0, &e);
}

bool cgroup_lab_remove(struct lab *lab)
{
	struct cgroup_lab *cg = lab->cg;

	if (!cg)
		return false;
	for (int i = 0; i < cg_sys.n; i++)
		if (cg->dir[i] >= 0) {
			emergency_forget(cg->dir[i]);
			empty_and_remove(cg_sys.h[i].base, cg->dir[i], cg->name);
			close(cg->dir[i]);
		}
	free(cg);
	lab->cg = NULL;
	if (--cg_sys.labs == 0)
		cg_v2_restore();
	cg_unmark_when_done();
	return true;
}
