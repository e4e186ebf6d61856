/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"

#include <locale.h>
#include <string.h>

/* Every target runs in a UTF-8 locale, as nslab does in a classroom, so
 * that the multibyte paths (escape_text, text_fit) are the ones fuzzed. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int fuzz_parse(const uint8_t *data, size_t size, struct parsed *p)
{
	struct nserr e = {0};

	if (parse_line((const char *)data, size, p, &e) < 0) {
		fuzz_check_error(&e);
		return -1;
	}
	return 0;
}

static void check_line(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	FUZZ_ASSERT(n < size);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

void fuzz_check_error(const struct nserr *e)
{
	FUZZ_ASSERT(e->msg[0] != '\0');
	check_line(e->msg, sizeof(e->msg));
	check_line(e->hint, sizeof(e->hint));
}

int fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		unsigned c = u[i], cp, min;
		size_t len;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			len = 2, min = 0x80, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			len = 3, min = 0x800, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			len = 4, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}
