/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab: several labs side by side ("containers"), one of them current. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "nsinfo.h"

#define LAB_NAME_MAX 15

static int check_name(const char *name, struct nserr *e)
{
	size_t n = strlen(name);
	_cleanup_free_ char *w = escaped(name);

	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			n = 0;
	if (n == 0 || n > LAB_NAME_MAX || !isalpha((unsigned char)name[0])) {
		nserr_set(e, 0, _("lab: bad name '%s'"), w);
		return nserr_hint(e, _("a letter, then letters, digits, - or _; at most %d"), LAB_NAME_MAX);
	}
	return 0;
}

static struct lab *must_find(struct nslab *app, const char *name, struct nserr *e)
{
	struct lab *lab = app_find_lab(app, name);
	struct buf names = {0};

	if (lab)
		return lab;
	for (int i = 0; i < APP_MAX_LABS; i++)
		if (app->labs[i])
			buf_printf(&names, "%s%s", names.len ? " " : "", app->labs[i]->name);
	_cleanup_free_ char *w = escaped(name);
	nserr_set(e, 0, _("lab: there is no lab '%s'"), w);
	nserr_hint(e, _("the labs: %s"), names.s);
	buf_free(&names);
	return NULL;
}

static int lab_list(struct nslab *app)
{
	for (int i = 0; i < APP_MAX_LABS; i++) {
		struct lab *lab = app->labs[i];
		char iso[64];
		if (!lab)
			continue;
		lab_poll(lab);
		ns_mask_str(lab_isolated(lab), iso, sizeof(iso));
		printf("%c %-15s %s", lab == app->lab ? '*' : ' ', lab->name, *iso ? iso : _("(nothing isolated)"));
		if (lab->init > 0 && !lab->init_gone)
			printf(_("; PID 1 is host PID %d"), (int)lab->init);
		putchar('\n');
	}
	return 0;
}

static int lab_new(struct nslab *app, const char *name, struct nserr *e)
{
	struct lab *lab;

	if (check_name(name, e) < 0)
		return -1;
	if (app_find_lab(app, name)) {
		_cleanup_free_ char *w = escaped(name);
		nserr_set(e, 0, _("lab new: there is a lab '%s' already"), w);
		return nserr_hint(e, _("`lab use %s` goes there"), w);
	}
	if (!(lab = app_new_lab(app, name, e)))
		return nserr_prefix(e, "lab new");
	app->lab = lab;
	printf(_("made %s, with only the host's namespaces; it is now the current lab\n"), lab->name);
	return 0;
}

static int lab_del(struct nslab *app, const char *name, struct nserr *e)
{
	struct lab *lab = must_find(app, name, e);

	if (!lab)
		return -1;
	if (lab == app->lab) {
		nserr_set(e, 0, _("lab del: %s is the current lab"), lab->name);
		return nserr_hint(e, _("`lab use` another one first"));
	}
	for (int i = 0; i < APP_MAX_LABS; i++)
		if (app->labs[i] == lab) {
			lab_destroy(lab);
			free(lab);
			app->labs[i] = NULL;
		}
	printf(_("deleted %s and every process in it\n"), name);
	return 0;
}

static int lab_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	bool named = strcmp(sub, "new") == 0 || strcmp(sub, "use") == 0 || strcmp(sub, "del") == 0;

	if (named && argc != 3)
		return command_usage_error(&cmd_lab, e, argc < 3 ? _("missing lab name") : _("too many arguments"));
	if (!named && argc > 2)
		return command_usage_error(&cmd_lab, e, _("too many arguments"));
	if (strcmp(sub, "list") == 0)
		return lab_list(app);
	if (strcmp(sub, "new") == 0)
		return lab_new(app, argv[2], e);
	if (strcmp(sub, "del") == 0)
		return lab_del(app, argv[2], e);
	if (strcmp(sub, "use") == 0) {
		struct lab *lab = must_find(app, argv[2], e);
		if (!lab)
			return -1;
		app->lab = lab;
		printf(_("now in %s\n"), lab->name);
		return 0;
	}
	return command_usage_error(&cmd_lab, e, _("unknown subcommand"));
}

static const char *const lab_words[] = {"new", "use", "list", "del", NULL};

const struct command cmd_lab = {
	.name = "lab", .usage = "new NAME | use NAME | list | del NAME",
	.help = N_("make, switch between, list and delete labs"),
	.min_args = 0, .max_args = 2, .run = lab_run,
	.complete = COMPLETE_WORDS, .words = lab_words,
};
