/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* In a freshly forked child: default dispositions, nothing blocked. */
void child_reset_signals(void);
/* Default dispositions, the mask as it is (blocked until exec). */
void child_default_signals(void);
