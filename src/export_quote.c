/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quoting for the exported text: a hostname or a path the learner typed
 * must come out as exactly those bytes, in sh and in C, and must not reach
 * a terminal as raw control bytes when the text is printed. */
#include "config.h"
#include "export.h"

#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "util.h"

static bool sh_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_@%+:,./-", c);
}

/* How many bytes at S (N left) may stand as they are inside quotes: one
 * printable character or a tab; 0 for a control byte, a newline, or
 * bytes that are not a printable character in the locale. */
static size_t printable_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)*s;
	mbstate_t st = {0};
	wchar_t wc;
	size_t k;

	if (c == '\t' || (c >= 0x20 && c < 0x7f))
		return 1;
	if (c < 0x80)
		return 0;
	k = mbrtowc(&wc, s, n, &st);
	return k != (size_t)-1 && k != (size_t)-2 && k > 0 && iswprint((wint_t)wc) ? k : 0;
}

static void printf_bytes(struct buf *b, const char *s, size_t n)
{
	buf_add(b, "\"$(printf '", 11);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "\\%03o", (unsigned char)s[i]);
	buf_add(b, "')\"", 3);
}

/* Bytes that must not stand raw (a terminal would act on them, or the
 * line would break) are made by printf(1) in a command substitution. That
 * drops trailing newlines: a newline takes the byte after it along, and
 * newlines that end the string stay literal, inside quotes. */
static size_t special_run(struct buf *b, const char *s, size_t n)
{
	size_t j = 0, end;

	while (j < n && !printable_len(s + j, n - j))
		j++;
	end = j;
	if (s[j - 1] == '\n' && j < n)
		end = ++j;
	while (j == n && end > 0 && s[end - 1] == '\n')
		end--;
	if (end)
		printf_bytes(b, s, end);
	if (end < j) {
		buf_add(b, "'", 1);
		buf_add(b, s + end, j - end);
		buf_add(b, "'", 1);
	}
	return j;
}

void sh_quote(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	bool open = false, plain = n > 0;

	for (size_t i = 0; i < n; i++)
		plain = plain && sh_safe((unsigned char)s[i]);
	if (plain) {
		buf_add(b, s, n);
		return;
	}
	if (!n)
		buf_add(b, "''", 2);
	for (size_t i = 0; i < n;) {
		size_t k = printable_len(s + i, n - i);
		if (!k) {
			if (open)
				buf_add(b, "'", 1);
			open = false;
			i += special_run(b, s + i, n - i);
			continue;
		}
		if (!open)
			buf_add(b, "'", 1);
		open = true;
		if (s[i] == '\'')
			buf_add(b, "'\\''", 4);
		else
			buf_add(b, s + i, k);
		i += k;
	}
	if (open)
		buf_add(b, "'", 1);
}

void c_quote(struct buf *b, const char *s)
{
	buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\' || c == '?')
			buf_printf(b, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf_add(b, s, 1);
		else
			buf_printf(b, "\\%03o", c);
	}
	buf_add(b, "\"", 1);
}

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool hostname_tool_accepts(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 63)
		return false;
	/* Labels of letters, digits and '-', each beginning and ending with a
	 * letter or digit, joined by single dots. */
	for (size_t i = 0; i < n; i++) {
		bool first = i == 0 || name[i - 1] == '.', last = i + 1 == n || name[i + 1] == '.';
		if (name[i] == '.' && !first && !last)
			continue;
		if (alnum(name[i]) || (name[i] == '-' && !first && !last))
			continue;
		return false;
	}
	return true;
}
