/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long `cgroup` (limits and live usage) takes for a lab of many
 * processes: the real command, through the command table, timed one call
 * at a time. Usage: cgroup-usage [PROCESSES [CALLS]].
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cgroup.h"
#include "commands.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int say(struct nslab *app, const char *line)
{
	struct nserr e = {0};
	char *argv[8], *copy = xstrdup(line), msg[1024];
	int argc = 0, rc;

	/* Lines here have no quotes: split on spaces, but keep a trailing
	 * sh -c script whole. */
	for (char *p = strtok(copy, " "); p && argc < 7; p = strtok(NULL, argc == 3 ? "" : " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	rc = command_dispatch(app, argc, argv, &e);
	if (rc < 0) {
		nserr_format(&e, msg, sizeof(msg));
		fprintf(stderr, "cgroup-usage: %s: %s\n", line, msg);
	}
	free(copy);
	return rc;
}

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%-34s median %7.1f us   p90 %7.1f us   max %7.1f us   (%d calls)\n", what, t[n / 2],
	       t[n * 9 / 10], t[n - 1], n);
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 1000, calls = argc > 2 ? atoi(argv[2]) : 1000;
	char *cmd[] = {"cgroup", NULL}, line[256];
	struct nslab app = {0};
	struct nserr e = {0};
	struct cg_usage u;
	double *t = xcalloc((size_t)calls, sizeof(double));
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC), rc = 1;

	if (host_init(&e) < 0 || procs < 1 || calls < 1)
		return 2;
	cgroup_sweep();
	app.lab = app_new_lab(&app, "bench", &e);
	snprintf(line, sizeof(line), "cgroup pids %d", procs + 100);
	if (say(&app, line) < 0 || say(&app, "cgroup memory 2G") < 0 || say(&app, "cgroup cpu 150") < 0)
		goto done;
	snprintf(line, sizeof(line), "run sh -c i=0;while [ $i -lt %d ];do sleep 600 & i=$((i+1));done", procs);
	if (say(&app, line) < 0)
		goto done;
	cgroup_lab_usage(app.lab, &u);
	printf("lab with %llu processes in its cgroup\n", (unsigned long long)u.pids_current);
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	for (int i = 0; i < calls; i++) {
		double t0 = now_us();
		command_dispatch(&app, 1, cmd, &e);
		fflush(stdout);
		t[i] = now_us() - t0;
	}
	dup2(out, STDOUT_FILENO);
	report("`cgroup` (usage and limits)", t, calls);
	for (int i = 0; i < calls; i++) {
		double t0 = now_us();
		cgroup_lab_usage(app.lab, &u);
		t[i] = now_us() - t0;
	}
	report("reading the usage alone", t, calls);
	rc = 0;
done:
	app_destroy_labs(&app);
	free(t);
	return rc;
}
