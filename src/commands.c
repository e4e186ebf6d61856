/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

const struct command *const command_table[] = {
	&cmd_unshare, &cmd_share, &cmd_reset, &cmd_status, &cmd_lab,
	&cmd_hostname, &cmd_domainname,
	&cmd_mount, &cmd_umount, &cmd_mounts,
	&cmd_ipcmk, &cmd_ipcs, &cmd_ipcrm,
	&cmd_link, &cmd_links, &cmd_veth,
	&cmd_run, &cmd_host, &cmd_enter, &cmd_compare, &cmd_pid,
	&cmd_overlay, &cmd_rootfs, &cmd_chroot, &cmd_diff, &cmd_layer, &cmd_clock,
	&cmd_explain, &cmd_lesson, &cmd_say, &cmd_pause, &cmd_expect,
	&cmd_uidmap, &cmd_gidmap, &cmd_setgroups, &cmd_id,
	&cmd_cgroup,
	&cmd_export,
	&cmd_trace,
	&cmd_panel, &cmd_help, &cmd_quit,
};
const size_t command_count = ARRAY_SIZE(command_table);

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= ARRAY_SIZE(row) || lb >= ARRAY_SIZE(row))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int unknown(const char *word, struct nserr *e)
{
	const struct command *best = NULL;
	/* A suggestion must share most of the word: none for "" or "xy". */
	size_t best_d = strlen(word) / 2 + 1 < 3 ? strlen(word) / 2 + 1 : 3;
	_cleanup_free_ char *w = escaped(word);

	for (size_t i = 0; i < command_count; i++) {
		size_t d = edit_distance(word, command_table[i]->name);
		if (d < best_d) {
			best_d = d;
			best = command_table[i];
		}
	}
	nserr_set(e, 0, _("unknown command '%s'"), w);
	if (best)
		return nserr_hint(e, _("did you mean `%s`? `help` lists the commands"), best->name);
	return nserr_hint(e, _("`help` lists the commands; a program runs with `run PROGRAM`"));
}

const struct command *command_find(const char *word, struct nserr *e)
{
	const struct command *found = NULL;
	struct buf cands = {0};
	size_t len = strlen(word), n = 0;

	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		if (strcmp(word, c->name) == 0 || (c->alias && strcmp(word, c->alias) == 0))
			return c;
	}
	for (size_t i = 0; len && i < command_count; i++) {
		const struct command *c = command_table[i];
		if (strncmp(word, c->name, len) == 0) {
			found = c;
			buf_printf(&cands, "%s%s", n++ ? " " : "", c->name);
		}
	}
	if (n == 1) {
		buf_free(&cands);
		return found;
	}
	if (n > 1) {
		_cleanup_free_ char *w = escaped(word);
		nserr_set(e, 0, _("'%s' is ambiguous"), w);
		nserr_hint(e, _("it could be: %s"), cands.s);
		buf_free(&cands);
		return NULL;
	}
	unknown(word, e);
	return NULL;
}

int command_usage_error(const struct command *c, struct nserr *e, const char *what)
{
	nserr_set(e, 0, "%s: %s", c->name, what);
	return nserr_hint(e, _("usage: %s%s%s"), c->name, *c->usage ? " " : "", c->usage);
}

int command_dispatch(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	const struct command *c = NULL;
	size_t i;

	/* An exact command wins; then a program on PATH (so `ps` and `sh` run
	 * as programs); only then do abbreviations apply. */
	for (i = 0; i < command_count; i++)
		if (strcmp(argv[0], command_table[i]->name) == 0 ||
		    (command_table[i]->alias && strcmp(argv[0], command_table[i]->alias) == 0))
			c = command_table[i];
	if (!c && is_executable_on_path(argv[0]))
		return cmd_run.run(app, argc, argv, e);
	if (!c && !(c = command_find(argv[0], e)))
		return -1;
	if (argc - 1 < c->min_args)
		return command_usage_error(c, e, _("missing argument"));
	if (c->max_args >= 0 && argc - 1 > c->max_args)
		return command_usage_error(c, e, _("too many arguments"));
	return c->run(app, argc, argv, e);
}
