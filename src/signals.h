/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

/* SIGINT sets `interrupted` (script.h); SIGTERM, SIGHUP, SIGQUIT and crash
 * signals end every lab process, restore the terminal and end nslab with
 * the signal. Children reset all of this (child_reset_signals). */
void signals_setup(bool interactive);
/* A terminal window size change since the last call. */
bool signals_take_winch(void);
/* Saved at start; put back by the fatal-signal path. */
void signals_save_terminal(void);
/* Extra async-signal-safe cleanup run before a fatal signal ends nslab. */
void signals_on_fatal(void (*fn)(void));
bool signals_fatal_pending(void);
