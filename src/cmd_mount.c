/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mount, umount, mounts: the lab's mount table. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "procmount.h"
#include "mountrec.h"
#include "trace.h"

enum mount_kind { MOUNT_PROC, MOUNT_TMPFS, MOUNT_BIND, MOUNT_UMOUNT };

struct mount_req {
	enum mount_kind kind;
	const char *src, *dst;
	ino_t host_mnt;
	int pidns; /* the lab's PID namespace for a proc mount, or -1 */
};

/* The last line of defence: never mount in the host's mount namespace,
 * whatever the lab's bookkeeping says. */
static int in_lab_mnt(ino_t host_mnt, struct nserr *e)
{
	struct stat st;

	if (fstatat(host.proc, "self/ns/mnt", &st, 0) < 0)
		return nserr_set(e, errno, _("cannot check the mount namespace"));
	if (st.st_ino == host_mnt)
		return nserr_set(e, 0, _("refusing to mount in the host's mount namespace"));
	return 0;
}

static int mount_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct mount_req *r = arg;
	_cleanup_free_ char *dst = escaped(r->dst);
	int rc;

	if (in_lab_mnt(r->host_mnt, e) < 0)
		return -1;
	switch (r->kind) {
	case MOUNT_PROC:
		rc = mount_proc_at(r->dst, r->pidns);
		break;
	case MOUNT_TMPFS:
		rc = TRACE(mount("tmpfs", r->dst, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755"),
			   "mount(\"tmpfs\", %s, \"tmpfs\", MS_NOSUID|MS_NODEV, \"mode=755\")", trace_str(r->dst));
		break;
	case MOUNT_BIND:
		rc = TRACE(mount(r->src, r->dst, NULL, MS_BIND | MS_REC, NULL), "mount(%s, %s, NULL, MS_BIND|MS_REC, NULL)",
			   trace_str(r->src), trace_str(r->dst));
		break;
	default:
		rc = TRACE(umount2(r->dst, UMOUNT_NOFOLLOW), "umount2(%s, UMOUNT_NOFOLLOW)", trace_str(r->dst));
		break;
	}
	if (rc == 0)
		return 0;
	if (errno == ENOENT) {
		nserr_set(e, 0, _("%s does not exist in the lab"), r->kind == MOUNT_BIND && access(r->src, F_OK) ? r->src : dst);
		return nserr_hint(e, _("give a directory that exists there"));
	}
	if (r->kind == MOUNT_UMOUNT && errno == EINVAL) {
		nserr_set(e, 0, _("%s is not a mount point in the lab"), dst);
		return nserr_hint(e, _("`mounts` lists them"));
	}
	nserr_set(e, errno, "%s %s", r->kind == MOUNT_UMOUNT ? "umount" : "mount", dst);
	if (errno == EBUSY)
		nserr_hint(e, r->kind == MOUNT_UMOUNT ? _("a process in the lab is using it") : _("already mounted there"));
	return -1;
}

static int need_lab_mnt(struct nslab *app, const char *cmd, struct nserr *e)
{
	if (lab_isolated(app->lab) & NS_BIT(NS_MNT))
		return 0;
	nserr_set(e, 0, _("%s: the lab still shares the host's mount namespace, so this would change the host's mounts"), cmd);
	return nserr_hint(e, _("`unshare mnt` first"));
}

static int mount_request(struct nslab *app, int argc, char **argv, struct mount_req *r, struct nserr *e)
{
	static const char *const kinds[] = {"proc", "tmpfs", "bind"};
	int need = 0;

	for (r->kind = MOUNT_PROC; r->kind < MOUNT_UMOUNT; r->kind++)
		if (strcmp(argv[1], kinds[r->kind]) == 0)
			break;
	if (r->kind == MOUNT_UMOUNT) {
		_cleanup_free_ char *w = escaped(argv[1]);
		nserr_set(e, 0, _("mount: unknown kind '%s'"), w);
		return nserr_hint(e, _("usage: mount %s"), cmd_mount.usage);
	}
	need = r->kind == MOUNT_PROC ? 0 : r->kind == MOUNT_TMPFS ? 1 : 2;
	if (argc - 2 < need || argc - 2 > (need ? need : 1))
		return command_usage_error(&cmd_mount, e, argc - 2 < need ? _("missing argument") : _("too many arguments"));
	r->src = r->kind == MOUNT_BIND ? argv[2] : r->kind == MOUNT_PROC ? "proc" : "tmpfs";
	r->dst = argc > 2 ? argv[argc - 1] : "/proc";
	if ((r->kind == MOUNT_BIND && check_abs_path(r->src, _("source"), e) < 0) ||
	    check_abs_path(r->dst, _("mount point"), e) < 0)
		return nserr_prefix(e, "mount");
	return need_lab_mnt(app, "mount", e);
}

