/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The asciicast writer (asciicast_event), fed terminal output cut into
 * chunks anywhere, through multibyte characters too, as read() cuts it:
 * every line it writes is strict JSON, [seconds, "o", text]; and the texts
 * joined are the output with each invalid UTF-8 byte made U+FFFD, but for
 * at most 3 bytes of a character still pending at the end. */
#include "config.h"

#include <string.h>

#include "asciicast.h"
#include "fuzz.h"
#include "json-check.h"

/* Chunk sizes from the input's first two bytes: small ones through
 * characters, large ones past the writer's 4096-byte blocks. */
static size_t next_chunk(uint32_t *state, size_t left, bool large)
{
	*state = *state * 1103515245u + 12345u;
	return (size_t)((*state >> 8) % (large ? 9000u : 7u)) % (left + 1);
}

/* One event line: [number, "o", string]; its text goes to JOINED. */
static void check_line(const char *line, size_t n, struct buf *joined, int *events)
{
	struct json_seen seen;

	FUZZ_ASSERT(n > 2 && line[0] == '[' && line[1] >= '0' && line[1] <= '9');
	FUZZ_ASSERT(json_check(line, n, &seen) == 0);
	FUZZ_ASSERT(seen.numbers == 1 && seen.strings == 2 && strcmp(seen.str[0].s, "o") == 0);
	FUZZ_ASSERT(seen.str[1].len > 0);
	FUZZ_CANARY_IF(*events == 1 && strcmp(seen.str[1].s, "canary") == 0);
	buf_add(joined, seen.str[1].s, seen.str[1].len);
	(*events)++;
	json_seen_free(&seen);
}

static void check_output(const struct buf *out, struct buf *joined)
{
	int events = 0;

	for (size_t at = 0; at < out->len;) {
		const char *nl = memchr(out->s + at, '\n', out->len - at);
		FUZZ_ASSERT(nl != NULL);
		check_line(out->s + at, (size_t)(nl - out->s) - at, joined, &events);
		at = (size_t)(nl - out->s) + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asciicast_utf8 u = {0};
	struct buf out = {0}, joined = {0}, want = {0};
	uint32_t state;
	bool large;

	if (size < 2)
		return 0;
	state = (uint32_t)data[0] << 8 | data[1];
	large = data[0] & 1;
	data += 2, size -= 2;
	for (size_t done = 0, chunk = 0; done < size; chunk++) {
		size_t n = next_chunk(&state, size - done, large);
		asciicast_event(&out, (double)chunk * 0.25, (const char *)data + done, n, &u);
		done += n;
		FUZZ_ASSERT(u.npending <= 3);
	}
	check_output(&out, &joined);
	utf8_repair(&want, (const char *)data, size - u.npending);
	FUZZ_ASSERT(joined.len == want.len && (want.len == 0 || memcmp(joined.s, want.s, want.len) == 0));
	buf_free(&out);
	buf_free(&joined);
	buf_free(&want);
	return 0;
}
