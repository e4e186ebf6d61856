/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the machine offers: which mounted hierarchy (v1 or v2) serves each
 * controller, and nslab's own cgroup in it.
 *
 * v1 mounts one hierarchy per controller (or a few together); v2 has one
 * unified hierarchy whose cgroup.controllers lists what it may use. A
 * controller lives in one hierarchy at a time, so on a hybrid machine the
 * v2 tree has none of those bound to v1. Each controller is taken from the
 * v1 hierarchy that carries it, else from v2.
 *
 * On v2 a cgroup hands controllers to its children only while it has no
 * processes of its own (the root excepted). When nslab's cgroup refuses,
 * nslab moves itself and its children into a leaf nslab.<PID> beside the
 * labs, as a delegated service manager would, and undoes this once its
 * last lab cgroup is gone.
 */
#include "config.h"
#include "cgroup_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lab.h"
#include "trace.h"

const char *const cg_kind_names[K_COUNT] = {"memory", "pids", "cpu", "cpuacct"};

struct cg_sys cg_sys = {.v2 = -1, .leaf = -1};

/* ---- small files ---------------------------------------------------------- */

int cg_write(int dir, const char *file, const char *text)
{
	return trace_write_file(dir, file, O_NOFOLLOW, text);
}

int cg_read(int dir, const char *file, char *out, size_t size)
{
	_cleanup_close_ int fd = openat(dir, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || (n = read_full(fd, out, size - 1)) < 0)
		return -1;
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	return (int)n;
}

int cg_read_u64(int dir, const char *file, uint64_t *v)
{
	char s[64], *end;

	if (cg_read(dir, file, s, sizeof(s)) < 0)
		return -1;
	if (strncmp(s, "max", 3) == 0 || strcmp(s, "-1") == 0) {
		*v = CG_UNLIMITED;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s ? -1 : 0;
}

int cg_read_key(int dir, const char *file, const char *key, uint64_t *v)
{
	char s[4096];
	size_t len = strlen(key);

	if (cg_read(dir, file, s, sizeof(s)) < 0)
		return -1;
	for (char *line = s; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ' ') {
			*v = strtoull(line + len + 1, NULL, 10);
			return 0;
		}
	errno = ENOENT;
	return -1;
}

/* ---- finding the hierarchies ---------------------------------------------- */

struct self_line {
	char ctls[128];
	char path[1024];
};

static FILE *proc_file(const char *path)
{
	int fd = openat(host.proc, path, O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;

	if (fd >= 0 && !f)
		close(fd);
	return f;
}

static int read_self_cgroup(struct self_line *l, int max)
{
	_cleanup_fclose_ FILE *f = proc_file("self/cgroup");
	char line[1200];
	int n = 0;

	while (f && n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*[^:]:%127[^:]:%1023[^\n]", l[n].ctls, l[n].path) == 2 ||
		    (sscanf(line, "%*[^:]::%1023[^\n]", l[n].path) == 1 && !(l[n].ctls[0] = '\0')))
			n++;
	return n;
}

static bool in_list(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, word, len) == 0 && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

static unsigned kinds_in(const char *list)
{
	unsigned k = 0;

	for (int i = 0; i < K_COUNT; i++)
		if (in_list(list, cg_kind_names[i]))
			k |= K_BIT(i);
	return k;
}

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++)
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	*o = '\0';
}

/* nslab's cgroup in the hierarchy mounted at POINT (whose root is ROOT). */
static void add_hier(int version, unsigned kinds, const char *root, const char *point, const char *self)
{
	struct cg_hier *h = &cg_sys.h[cg_sys.n];
	size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);

	/* "/.." : nslab is outside its cgroup namespace's root, out of reach. */
	if (cg_sys.n == CG_MAX_HIER || strncmp(self, root, rl) != 0 || (self[rl] != '/' && self[rl] != '\0') ||
	    strstr(self, "/.."))
		return;
	snprintf(h->path, sizeof(h->path), "%s%s", point, strcmp(self + rl, "/") == 0 ? "" : self + rl);
	h->base = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->base < 0)
		return;
	snprintf(h->mount, sizeof(h->mount), "%s", point);
	h->version = version;
	h->kinds = kinds;
	for (int k = 0; k < K_COUNT; k++)
		if (kinds & K_BIT(k))
			cg_sys.of[k] = cg_sys.n;
	if (version == 2)
		cg_sys.v2 = cg_sys.n;
	cg_sys.n++;
}

static void scan_mounts(const struct self_line *self, int nself)
{
	_cleanup_fclose_ FILE *f = proc_file("self/mountinfo");
	_cleanup_free_ char *line = NULL;
	char root[1024], point[1024], type[32], opts[512];
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) != 2 ||
		    sscanf(dash + 3, "%31s %*s %511s", type, opts) != 2)
			continue;
		unescape(root);
		unescape(point);
		for (int i = 0; i < nself; i++) {
			unsigned k = kinds_in(self[i].ctls);
			if (strcmp(type, "cgroup2") == 0 && !self[i].ctls[0] && cg_sys.v2 < 0)
				add_hier(2, 0, root, point, self[i].path);
			else if (strcmp(type, "cgroup") == 0 && k && k == kinds_in(opts) && cg_sys.of[__builtin_ctz(k)] < 0)
				add_hier(1, k, root, point, self[i].path);
		}
	}
}

