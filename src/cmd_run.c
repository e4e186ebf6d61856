/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run, host, enter: programs in the lab, and on the host to compare. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "commands.h"
#include "labfs.h"
#include "panel.h"

extern char **environ;

/* A failing program fails the command, so a script stops there and
 * `! run false` holds. */
static int finish(const struct lab *lab, const char *prog, int status, uint64_t ooms, struct nserr *e)
{
	char how[160];
	_cleanup_free_ char *p = escaped(prog);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* An OOM kill is a SIGKILL: the cgroup's count tells them apart. */
	cgroup_describe_status(lab, ooms, status, how, sizeof(how));
	return nserr_set(e, 0, "%s: %s", p, how);
}

/* A program shares the screen with the panel (it scrolls above it); an
 * entered shell gets the whole screen. Either way the panel is fenced off
 * again afterwards, whatever the program did to the terminal. */
static int spawn_and_wait(struct nslab *app, char **argv, char **envp, bool on_host, bool whole_screen,
			  int *status, uint64_t *ooms, struct nserr *e)
{
	struct spawn sp = {.argv = argv, .envp = envp, .on_host = on_host, .terminal = app->terminal};
	int rc;

	*ooms = on_host ? CG_UNKNOWN : cgroup_oom_kills(app->lab);
	if (whole_screen)
		panel_suspend();
	rc = lab_spawn(app->lab, &sp, status, e);
	if (app->terminal)
		panel_resume(app);
	return rc;
}

static int run_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	/* Reached both as `run PROG` and as a bare `PROG`. */
	int status;
	uint64_t ooms;

	if (strcmp(argv[0], "run") == 0)
		argv++;
	if (spawn_and_wait(app, argv, NULL, false, false, &status, &ooms, e) < 0)
		return -1;
	return finish(app->lab, argv[0], status, ooms, e);
}

const struct command cmd_run = {
	.name = "run", .usage = "PROGRAM [ARGS...]",
	.help = N_("run a program in the lab (a program's name alone does the same)"),
	.min_args = 1, .max_args = -1, .run = run_run, .complete = COMPLETE_PROGRAM,
};

static int host_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	int status;
	uint64_t ooms;

	if (spawn_and_wait(app, argv + 1, NULL, true, false, &status, &ooms, e) < 0)
		return -1;
	return finish(app->lab, argv[1], status, ooms, e);
}

const struct command cmd_host = {
	.name = "host", .usage = "PROGRAM [ARGS...]",
	.help = N_("run a program on the host, to compare with the lab"),
	.min_args = 1, .max_args = -1, .run = host_run, .complete = COMPLETE_PROGRAM,
};

/* The environment of an entered shell: nslab's, with a prompt that says
 * which lab this is. */
static char **enter_env(const struct lab *lab)
{
	size_t n = 0, k = 0;
	char iso[64], **env;

	while (environ[n])
		n++;
	env = xcalloc(n + 3, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PS1=", 4) != 0 && strncmp(environ[i], "NSLAB_LAB=", 10) != 0)
			env[k++] = environ[i];
	ns_mask_str(lab_isolated(lab), iso, sizeof(iso));
	env[k++] = xasprintf("PS1=[%s%s%s] \\w \\$ ", lab->name, *iso ? ":" : "", iso);
	env[k++] = xasprintf("NSLAB_LAB=%s", lab->name);
	env[k] = NULL;
	return env;
}

static int enter_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	const char *shell = getenv("SHELL");
	char *def[] = {NULL, NULL, NULL, NULL}, **env;
	int rc, status;
	uint64_t ooms;

	/* In a root of its own ($SHELL may not exist there) /bin/sh does. */
	if (!shell || !*shell || (app->lab->fs && (app->lab->fs->pivot_dir || app->lab->fs->chroot_dir)))
		shell = "/bin/sh";
	def[0] = (char *)shell;
	/* bash's rc files would set their own PS1 over the lab's. */
	if (strcmp(strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell, "bash") == 0) {
		def[1] = "--norc";
		def[2] = "-i";
	}
	env = enter_env(app->lab);
	if (app->terminal)
		printf(_("entering %s; `exit` comes back to nslab\n"), app->lab->name);
	rc = spawn_and_wait(app, argc > 1 ? argv + 1 : def, env, false, true, &status, &ooms, e);
	/* A shell passes on its last command's status: leaving it is no
	 * failure of `enter`. A PROGRAM's status counts, as with `run`. */
	if (rc == 0 && argc > 1)
		rc = finish(app->lab, argv[1], status, ooms, e);
	for (size_t i = 0; env[i]; i++)
		if (strncmp(env[i], "PS1=[", 5) == 0 || strncmp(env[i], "NSLAB_LAB=", 10) == 0)
			free(env[i]);
	free(env);
	return rc;
}

const struct command cmd_enter = {
	.name = "enter", .usage = "[PROGRAM [ARGS...]]",
	.help = N_("start an interactive shell (or PROGRAM) in the lab; exit returns here"),
	.min_args = 0, .max_args = -1, .run = enter_run, .complete = COMPLETE_PROGRAM,
};
