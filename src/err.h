/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The error convention, written down once:
 *   A function that can fail returns an int, negative on failure, and fills
 *   the struct nserr it was handed: the errno (0 when none applies), one line
 *   saying what went wrong, and optionally a hint saying what would work.
 *   Nothing below the REPL or script loop prints an error or exits; they
 *   print it (with FILE:LINE in a script) and carry on or stop.
 *   The first error set wins: a caller adding context uses nserr_prefix().
 */
#include "util.h"

struct nserr {
	int err;
	char msg[512];
	char hint[256];
};

int nserr_set(struct nserr *e, int errnum, const char *fmt, ...) _printf_(3, 4);
int nserr_hint(struct nserr *e, const char *fmt, ...) _printf_(2, 3);
void nserr_clear(struct nserr *e);
/* The error as one line: "msg: strerror (hint)". */
void nserr_format(const struct nserr *e, char *out, size_t size);
/* Put "PREFIX: " before the message, e.g. the command's name. */
int nserr_prefix(struct nserr *e, const char *prefix);
