/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/*
 * A program in the lab never gets nslab's terminal: with it, TIOCSTI (or a
 * process left in the background) could type commands at nslab's prompt
 * or, after nslab, at the shell that started it. When any of nslab's 0, 1
 * and 2 is a terminal, the program gets a pseudo-terminal instead, in a
 * session of its own (it is the controlling terminal there, with job
 * control for a shell), and nslab copies keys to it and its output to the
 * real terminal until the program ends. What the lab pushes into its input
 * reaches only the lab. (record.c relays a pty the same way for --record.)
 * Where no pty can be had (a rootless nslab under /dev/pts with
 * ptmxmode=000), a program of an nslab without CAP_SYS_ADMIN keeps the
 * terminal's fds but in a session of its own: the kernel refuses TIOCSTI
 * on a terminal that is not the caller's controlling one. nslab forwards
 * SIGINT and SIGQUIT (Ctrl-C, Ctrl-\) to it then.
 */
struct tty_relay;

/* *out is NULL when none of nslab's 0, 1, 2 is a terminal (nothing to
 * protect), else a pseudo-terminal (or a session) ready for
 * ttyrelay_child. Fails only where neither is safe. */
int ttyrelay_open(struct tty_relay **out, struct nserr *e);
/* In the child, just before exec: its own session, the pty as its
 * controlling terminal and in place of every fd that was a terminal;
 * SIGHUP ignored (see ttyrelay.c). */
void ttyrelay_child(const struct tty_relay *r);
/* In nslab, once TARGET runs: relay until it ends (a stopped one is
 * continued: nslab has no job control); *status is its wait status. */
int ttyrelay_wait(struct tty_relay *r, pid_t target, int *status, struct nserr *e);
/* The real terminal as it was; everything closed. NULL is fine. */
void ttyrelay_close(struct tty_relay *r);
static inline void ttyrelay_closep(struct tty_relay **r)
{
	ttyrelay_close(*r);
}
