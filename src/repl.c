/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "repl.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "commands.h"
#include "panel.h"
#include "terminal.h"
#include "script.h"
#include "signals.h"

#define HISTORY_MAX 1000

static struct nslab *the_app;
static char *history_path;

/* ---- completion ------------------------------------------------------------- */

static const char *const *gen_words;
static bool gen_commands;

static char *gen_list(const char *text, int state)
{
	static size_t i;
	size_t len = strlen(text);

	if (!state)
		i = 0;
	if (gen_commands) {
		while (i < command_count) {
			const char *n = command_table[i++]->name;
			if (strncmp(n, text, len) == 0)
				return xstrdup(n);
		}
		return NULL;
	}
	while (gen_words && gen_words[i]) {
		const char *w = gen_words[i++];
		if (strncmp(w, text, len) == 0)
			return xstrdup(w);
	}
	return NULL;
}

/* Executables on PATH, for `run`, `host` and `enter`. */
static char *gen_programs(const char *text, int state)
{
	static char *path, *dir_next;
	static DIR *d;
	size_t len = strlen(text);

	if (!state) {
		free(path);
		path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
		dir_next = path;
		if (d)
			closedir(d);
		d = NULL;
	}
	for (;;) {
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (strncmp(de->d_name, text, len) == 0 && de->d_name[0] != '.' &&
			    faccessat(dirfd(d), de->d_name, X_OK, 0) == 0)
				return xstrdup(de->d_name);
		if (d)
			closedir(d);
		d = NULL;
		if (!dir_next)
			return NULL;
		char *dir = strsep(&dir_next, ":");
		d = opendir(*dir ? dir : ".");
	}
}

/* The lab's processes by host PID, for `pid PID`: NUL-separated. */
static void add_pid(const char *pid, void *arg)
{
	buf_add(arg, pid, strlen(pid) + 1);
}

/* The command's words, then the lab's PIDs. */
static char *gen_words_and_pids(const char *text, int state)
{
	static struct buf pids;
	static size_t at;
	size_t len = strlen(text);
	char *m;

	if (!state) {
		buf_free(&pids);
		at = 0;
		pid_each(the_app->lab, add_pid, &pids);
	}
	if ((m = gen_list(text, state)))
		return m;
	while (at < pids.len) {
		const char *p = pids.s + at;
		at += strlen(p) + 1;
		if (strncmp(p, text, len) == 0)
			return xstrdup(p);
	}
	return NULL;
}

/* The command whose arguments are being completed, and the argument's
 * index (0: the command word itself). */
static const struct command *context(int start, int *index)
{
	char *seg = rl_line_buffer, *semi;
	char word[64] = "";
	int n = 0;
	struct nserr e;

	while ((semi = memchr(seg, ';', (size_t)(rl_line_buffer + start - seg))))
		seg = semi + 1;
	for (char *p = seg; p < rl_line_buffer + start;) {
		while (p < rl_line_buffer + start && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= rl_line_buffer + start)
			break;
		char *w = p;
		while (p < rl_line_buffer + start && *p != ' ' && *p != '\t')
			p++;
		if (n == 0 && !(p - w == 1 && *w == '!'))
			snprintf(word, sizeof(word), "%.*s", (int)(p - w), w);
		if (!(n == 0 && p - w == 1 && *w == '!'))
			n++;
	}
	*index = n;
	return n ? command_find(word, &e) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	int index;
	const struct command *c = context(start, &index);

	rl_attempted_completion_over = 1;
	gen_commands = false;
	gen_words = NULL;
	if (index == 0) {
		gen_commands = true;
		return rl_completion_matches(text, gen_list);
	}
	if (!c)
		return NULL;
	switch (c->complete) {
	case COMPLETE_NS:
	case COMPLETE_WORDS:
		gen_words = c->words;
		char **m = rl_completion_matches(text, gen_list);
		if (m || c->complete == COMPLETE_NS)
			return m;
		rl_attempted_completion_over = 0; /* then file names */
		return NULL;
	case COMPLETE_PID:
		gen_words = c->words;
		return rl_completion_matches(text, gen_words_and_pids);
	case COMPLETE_COMMAND:
		gen_commands = true;
		return rl_completion_matches(text, gen_list);
	case COMPLETE_PROGRAM:
		if (index == 1 && !strchr(text, '/'))
			return rl_completion_matches(text, gen_programs);
		rl_attempted_completion_over = 0;
		return NULL;
	case COMPLETE_FILES:
		rl_attempted_completion_over = 0;
		return NULL;
	default:
		return NULL;
	}
}

