/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nslab: options, modes and exit codes. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "labnet.h"
#include "labfs.h"
#include "record.h"
#include "cgroup.h"
#include "repl.h"
#include "script.h"
#include "signals.h"
#include "trace.h"

enum { EXIT_USAGE = 2 };
enum { OPT_NO_PANEL = 0x100, OPT_RECORD, OPT_DEMO, OPT_LANG, OPT_TRACE };

static void usage(FILE *f)
{
	fprintf(f, _("Usage:\n"
		     " nslab [options]            interactive, with readline\n"
		     " nslab [options] FILE       run the commands in FILE\n"
		     " nslab [options] -c 'CMD; CMD'\n"
		     "\n"
		     "An interactive laboratory for Linux namespaces: build a container one\n"
		     "namespace at a time and watch how it differs from the host.\n"
		     "\n"
		     "Options:\n"
		     " -c, --command TEXT   run TEXT (commands separated by ; or newlines)\n"
		     " -k, --keep-going     in a script, go on after a failing command\n"
		     " -x, --echo           print each command, with the prompt, before running it\n"
		     "     --no-panel       no status panel, even on a terminal\n"
		     "     --demo[=CPS]     type each script line visibly (CPS characters a second,\n"
		     "                      20 by default) before running it, with the panel\n"
		     "     --record FILE    record the session as asciicast v2 (asciinema play FILE)\n"
		     "     --lang LANG      the language of messages: en or zh_CN (default: the locale)\n"
		     "     --trace          show the system calls each command makes (as `trace on`)\n"
		     " -h, --help           display this help\n"
		     " -V, --version        display version\n"
		     "\n"
		     "Without FILE or -c, commands come from standard input when it is not a\n"
		     "terminal. A script stops at the first failing command (FILE:LINE: message)\n"
		     "and exits 1; a usage error exits 2.\n"
		     "\n"
		     "For more details see nslab(1); `help` inside nslab lists the commands.\n"));
}

static void version(void)
{
	printf("nslab %s\n"
	       "Copyright (C) 2026 the nslab developers.\n"
	       "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       PACKAGE_VERSION);
}

/* --lang: gettext's LANGUAGE wins over the locale, except in the C locale,
 * which is then replaced by C.UTF-8 so that Chinese can be shown. */
static int set_language(const char *lang)
{
	const char *cur = setlocale(LC_MESSAGES, NULL);

	if (strcmp(lang, "en") != 0 && strcmp(lang, "zh_CN") != 0) {
		fprintf(stderr, _("nslab: --lang takes en or zh_CN\n"));
		return -1;
	}
	setenv("LANGUAGE", lang, 1);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
		setlocale(LC_CTYPE, "C.UTF-8");
		setlocale(LC_MESSAGES, "C.UTF-8");
	}
	/* gettext caches the catalog it chose. */
	textdomain(PACKAGE);
	return 0;
}

struct options {
	const char *command, *file, *record;
	struct script_opts script;
	bool no_panel, trace;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"command", required_argument, NULL, 'c'}, {"keep-going", no_argument, NULL, 'k'},
		{"echo", no_argument, NULL, 'x'},	   {"no-panel", no_argument, NULL, OPT_NO_PANEL},
		{"help", no_argument, NULL, 'h'},	   {"version", no_argument, NULL, 'V'},
		{"record", required_argument, NULL, OPT_RECORD}, {"demo", optional_argument, NULL, OPT_DEMO},
		{"lang", required_argument, NULL, OPT_LANG}, {"trace", no_argument, NULL, OPT_TRACE},
		{NULL, 0, NULL, 0}};
	int c;

	opterr = 0; /* our own words, with "nslab:" in front */
	while ((c = getopt_long(argc, argv, "+:c:kxhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->command = optarg; break;
		case 'k': o->script.keep_going = true; break;
		case 'x': o->script.echo = true; break;
		case OPT_NO_PANEL: o->no_panel = true; break;
		case OPT_RECORD: o->record = optarg; break;
		case OPT_TRACE: o->trace = true; break;
		case OPT_LANG:
			if (set_language(optarg) < 0)
				return -1;
			break;
		case OPT_DEMO:
			o->script.demo_cps = optarg ? atoi(optarg) : 20;
			if (o->script.demo_cps < 1 || o->script.demo_cps > 1000) {
				fprintf(stderr, _("nslab: --demo takes 1 to 1000 characters a second\n"));
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': version(); exit(0);
		case ':':
			fprintf(stderr, _("nslab: option '%s' needs an argument\n"), argv[optind - 1]);
			fprintf(stderr, _("Try 'nslab --help' for more information.\n"));
			return -1;
		default:
			fprintf(stderr, _("nslab: unknown option '%s'\n"), argv[optind - 1]);
			fprintf(stderr, _("Try 'nslab --help' for more information.\n"));
			return -1;
		}
	}
	if (optind < argc)
		o->file = argv[optind++];
	if (optind < argc || (o->file && o->command)) {
		fprintf(stderr, _("nslab: give either FILE or -c, once\nTry 'nslab --help' for more information.\n"));
		return -1;
	}
	return 0;
}

static int run_mode(struct nslab *app, const struct options *o)
{
	if (o->command)
		return script_run_text(app, o->command, &o->script);
	if (o->file) {
		FILE *f = fopen(o->file, "re");
		if (!f) {
			fprintf(stderr, "nslab: %s: %s\n", o->file, strerror(errno));
			return EXIT_USAGE;
		}
		int rc = script_run_stream(app, f, o->file, &o->script);
		fclose(f);
		return rc;
	}
	if (app->terminal)
		return repl_run(app);
	return script_run_stream(app, stdin, "<stdin>", &o->script);
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct nslab app = {0};
	struct nserr e = {0};
	char msg[1024];
	int rc;

	/* What our caller left open is not the lab's business: never let it
	 * reach a program in the lab. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	/* Only what nslab uses: characters (readline, the panel) and messages.
	 * Each category is a file to load, and all of them took a tenth of a
	 * millisecond, a twelfth of a start. Numbers and dates stay C's. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	/* NSLAB_LOCALEDIR: catalogs not yet installed (tests, a build tree). */
	bindtextdomain(PACKAGE, getenv("NSLAB_LOCALEDIR") ? getenv("NSLAB_LOCALEDIR") : LOCALEDIR);
	textdomain(PACKAGE);
	if (parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	/* The arguments lie end to end: the lab's PID 1 overwrites them. */
	lab_set_title_area(argv[0], (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) - argv[0]));
	if (o.record && record_start(o.record, &e) < 0) {
		nserr_format(&e, msg, sizeof(msg));
		fprintf(stderr, "nslab: %s\n", msg);
		return 1;
	}
	app.terminal = !o.command && !o.file && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	app.no_panel = o.no_panel;
	/* After --record: the lines are dimmed if the recorded terminal is one. */
	trace_set(o.trace);
	signals_setup(app.terminal);
	signals_save_terminal();
	if (host_init(&e) < 0) {
		nserr_format(&e, msg, sizeof(msg));
		fprintf(stderr, "nslab: %s\n", msg);
		return 1;
	}
	/* What killed nslabs left: veth ends, then run directories, and
	 * cgroups only where one says its nslab had some (going through every
	 * hierarchy was the costliest part of a start). */
	labnet_sweep();
	labfs_sweep(cgroup_sweep);
	app.lab = app_new_lab(&app, "lab1", &e);
	rc = run_mode(&app, &o);
	app_destroy_labs(&app);
	fflush(stdout);
	return rc;
}
