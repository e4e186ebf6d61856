/* SPDX-License-Identifier: GPL-3.0-or-later */
/* escape_text and text_fit, which stand between what a lab says (a
 * hostname, a mount path, a program's name) and the teacher's terminal:
 * in a UTF-8 locale, what comes out is valid UTF-8 with no control
 * character, C0, DEL or C1, so a lab cannot drive the screen; every
 * backslash starts \\ or \xNN; and text_fit stays in the room it is given. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "fuzz.h"

static void check_escaped(const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)b->s;

	FUZZ_ASSERT(fuzz_utf8_valid(b->s, b->len));
	for (size_t i = 0; i < b->len; i++) {
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] != 0x7f);
		/* C1 controls, U+0080 to U+009F: 0xc2 0x80-0x9f in UTF-8. */
		FUZZ_ASSERT(!(s[i] == 0xc2 && i + 1 < b->len && s[i + 1] <= 0x9f));
		if (s[i] == '\\') {
			FUZZ_ASSERT(i + 1 < b->len && (s[i + 1] == '\\' || s[i + 1] == 'x'));
			if (s[i + 1] == 'x') {
				FUZZ_ASSERT(i + 3 < b->len && isxdigit(s[i + 2]) && isxdigit(s[i + 3]));
				i += 2;
			}
			i++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = {0};
	size_t bytes;
	int room, w;

	escape_text(&b, (const char *)data, size);
	FUZZ_ASSERT(b.s != NULL);
	check_escaped(&b);
	/* An escape character, escaped, then a word. */
	FUZZ_CANARY_IF(b.len >= 10 && memcmp(b.s, "\\x1b", 4) == 0 && memcmp(b.s + 4, "canary", 6) == 0);
	room = size ? data[0] % 100 : 0;
	w = text_fit(b.s, b.len, room, &bytes);
	FUZZ_ASSERT(w >= 0 && w <= room && bytes <= b.len);
	/* Raw text from the lab too, as the panel measures it. */
	w = text_fit((const char *)data, size, room, &bytes);
	FUZZ_ASSERT(w >= 0 && w <= room && bytes <= size);
	buf_free(&b);
	return 0;
}
