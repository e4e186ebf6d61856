/* SPDX-License-Identifier: GPL-3.0-or-later */
/* id: who a process in the lab is, seen from inside (its ids and
 * capabilities) and from the host (/proc/PID/status, read by nslab, whose
 * ids the kernel translates into the host's user namespace). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/nsfs.h>

#include "child.h"
#include "commands.h"
#include "trace.h"

#define MAX_GROUPS 64

struct id_report {
	int rc;
	struct nserr e;
	char text[3072]; /* the inside view, already in words */
};

static void add_user(struct buf *b, const char *key, unsigned long id, bool group)
{
	const char *name = NULL;

	if (group) {
		struct group *g = getgrgid((gid_t)id);
		name = g ? g->gr_name : NULL;
	} else {
		struct passwd *p = getpwuid((uid_t)id);
		name = p ? p->pw_name : NULL;
	}
	buf_printf(b, "%s%lu", key, id);
	if (name) {
		/* From the lab's /etc/passwd and /etc/group: escaped. */
		_cleanup_free_ char *w = escaped(name);
		buf_printf(b, "(%s)", w);
	}
}

static void add_groups(struct buf *b, const gid_t *g, int n)
{
	buf_printf(b, " groups=");
	if (n <= 0)
		buf_printf(b, "%s", _("(none)"));
	for (int i = 0; i < n; i++)
		add_user(b, i ? "," : "", g[i], true);
}

static void add_capset(struct buf *b, const char *label, const bool *on, int max)
{
	int n = 0;

	for (int c = 0; c < max; c++)
		n += on[c];
	bool most = n > max / 2;

	buf_printf(b, "%s ", label);
	if (n == max)
		buf_printf(b, _("all %d"), max);
	else if (n == 0)
		buf_printf(b, "%s", _("none"));
	else if (most)
		buf_printf(b, _("all %d but "), max);
	/* The shorter list: what it has, or what it lacks. */
	for (int c = 0, k = 0; n && n < max && c < max; c++) {
		if (on[c] == most)
			continue;
		char *name = cap_to_name(c);
		buf_printf(b, "%s%s", k++ ? "," : "", name ? name : "?");
		cap_free(name);
	}
}

static void add_caps(struct buf *b)
{
	int max = (int)cap_max_bits();
	bool eff[64] = {0}, prm[64] = {0}, bnd[64] = {0};
	cap_t caps = cap_get_proc();

	if (max > 64)
		max = 64;
	for (int c = 0; c < max; c++) {
		cap_flag_value_t v = CAP_CLEAR;
		if (caps && cap_get_flag(caps, c, CAP_EFFECTIVE, &v) == 0)
			eff[c] = v == CAP_SET;
		if (caps && cap_get_flag(caps, c, CAP_PERMITTED, &v) == 0)
			prm[c] = v == CAP_SET;
		bnd[c] = cap_get_bound(c) > 0;
	}
	cap_free(caps);
	add_capset(b, _("  capabilities effective:"), eff, max);
	add_capset(b, _("\n               permitted:"), prm, max);
	add_capset(b, _("\n               bounding: "), bnd, max);
	buf_printf(b, "\n");
}

static void inside_view(struct buf *b)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[MAX_GROUPS];
	int n = getgroups(MAX_GROUPS, groups);

	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	buf_printf(b, "  ");
	add_user(b, "uid=", ru, false);
	if (eu != ru)
		add_user(b, " euid=", eu, false);
	add_user(b, " gid=", rg, true);
	if (eg != rg)
		add_user(b, " egid=", eg, true);
	add_groups(b, groups, n);
	buf_printf(b, "\n");
	add_caps(b);
}

/* In the child: join the lab, describe itself, then stay alive until
 * nslab has read its /proc/PID/status. */
