/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <stdio.h>

#include "app.h"

struct script_opts {
	bool keep_going; /* -k: go on after a failing command */
	bool echo;	 /* -x: show each line, as the prompt would, first */
	int demo_cps;	 /* --demo: type each line at this pace, with the panel */
};

/* Run one line of commands. WHERE is "FILE:LINE" for messages, or NULL at
 * the interactive prompt. Returns how many commands failed; stops at the
 * first unless keep_going. */
int run_line(struct nslab *app, const char *line, size_t len, const char *where, bool keep_going);

/* A script from a stream (a file, or stdin that is not a terminal), or the
 * text of -c. The exit status: 0, 1 if a command failed, or quit's code. */
int script_run_stream(struct nslab *app, FILE *f, const char *name, const struct script_opts *o);
/* The lines of F, without what a whole run does at its start and end
 * (the demo panel, the exit status of quit): for `lesson`. */
int script_source(struct nslab *app, FILE *f, const char *name, const struct script_opts *o);
int script_run_text(struct nslab *app, const char *text, const struct script_opts *o);

/* The prompt that names the lab and what it isolates: "nslab[uts,pid]> ". */
void prompt_text(const struct nslab *app, char *out, size_t size);

/* Set by the signal handler: a script stops at the next command. */
extern volatile sig_atomic_t interrupted;
