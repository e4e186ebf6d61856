/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "err.h"

/* --record FILE.cast: the rest of nslab runs on a pseudo-terminal while
 * this process copies what it shows to the real terminal and, as
 * asciicast v2, to FILE. Returns 0 in the process that goes on being
 * nslab; the recording process never returns (it exits with nslab's
 * status). */
int record_start(const char *path, struct nserr *e);
