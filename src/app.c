/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "app.h"

#include <stdio.h>
#include <string.h>

const char *program_name = "nslab";

struct lab *app_find_lab(struct nslab *app, const char *name)
{
	for (int i = 0; i < APP_MAX_LABS; i++)
		if (app->labs[i] && strcmp(app->labs[i]->name, name) == 0)
			return app->labs[i];
	return NULL;
}

int app_lab_count(const struct nslab *app)
{
	int n = 0;

	for (int i = 0; i < APP_MAX_LABS; i++)
		n += app->labs[i] != NULL;
	return n;
}

struct lab *app_new_lab(struct nslab *app, const char *name, struct nserr *e)
{
	for (int i = 0; i < APP_MAX_LABS; i++) {
		if (app->labs[i])
			continue;
		app->labs[i] = xcalloc(1, sizeof(struct lab));
		lab_init(app->labs[i], name);
		return app->labs[i];
	}
	nserr_set(e, 0, _("there are %d labs already"), APP_MAX_LABS);
	return nserr_hint(e, _("`lab del NAME` one first")), NULL;
}

void app_destroy_labs(struct nslab *app)
{
	for (int i = 0; i < APP_MAX_LABS; i++)
		if (app->labs[i]) {
			lab_destroy(app->labs[i]);
			free(app->labs[i]);
			app->labs[i] = NULL;
		}
	app->lab = NULL;
}

static _printf_(4, 0) void say(FILE *f, struct nslab *app, const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(f, "%s: %s", app->where ? app->where : program_name, kind);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void app_warn(struct nslab *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(stderr, app, _("warning: "), fmt, ap);
	va_end(ap);
}

void app_note(struct nslab *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(stdout, app, _("note: "), fmt, ap);
	va_end(ap);
}
