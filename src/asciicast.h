/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "util.h"

/* asciicast v2 (what asciinema plays): a JSON header line, then one JSON
 * array per output event: [seconds, "o", "text"]. Pure functions over
 * buffers, so they can be tested and fuzzed. */
void asciicast_header(struct buf *out, int width, int height, long timestamp, const char *title);

/* Append an event for N bytes of terminal output. Bytes that end in the
 * middle of a UTF-8 sequence are kept in PENDING (at most 3) for the next
 * call; invalid bytes become U+FFFD, so every line is valid JSON. */
struct asciicast_utf8 {
	unsigned char pending[4];
	size_t npending;
};
void asciicast_event(struct buf *out, double seconds, const char *data, size_t n, struct asciicast_utf8 *u);

/* S (N bytes) with each byte that is not part of valid UTF-8 replaced by
 * U+FFFD, as JSON (RFC 8259) requires; a sequence cut short at the end is
 * invalid here. */
void utf8_repair(struct buf *out, const char *s, size_t n);
/* A json-c string of text that comes from the lab (a hostname, a map),
 * repaired as above: json-c itself copies bytes >= 0x80 unchecked. */
struct json_object;
struct json_object *json_text(const char *s);

/* A JSON string literal (with quotes) of valid UTF-8 text. */
void json_quote(struct buf *out, const char *s, size_t n);
