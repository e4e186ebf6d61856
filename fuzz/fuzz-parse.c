/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tokenizer and parser (parse_line): any bytes either parse or give
 * one line of error; what parses survives a round trip through the
 * parser's own quoting (every byte backslash-escaped), command for
 * command and word for word. */
#include "config.h"

#include <string.h>

#include "fuzz.h"

/* The line that means P: each word with every byte escaped, `!` first
 * where the command is negated, commands joined with `;`. */
static void unparse(const struct parsed *p, struct buf *b)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct words *w = &p->cmds[i];
		buf_add(b, i ? " ; " : "", i ? 3 : 0);
		if (w->negate)
			buf_add(b, "! ", 2);
		for (int k = 0; k < w->argc; k++) {
			if (k)
				buf_add(b, " ", 1);
			if (!w->argv[k][0])
				buf_add(b, "''", 2);
			for (const char *c = w->argv[k]; *c; c++) {
				char esc[2] = {'\\', *c};
				buf_add(b, esc, 2);
			}
		}
	}
}

static void check_shape(const struct parsed *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct words *w = &p->cmds[i];
		FUZZ_ASSERT(w->argc > 0 || w->negate);
		FUZZ_ASSERT(w->argc == 0 || w->argv != NULL);
		if (w->argc)
			FUZZ_ASSERT(w->argv[w->argc] == NULL);
		for (int k = 0; k < w->argc; k++)
			FUZZ_ASSERT(w->argv[k] != NULL);
	}
}

static void check_same(const struct parsed *a, const struct parsed *b)
{
	FUZZ_ASSERT(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		FUZZ_ASSERT(a->cmds[i].negate == b->cmds[i].negate);
		FUZZ_ASSERT(a->cmds[i].argc == b->cmds[i].argc);
		for (int k = 0; k < a->cmds[i].argc; k++)
			FUZZ_ASSERT(strcmp(a->cmds[i].argv[k], b->cmds[i].argv[k]) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed p, again;
	struct nserr e = {0};
	struct buf line = {0};

	if (fuzz_parse(data, size, &p) < 0)
		return 0;
	check_shape(&p);
	/* A refusal ("! CMD") then a command named canary. */
	FUZZ_CANARY_IF(p.n >= 2 && p.cmds[0].negate && p.cmds[1].argc == 1 &&
		       strcmp(p.cmds[1].argv[0], "canary") == 0);
	unparse(&p, &line);
	FUZZ_ASSERT(parse_line(line.s ? line.s : "", line.len, &again, &e) == 0);
	check_same(&p, &again);
	parsed_free(&again);
	parsed_free(&p);
	buf_free(&line);
	return 0;
}
