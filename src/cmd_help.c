/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help and quit. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"

static void help_one(const struct command *c)
{
	printf(_("usage: %s%s%s\n"), c->name, *c->usage ? " " : "", c->usage);
	printf("  %s\n", _(c->help));
	if (c->alias)
		printf(_("  also: %s\n"), c->alias);
}

static int help_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	if (argc == 2) {
		const struct command *c = command_find(argv[1], e);
		if (!c)
			return nserr_prefix(e, "help");
		help_one(c);
		return 0;
	}
	printf(_("Commands (a unique prefix is enough; `help COMMAND` tells more):\n"));
	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		_cleanup_free_ char *head = xasprintf("%s%s%s", c->name, *c->usage ? " " : "", c->usage);
		if (strlen(head) > 30)
			printf("  %s\n  %-30s %s\n", head, "", _(c->help));
		else
			printf("  %-30s %s\n", head, _(c->help));
	}
	printf(_("Any other word that names a program runs it in the lab; `! COMMAND` expects it to fail.\n"));
	return 0;
}

const struct command cmd_help = {
	.name = "help", .usage = "[COMMAND]",
	.help = N_("list the commands, or explain one"),
	.min_args = 0, .max_args = 1, .run = help_run, .complete = COMPLETE_COMMAND,
};

static int quit_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	unsigned long code = 0;

	if (argc == 2 && parse_uint(argv[1], _("exit code"), 255, &code, e) < 0)
		return nserr_prefix(e, "quit");
	app->quit = true;
	app->quit_code = (int)code;
	return 0;
}

const struct command cmd_quit = {
	.name = "quit", .alias = "exit", .usage = "[CODE]",
	.help = N_("end the lab (every lab process ends) and leave nslab"),
	.min_args = 0, .max_args = 1, .run = quit_run,
};
