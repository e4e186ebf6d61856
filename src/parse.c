/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "parse.h"

#include <string.h>

struct lexer {
	const char *p, *end;
	struct buf word;
	bool in_word;
	struct words cur;
	struct parsed *out;
};

static void end_word(struct lexer *lx)
{
	if (!lx->in_word)
		return;
	struct words *w = &lx->cur;
	if (w->argc == 0 && !w->negate && lx->word.len == 1 && lx->word.s[0] == '!') {
		w->negate = true;
	} else {
		w->argv = xrealloc(w->argv, sizeof(char *) * (size_t)(w->argc + 2));
		w->argv[w->argc++] = xstrdup(lx->word.s ? lx->word.s : "");
		w->argv[w->argc] = NULL;
	}
	lx->word.len = 0;
	if (lx->word.s)
		lx->word.s[0] = '\0';
	lx->in_word = false;
}

static void end_command(struct lexer *lx)
{
	end_word(lx);
	if (lx->cur.argc == 0 && !lx->cur.negate)
		return;
	lx->out->cmds = xrealloc(lx->out->cmds, sizeof(struct words) * (lx->out->n + 1));
	lx->out->cmds[lx->out->n++] = lx->cur;
	lx->cur = (struct words){0};
}

static void add_char(struct lexer *lx, char c)
{
	buf_add(&lx->word, &c, 1);
	lx->in_word = true;
}

/* A NUL would end the word early, in quotes too: refused anywhere. */
static int nul_byte(struct nserr *e)
{
	nserr_set(e, 0, _("the line holds a NUL byte"));
	return nserr_hint(e, _("commands are text"));
}

/* Inside '...': everything is literal up to the next '. */
static int lex_single(struct lexer *lx, struct nserr *e)
{
	lx->in_word = true;
	for (lx->p++; lx->p < lx->end; lx->p++) {
		if (*lx->p == '\'')
			return 0;
		if (*lx->p == '\0')
			return nul_byte(e);
		add_char(lx, *lx->p);
	}
	nserr_set(e, 0, _("unterminated quote (')"));
	return nserr_hint(e, _("close it with a '"));
}

/* Inside "...": a backslash escapes " and \ only, as in the shell. */
static int lex_double(struct lexer *lx, struct nserr *e)
{
	lx->in_word = true;
	for (lx->p++; lx->p < lx->end; lx->p++) {
		if (*lx->p == '"')
			return 0;
		if (*lx->p == '\0')
			return nul_byte(e);
		if (*lx->p == '\\' && lx->p + 1 < lx->end && (lx->p[1] == '"' || lx->p[1] == '\\'))
			lx->p++;
		add_char(lx, *lx->p);
	}
	nserr_set(e, 0, _("unterminated quote (\")"));
	return nserr_hint(e, _("close it with a \""));
}

static int lex(struct lexer *lx, struct nserr *e)
{
	for (; lx->p < lx->end; lx->p++) {
		char c = *lx->p;
		if (c == '\0')
			return nul_byte(e);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
			end_word(lx);
		else if (c == ';')
			end_command(lx);
		else if (c == '#' && !lx->in_word)
			return 0;
		else if (c == '\'' && lex_single(lx, e) < 0)
			return -1;
		else if (c == '"' && lex_double(lx, e) < 0)
			return -1;
		else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\0')
			return nul_byte(e);
		else if (c == '\\' && lx->p + 1 < lx->end)
			add_char(lx, *++lx->p);
		else if (c != '\'' && c != '"')
			add_char(lx, c);
	}
	return 0;
}

int parse_line(const char *line, size_t len, struct parsed *out, struct nserr *e)
{
	struct lexer lx = {.p = line, .end = line + len, .out = out};
	int rc;

	*out = (struct parsed){0};
	rc = lex(&lx, e);
	if (rc == 0)
		end_command(&lx);
	else {
		/* Nothing of a line that does not parse is run. */
		for (int j = 0; j < lx.cur.argc; j++)
			free(lx.cur.argv[j]);
		free(lx.cur.argv);
		parsed_free(out);
	}
	buf_free(&lx.word);
	return rc;
}

void parsed_free(struct parsed *p)
{
	for (size_t i = 0; i < p->n; i++) {
		for (int j = 0; j < p->cmds[i].argc; j++)
			free(p->cmds[i].argv[j]);
		free(p->cmds[i].argv);
	}
	free(p->cmds);
	*p = (struct parsed){0};
}
