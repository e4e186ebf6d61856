/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "signals.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lab.h"
#include "script.h"
#include "trace.h"

static volatile sig_atomic_t winch, fatal;
static struct termios saved_tio;
static bool have_tio;
static void (*fatal_hooks[4])(void);

void signals_save_terminal(void)
{
	have_tio = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tio) == 0;
}

void signals_on_fatal(void (*fn)(void))
{
	for (size_t i = 0; i < ARRAY_SIZE(fatal_hooks); i++)
		if (!fatal_hooks[i]) {
			fatal_hooks[i] = fn;
			return;
		}
}

bool signals_fatal_pending(void)
{
	return fatal;
}

static void on_fatal(int sig)
{
	fatal = 1;
	/* Only async-signal-safe calls from here: no lines. */
	trace_on = false;
	lab_emergency_kill();
	for (size_t i = 0; i < ARRAY_SIZE(fatal_hooks); i++)
		if (fatal_hooks[i])
			fatal_hooks[i]();
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static void on_int(int sig)
{
	interrupted = 1;
}

static void on_winch(int sig)
{
	winch = 1;
}

bool signals_take_winch(void)
{
	bool w = winch;
	winch = 0;
	return w;
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};

	sigfillset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void signals_setup(bool interactive)
{
	static const int fatal_sigs[] = {SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

	for (size_t i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		handle(fatal_sigs[i], on_fatal, SA_RESETHAND);
	/* No SA_RESTART: select() at the prompt must wake up. */
	handle(SIGINT, on_int, 0);
	handle(SIGWINCH, on_winch, 0);
	signal(SIGPIPE, SIG_IGN);
	if (interactive) {
		/* As shells do: Ctrl-\ and Ctrl-Z at the prompt do nothing, and
		 * nslab may take the terminal back from a finished child. */
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
	} else {
		handle(SIGQUIT, on_fatal, SA_RESETHAND);
	}
}
