/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace: the syscall echo on and off (trace.c writes the lines). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "trace.h"

static void say_state(void)
{
	if (trace_on)
		puts(_("trace: on; each command shows the system calls it makes, on stderr"));
	else
		puts(_("trace: off"));
}

static int trace_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	if (argc == 1) {
		say_state();
		return 0;
	}
	if (strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0) {
		_cleanup_free_ char *w = escaped(argv[1]);
		_cleanup_free_ char *what = xasprintf(_("'%s' is neither on nor off"), w);
		return command_usage_error(&cmd_trace, e, what);
	}
	trace_set(strcmp(argv[1], "on") == 0);
	say_state();
	return 0;
}

static const char *const trace_words[] = {"on", "off", NULL};

const struct command cmd_trace = {
	.name = "trace", .usage = "[on | off]",
	.help = N_("show the system calls each command makes, strace-style (on stderr)"),
	.min_args = 0, .max_args = 1, .run = trace_run,
	.complete = COMPLETE_WORDS, .words = trace_words,
};