/* ---- history ---------------------------------------------------------------- */

static void history_open(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	_cleanup_free_ char *dir = NULL;

	if (state && *state == '/')
		dir = xasprintf("%s/nslab", state);
	else if (home && *home == '/')
		dir = xasprintf("%s/.local/state/nslab", home);
	else
		return;
	/* mkdir -p, private: history shows what was typed. */
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	history_path = xasprintf("%s/history", dir);
	stifle_history(HISTORY_MAX);
	read_history(history_path);
}

static void history_close(void)
{
	if (history_path)
		write_history(history_path);
	free(history_path);
	history_path = NULL;
}

/* ---- the loop --------------------------------------------------------------- */

static void install_prompt(void);
static void fit_readline(void);

static void on_line(char *line)
{
	rl_callback_handler_remove();
	if (!line) {
		/* EOF (Ctrl-D) on an empty line: leave as quit would. */
		putchar('\n');
		the_app->quit = true;
		return;
	}
	if (*line) {
		HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
		if (!last || strcmp(last->line, line) != 0)
			add_history(line);
	}
	run_line(the_app, line, strlen(line), NULL, false);
	free(line);
	interrupted = 0;
	if (!the_app->quit) {
		panel_refresh(the_app, false);
		fit_readline();
		install_prompt();
	}
}

static void install_prompt(void)
{
	static char prompt[96];

	prompt_text(the_app, prompt, sizeof(prompt));
	rl_callback_handler_install(prompt, on_line);
}

/* Readline's screen is what the panel leaves of the terminal. */
static void fit_readline(void)
{
	if (panel_available())
		rl_set_screen_size(terminal_lines() - panel_rows(), terminal_cols());
}

/* Draw the prompt and the line again from the first column: after the
 * screen changed under readline, its idea of the cursor is stale. */
static void redraw_line(void)
{
	fputs("\r", rl_outstream ? rl_outstream : stdout);
	rl_on_new_line();
	rl_redisplay();
}

static int key_toggle_panel(int count, int key)
{
	panel_toggle(the_app);
	fit_readline();
	redraw_line();
	return 0;
}

static void on_resize(void)
{
	/* The screen was cleared: draw the prompt afresh at the top. */
	panel_resize(the_app);
	fit_readline();
	redraw_line();
}

static void on_interrupt(void)
{
	/* Ctrl-C at the prompt clears the line; it never ends the lab. */
	interrupted = 0;
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	fputs("^C", stdout);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

int repl_run(struct nslab *app)
{
	the_app = app;
	rl_readline_name = "nslab";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = complete;
	history_open();
	printf(_("nslab %s: a laboratory for Linux namespaces. `help` lists the commands, `quit` leaves.\n"),
	       PACKAGE_VERSION);
	fflush(stdout);
	panel_start(app, app->no_panel ? PANEL_OFF : PANEL_BOTTOM);
	fit_readline();
	/* F2, as xterm and the Linux console send it. */
	rl_bind_keyseq("\\eOQ", key_toggle_panel);
	rl_bind_keyseq("\\e[12~", key_toggle_panel);
	rl_bind_keyseq("\\e[[B", key_toggle_panel);
	install_prompt();
	while (!app->quit && !signals_fatal_pending()) {
		fd_set in;
		struct timeval tv = {.tv_sec = 1};
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		int n = select(STDIN_FILENO + 1, &in, NULL, NULL, &tv);
		if (interrupted)
			on_interrupt();
		if (signals_take_winch())
			on_resize();
		if (n > 0)
			rl_callback_read_char();
		else if (n == 0)
			panel_idle(app);
	}
	if (!app->quit)
		rl_callback_handler_remove();
	panel_stop();
	history_close();
	return app->quit ? app->quit_code : 0;
}
