/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pid: the lab's processes with their number in every PID namespace, and
 * what happens when PID 1 goes. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "trace.h"

/* "NSpid:\t4512\t1" from /proc/PID/status, and the command name. */
static bool read_nspid(int proc, const char *pid, char *nspid, size_t n1, char *comm, size_t n2)
{
	char path[300], status[4096];
	const char *p;

	snprintf(path, sizeof(path), "%s/status", pid);
	if (read_small_file(proc, path, status, sizeof(status)) < 0 || !(p = strstr(status, "\nNSpid:")))
		return false;
	p += 7;
	p += strspn(p, " \t");
	snprintf(nspid, n1, "%.*s", (int)strcspn(p, "\n"), p);
	for (char *c = nspid; *c; c++)
		if (*c == '\t')
			*c = ' ';
	snprintf(path, sizeof(path), "%s/comm", pid);
	if (read_small_file(proc, path, comm, n2) < 0)
		snprintf(comm, n2, "?");
	return true;
}

/* PID (as the host numbers it, in host /proc) is in the lab's PID
 * namespace. */
static bool in_lab(int proc, const char *pid, const struct lab *lab)
{
	char path[300];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ns/pid", pid);
	return fstatat(proc, path, &st, 0) == 0 && st.st_ino == lab->ino[NS_PID];
}

static int need_pid_ns(const struct lab *lab, struct nserr *e)
{
	if (lab_isolated(lab) & NS_BIT(NS_PID))
		return 0;
	nserr_set(e, 0, _("pid: the lab shares the host's PID namespace"));
	return nserr_hint(e, _("`unshare pid` gives it its own"));
}

int pid_each(const struct lab *lab, void (*fn)(const char *pid, void *arg), void *arg)
{
	_cleanup_close_ int fd = openat(host.proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (!(lab_isolated(lab) & NS_BIT(NS_PID)))
		return 0;
	if (fd < 0 || !(d = fdopendir(fd)))
		return -1;
	fd = -1;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' && in_lab(dirfd(d), de->d_name, lab)) {
			fn(de->d_name, arg);
			n++;
		}
	closedir(d);
	return n;
}

static void list_one(const char *pid, void *arg)
{
	char nspid[128], comm[64];
	int *n = arg;

	if (!read_nspid(host.proc, pid, nspid, sizeof(nspid), comm, sizeof(comm)))
		return;
	/* The first NSpid field is the host's number. */
	const char *lab_part = strchr(nspid, ' ');
	_cleanup_free_ char *c = escaped(comm);
	printf("%-10s %-20s %s\n", pid, lab_part ? lab_part + 1 : "?", c);
	(*n)++;
}

static int pid_list(struct nslab *app, struct nserr *e)
{
	int n = 0;

	if (need_pid_ns(app->lab, e) < 0)
		return -1;
	printf(_("PIDs, as the host sees them, then as each nested namespace does (NSpid):\n"));
	print_column(_("HOST"), 11);
	print_column(_("LAB"), 21);
	printf("%s\n", _("COMMAND"));
	if (pid_each(app->lab, list_one, &n) < 0)
		return nserr_set(e, errno, _("pid: cannot read /proc"));
	printf(ngettext("%d process in %s's PID namespace\n", "%d processes in %s's PID namespace\n",
			(unsigned long)n),
	       n, app->lab->name);
	return 0;
}

/* One process's chain: its number in the host's PID namespace, then in
 * each namespace below, down to the lab's (and any the lab made). */
static int pid_show(struct nslab *app, const char *arg, struct nserr *e)
{
	char nspid[128], comm[64], num[24], *end;
	long v;

	if (need_pid_ns(app->lab, e) < 0)
		return -1;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 1 || v > INT32_MAX) {
		nserr_set(e, 0, _("pid: '%s' is not a PID"), arg);
		return nserr_hint(e, _("give a host PID as `pid list` shows it, e.g. `pid %d`"), (int)app->lab->init);
	}
	snprintf(num, sizeof(num), "%ld", v);
	if (!in_lab(host.proc, num, app->lab) || !read_nspid(host.proc, num, nspid, sizeof(nspid), comm, sizeof(comm))) {
		nserr_set(e, 0, _("pid: host PID %ld is not a process of %s's PID namespace"), v, app->lab->name);
		return nserr_hint(e, _("`pid list` shows the lab's processes with their host PIDs"));
	}
	_cleanup_free_ char *c = escaped(comm);
	const char *lab_part = strchr(nspid, ' ');
	printf(_("%s: host PID %ld is PID %.*s in %s's PID namespace\n"), c, v,
	       lab_part ? (int)strcspn(lab_part + 1, " ") : 1, lab_part ? lab_part + 1 : "?", app->lab->name);
	printf(_("NSpid: %s (one number for each PID namespace it is in, the host's first)\n"), nspid);
	return 0;
}

/* Killing PID 1 from the host: the kernel then kills every process in the
 * namespace and refuses new ones. */
static int pid_kill_init(struct nslab *app, struct nserr *e)
{
	struct lab *lab = app->lab;
	int before = lab_count_processes(lab);

	lab_poll(lab);
	if (!(lab_isolated(lab) & NS_BIT(NS_PID)) || lab->init <= 0 || lab->init_gone) {
		nserr_set(e, 0, _("pid kill-init: the lab has no living PID 1"));
		return nserr_hint(e, _("`unshare pid` makes one"));
	}
	if (TRACE(kill(lab->init, SIGKILL), "kill(%d, SIGKILL)", (int)lab->init) < 0)
		return nserr_set(e, errno, _("pid kill-init: kill(%d, SIGKILL)"), (int)lab->init);
	/* Wait for it, so the count below is what the kernel did. */
	for (int i = 0; i < 200 && !lab->init_gone; i++) {
		lab_poll(lab);
		if (!lab->init_gone)
			usleep(5000);
	}
	printf(_("kill(%d, SIGKILL): the lab's PID 1 is gone; the kernel killed the %d process(es) of its "
		 "namespace and will refuse any new one (fork fails with ENOMEM).\n"),
	       (int)lab->init, before);
	printf(_("`share pid` then `unshare pid` makes a new PID namespace.\n"));
	return 0;
}

static int pid_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	if (argc == 1 || strcmp(argv[1], "list") == 0)
		return pid_list(app, e);
	if (strcmp(argv[1], "kill-init") == 0)
		return pid_kill_init(app, e);
	if (argv[1][0] >= '0' && argv[1][0] <= '9')
		return pid_show(app, argv[1], e);
	return command_usage_error(&cmd_pid, e, _("unknown subcommand"));
}

static const char *const pid_words[] = {"list", "kill-init", NULL};

const struct command cmd_pid = {
	.name = "pid", .usage = "[list | PID | kill-init]",
	.help = N_("the lab's processes with their PID in each namespace, or one process's (a host PID); or end "
		   "its PID 1 and see what follows"),
	.min_args = 0, .max_args = 1, .run = pid_run,
	.complete = COMPLETE_PID, .words = pid_words,
};
