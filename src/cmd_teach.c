/* SPDX-License-Identifier: GPL-3.0-or-later */
/* say, pause, expect, compare: what lessons and teachers use. */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "capture.h"
#include "commands.h"
#include "parse.h"

static int say_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", i > 1 ? " " : "", argv[i]);
	putchar('\n');
	return 0;
}

const struct command cmd_say = {
	.name = "say", .usage = "TEXT...",
	.help = N_("print a line of narration (for lessons)"),
	.min_args = 0, .max_args = -1, .run = say_run,
};

static int pause_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	FILE *tty;
	char line[256];

	/* A live class: wait for the teacher. Anywhere else: go on. */
	if (!isatty(STDOUT_FILENO) || !(tty = fopen("/dev/tty", "re")))
		return 0;
	printf("%s", argc > 1 ? argv[1] : _("(press Enter to go on)"));
	fflush(stdout);
	if (!fgets(line, sizeof(line), tty))
		putchar('\n');
	fclose(tty);
	return 0;
}

const struct command cmd_pause = {
	.name = "pause", .usage = "[TEXT]",
	.help = N_("wait for Enter when on a terminal (for live lessons)"),
	.min_args = 0, .max_args = 1, .run = pause_run,
};

/* ---- expect ------------------------------------------------------------------ */

static int expect_ns(struct nslab *app, bool isolated, int argc, char **argv, struct nserr *e)
{
	unsigned mask, have = lab_isolated(app->lab);
	char names[64];

	if (argc < 3)
		return command_usage_error(&cmd_expect, e, _("name the namespaces"));
	if (ns_parse_list(argc - 2, argv + 2, &mask, e) < 0)
		return nserr_prefix(e, "expect");
	unsigned wrong = isolated ? mask & ~have : mask & have;
	if (wrong) {
		ns_mask_str(wrong, names, sizeof(names));
		return nserr_set(e, 0, isolated ? _("expected %s to be isolated in %s; it is the host's")
						: _("expected %s to be the host's in %s; it is isolated"),
				 names, app->lab->name);
	}
	ns_mask_str(mask, names, sizeof(names));
	printf(isolated ? _("\u2713 %s isolated\n") : _("\u2713 %s shared with the host\n"), names);
	return 0;
}

/* Text as typed, so it can be copied back: escaped only when it holds
 * control bytes (a pattern's backslashes stay single). */
static char *shown(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return escaped(s);
	return xstrdup(s);
}

static bool holds(const char *how, const char *text, const char *want, struct nserr *e, bool *bad)
{
	size_t n = strlen(text);

	/* The last newline is the command's, not the value's. */
	if (strcmp(how, "equals") == 0) {
		n -= n && text[n - 1] == '\n';
		return n == strlen(want) && memcmp(text, want, n) == 0;
	}
	if (strcmp(how, "contains") == 0)
		return strstr(text, want) != NULL;
	if (strcmp(how, "lacks") == 0)
		return strstr(text, want) == NULL;
	regex_t re;
	if (regcomp(&re, want, REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0) {
		*bad = true;
		_cleanup_free_ char *w = escaped(want);
		nserr_set(e, 0, _("expect: bad regular expression '%s'"), w);
		return false;
	}
	bool ok = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static int expect_output(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	static const char *const hows[] = {"contains", "lacks", "equals", "matches"};
	struct parsed p;
	struct buf out = {0};
	bool known = false, bad = false;
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(hows); i++)
		known |= strcmp(argv[2], hows[i]) == 0;
	if (argc != 4 || !known)
		return command_usage_error(&cmd_expect, e, _("say contains, lacks, equals or matches, then the text"));
	if (parse_line(argv[1], strlen(argv[1]), &p, e) < 0 || p.n != 1 || p.cmds[0].negate) {
		parsed_free(&p);
		return command_usage_error(&cmd_expect, e, _("give one command, in quotes"));
	}
	rc = capture_command(app, p.cmds[0].argc, p.cmds[0].argv, &out, e);
	parsed_free(&p);
	if (rc == 0 && !holds(argv[2], out.s, argv[3], e, &bad) && !bad) {
		_cleanup_free_ char *cmd = escaped(argv[1]), *want = escaped(argv[3]);
		struct buf got = {0};
		escape_text(&got, out.s, strcspn(out.s, "\n") < 60 ? strcspn(out.s, "\n") : 60);
		nserr_set(e, 0, _("expected the output of `%s` %s '%s'; its first line: '%s'"), cmd, argv[2], want,
			  got.s);
		buf_free(&got);
		rc = -1;
	} else if (rc == 0 && !bad) {
		_cleanup_free_ char *cmd = shown(argv[1]), *want = shown(argv[3]);
		printf("\u2713 `%s` %s '%s'\n", cmd, argv[2], want);
	}
	buf_free(&out);
	return bad ? -1 : rc;
}

static int expect_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	if (strcmp(argv[1], "isolated") == 0 || strcmp(argv[1], "shared") == 0)
		return expect_ns(app, argv[1][0] == 'i', argc, argv, e);
	if (argc < 3)
		return command_usage_error(&cmd_expect, e, _("missing argument"));
	return expect_output(app, argc, argv, e);
}

