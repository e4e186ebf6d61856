/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "terminal.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>

#include "signals.h"
#include "util.h"

static struct {
	bool ready, color, utf8;
	int ncols, nlines;
	int rows;     /* reserved for the panel */
	bool top;
	bool active;  /* the region is set and the rows are ours */
	char reset[256]; /* what a fatal signal writes: async-signal-safe */
	size_t reset_len;
} t;

static struct buf out;

static int out_char(int c)
{
	char ch = (char)c;
	buf_add(&out, &ch, 1);
	return c;
}

static void put(const char *cap)
{
	if (cap && cap != (char *)-1)
		tputs(cap, 1, out_char);
}

static void flush_out(void)
{
	if (out.len)
		write_full(STDOUT_FILENO, out.s, out.len);
	out.len = 0;
}

static const char *cap(const char *name)
{
	char *s = tigetstr(name);
	return s == (char *)-1 ? NULL : s;
}

static void query_size(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		t.nlines = ws.ws_row;
		t.ncols = ws.ws_col;
	} else {
		t.nlines = lines > 0 ? lines : 24;
		t.ncols = columns > 0 ? columns : 80;
	}
}

static void set_region(int first, int last)
{
	put(tiparm(cap("csr"), first, last));
}

static void on_fatal(void)
{
	if (t.active) {
		(void)!write(STDOUT_FILENO, t.reset, t.reset_len);
		/* The shell that comes next starts on a line of its own. */
		(void)!write(STDOUT_FILENO, "\r\n", 2);
	}
}

/* What undoes the layout: full-screen region, panel rows erased. */
static void build_reset(void)
{
	size_t mark = out.len;

	put(cap("sc"));
	set_region(0, t.nlines - 1);
	put(tiparm(cap("cup"), t.top ? 0 : t.nlines - t.rows, 0));
	if (t.top)
		for (int i = 0; i < t.rows; i++) {
			put(cap("el"));
			put(cap("cud1"));
		}
	else
		put(cap("ed"));
	put(cap("rc"));
	t.reset_len = out.len - mark < sizeof(t.reset) ? out.len - mark : 0;
	memcpy(t.reset, out.s + mark, t.reset_len);
	out.len = mark;
}

bool term_init(void)
{
	int err;
	const char *nc = getenv("NO_COLOR");

	if (!isatty(STDOUT_FILENO) || setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return false;
	if (!cap("csr") || !cap("cup") || !cap("sc") || !cap("rc") || !cap("el") || !cap("ed"))
		return false;
	t.ready = true;
	t.color = (!nc || !*nc) && tigetnum("colors") >= 8 && cap("setaf");
	t.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	query_size();
	signals_on_fatal(on_fatal);
	return true;
}

static void release(void)
{
	if (!t.active)
		return;
	build_reset();
	buf_add(&out, t.reset, t.reset_len);
	flush_out();
	t.active = false;
}

/* Make room for the panel without covering anything: scroll what is on
 * the screen up (bottom panel), then fence the rows off. */
static void reserve(void)
{
	if (!t.ready || t.rows <= 0 || t.active)
		return;
	if (t.top) {
		put(cap("clear"));
		set_region(t.rows, t.nlines - 1);
		put(tiparm(cap("cup"), t.rows, 0));
	} else {
		for (int i = 0; i < t.rows; i++)
			buf_add(&out, "\n", 1);
		for (int i = 0; i < t.rows; i++)
			put(cap("cuu1"));
		put(cap("sc"));
		set_region(0, t.nlines - t.rows - 1);
		put(cap("rc"));
	}
	t.active = true;
	build_reset();
	flush_out();
}

void term_done(void)
{
	release();
	t.rows = 0;
}

void term_suspend(void)
{
	release();
}

void term_resume(void)
{
	query_size();
	reserve();
}

void term_layout(int rows, bool top)
{
	if (!t.ready || (rows == t.rows && top == t.top && t.active))
		return;
	release();
	t.rows = rows;
	t.top = top;
	reserve();
}

/* After a child had the terminal: it may have moved the region or the
 * cursor. Erasing our rows and fencing them off again changes nothing on
 * the screen when it did not. */
void term_reassert(void)
{
	if (!t.ready || !t.active)
		return;
	query_size();
	if (t.top) {
		/* Rows at the top cannot be made without clearing: fence them
		 * off again where they are, and let the panel redraw them. */
		put(cap("sc"));
		set_region(t.rows, t.nlines - 1);
		put(cap("rc"));
		build_reset();
		flush_out();
		return;
	}
	release();
	reserve();
}

void term_resize(void)
{
	if (!t.ready)
		return;
	/* Where the content went is the terminal's business: start clean
	 * (what was on the screen stays in the scrollback). */
	t.active = false;
	query_size();
	set_region(0, t.nlines - 1);
	put(cap("clear"));
	flush_out();
}

static void style(char s)
{
	put(cap("sgr0"));
	switch (s) {
	case TS_TITLE:
		put(cap("rev"));
		put(cap("bold"));
		break;
	case TS_LAB:
		put(cap("bold"));
		if (t.color)
			put(tiparm(cap("setaf"), COLOR_GREEN));
		break;
	case TS_HOST:
	case TS_DIM:
		put(cap("dim"));
		break;
	case TS_WARN:
		put(cap("bold"));
		if (t.color)
			put(tiparm(cap("setaf"), COLOR_YELLOW));
		break;
	default:
		break;
	}
}

/* One panel line, cut to the screen's width; a title line fills it. */
static void draw_line(const char *line)
{
	int room = t.ncols - 1, used = 0;
	char cur = TS_PLAIN;

	for (const char *p = line; *p && room > used;) {
		if (*p == TERM_MARK && p[1]) {
			cur = p[1];
			style(cur);
			p += 2;
			continue;
		}
		size_t n = strcspn(p, "\001"), bytes;
		used += text_fit(p, n, room - used, &bytes);
		buf_add(&out, p, bytes);
		if (bytes < n)
			break; /* cut at the edge */
		p += n;
	}
	if (cur == TS_TITLE)
		for (; used < room; used++)
			buf_add(&out, " ", 1);
	put(cap("sgr0"));
}

void term_draw(char *const *text, int n)
{
	int first;

	if (!t.active)
		return;
	first = t.top ? 0 : t.nlines - t.rows;
	put(cap("sc"));
	for (int i = 0; i < t.rows; i++) {
		put(tiparm(cap("cup"), first + i, 0));
		put(cap("el"));
		if (i < n)
			draw_line(text[i]);
	}
	put(cap("rc"));
	flush_out();
}

int terminal_cols(void)
{
	return t.ncols;
}

int terminal_lines(void)
{
	return t.nlines;
}

bool term_color(void)
{
	return t.color;
}

bool term_utf8(void)
{
	return t.utf8;
}
