/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One panel refresh (gathering every row's facts) with N processes in a lab
 * of uts, ipc, pid and mnt: median and 90th percentile over ITER runs.
 * Built and run by bench/panel.sh against src/libnslab.a. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "panel.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, iter = argc > 2 ? atoi(argv[2]) : 200, status;
	struct nslab app = {0};
	struct nserr e = {0};
	char script[256], *lines[16];
	double *t = calloc((size_t)iter, sizeof(double));

	if (!t || host_init(&e) < 0 || !(app.lab = app_new_lab(&app, "lab1", &e)) ||
	    lab_unshare(app.lab, NS_BIT(NS_UTS) | NS_BIT(NS_IPC) | NS_BIT(NS_PID) | NS_BIT(NS_MNT), &e) < 0) {
		fprintf(stderr, "panel-refresh: %s\n", e.msg);
		return 1;
	}
	/* N - 1 sleepers beside the lab's PID 1, orphaned to it. */
	snprintf(script, sizeof(script), "i=1; while [ $i -lt %d ]; do sleep 1000 & i=$((i+1)); done", n);
	char *args[] = {"sh", "-c", script, NULL};
	struct spawn sp = {.argv = args};
	if (lab_spawn(app.lab, &sp, &status, &e) < 0) {
		fprintf(stderr, "panel-refresh: %s\n", e.msg);
		return 1;
	}
	for (int i = 0; i < iter; i++) {
		double t0 = now_ms();
		int k = panel_render(&app, 100, false, lines, 16);
		t[i] = now_ms() - t0;
		for (int j = 0; j < k; j++)
			free(lines[j]);
	}
	qsort(t, (size_t)iter, sizeof(double), cmp);
	printf("%d processes: median %.3f ms, p90 %.3f ms (%d refreshes; lab has %d)\n", n, t[iter / 2],
	       t[iter * 9 / 10], iter, lab_count_processes(app.lab));
	app_destroy_labs(&app);
	return 0;
}