/* What v1 does not carry comes from v2, if nslab's v2 cgroup offers it. */
static void assign_v2(void)
{
	struct cg_hier *h;
	char ctls[512];

	if (cg_sys.v2 < 0)
		return;
	h = &cg_sys.h[cg_sys.v2];
	if (cg_read(h->base, "cgroup.controllers", ctls, sizeof(ctls)) < 0)
		ctls[0] = '\0';
	for (char *p = ctls; *p; p++)
		if (*p == ' ')
			*p = ',';
	for (int k = 0; k < K_COUNT; k++)
		if (cg_sys.of[k] < 0 && (k == K_CPUACCT || in_list(ctls, cg_kind_names[k]))) {
			cg_sys.of[k] = cg_sys.v2;
			h->kinds |= K_BIT(k);
		}
}

/* /proc/cgroups: whether the kernel has it, enabled, bound to v1. */
static void explain(int k)
{
	_cleanup_fclose_ FILE *f = proc_file("cgroups");
	const char *name = cg_kind_names[k];
	char line[256], n[64];
	int hier = -1, enabled = 0;
	char *w = cg_sys.why[k];
	size_t size = sizeof(cg_sys.why[k]);

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %d %*d %d", n, &hier, &enabled) == 3 && strcmp(n, name) == 0)
			break;
		else
			hier = -1;
	if (hier < 0)
		snprintf(w, size, _("the kernel has no %s controller"), name);
	else if (!enabled)
		snprintf(w, size, _("disabled by cgroup_disable= on the kernel command line"));
	else if (hier > 0 && cg_sys.v2 >= 0)
		snprintf(w, size, _("bound to a cgroup v1 hierarchy that is not mounted here, and a controller "
				    "works in one hierarchy at a time, so cgroup v2 (at %s) cannot have it"),
			 cg_sys.h[cg_sys.v2].mount);
	else if (hier > 0)
		snprintf(w, size, _("bound to a cgroup v1 hierarchy that is not mounted here"));
	else if (cg_sys.v2 >= 0)
		snprintf(w, size, _("nslab's cgroup %s does not offer it: its parent has not enabled %s in "
				    "cgroup.subtree_control"), cg_sys.h[cg_sys.v2].path, name);
	else
		snprintf(w, size, _("no cgroup file system is mounted"));
}

/* Usable, but not by this user: say why, and what would work. */
static void explain_unwritable(int k)
{
	const struct cg_hier *h = &cg_sys.h[cg_sys.of[k]];
	char *w = cg_sys.why[k];
	size_t size = sizeof(cg_sys.why[k]);

	if (errno == EROFS)
		snprintf(w, size, _("%s is mounted read-only here"), h->path);
	else if (h->version == 1)
		snprintf(w, size, _("nslab runs as uid %u and cgroup v1 (%s) belongs to root: v1 has no safe "
				    "delegation; run nslab as root, or on a cgroup v2 system from a delegated cgroup "
				    "(systemd-run --user --scope -p Delegate=yes nslab)"), (unsigned)geteuid(), h->path);
	else
		snprintf(w, size, _("nslab's cgroup %s is not delegated to uid %u; start nslab from a delegated "
				    "cgroup (systemd-run --user --scope -p Delegate=yes nslab)"), h->path,
			 (unsigned)geteuid());
	cg_sys.of[k] = -1;
}

void cg_probe(void)
{
	struct self_line self[24];
	int nself;

	if (cg_sys.probed)
		return;
	cg_sys.probed = true;
	for (int k = 0; k < K_COUNT; k++)
		cg_sys.of[k] = -1;
	nself = read_self_cgroup(self, (int)ARRAY_SIZE(self));
	scan_mounts(self, nself);
	assign_v2();
	for (int k = 0; k < K_COUNT; k++)
		if (cg_sys.of[k] < 0)
			explain(k);
		else if (faccessat(cg_sys.h[cg_sys.of[k]].base, ".", W_OK | X_OK, AT_EACCESS) < 0)
			explain_unwritable(k);
}

int cg_kind_version(enum cg_kind k)
{
	cg_probe();
	return cg_sys.of[k] >= 0 ? cg_sys.h[cg_sys.of[k]].version : 0;
}

const char *cg_kind_why(enum cg_kind k)
{
	cg_probe();
	return cg_sys.of[k] >= 0 ? NULL : cg_sys.why[k];
}

/* ---- v2: giving the labs controllers --------------------------------------- */

#define CTL_KINDS (K_BIT(K_MEMORY) | K_BIT(K_PIDS) | K_BIT(K_CPU))

static char leaf_name[32];

