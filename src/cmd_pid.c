/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pid: the lab's processes with their number in every PID namespace, and
 * what happens when PID 1 goes. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static int pid_list(struct nslab *app, struct nserr *e)
{
	_cleanup_close_ int fd = openat(host.proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[300], nspid[128], comm[64];
	int n = 0;

	if (!(lab_isolated(app->lab) & NS_BIT(NS_PID))) {
		nserr_set(e, 0, _("pid: the lab shares the host's PID namespace"));
		return nserr_hint(e, _("`unshare pid` gives it its own"));
	}
	if (fd < 0 || !(d = fdopendir(fd)))
		return nserr_set(e, errno, _("pid: cannot read /proc"));
	fd = -1;
	printf(_("PIDs, as the host sees them, then as each nested namespace does (NSpid):\n"));
	printf("%-10s %-20s %s\n", _("HOST"), _("LAB"), _("COMMAND"));
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/ns/pid", de->d_name);
		if (fstatat(dirfd(d), path, &st, 0) < 0 || st.st_ino != app->lab->ino[NS_PID])
			continue;
		if (!read_nspid(dirfd(d), de->d_name, nspid, sizeof(nspid), comm, sizeof(comm)))
			continue;
		/* The first NSpid field is the host's number. */
		const char *lab_part = strchr(nspid, ' ');
		_cleanup_free_ char *c = escaped(comm);
		printf("%-10s %-20s %s\n", de->d_name, lab_part ? lab_part + 1 : "?", c);
		n++;
	}
	closedir(d);
	printf(ngettext("%d process in %s's PID namespace\n", "%d processes in %s's PID namespace\n",
			(unsigned long)n),
	       n, app->lab->name);
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
	return command_usage_error(&cmd_pid, e, _("unknown subcommand"));
}

static const char *const pid_words[] = {"list", "kill-init", NULL};

const struct command cmd_pid = {
	.name = "pid", .usage = "[list | kill-init]",
	.help = N_("the lab's processes with their PID in each namespace; or end its PID 1 and see what follows"),
	.min_args = 0, .max_args = 1, .run = pid_run,
	.complete = COMPLETE_WORDS, .words = pid_words,
};
