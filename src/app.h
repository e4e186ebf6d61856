/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#include "lab.h"

#define APP_MAX_LABS 16

/* Everything a command handler may look at or change. */
struct nslab {
	struct lab *lab;	/* the current lab */
	struct lab *labs[APP_MAX_LABS]; /* every lab, in the order made; NULL: free */
	bool terminal;		/* interactive, on a terminal */
	bool no_panel;		/* --no-panel */
	bool quit;		/* `quit` was asked for */
	int quit_code;
	const char *where;	/* "FILE:LINE" of the command running, or NULL */
};

/* Labs by name; a new one is made with only the host's namespaces. */
struct lab *app_find_lab(struct nslab *app, const char *name);
struct lab *app_new_lab(struct nslab *app, const char *name, struct nserr *e);
int app_lab_count(const struct nslab *app);
void app_destroy_labs(struct nslab *app);

/* Warnings and notes go to stderr, with FILE:LINE in a script. */
void app_warn(struct nslab *app, const char *fmt, ...) _printf_(2, 3);
void app_note(struct nslab *app, const char *fmt, ...) _printf_(2, 3);

/* Program name for messages. */
extern const char *program_name;
