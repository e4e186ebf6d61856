/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lab's user namespace: its maps, its owner links, and the shared user
 * namespace of a rootless nslab. */
#include "config.h"
#include "userns.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include "app.h"
#include "lab.h"
#include "trace.h"

struct userns_conf *userns_conf(struct lab *lab)
{
	if (!lab->userns)
		lab->userns = xcalloc(1, sizeof(*lab->userns));
	return lab->userns;
}

bool userns_configured(const struct lab *lab)
{
	const struct userns_conf *c = lab->userns;

	return c && (c->uid.n || c->gid.n || c->setgroups != SETGROUPS_DEFAULT);
}

void userns_forget(struct lab *lab)
{
	free(lab->userns);
	lab->userns = NULL;
}

static void one_line(struct idmap *m, uint32_t id)
{
	m->n = 1;
	m->line[0] = (struct idmap_line){0, id, 1};
}

void userns_effective(const struct lab *lab, struct idmap *uid, struct idmap *gid, bool *deny)
{
	const struct userns_conf *c = lab->userns;

	/* As `unshare -r`: root inside is the invoking user outside, and
	 * setgroups is denied (an unprivileged writer of gid_map must). */
	if (c && c->uid.n)
		*uid = c->uid;
	else
		one_line(uid, (uint32_t)host.uid);
	if (c && c->gid.n)
		*gid = c->gid;
	else
		one_line(gid, (uint32_t)host.gid);
	*deny = !c || c->setgroups != SETGROUPS_ALLOW;
}

/* PID 0: the calling process's own file. */
static int write_map(pid_t pid, const char *file, const char *text, struct nserr *e)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "%d/%s", pid, file);
	else
		snprintf(path, sizeof(path), "self/%s", file);
	if (trace_write_file(host.proc, path, 0, text) == 0)
		return 0;
	nserr_set(e, errno, _("cannot write /proc/%s"), path);
	if (errno == EPERM)
		nserr_hint(e, _("the outside ids must be yours, or nslab needs CAP_SETUID/CAP_SETGID over them"));
	return -1;
}

static int write_maps(pid_t pid, bool deny, const char *uid, const char *gid, struct nserr *e)
{
	/* setgroups first: the kernel refuses it once gid_map is written. */
	if (write_map(pid, "setgroups", deny ? "deny" : "allow", e) < 0 && e->err != ENOENT)
		return nserr_hint(e, _("the kernel takes it only before gid_map"));
	if (write_map(pid, "uid_map", uid, e) < 0 || write_map(pid, "gid_map", gid, e) < 0)
		return -1;
	return 0;
}

int userns_write_maps(const struct lab *lab, pid_t pid, struct nserr *e)
{
	struct idmap *uid = xmalloc(sizeof(*uid)), *gid = xmalloc(sizeof(*gid));
	struct buf u = {0}, g = {0};
	bool deny;
	int rc;

	userns_effective(lab, uid, gid, &deny);
	idmap_format(uid, &u);
	idmap_format(gid, &g);
	rc = write_maps(pid, deny, u.s, g.s, e);
	buf_free(&u);
	buf_free(&g);
	free(uid);
	free(gid);
	return rc;
}

/* The map's text when it maps ID (the caller's own) alone, as
 * userns_effective() would make it from CONF (NULL: not configured). */