static const char *const expect_words[] = {"isolated", "shared", NULL};

const struct command cmd_expect = {
	.name = "expect", .usage = "isolated NS... | shared NS... | 'COMMAND' contains|lacks|equals|matches TEXT",
	.help = N_("check what a lesson teaches; fails (and stops a script) when it does not hold"),
	.min_args = 1, .max_args = -1, .run = expect_run,
	.complete = COMPLETE_WORDS, .words = expect_words,
};

/* ---- compare ----------------------------------------------------------------- */

static int screen_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* The next line of *P (without its newline), advancing *P. */
static size_t next_line(const char **p, const char **line)
{
	size_t n = strcspn(*p, "\n");

	*line = *p;
	*p += n + ((*p)[n] == '\n');
	return n;
}

static void side_by_side(const char *left, const char *right, const char *lab_name)
{
	int col = (screen_width() - 3) / 2;
	const char *l = left, *r = right;

	print_column(_("HOST"), col + 1);
	printf("  %s\n", lab_name);
	while (*l || *r) {
		const char *a, *b;
		size_t na = next_line(&l, &a), nb = next_line(&r, &b), fa, fb;
		bool same = na == nb && memcmp(a, b, na) == 0;
		struct buf ea = {0}, eb = {0};
		escape_text(&ea, a, na);
		escape_text(&eb, b, nb);
		int wa = text_fit(ea.s, ea.len, col, &fa);
		text_fit(eb.s, eb.len, col, &fb);
		printf("%.*s%*s %s %.*s\n", (int)fa, ea.s, col - wa, "", same ? " " : "|", (int)fb, eb.s);
		buf_free(&ea);
		buf_free(&eb);
	}
}

static int compare_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct buf h = {0}, l = {0};
	struct nserr he = {0}, le = {0};
	char *self = argv[0];
	int hrc, lrc;

	/* Same words, two places: "host PROG..." then "run PROG...". The
	 * words belong to the caller: put ours back. A program that fails on
	 * one side is part of the comparison, not an error of it. */
	argv[0] = "host";
	hrc = capture_command(app, argc, argv, &h, &he);
	argv[0] = "run";
	lrc = capture_command(app, argc, argv, &l, &le);
	argv[0] = self;
	if (strcmp(h.s, l.s) == 0 && hrc == lrc)
		printf(_("the same on the host and in %s:\n%s"), app->lab->name, h.s);
	else {
		side_by_side(h.s, l.s, app->lab->name);
		printf(_("(| marks the lines that differ)\n"));
	}
	if (hrc < 0 || lrc < 0) {
		char hm[600], lm[600];
		nserr_format(&he, hm, sizeof(hm));
		nserr_format(&le, lm, sizeof(lm));
		if (hrc == 0 || lrc == 0)
			printf(_("host: %s; %s: %s\n"), hrc < 0 ? hm : _("success"), app->lab->name,
			       lrc < 0 ? lm : _("success"));
	}
	buf_free(&h);
	buf_free(&l);
	/* Failing on one side is a difference worth seeing; failing on
	 * both (or not starting at all) fails the command, as `run` would. */
	if (hrc < 0 && lrc < 0) {
		*e = he;
		return -1;
	}
	return 0;
}

const struct command cmd_compare = {
	.name = "compare", .usage = "PROGRAM [ARGS...]",
	.help = N_("run a program on the host and in the lab, and show the outputs side by side"),
	.min_args = 1, .max_args = -1, .run = compare_run, .complete = COMPLETE_PROGRAM,
};
