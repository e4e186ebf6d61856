/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uidmap, gidmap, setgroups: the maps of the lab's next user namespace.
 * The kernel takes /proc/PID/uid_map and gid_map once, so nslab keeps them
 * and writes them when `unshare user` makes the namespace. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "commands.h"
#include "harden.h"
#include "userns.h"

struct map_kind {
	const char *cmd;  /* uidmap */
	const char *what; /* uid */
	const char *file; /* uid_map */
	cap_value_t cap;
	bool gid;
};

static const struct map_kind uid_kind = {"uidmap", "uid", "uid_map", CAP_SETUID, false};
static const struct map_kind gid_kind = {"gidmap", "gid", "gid_map", CAP_SETGID, true};

/* The kernel accepts the maps once, before the namespace is used. */
static int too_late(struct lab *lab, const char *cmd, const char *file, struct nserr *e)
{
	if (lab->fd[NS_USER] < 0)
		return 0;
	nserr_set(e, 0, _("%s: too late: %s's user namespace %lu has its %s written already, and the kernel takes it only once"),
		  cmd, lab->name, (unsigned long)lab->ino[NS_USER], file);
	return nserr_hint(e, _("`share user` (or `reset`), set the maps, then `unshare user` makes a new one"));
}

static int read_file_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	char text[4096];

	if (read_small_file(host.proc, arg, text, sizeof(text)) < 0)
		return nserr_set(e, errno, _("cannot read /proc/self/%s"), (const char *)arg);
	buf_printf(out, "%s", text);
	return 0;
}

/* What the lab's current user namespace says, read from inside. */
static int current_file(struct lab *lab, const char *file, struct buf *out, struct nserr *e)
{
	_cleanup_free_ char *path = xasprintf("self/%s", file);

	if (!(lab_isolated(lab) & NS_BIT(NS_USER)))
		return read_file_in_lab(path, out, e);
	return lab_call(lab, 0, read_file_in_lab, path, out, e);
}

/* "         0      65534          1" as "0 65534 1", indented. */
static void print_map_text(const char *s)
{
	const char *p = s;

	while (*p) {
		unsigned long long v[3];
		int used = 0;
		if (sscanf(p, "%llu %llu %llu%n", &v[0], &v[1], &v[2], &used) != 3)
			break;
		printf("    %llu %llu %llu\n", v[0], v[1], v[2]);
		p += used;
		p += strspn(p, " \n");
	}
}

static int map_show(struct nslab *app, const struct map_kind *k, struct nserr *e)
{
	struct lab *lab = app->lab;
	struct idmap *uid = xmalloc(sizeof(*uid)), *gid = xmalloc(sizeof(*gid));
	struct buf text = {0}, now = {0};
	bool deny, own = userns_configured(lab) && (k->gid ? lab->userns->gid.n : lab->userns->uid.n);
	int rc;

	userns_effective(lab, uid, gid, &deny);
	idmap_format(k->gid ? gid : uid, &text);
	printf(own ? _("%s map for %s's next user namespace, as configured:\n")
		   : _("%s map for %s's next user namespace (the default: root inside is you outside):\n"),
	       k->what, lab->name);
	print_map_text(text.s);
	buf_free(&text);
	free(uid);
	free(gid);
	if ((rc = current_file(lab, k->file, &now, e)) == 0) {
		if (lab_isolated(lab) & NS_BIT(NS_USER))
			printf(_("now, in %s's user namespace %lu:\n"), lab->name, (unsigned long)lab->ino[NS_USER]);
		else
			printf(_("now, in the host's user namespace %lu (%s has none of its own):\n"),
			       (unsigned long)host.ino[NS_USER], lab->name);
		print_map_text(now.s ? now.s : "");
	}
	buf_free(&now);
	return rc;
}