static bool own_id_only(const struct idmap *conf, uint32_t id, char *text, size_t size)
{
	struct idmap_line l = {0, id, 1};

	if (conf && conf->n > 1)
		return false;
	if (conf && conf->n == 1)
		l = conf->line[0];
	snprintf(text, size, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n", l.in, l.out, l.count);
	return l.out == id && l.count == 1;
}

/* No heap here: this runs in the lab's PID 1 as it is born, while nslab
 * waits, where every page it writes is a copy. */
int userns_map_self(const struct lab *lab, struct nserr *e)
{
	const struct userns_conf *c = lab->userns;
	char uid[40], gid[40];

	if (c && c->setgroups == SETGROUPS_ALLOW)
		return 0;
	if (!own_id_only(c ? &c->uid : NULL, (uint32_t)host.uid, uid, sizeof(uid)) ||
	    !own_id_only(c ? &c->gid : NULL, (uint32_t)host.gid, gid, sizeof(gid)))
		return 0;
	return write_maps(0, true, uid, gid, e) < 0 ? -1 : 1;
}

void userns_become_root(void)
{
	uid_t before = geteuid();

	/* As nsenter(1) does on entering a user namespace. Each step may fail
	 * and that is shown, not hidden: with setgroups denied the groups stay
	 * (unmapped ones read as the overflow gid), and where 0 is not mapped
	 * the process keeps its ids and reads as the overflow uid inside. */
	if (TRACE(setgroups(0, NULL), "setgroups(0, NULL)") < 0) {
		/* setgroups denied */
	}
	if (TRACE(setresgid(0, 0, 0), "setresgid(0, 0, 0)") < 0) {
		/* gid 0 not mapped */
	}
	if (TRACE(setresuid(0, 0, 0), "setresuid(0, 0, 0)") < 0) {
		/* uid 0 not mapped */
	}
	/* A new euid makes the process undumpable, and its /proc files the
	 * host root's: `ps` in the lab would show PID 1 as nobody. */
	if (geteuid() != before)
		prctl(PR_SET_DUMPABLE, 1);
}

/* ---- ownership ------------------------------------------------------------ */

static ino_t related_ino(int fd, unsigned long req)
{
	struct stat st;
	int rel = ioctl(fd, req, 0);
	ino_t ino = 0;

	/* EPERM: outside nslab's own namespace scope (the host's has no
	 * parent that nslab may see). */
	if (rel < 0)
		return 0;
	if (fstat(rel, &st) == 0)
		ino = st.st_ino;
	close(rel);
	return ino;
}

static int ns_fd(const struct lab *lab, enum ns_type t)
{
	return lab->fd[t] >= 0 ? lab->fd[t] : host.fd[t];
}

ino_t userns_owner(const struct lab *lab, enum ns_type t)
{
	return related_ino(ns_fd(lab, t), NS_GET_USERNS);
}

ino_t userns_parent(const struct lab *lab, enum ns_type t)
{
	if (t != NS_USER && t != NS_PID)
		return 0;
	return related_ino(ns_fd(lab, t), NS_GET_PARENT);
}

void userns_owner_text(const struct lab *lab, enum ns_type t, struct buf *b)
{
	ino_t owner = userns_owner(lab, t);

	/* Ownership is news only once the lab has a user namespace. */
	if (!(lab_isolated(lab) & NS_BIT(t)) || !(lab_isolated(lab) & NS_BIT(NS_USER)))
		return;
	if (b->len)
		buf_printf(b, "; ");
	if (t == NS_USER)
		buf_printf(b, _("parent: %s"), owner == host.ino[NS_USER] ? _("the host's") : _("another"));
	else if (owner == host.ino[NS_USER])
		buf_printf(b, _("owner: the host's user ns"));
	else if (owner == lab_ino(lab, NS_USER))
		buf_printf(b, _("owner: the lab's user ns"));
	else
		buf_printf(b, _("owner: user ns %lu"), (unsigned long)owner);
}

static struct json_object *ino_or_null(ino_t ino)
{
	return ino ? json_object_new_int64((int64_t)ino) : NULL;
}

void userns_json(struct json_object *o, const struct lab *lab, enum ns_type t)
{
	uid_t creator = 0;

	json_object_object_add(o, "owner", ino_or_null(userns_owner(lab, t)));
	if (t == NS_USER || t == NS_PID)
		json_object_object_add(o, "parent", ino_or_null(userns_parent(lab, t)));
	if (t == NS_USER)
		json_object_object_add(o, "creator_uid", ioctl(ns_fd(lab, t), NS_GET_OWNER_UID, &creator) == 0
								 ? json_object_new_int64(creator) : NULL);
}

/* ---- rootless --------------------------------------------------------------- */

static struct lab *donor_lab(struct nslab *app)
{
	if (userns_configured(app->lab))
		return NULL; /* its own maps: its own user namespace */
	for (int i = 0; i < APP_MAX_LABS; i++)
		if (app->labs[i] && app->labs[i] != app->lab && (lab_isolated(app->labs[i]) & NS_BIT(NS_USER)))
			return app->labs[i];
	return NULL;
}

int userns_rootless_first(struct nslab *app, unsigned *mask, struct nserr *e)
{
	struct lab *lab = app->lab, *donor;
	int fd;

	if (geteuid() == 0 || (lab_isolated(lab) & NS_BIT(NS_USER)) || (*mask & NS_BIT(NS_USER)))
		return 0;
	if (!(donor = donor_lab(app))) {
		app_note(app, _("rootless: creating a user namespace first, in which you are root"));
		*mask |= NS_BIT(NS_USER);
		return 0;
	}
	/* One user namespace for every lab: it owns the namespaces of all of
	 * them, so joining two labs (a veth between them) needs no host
	 * privilege. */
	if ((fd = fcntl(donor->fd[NS_USER], F_DUPFD_CLOEXEC, 3)) < 0)
		return nserr_set(e, errno, _("cannot share %s's user namespace"), donor->name);
	if (lab->fd[NS_USER] >= 0)
		close(lab->fd[NS_USER]);
	lab->fd[NS_USER] = fd;
	lab->ino[NS_USER] = donor->ino[NS_USER];
	app_note(app, _("rootless: %s joins %s's user namespace %lu, in which you are root"), lab->name, donor->name,
		 (unsigned long)donor->ino[NS_USER]);
	return 0;
}
