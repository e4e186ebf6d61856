/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "json-check.h"

#include <string.h>

#include "fuzz.h"

#define DEPTH_MAX 64

struct jp {
	const char *p, *end;
	int depth;
	struct json_seen *seen;
};

static int value(struct jp *j);

static void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int lit(struct jp *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int digits(struct jp *j)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start ? 0 : -1;
}

static int number(struct jp *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (j->p >= j->end || *j->p < '1' || *j->p > '9' || digits(j) < 0)
		return -1;
	if (j->p < j->end && *j->p == '.' && (j->p++, digits(j) < 0))
		return -1;
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (digits(j) < 0)
			return -1;
	}
	j->seen->numbers++;
	return 0;
}

static int hex4(struct jp *j, unsigned *v)
{
	*v = 0;
	if (j->end - j->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *j->p++;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	buf_add(b, u, n);
}

/* \uXXXX, and a surrogate pair as one code point; a lone surrogate is no
 * character, so it is refused. */
static int unicode_escape(struct jp *j, struct buf *b)
{
	unsigned hi, lo;

	if (hex4(j, &hi) < 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return -1;
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (lit(j, "\\u") < 0 || hex4(j, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, hi);
	return 0;
}

static int escape(struct jp *j, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (j->p >= j->end)
		return -1;
	if (*j->p == 'u') {
		j->p++;
		return unicode_escape(j, b);
	}
	if (!(k = memchr(from, *j->p, sizeof(from) - 1)))
		return -1;
	buf_add(b, &to[k - from], 1);
	j->p++;
	return 0;
}

static int string(struct jp *j)
{
	struct buf b = {0};
	const char *run;

	j->p++;
	for (;;) {
		for (run = j->p; j->p < j->end && *j->p != '"' && *j->p != '\\' && (unsigned char)*j->p >= 0x20;)
			j->p++;
		if (!fuzz_utf8_valid(run, (size_t)(j->p - run)))
			goto bad;
		buf_add(&b, run, (size_t)(j->p - run));
		if (j->p >= j->end || (unsigned char)*j->p < 0x20)
			goto bad;
		if (*j->p++ == '"')
			break;
		if (escape(j, &b) < 0)
			goto bad;
	}
	if (j->seen->strings < JSON_SEEN_MAX) {
		buf_add(&b, "", 0);
		j->seen->str[j->seen->strings] = b;
	} else {
		buf_free(&b);
	}
	j->seen->strings++;
	return 0;
bad:
	buf_free(&b);
	return -1;
}

/* OPEN ... CLOSE with values (or "key": value pairs) between commas. */
static int container(struct jp *j, char close, int pairs)
{
	if (++j->depth > DEPTH_MAX)
		return -1;
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (pairs) {
			if (j->p >= j->end || *j->p != '"' || string(j) < 0)
				return -1;
			ws(j);
			if (lit(j, ":") < 0)
				return -1;
		}
		if (value(j) < 0)
			return -1;
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return 0;
		}
		return -1;
	}
}

static int value(struct jp *j)
{
	int rc;

	ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '{': rc = container(j, '}', 1); break;
	case '[': rc = container(j, ']', 0); break;
	case '"': rc = string(j); break;
	case 't': rc = lit(j, "true"); break;
	case 'f': rc = lit(j, "false"); break;
	case 'n': rc = lit(j, "null"); break;
	default: rc = number(j); break;
	}
	ws(j);
	return rc;
}

int json_check(const char *s, size_t n, struct json_seen *seen)
{
	struct jp j = {.p = s, .end = s + n, .seen = seen};

	*seen = (struct json_seen){0};
	if (value(&j) < 0 || j.p != j.end)
		return -1;
	return 0;
}

void json_seen_free(struct json_seen *seen)
{
	for (size_t i = 0; i < seen->strings && i < JSON_SEEN_MAX; i++)
		buf_free(&seen->str[i]);
	*seen = (struct json_seen){0};
}
