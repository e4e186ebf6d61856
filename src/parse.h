/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "err.h"

/* One command of a line: its words, and whether a leading `!` asks for it
 * to fail (for lessons that show a refusal). */
struct words {
	int argc;
	char **argv; /* NULL-terminated */
	bool negate;
};

struct parsed {
	size_t n;
	struct words *cmds;
};

/* Split a line into commands (`;`), words (blanks), with '...' and "..."
 * quoting, backslash escapes and `#` comments. Pure: no side effects. */
int parse_line(const char *line, size_t len, struct parsed *out, struct nserr *e);
void parsed_free(struct parsed *p);
