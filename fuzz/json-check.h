/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A strict JSON checker (RFC 8259: one value, UTF-8, no lone surrogates,
 * nothing after it but whitespace), small enough to trust, for the fuzz
 * targets of nslab's JSON and asciicast writers. It keeps the first few
 * strings it met, decoded, so a target can compare them with its input. */
#include <stddef.h>

#include "util.h"

#define JSON_SEEN_MAX 8

struct json_seen {
	size_t strings, numbers; /* how many of each, in document order */
	struct buf str[JSON_SEEN_MAX];
};

/* 0 if S (N bytes) is exactly one valid JSON value, else -1; either way
 * json_seen_free(SEEN) after. */
int json_check(const char *s, size_t n, struct json_seen *seen);
void json_seen_free(struct json_seen *seen);
