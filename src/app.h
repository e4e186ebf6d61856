/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#include "lab.h"

/* Everything a command handler may look at or change. */
struct nslab {
	struct lab *lab;	/* the current lab */
	struct lab first;	/* storage of the first (and, for now, only) lab */
	bool terminal;		/* interactive, on a terminal */
	bool no_panel;		/* --no-panel */
	bool quit;		/* `quit` was asked for */
	int quit_code;
	const char *where;	/* "FILE:LINE" of the command running, or NULL */
};

/* Warnings and notes go to stderr, with FILE:LINE in a script. */
void app_warn(struct nslab *app, const char *fmt, ...) _printf_(2, 3);
void app_note(struct nslab *app, const char *fmt, ...) _printf_(2, 3);

/* Program name for messages. */
extern const char *program_name;