/* What worked is recorded for `export`. */
static int mount_do(struct nslab *app, struct mount_req *r, struct nserr *e)
{
	static const char *const names[] = {"proc", "tmpfs", "bind", "umount"};

	if (lab_call(app->lab, LAB_LIGHT, mount_in_lab, r, NULL, e) < 0)
		return -1;
	mountrec_note(app->lab, names[r->kind], r->src, r->dst);
	return 0;
}

static int mount_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct mount_req r = {.host_mnt = host.ino[NS_MNT], .pidns = -1};

	if (mount_request(app, argc, argv, &r, e) < 0)
		return -1;
	if (lab_isolated(app->lab) & NS_BIT(NS_PID))
		r.pidns = app->lab->fd[NS_PID];
	if (r.kind == MOUNT_PROC && !(lab_isolated(app->lab) & NS_BIT(NS_PID)))
		app_warn(app, _("the lab shares the host's PID namespace: this /proc shows the host's processes (`unshare pid` gives the lab its own)"));
	return mount_do(app, &r, e);
}

static const char *const mount_words[] = {"proc", "tmpfs", "bind", NULL};

const struct command cmd_mount = {
	.name = "mount", .usage = "proc [DIR] | tmpfs DIR | bind SRC DST",
	.help = N_("mount a filesystem in the lab's mount namespace"),
	.min_args = 1, .max_args = 3, .run = mount_run,
	.complete = COMPLETE_WORDS, .words = mount_words,
};

static int umount_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct mount_req r = {.kind = MOUNT_UMOUNT, .dst = argv[1], .host_mnt = host.ino[NS_MNT], .pidns = -1};

	if (check_abs_path(r.dst, _("mount point"), e) < 0)
		return nserr_prefix(e, "umount");
	if (need_lab_mnt(app, "umount", e) < 0)
		return -1;
	return mount_do(app, &r, e);
}

const struct command cmd_umount = {
	.name = "umount", .usage = "DIR",
	.help = N_("unmount DIR in the lab"),
	.min_args = 1, .max_args = 1, .run = umount_run, .complete = COMPLETE_FILES,
};

/* ---- mounts ---------------------------------------------------------------- */

static int mountinfo_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	char chunk[8192];
	ssize_t n;
	_cleanup_close_ int fd = openat(host.proc, "self/mountinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return nserr_set(e, errno, _("cannot read the lab's mount table"));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	return 0;
}

struct mount_entry {
	char target[4096], type[256], source[4096], dev[32], root[4096];
};

static bool parse_mount(const char *line, struct mount_entry *m)
{
	const char *dash = strstr(line, " - ");

	return sscanf(line, "%*s %*s %31s %4095s %4095s", m->dev, m->root, m->target) == 3 && dash &&
	       sscanf(dash + 3, "%255s %4095s", m->type, m->source) == 2;
}

/* A mount copied into a new namespace keeps its device and root; one made
 * there has a new device or another place. */
static bool same_mount(const struct mount_entry *a, const struct mount_entry *b)
{
	return strcmp(a->target, b->target) == 0 && strcmp(a->dev, b->dev) == 0 && strcmp(a->root, b->root) == 0;
}

static bool in_table(const char *table, const struct mount_entry *m)
{
	struct mount_entry other;

	for (const char *l = table; l && *l;) {
		const char *nl = strchrnul(l, '\n');
		_cleanup_free_ char *line = strndup(l, (size_t)(nl - l));
		if (line && parse_mount(line, &other) && same_mount(m, &other))
			return true;
		l = *nl ? nl + 1 : nl;
	}
	return false;
}

static int mounts_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct buf lab = {0}, hst = {0};
	struct nserr he;
	struct mount_entry m;
	int total = 0, own = 0;

	if (lab_call(app->lab, 0, mountinfo_in_lab, NULL, &lab, e) < 0)
		return -1;
	mountinfo_in_lab(NULL, &hst, &he);
	printf("  %-32s %-10s %s\n", _("TARGET"), _("TYPE"), _("SOURCE"));
	for (const char *l = lab.s; l && *l;) {
		const char *nl = strchrnul(l, '\n');
		_cleanup_free_ char *line = strndup(l, (size_t)(nl - l));
		if (line && parse_mount(line, &m)) {
			bool mine = !in_table(hst.s, &m);
			_cleanup_free_ char *et = escaped(m.target), *ety = escaped(m.type), *eso = escaped(m.source);
			printf("%c %-32s %-10s %s\n", mine ? '+' : ' ', et, ety, eso);
			total++;
			own += mine;
		}
		l = *nl ? nl + 1 : nl;
	}
	printf(_("%d mounts; %d marked + are the lab's own (not in the host's table)\n"), total, own);
	buf_free(&lab);
	buf_free(&hst);
	return 0;
}

const struct command cmd_mounts = {
	.name = "mounts", .usage = "",
	.help = N_("list the lab's mount table, marking what the host does not have"),
	.min_args = 0, .max_args = 0, .run = mounts_run,
};