static int map_run(struct nslab *app, const struct map_kind *k, int argc, char **argv, struct nserr *e)
{
	struct idmap_rights r = {.privileged = harden_have_cap(k->cap), .self = k->gid ? host.gid : host.uid};
	struct userns_conf *c;
	struct buf text = {0};

	if (argc == 1)
		return map_show(app, k, e);
	if (argc == 2 && strcmp(argv[1], "clear") == 0) {
		c = userns_conf(app->lab);
		(k->gid ? &c->gid : &c->uid)->n = 0;
		printf(_("%s map cleared: the next `unshare user` maps 0 inside to %s %" PRIu32 " outside\n"), k->what,
		       k->what, r.self);
		return 0;
	}
	if (too_late(app->lab, k->cmd, k->file, e) < 0)
		return -1;
	c = userns_conf(app->lab);
	if (idmap_add(k->gid ? &c->gid : &c->uid, argc - 1, argv + 1, k->what, &r, e) < 0)
		return nserr_prefix(e, k->cmd);
	idmap_format(k->gid ? &c->gid : &c->uid, &text);
	printf(_("%s map for %s's next user namespace (written by `unshare user`):\n"), k->what, app->lab->name);
	print_map_text(text.s);
	buf_free(&text);
	return 0;
}

static int uidmap_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	return map_run(app, &uid_kind, argc, argv, e);
}

static int gidmap_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	return map_run(app, &gid_kind, argc, argv, e);
}

static const char *const map_words[] = {"clear", NULL};

const struct command cmd_uidmap = {
	.name = "uidmap", .usage = "[IN OUT COUNT]...|clear",
	.help = N_("show or add lines of the uid_map that `unshare user` writes"),
	.min_args = 0, .max_args = -1, .run = uidmap_run,
	.complete = COMPLETE_WORDS, .words = map_words,
};

const struct command cmd_gidmap = {
	.name = "gidmap", .usage = "[IN OUT COUNT]...|clear",
	.help = N_("show or add lines of the gid_map that `unshare user` writes"),
	.min_args = 0, .max_args = -1, .run = gidmap_run,
	.complete = COMPLETE_WORDS, .words = map_words,
};

/* ---- setgroups ---------------------------------------------------------------- */

static int setgroups_show(struct nslab *app, struct nserr *e)
{
	struct lab *lab = app->lab;
	struct buf now = {0};
	const struct userns_conf *c = lab->userns;

	printf(_("setgroups for %s's next user namespace: %s\n"), lab->name,
	       c && c->setgroups == SETGROUPS_ALLOW ? "allow" : c && c->setgroups == SETGROUPS_DENY ? "deny"
											      : _("deny (the default)"));
	if (current_file(lab, "setgroups", &now, e) < 0)
		return -1;
	printf(_("now, in %s user namespace: %s\n"), lab_isolated(lab) & NS_BIT(NS_USER) ? _("the lab's") : _("the host's"),
	       now.s ? now.s : "");
	buf_free(&now);
	return 0;
}

static int setgroups_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	bool allow;

	if (argc == 1)
		return setgroups_show(app, e);
	allow = strcmp(argv[1], "allow") == 0;
	if (!allow && strcmp(argv[1], "deny") != 0) {
		_cleanup_free_ char *w = escaped(argv[1]);
		nserr_set(e, 0, _("setgroups: '%s' is neither allow nor deny"), w);
		return nserr_hint(e, _("usage: setgroups allow|deny"));
	}
	if (too_late(app->lab, "setgroups", "setgroups", e) < 0)
		return -1;
	if (allow && !harden_have_cap(CAP_SETGID)) {
		nserr_set(e, 0, _("setgroups allow: without CAP_SETGID the kernel takes a gid_map only once setgroups is denied"));
		return nserr_hint(e, _("user_namespaces(7); run nslab as root to allow it"));
	}
	userns_conf(app->lab)->setgroups = allow ? SETGROUPS_ALLOW : SETGROUPS_DENY;
	printf(_("setgroups for %s's next user namespace: %s\n"), app->lab->name, argv[1]);
	return 0;
}

static const char *const setgroups_words[] = {"allow", "deny", NULL};

const struct command cmd_setgroups = {
	.name = "setgroups", .usage = "[allow|deny]",
	.help = N_("show or set whether the next user namespace may call setgroups(2)"),
	.min_args = 0, .max_args = 1, .run = setgroups_run,
	.complete = COMPLETE_WORDS, .words = setgroups_words,
};
