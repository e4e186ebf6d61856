/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "app.h"

/* The live status panel: one row per namespace type, in rows the terminal
 * module reserves. Every function is a no-op without a terminal. */
enum panel_mode { PANEL_OFF, PANEL_BOTTOM, PANEL_TOP };

void panel_start(struct nslab *app, enum panel_mode mode);
void panel_stop(void);
/* Gather the facts and redraw what changed (FORCE: everything). */
void panel_refresh(struct nslab *app, bool force);
/* Once a second while idle: what changes by itself, redrawn if it did. */
void panel_idle(struct nslab *app);
void panel_set_mode(struct nslab *app, enum panel_mode mode);
enum panel_mode panel_mode(void);
bool panel_available(void);
void panel_toggle(struct nslab *app);
/* Around children: an interactive one gets the whole screen. */
void panel_suspend(void);
void panel_resume(struct nslab *app);
/* After SIGWINCH. */
void panel_resize(struct nslab *app);
/* Rows the panel takes now (0 when off). */
int panel_rows(void);
/* Build the lines (for tests and the benchmark): returns how many. */
int panel_render(struct nslab *app, int cols, bool compact, char **lines, int max);