static _noreturn_ void id_child(struct lab *lab, int report, int hold)
{
	struct id_report r = {0};
	struct buf b = {0};
	char c;

	child_reset_signals();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	r.rc = lab_join(lab, &r.e);
	if (r.rc == 0) {
		inside_view(&b);
		snprintf(r.text, sizeof(r.text), "%s", b.s ? b.s : "");
	}
	write_full(report, &r, sizeof(r));
	close(report);
	while (read(hold, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* "Uid:\t0\t0\t0\t0" -> the first number; "Groups:\t1 2" -> all. */
static int status_ids(const char *status, const char *key, unsigned long *ids, int max)
{
	const char *p = strstr(status, key);
	int n = 0;

	if (!p)
		return 0;
	p += strlen(key);
	while (n < max && *p && *p != '\n') {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p)
			break;
		ids[n++] = v;
		p = end;
	}
	return n;
}

static void host_view(pid_t pid, struct buf *b)
{
	char path[64], status[8192];
	unsigned long uid[4], gid[4], groups[MAX_GROUPS];
	gid_t g[MAX_GROUPS];
	int ng;

	snprintf(path, sizeof(path), "%d/status", pid);
	if (read_small_file(host.proc, path, status, sizeof(status)) < 0 ||
	    status_ids(status, "\nUid:", uid, 4) < 1 || status_ids(status, "\nGid:", gid, 4) < 1) {
		buf_printf(b, _("  (its /proc/%d/status could not be read)\n"), pid);
		return;
	}
	ng = status_ids(status, "\nGroups:", groups, MAX_GROUPS);
	for (int i = 0; i < ng; i++)
		g[i] = (gid_t)groups[i];
	buf_printf(b, "  ");
	add_user(b, "uid=", uid[0], false);
	add_user(b, " gid=", gid[0], true);
	add_groups(b, g, ng);
	buf_printf(b, "\n");
}

static void header(struct lab *lab, struct buf *b)
{
	uid_t owner = 0;

	if (!(lab_isolated(lab) & NS_BIT(NS_USER))) {
		buf_printf(b, _("inside %s, in the host's user namespace %lu:\n"), lab->name,
			   (unsigned long)host.ino[NS_USER]);
		return;
	}
	buf_printf(b, _("inside %s, in user namespace %lu"), lab->name, (unsigned long)lab->ino[NS_USER]);
	if (ioctl(lab->fd[NS_USER], NS_GET_OWNER_UID, &owner) == 0)
		buf_printf(b, _(", made by uid %lu"), (unsigned long)owner);
	buf_printf(b, ":\n");
}

static int id_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct lab *lab = app->lab;
	struct id_report r = {0};
	struct buf b = {0};
	int report[2], hold[2], status;
	pid_t pid;

	if (pipe2(report, O_CLOEXEC) < 0)
		return nserr_set(e, errno, "pipe2");
	if (pipe2(hold, O_CLOEXEC) < 0) {
		close(report[0]);
		close(report[1]);
		return nserr_set(e, errno, "pipe2");
	}
	fflush(NULL);
	if ((pid = TRACE_FORK(fork(), "clone(" TRACE_FORK_FLAGS ")")) == 0) {
		close(report[0]);
		close(hold[1]);
		id_child(lab, report[1], hold[0]);
	}
	close(report[1]);
	close(hold[0]);
	if (pid > 0 && read_full(report[0], &r, sizeof(r)) != sizeof(r))
		r.rc = nserr_set(&r.e, 0, _("the process working in the lab ended unexpectedly"));
	if (pid > 0 && r.rc == 0)
		host_view(pid, &b); /* while it is alive, held by the pipe */
	close(report[0]);
	close(hold[1]);
	if (pid < 0)
		return nserr_set(e, errno, "fork");
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r.rc < 0) {
		buf_free(&b);
		*e = r.e;
		return -1;
	}
	struct buf out = {0};
	header(lab, &out);
	buf_printf(&out, "%s", r.text);
	if (lab_isolated(lab) & NS_BIT(NS_USER))
		buf_printf(&out, _("  (capabilities act only on what user namespace %lu owns)\n"),
			   (unsigned long)lab->ino[NS_USER]);
	buf_printf(&out, _("as the host sees the same process (PID %d):\n"), (int)pid);
	buf_printf(&out, "%s", b.s ? b.s : "");
	fputs(out.s, stdout);
	buf_free(&out);
	buf_free(&b);
	return 0;
}

const struct command cmd_id = {
	.name = "id", .usage = "",
	.help = N_("a lab process's ids and capabilities, inside and as the host sees them"),
	.min_args = 0, .max_args = 0, .run = id_run,
};
