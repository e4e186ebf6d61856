/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock: the offsets of the lab's time namespace. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "labfs.h"

static const clockid_t clock_ids[LAB_CLOCKS] = {CLOCK_MONOTONIC, CLOCK_BOOTTIME};

static int read_offsets(void *arg, struct buf *out, struct nserr *e)
{
	char text[256];

	/* In the lab's time namespace, "self" names it for our children. */
	if (read_small_file(host.proc, "self/timens_offsets", text, sizeof(text)) < 0)
		return nserr_set(e, errno, _("cannot read the lab's time namespace offsets"));
	buf_printf(out, "%s", text);
	return 0;
}

static int clock_show(struct nslab *app, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	struct buf text = {0};
	char name[16], words[64];
	long long sec;
	long nsec;

	if (!(lab_isolated(app->lab) & NS_BIT(NS_TIME))) {
		for (int c = 0; c < LAB_CLOCKS; c++) {
			clock_offset_str(fs->clock_sec[c], words, sizeof(words));
			printf("%-10s %s%s\n", lab_clock_name[c], words,
			       fs->clock_set[c] ? _(", written when `unshare time` makes the lab's time namespace") : "");
		}
		return 0;
	}
	if (lab_call(app->lab, 0, read_offsets, NULL, &text, e) < 0)
		return nserr_prefix(e, "clock");
	for (const char *l = text.s; l && *l; l = strchrnul(l, '\n'), l += *l == '\n')
		if (sscanf(l, "%15s %lld %ld", name, &sec, &nsec) == 3) {
			clock_offset_str(sec, words, sizeof(words));
			printf(_("%-10s %s in the lab's time namespace\n"), name, words);
		}
	buf_free(&text);
	return 0;
}

static int too_late(const char *which, const char *offset, struct nserr *e)
{
	nserr_set(e, 0, _("clock: too late, the lab's time namespace exists: the kernel takes offsets only from the process "
			  "that made it, before any process enters (a setns or fork into it freezes them), so nslab writes them "
			  "as it makes the namespace"));
	return nserr_hint(e, _("`share time`, `clock %s %s`, then `unshare time`"), which, offset);
}

static int clock_set(struct nslab *app, const char *which, const char *offset, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	struct timespec now;
	long long sec;
	char words[64], up[64];
	int c;

	for (c = 0; c < LAB_CLOCKS; c++)
		if (strcmp(which, lab_clock_name[c]) == 0)
			break;
	if (c == LAB_CLOCKS) {
		_cleanup_free_ char *w = escaped(which);
		nserr_set(e, 0, _("clock: no clock '%s' to offset"), w);
		return nserr_hint(e, _("monotonic or boottime: a time namespace offsets those two only, not the wall clock"));
	}
	if (parse_clock_offset(offset, &sec, e) < 0)
		return nserr_prefix(e, "clock");
	if (lab_isolated(app->lab) & NS_BIT(NS_TIME))
		return too_late(which, offset, e);
	clock_gettime(clock_ids[c], &now);
	/* What the kernel would refuse (ERANGE) at `unshare time`. */
	if (now.tv_sec + sec < 0 || now.tv_sec + sec > LAB_CLOCK_MAX) {
		clock_offset_str(sec, words, sizeof(words));
		clock_offset_str(now.tv_sec, up, sizeof(up));
		nserr_set(e, 0, now.tv_sec + sec < 0 ? _("clock: %s %s would set the lab's clock before zero")
						     : _("clock: %s %s would set the lab's clock beyond what the kernel keeps"),
			  which, words);
		return nserr_hint(e, _("the host's %s clock reads %s"), which, up + 1);
	}
	fs->clock_set[c] = true;
	fs->clock_sec[c] = sec;
	clock_offset_str(sec, words, sizeof(words));
	printf(_("%s offset %s (%lld s): written when `unshare time` makes the lab's time namespace\n"), which, words, sec);
	return 0;
}

static int clock_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	if (argc == 1)
		return clock_show(app, e);
	if (argc == 2)
		return command_usage_error(&cmd_clock, e, _("missing offset"));
	return clock_set(app, argv[1], argv[2], e);
}

static const char *const clock_words[] = {"monotonic", "boottime", NULL};

const struct command cmd_clock = {
	.name = "clock", .usage = "[monotonic|boottime OFFSET]",
	.help = N_("show, or set before `unshare time`, the lab's clock offsets (90, -15m, 2h, 3d)"),
	.min_args = 0, .max_args = 2, .run = clock_run, .complete = COMPLETE_WORDS, .words = clock_words,
};
