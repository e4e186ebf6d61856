/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lesson: the lessons that ship with nslab, listed and run in the REPL. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "script.h"

static const char *lessons_dir(void)
{
	const char *d = getenv("NSLAB_LESSONS");
	return d && *d ? d : LESSONSDIR;
}

static int is_lesson(const struct dirent *de)
{
	size_t n = strlen(de->d_name);
	return n > 6 && strcmp(de->d_name + n - 6, ".nslab") == 0 && de->d_name[0] != '.';
}

/* The title: the first line, without "# ". */
static void title_of(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)size, f)) {
		out[strcspn(out, "\n")] = '\0';
		if (out[0] == '#')
			memmove(out, out + 1 + (out[1] == ' '), strlen(out) - (out[1] == ' '));
	}
	fclose(f);
}

/* "01-uts.nslab" is lesson 1, also called "uts". */
static bool lesson_matches(const char *file, const char *want)
{
	const char *dash = strchr(file, '-');
	size_t n = strlen(file) - 6;

	if (atoi(file) > 0 && atoi(file) == atoi(want) && strspn(want, "0123456789") == strlen(want))
		return true;
	return dash && strlen(want) == n - (size_t)(dash + 1 - file) && strncmp(dash + 1, want, strlen(want)) == 0;
}

static int lesson_list(struct dirent **list, int n)
{
	char path[4096], title[256];

	printf(_("Lessons (`lesson N` runs one; each checks what it teaches):\n"));
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", lessons_dir(), list[i]->d_name);
		title_of(path, title, sizeof(title));
		printf("  %-24.*s %s\n", (int)strlen(list[i]->d_name) - 6, list[i]->d_name, title);
	}
	return 0;
}

static int lesson_start(struct nslab *app, const char *file, struct nserr *e)
{
	struct script_opts o = {.echo = true};
	_cleanup_free_ char *path = xasprintf("%s/%s", lessons_dir(), file);
	FILE *f = fopen(path, "re");
	int rc;

	if (!f)
		return nserr_set(e, errno, _("lesson: cannot open %s"), path);
	rc = script_source(app, f, path, &o);
	fclose(f);
	if (rc != 0)
		return nserr_set(e, 0, _("lesson: the lesson stopped at a step that did not hold"));
	printf(_("Lesson complete: every check held.\n"));
	return 0;
}

static int lesson_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct dirent **list = NULL;
	int n = scandir(lessons_dir(), &list, is_lesson, alphasort), rc = -1;

	if (n < 0) {
		nserr_set(e, errno, _("lesson: no lessons in %s"), lessons_dir());
		return nserr_hint(e, _("NSLAB_LESSONS names another folder"));
	}
	if (argc == 1)
		rc = lesson_list(list, n);
	for (int i = 0; argc == 2 && rc < 0 && i < n; i++)
		if (lesson_matches(list[i]->d_name, argv[1]))
			rc = lesson_start(app, list[i]->d_name, e) < 0 ? -2 : 0;
	if (argc == 2 && rc == -1) {
		_cleanup_free_ char *w = escaped(argv[1]);
		nserr_set(e, 0, _("lesson: no lesson '%s'"), w);
		nserr_hint(e, _("`lesson` lists them"));
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc < 0 ? -1 : 0;
}

const struct command cmd_lesson = {
	.name = "lesson", .usage = "[N | NAME]",
	.help = N_("list the lessons, or run one here, step by step"),
	.min_args = 0, .max_args = 1, .run = lesson_run,
};
