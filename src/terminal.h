/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * The terminal belongs to this module: nothing else moves the cursor or
 * changes the scroll region. The panel lives in a few reserved rows at the
 * bottom (or top) of the screen, outside a scroll region in which readline
 * and every command's output scroll as usual, so output stays in the
 * terminal's scrollback and can be copied (the way apt keeps its progress
 * line). ncurses' terminfo layer supplies the escape sequences; a full-screen
 * curses window would take the scrollback away.
 *
 * Panel lines are UTF-8 text with style marks: TERM_MARK followed by one of
 * the style letters below. Text from the lab must be escaped first (see
 * escape_text) so it cannot hold a mark or any other control byte.
 */
#define TERM_MARK '\001'
enum term_style {
	TS_PLAIN = 'p',
	TS_TITLE = 't',
	TS_LAB = 'l',
	TS_HOST = 'h',
	TS_DIM = 'd',
	TS_WARN = 'w',
};

bool term_init(void);
void term_done(void);
/* Give the whole screen to an interactive child, and take it back. */
void term_suspend(void);
void term_resume(void);
/* After a child that shared the screen: fence the rows off again. */
void term_reassert(void);
/* After SIGWINCH: new size, screen cleared, rows reserved again. */
void term_resize(void);
/* Reserve ROWS rows (0: none) at the top or bottom. */
void term_layout(int rows, bool top);
void term_draw(char *const *lines, int n);
int terminal_cols(void);
int terminal_lines(void);
bool term_color(void);
bool term_utf8(void);
