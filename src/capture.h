/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "app.h"

/* Run one command with its standard output (and every child's) going into
 * OUT instead of the terminal: for `expect` and `compare`. The command's
 * own error, if any, is returned as usual. */
int capture_command(struct nslab *app, int argc, char **argv, struct buf *out, struct nserr *e);
