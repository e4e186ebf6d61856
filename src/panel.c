/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "nsinfo.h"
#include "terminal.h"
#include "userns.h"

#define FULL_ROWS (1 + NS_COUNT)
#define MAX_ROWS FULL_ROWS

static struct {
	bool available; /* a terminal that can do it */
	enum panel_mode mode, last_on;
	int rows;
	char *drawn[MAX_ROWS];
	int ndrawn;
	struct ns_facts lab, host; /* as last gathered */
	bool have;
	unsigned idle;	/* idle refreshes since the last whole gathering */
} p = {.last_on = PANEL_BOTTOM};

/* An idle refresh updates what changes by itself (PID 1, the process
 * count, cgroup usage) every second and gathers everything (a child in
 * the lab) only every IDLE_GATHER seconds: a command's effects are
 * gathered right after it anyway, and a tick's cost is mostly the
 * machine waking up to do it. */
#define IDLE_GATHER 5

static const char *mark(char style)
{
	static char m[8][3];
	static int i;
	char *s = m[i++ % 8];
	s[0] = TERM_MARK;
	s[1] = style;
	s[2] = '\0';
	return s;
}

static const char *symbol(bool isolated)
{
	if (term_utf8())
		return isolated ? "\u25cf" : "\u25cb";
	return isolated ? "*" : "-";
}

static void title(struct nslab *app, struct buf *b)
{
	struct lab *lab = app->lab;
	unsigned iso = lab_isolated(lab);

	const char *dot = term_utf8() ? " \u00b7 " : " - ";

	buf_printf(b, _("%s nslab%s%s%s%d of 8 isolated"), mark(TS_TITLE), dot, lab->name, dot, ns_count(iso));
	if (lab->init > 0 && !lab->init_gone)
		buf_printf(b, _("%sPID 1 is host PID %d"), dot, (int)lab->init);
	else if (lab->init_gone)
		buf_printf(b, _("%sPID 1 has ended"), dot);
}

static void row(struct nslab *app, enum ns_type t, const struct ns_facts *l, const struct ns_facts *h,
		struct buf *b)
{
	bool iso = lab_isolated(app->lab) & NS_BIT(t);
	struct buf d = {0};
	char ino[48];

	if (iso)
		snprintf(ino, sizeof(ino), "%lu%s%lu", (unsigned long)lab_ino(app->lab, t),
			 term_utf8() ? "\u2260" : "/", (unsigned long)host.ino[t]);
	else
		snprintf(ino, sizeof(ino), _("%lu host"), (unsigned long)host.ino[t]);
	ns_detail(t, app->lab, l, h, &d);
	userns_owner_text(app->lab, t, &d);
	buf_printf(b, "%s %s %-6s %-4s %-21s %s%s", mark(iso ? TS_LAB : TS_HOST), symbol(iso), ns_table[t].name,
		   iso ? _("lab") : _("host"), ino, mark(iso ? TS_PLAIN : TS_DIM), d.s ? d.s : "");
	buf_free(&d);
}

static void compact(struct nslab *app, const struct ns_facts *l, struct buf *b)
{
	unsigned iso = lab_isolated(app->lab);
	_cleanup_free_ char *hn = escaped(l->hostname);

	buf_printf(b, "%s %s %s", mark(TS_TITLE), app->lab->name, mark(TS_PLAIN));
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		bool on = iso & NS_BIT(t);
		buf_printf(b, " %s%s%s", mark(on ? TS_LAB : TS_HOST), ns_table[t].name, symbol(on));
	}
	buf_printf(b, "%s  %s", mark(TS_PLAIN), hn);
}

static void gather(struct nslab *app, struct ns_facts *l, struct ns_facts *h)
{
	struct nserr e;

	facts_host(h);
	if (facts_lab(app->lab, l, &e) < 0)
		*l = *h;
}

