/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "app.h"

#include <stdio.h>

const char *program_name = "nslab";

static void say(FILE *f, struct nslab *app, const char *kind, const char *fmt, va_list ap)
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
