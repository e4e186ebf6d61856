/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "app.h"

/* The interactive prompt: readline in callback mode, so the loop can also
 * wait for signals and keep the lab's state fresh while the learner types. */
int repl_run(struct nslab *app);