static int render(struct nslab *app, const struct ns_facts *l, const struct ns_facts *h, bool small, char **lines,
		  int max)
{
	struct buf b = {0};
	int n = 0;

	if (small && max > 0) {
		compact(app, l, &b);
		lines[n++] = b.s;
		return n;
	}
	title(app, &b);
	lines[n++] = b.s;
	for (int i = 0; i < NS_COUNT && n < max; i++) {
		b = (struct buf){0};
		row(app, ns_show_order[i], l, h, &b);
		lines[n++] = b.s;
	}
	return n;
}

int panel_render(struct nslab *app, int cols, bool small, char **lines, int max)
{
	struct ns_facts l, h;

	(void)cols;
	gather(app, &l, &h);
	return render(app, &l, &h, small, lines, max);
}

static int wanted_rows(void)
{
	if (terminal_lines() >= 20 && terminal_cols() >= 60)
		return FULL_ROWS;
	return terminal_lines() >= 6 ? 1 : 0;
}

static void forget_drawn(void)
{
	for (int i = 0; i < p.ndrawn; i++)
		free(p.drawn[i]);
	p.ndrawn = 0;
}

static void draw(struct nslab *app, bool force)
{
	char *lines[MAX_ROWS];
	int n;
	bool same;

	n = render(app, &p.lab, &p.host, p.rows < FULL_ROWS, lines, p.rows);
	same = !force && n == p.ndrawn;
	for (int i = 0; same && i < n; i++)
		same = strcmp(lines[i], p.drawn[i]) == 0;
	forget_drawn();
	for (int i = 0; i < n; i++)
		p.drawn[i] = lines[i];
	p.ndrawn = n;
	if (!same)
		term_draw(lines, n);
}

static bool shown(void)
{
	return p.available && p.mode != PANEL_OFF && p.rows > 0;
}

void panel_refresh(struct nslab *app, bool force)
{
	if (!shown())
		return;
	gather(app, &p.lab, &p.host);
	p.have = true;
	p.idle = 0;
	draw(app, force);
}

void panel_idle(struct nslab *app)
{
	if (!shown())
		return;
	if (!p.have || ++p.idle >= IDLE_GATHER) {
		panel_refresh(app, false);
		return;
	}
	lab_poll(app->lab);
	p.lab.processes = lab_count_processes(app->lab);
	draw(app, false);
}

static void apply(struct nslab *app)
{
	p.rows = p.mode == PANEL_OFF ? 0 : wanted_rows();
	term_layout(p.rows, p.mode == PANEL_TOP);
	panel_refresh(app, true);
}

void panel_start(struct nslab *app, enum panel_mode mode)
{
	/* --no-panel: no panel at all, not one that F2 could bring back. */
	if (mode == PANEL_OFF)
		return;
	p.available = term_init();
	p.mode = p.available ? mode : PANEL_OFF;
	if (mode != PANEL_OFF)
		p.last_on = mode;
	if (p.available)
		apply(app);
}

void panel_stop(void)
{
	if (p.available)
		term_done();
	forget_drawn();
	p.mode = PANEL_OFF;
}

void panel_set_mode(struct nslab *app, enum panel_mode mode)
{
	if (!p.available)
		return;
	if (mode != PANEL_OFF)
		p.last_on = mode;
	p.mode = mode;
	apply(app);
}

enum panel_mode panel_mode(void)
{
	return p.mode;
}

bool panel_available(void)
{
	return p.available;
}

void panel_toggle(struct nslab *app)
{
	panel_set_mode(app, p.mode == PANEL_OFF ? p.last_on : PANEL_OFF);
}

void panel_suspend(void)
{
	if (p.available && p.mode != PANEL_OFF)
		term_suspend();
}

void panel_resume(struct nslab *app)
{
	if (!p.available || p.mode == PANEL_OFF)
		return;
	term_reassert();
	term_resume();
	panel_refresh(app, true);
}

void panel_resize(struct nslab *app)
{
	if (!p.available)
		return;
	term_resize();
	if (p.mode != PANEL_OFF)
		apply(app);
}

int panel_rows(void)
{
	return p.mode == PANEL_OFF ? 0 : p.rows;
}
