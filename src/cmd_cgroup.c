/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup: the lab's limits (memory, pids, cpu) and what it uses now. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "commands.h"

static void show_memory(const struct cg_usage *u)
{
	char now[32], peak[32], max[32];

	cgroup_format_size(u->mem_current, now, sizeof(now));
	cgroup_format_size(u->mem_peak, peak, sizeof(peak));
	cgroup_format_size(u->mem_max, max, sizeof(max));
	printf(_("used %s, peak %s, limit %s"), now, peak, u->mem_max == CG_UNLIMITED ? _("none") : max);
	if (u->oom_kills != CG_UNKNOWN)
		printf(ngettext(", %llu OOM kill", ", %llu OOM kills", (unsigned long)u->oom_kills),
		       (unsigned long long)u->oom_kills);
}

static void show_pids(const struct cg_usage *u)
{
	printf(ngettext("%llu process", "%llu processes", (unsigned long)u->pids_current),
	       (unsigned long long)u->pids_current);
	if (u->pids_max == CG_UNLIMITED)
		printf(_(", limit none"));
	else
		printf(_(", limit %llu"), (unsigned long long)u->pids_max);
	if (u->forks_refused != CG_UNKNOWN)
		printf(ngettext(", %llu fork refused", ", %llu forks refused", (unsigned long)u->forks_refused),
		       (unsigned long long)u->forks_refused);
}

static void show_cpu(const struct cg_usage *u)
{
	if (u->cpu_usec != CG_UNKNOWN)
		printf(_("used %.2fs, "), (double)u->cpu_usec / 1e6);
	if (u->cpu_quota == CG_UNLIMITED || u->cpu_quota == CG_UNKNOWN || !u->cpu_period)
		printf(_("limit none"));
	else
		printf(_("limit %llu%% of one CPU (%lluus every %lluus)"),
		       (unsigned long long)((u->cpu_quota * 100 + u->cpu_period / 2) / u->cpu_period),
		       (unsigned long long)u->cpu_quota, (unsigned long long)u->cpu_period);
	if (u->throttled != CG_UNKNOWN)
		printf(ngettext(", throttled %llu time", ", throttled %llu times", (unsigned long)u->throttled),
		       (unsigned long long)u->throttled);
}

static void show_paths(const struct lab *lab)
{
	struct buf dirs = {0}, safe = {0};

	cgroup_lab_dirs(lab, &dirs);
	if (!dirs.len)
		return;
	/* Paths come from the mount table: escape them, keep the lines. */
	for (char *line = strtok(dirs.s, "\n"); line; line = strtok(NULL, "\n")) {
		buf_printf(&safe, "  ");
		escape_text(&safe, line, strlen(line));
		buf_printf(&safe, "\n");
	}
	fputs(safe.s, stdout);
	buf_free(&dirs);
	buf_free(&safe);
}

static int cgroup_show(struct nslab *app)
{
	const struct lab *lab = app->lab;
	const char *name = cgroup_lab_name(lab);
	struct cg_usage u;

	cgroup_lab_usage(lab, &u);
	if (name)
		printf(_("%s: cgroup %s, under nslab's own cgroup in each hierarchy:\n"), lab->name, name);
	else
		printf(_("%s: no cgroup of its own yet; its processes stay in nslab's (a limit, or `unshare cgroup`, "
			 "makes one)\n"), lab->name);
	for (int c = 0; c < CG_CTL_COUNT; c++) {
		const char *why = cgroup_unavailable((enum cg_ctl)c);
		printf("  %-7s ", cgroup_ctl_name((enum cg_ctl)c));
		if (why && c == CG_CPU && u.cpu_usec != CG_UNKNOWN)
			printf(_("not available: %s; CPU time used %.2fs"), why, (double)u.cpu_usec / 1e6);
		else if (why)
			printf(_("not available: %s"), why);
		else if (!name)
			printf(_("available (cgroup v%d), no limit"), u.version[c]);
		else if (c == CG_MEMORY)
			show_memory(&u);
		else if (c == CG_PIDS)
			show_pids(&u);
		else
			show_cpu(&u);
		if (!why && name)
			printf(" (v%d)", u.version[c]);
		putchar('\n');
	}
	if (name)
		show_paths(lab);
	return 0;
}

static void value_text(const struct cg_limit *l, char *out, size_t size)
{
	if (l->value == CG_UNLIMITED)
		snprintf(out, size, _("none (max)"));
	else if (l->ctl == CG_MEMORY)
		cgroup_format_size(l->value, out, size);
	else if (l->ctl == CG_PIDS)
		snprintf(out, size, ngettext("%llu process", "%llu processes", (unsigned long)l->value),
			 (unsigned long long)l->value);
	else
		snprintf(out, size, _("%llu%% of one CPU"), (unsigned long long)l->value);
}

static int cgroup_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct cg_limit l;
	struct buf said = {0};
	char value[64], path[1024];

	if (argc == 1)
		return cgroup_show(app);
	if (argc == 2) {
		if (cgroup_parse_limit(argv[1], "max", &l, e) < 0)
			return -1;
		return command_usage_error(&cmd_cgroup, e, _("missing value"));
	}
	if (cgroup_parse_limit(argv[1], argv[2], &l, e) < 0)
		return -1;
	if (cgroup_lab_set(app->lab, &l, &said, e) < 0) {
		buf_free(&said);
		return -1;
	}
	value_text(&l, value, sizeof(value));
	cgroup_lab_path(app->lab, l.ctl, path, sizeof(path));
	_cleanup_free_ char *p = escaped(path);
	printf(_("%s: %s limit %s: %s in %s\n"), app->lab->name, cgroup_ctl_name(l.ctl), value, said.s, p);
	buf_free(&said);
	return 0;
}

static const char *const cgroup_words[] = {"memory", "pids", "cpu", "max", NULL};

const struct command cmd_cgroup = {
	.name = "cgroup", .usage = "[memory SIZE|max | pids N|max | cpu PERCENT|max]",
	.help = N_("limit the lab's memory, processes or CPU; alone: its limits and usage"),
	.min_args = 0, .max_args = 2, .run = cgroup_run,
	.complete = COMPLETE_WORDS, .words = cgroup_words,
};