static unsigned v2_subtree(int base)
{
	char s[512];

	if (cg_read(base, "cgroup.subtree_control", s, sizeof(s)) < 0)
		return 0;
	for (char *p = s; *p; p++)
		if (*p == ' ')
			*p = ',';
	return kinds_in(s) & CTL_KINDS;
}

static void subtree_text(char sign, unsigned kinds, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int k = 0; k < K_COUNT; k++)
		if ((kinds & CTL_KINDS & K_BIT(k)) && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%c%s", len ? " " : "", sign, cg_kind_names[k]);
}

static pid_t parent_of(const char *pid)
{
	char path[64], stat[512], *p;

	snprintf(path, sizeof(path), "%s/stat", pid);
	if (read_small_file(host.proc, path, stat, sizeof(stat)) < 0 || !(p = strrchr(stat, ')')))
		return 0;
	return (pid_t)strtol(p + 4, NULL, 10); /* ") S PPID" */
}

/* Move nslab and its own children (ALL: everything) from one cgroup to
 * another. */
static void move_family(int from, int to, bool all)
{
	char procs[8192], self[16];

	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (cg_read(from, "cgroup.procs", procs, sizeof(procs)) < 0)
		return;
	for (char *pid = strtok(procs, "\n"); pid; pid = strtok(NULL, "\n"))
		if (all || strcmp(pid, self) == 0 || parent_of(pid) == getpid())
			cg_write(to, "cgroup.procs", pid);
}

static int v2_leave_base(struct cg_hier *h)
{
	snprintf(leaf_name, sizeof(leaf_name), "nslab.%d", (int)getpid());
	if (mkdirat(h->base, leaf_name, 0755) < 0 && errno != EEXIST)
		return -1;
	cg_sys.leaf = openat(h->base, leaf_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cg_sys.leaf < 0) {
		unlinkat(h->base, leaf_name, AT_REMOVEDIR);
		return -1;
	}
	move_family(h->base, cg_sys.leaf, false);
	return 0;
}

static void v2_return_to_base(struct cg_hier *h)
{
	move_family(cg_sys.leaf, h->base, true);
	close(cg_sys.leaf);
	cg_sys.leaf = -1;
	unlinkat(h->base, leaf_name, AT_REMOVEDIR);
}

static int v2_error(const struct cg_hier *h, const char *text, int err, struct nserr *e)
{
	const char *hint = _("start nslab in a cgroup of its own: systemd-run --user --scope -p Delegate=yes nslab");

	if (err == EBUSY)
		nserr_set(e, 0, _("cannot give the lab %s from %s: it holds other processes, and cgroup v2 hands "
				  "controllers to child cgroups only from a cgroup without processes of its own"),
			  text, h->path);
	else if (err == EACCES || err == EPERM || err == EROFS)
		nserr_set(e, 0, _("cannot write %s to %s/cgroup.subtree_control: nslab's cgroup is not delegated to "
				  "this user"), text, h->path);
	else
		return nserr_set(e, err, _("cannot write %s to %s/cgroup.subtree_control"), text, h->path);
	return nserr_hint(e, "%s", hint);
}

/* The lab's controllers must be on in nslab's cgroup.subtree_control. */
int cg_v2_delegate(struct cg_hier *h, struct nserr *e)
{
	unsigned missing = h->kinds & CTL_KINDS & ~v2_subtree(h->base);
	char text[64];
	int err;

	if (!missing)
		return 0;
	subtree_text('+', missing, text, sizeof(text));
	if (cg_write(h->base, "cgroup.subtree_control", text) < 0) {
		err = errno;
		if (err != EBUSY || cg_sys.leaf >= 0 || v2_leave_base(h) < 0)
			return v2_error(h, text, err, e);
		if (cg_write(h->base, "cgroup.subtree_control", text) < 0) {
			err = errno;
			v2_return_to_base(h);
			return v2_error(h, text, err, e);
		}
	}
	cg_sys.enabled |= missing;
	return 0;
}

static bool foreign_children(int base)
{
	int fd = openat(base, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	bool found = !d;

	while (d && (de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.' && strncmp(de->d_name, "nslab.", 6) != 0)
			found = true;
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	return found;
}

/* Once no lab cgroup is left, undo what v2_delegate() did: controllers
 * off again (unless cgroups that are not nslab's may use them now), and
 * nslab back where it was. */
void cg_v2_restore(void)
{
	struct cg_hier *h;
	char text[64];

	if (cg_sys.v2 < 0 || cg_sys.labs > 0)
		return;
	h = &cg_sys.h[cg_sys.v2];
	if (cg_sys.enabled && (cg_sys.leaf >= 0 || !foreign_children(h->base))) {
		subtree_text('-', cg_sys.enabled, text, sizeof(text));
		if (cg_write(h->base, "cgroup.subtree_control", text) == 0)
			cg_sys.enabled = 0;
	}
	if (cg_sys.leaf >= 0 && !cg_sys.enabled)
		v2_return_to_base(h);
}
