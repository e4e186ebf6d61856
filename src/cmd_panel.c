/* SPDX-License-Identifier: GPL-3.0-or-later */
/* panel: show, hide or move the status panel. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "panel.h"

static int panel_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	static const char *const names[] = {[PANEL_OFF] = "off", [PANEL_BOTTOM] = "bottom", [PANEL_TOP] = "top"};
	enum panel_mode m;

	if (!panel_available()) {
		nserr_set(e, 0, _("panel: there is no panel without a terminal"));
		return nserr_hint(e, app->no_panel ? _("nslab was started with --no-panel") : _("`status` prints the same facts"));
	}
	if (argc == 1) {
		printf(_("panel: %s (F2 shows or hides it)\n"), names[panel_mode()]);
		return 0;
	}
	if (strcmp(argv[1], "on") == 0)
		m = panel_mode() == PANEL_OFF ? PANEL_BOTTOM : panel_mode();
	else if (strcmp(argv[1], "off") == 0)
		m = PANEL_OFF;
	else if (strcmp(argv[1], "top") == 0)
		m = PANEL_TOP;
	else if (strcmp(argv[1], "bottom") == 0)
		m = PANEL_BOTTOM;
	else
		return command_usage_error(&cmd_panel, e, _("unknown position"));
	panel_set_mode(app, m);
	return 0;
}

static const char *const panel_words[] = {"on", "off", "top", "bottom", NULL};

const struct command cmd_panel = {
	.name = "panel", .usage = "[on | off | top | bottom]",
	.help = N_("show, hide or move the status panel (F2 toggles it)"),
	.min_args = 0, .max_args = 1, .run = panel_run,
	.complete = COMPLETE_WORDS, .words = panel_words,
};
