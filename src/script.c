/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running lines of commands: from a file, -c, stdin, or the prompt. */
#include "config.h"
#include "script.h"

#include <signal.h>
#include <string.h>

#include "commands.h"
#include "panel.h"
#include "parse.h"
#include <time.h>

#define LINE_MAX_BYTES (1 << 20)

volatile sig_atomic_t interrupted;

void prompt_text(const struct nslab *app, char *out, size_t size)
{
	char iso[64];

	ns_mask_str(lab_isolated(app->lab), iso, sizeof(iso));
	/* The lab's name once there is more than one to tell apart. */
	snprintf(out, size, "nslab%s%s%s%s%s> ", app_lab_count(app) > 1 ? ":" : "",
		 app_lab_count(app) > 1 ? app->lab->name : "", *iso ? "[" : "", iso, *iso ? "]" : "");
}

static void print_error(const struct nserr *e, const char *where, const char *lead)
{
	char line[1024];

	nserr_format(e, line, sizeof(line));
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", where ? where : program_name, lead, line);
}

static int run_one(struct nslab *app, struct words *w, const char *where)
{
	struct nserr e = {0};
	int rc;

	if (w->argc == 0) {
		nserr_set(&e, 0, _("`!` needs a command after it"));
		print_error(&e, where, "");
		return -1;
	}
	rc = command_dispatch(app, w->argc, w->argv, &e);
	fflush(stdout);
	if (!w->negate) {
		if (rc < 0)
			print_error(&e, where, "");
		return rc;
	}
	if (rc < 0) {
		char line[1024];
		nserr_format(&e, line, sizeof(line));
		printf(_("failed as expected: %s\n"), line);
		return 0;
	}
	_cleanup_free_ char *cmd = escaped(w->argv[0]);
	nserr_set(&e, 0, _("`%s` was expected to fail, but it succeeded"), cmd);
	print_error(&e, where, "");
	return -1;
}

int run_line(struct nslab *app, const char *line, size_t len, const char *where, bool keep_going)
{
	struct parsed p;
	struct nserr e = {0};
	int failed = 0;

	if (parse_line(line, len, &p, &e) < 0) {
		print_error(&e, where, "");
		return 1;
	}
	app->where = where;
	for (size_t i = 0; i < p.n && !app->quit && !interrupted; i++) {
		if (run_one(app, &p.cmds[i], where) < 0) {
			failed++;
			if (!keep_going)
				break;
		}
	}
	parsed_free(&p);
	app->where = NULL;
	return failed;
}

static void echo_line(const struct nslab *app, const char *line, size_t len)
{
	char prompt[96];
	struct buf b = {0};

	prompt_text(app, prompt, sizeof(prompt));
	escape_text(&b, line, len);
	printf("%s%s\n", prompt, b.s);
	buf_free(&b);
}

/* --demo: the line appears as if typed, a little unevenly, as a person
 * types; blank lines and comments are shown at once. */
static void type_line(const struct nslab *app, const char *line, size_t len, int cps)
{
	char prompt[96];
	struct buf b = {0};
	size_t bytes;

	prompt_text(app, prompt, sizeof(prompt));
	escape_text(&b, line, len);
	fputs(prompt, stdout);
	fflush(stdout);
	for (size_t i = 0; i < b.len; i += bytes) {
		long ns = 1000000000L / cps;
		text_fit(b.s + i, b.len - i, 1, &bytes);
		if (!bytes)
			bytes = 1;
		fwrite(b.s + i, 1, bytes, stdout);
		fflush(stdout);
		ns = ns / 2 + (long)((unsigned)rand() % (unsigned)ns);
		nanosleep(&(struct timespec){.tv_sec = ns / 1000000000L, .tv_nsec = ns % 1000000000L}, NULL);
	}
	putchar('\n');
	buf_free(&b);
}

static int run_lines(struct nslab *app, const char *name, unsigned lineno, const char *line, size_t len,
		     const struct script_opts *o, int *status)
{
	_cleanup_free_ char *where = xasprintf("%s:%u", name, lineno);

	if (len > LINE_MAX_BYTES) {
		fprintf(stderr, _("%s: the line is %zu bytes long; at most %d\n"), where, len, LINE_MAX_BYTES);
		*status = 1;
		return o->keep_going ? 0 : -1;
	}
	if (o->demo_cps)
		type_line(app, line, len, o->demo_cps);
	else if (o->echo)
		echo_line(app, line, len);
	int failed = run_line(app, line, len, where, o->keep_going);
	if (o->demo_cps)
		panel_refresh(app, false);
	if (failed > 0) {
		*status = 1;
		if (!o->keep_going)
			return -1;
	}
	return 0;
}

static void begin(struct nslab *app, const struct script_opts *o)
{
	if (o->demo_cps && !app->no_panel)
		panel_start(app, PANEL_BOTTOM);
}

static int finish(struct nslab *app, int status)
{
	panel_stop();
	if (interrupted)
		return 130;
	return app->quit ? app->quit_code : status;
}

int script_source(struct nslab *app, FILE *f, const char *name, const struct script_opts *o)
{
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int status = 0;

	while (!app->quit && !interrupted && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (run_lines(app, name, lineno, line, (size_t)n, o, &status) < 0)
			break;
	}
	return status;
}

int script_run_stream(struct nslab *app, FILE *f, const char *name, const struct script_opts *o)
{
	begin(app, o);
	return finish(app, script_source(app, f, name, o));
}

int script_run_text(struct nslab *app, const char *text, const struct script_opts *o)
{
	unsigned lineno = 0;
	int status = 0;

	begin(app, o);
	for (const char *l = text; !app->quit && !interrupted;) {
		const char *nl = strchrnul(l, '\n');
		if (run_lines(app, "-c", ++lineno, l, (size_t)(nl - l), o, &status) < 0 || !*nl)
			break;
		l = nl + 1;
	}
	return finish(app, status);
}
