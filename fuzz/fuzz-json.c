/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON writers: json_quote (asciicast) and json_text with json-c's
 * serializer as `status --json` calls it. Whatever bytes come in (a lab
 * hostname can hold any), what comes out is strict JSON whose strings
 * decode to the input with each invalid UTF-8 byte made U+FFFD. */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "asciicast.h"
#include "fuzz.h"
#include "json-check.h"

static void check_quote(const struct buf *text)
{
	struct buf out = {0};
	struct json_seen seen;

	json_quote(&out, text->s, text->len);
	FUZZ_ASSERT(json_check(out.s, out.len, &seen) == 0);
	FUZZ_ASSERT(seen.strings == 1 && seen.str[0].len == text->len);
	FUZZ_ASSERT(text->len == 0 || memcmp(seen.str[0].s, text->s, text->len) == 0);
	FUZZ_CANARY_IF(text->len == 7 && memcmp(seen.str[0].s, "can\xc3\xa9ry", 7) == 0);
	json_seen_free(&seen);
	buf_free(&out);
}

/* As status_json does: an object, a key, the lab's text, its flags. */
static void check_status(const char *s)
{
	struct buf want = {0};
	struct json_seen seen;
	json_object *o = json_object_new_object();
	const char *out;

	json_object_object_add(o, "hostname", json_text(s));
	out = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							JSON_C_TO_STRING_NOSLASHESCAPE);
	utf8_repair(&want, s, strlen(s));
	FUZZ_ASSERT(json_check(out, strlen(out), &seen) == 0);
	FUZZ_ASSERT(seen.strings == 2 && strcmp(seen.str[0].s, "hostname") == 0);
	FUZZ_ASSERT(seen.str[1].len == want.len && (want.len == 0 || memcmp(seen.str[1].s, want.s, want.len) == 0));
	json_seen_free(&seen);
	json_object_put(o);
	buf_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text = {0};
	_cleanup_free_ char *s = fuzz_str(data, size);

	utf8_repair(&text, (const char *)data, size);
	FUZZ_ASSERT(fuzz_utf8_valid(text.s, text.len));
	if (fuzz_utf8_valid((const char *)data, size))
		FUZZ_ASSERT(text.len == size && (size == 0 || memcmp(text.s, data, size) == 0));
	check_quote(&text);
	check_status(s);
	buf_free(&text);
	return 0;
}
