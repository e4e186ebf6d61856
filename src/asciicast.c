/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "asciicast.h"

#include <json-c/json.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at S (N bytes available): 1-4, 0 if
 * it is incomplete but could still become valid, -1 if invalid. */
static int utf8_len(const unsigned char *s, size_t n)
{
	int len;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return -1;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	return len;
}

void utf8_repair(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		int k = utf8_len(u + i, n - i);
		if (k <= 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		buf_add(out, s + i, (size_t)k);
		i += (size_t)k;
	}
}

json_object *json_text(const char *s)
{
	struct buf b = {0};
	json_object *o;

	utf8_repair(&b, s, strlen(s));
	o = json_object_new_string_len(b.s ? b.s : "", (int)b.len);
	buf_free(&b);
	return o;
}

void json_quote(struct buf *out, const char *s, size_t n)
{
	buf_add(out, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			buf_add(out, esc, 2);
		} else if (c == '\n') {
			buf_add(out, "\\n", 2);
		} else if (c == '\r') {
			buf_add(out, "\\r", 2);
		} else if (c == '\t') {
			buf_add(out, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
		} else {
			buf_add(out, s + i, 1);
		}
	}
	buf_add(out, "\"", 1);
}

void asciicast_header(struct buf *out, int width, int height, long timestamp, const char *title)
{
	buf_printf(out, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %ld", width, height,
		   timestamp);
	if (title) {
		buf_add(out, ", \"title\": ", 11);
		json_quote(out, title, strlen(title));
	}
	buf_add(out, ", \"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}}\n", 57);
}

void asciicast_event(struct buf *out, double seconds, const char *data, size_t n, struct asciicast_utf8 *u)
{
	struct buf text = {0};
	unsigned char joined[4096 + 4];
	size_t len = 0;

	size_t done = 0;
	do {
		/* Each chunk starts with what an earlier one left pending. */
		memcpy(joined, u->pending, u->npending);
		len = u->npending;
		u->npending = 0;
		size_t take = n - done < 4096 ? n - done : 4096;
		memcpy(joined + len, data + done, take);
		len += take;
		done += take;
		for (size_t i = 0; i < len;) {
			int k = utf8_len(joined + i, len - i);
			if (k == 0) {
				/* A sequence cut short: wait for the rest. */
				memcpy(u->pending, joined + i, len - i);
				u->npending = len - i;
				break;
			}
			if (k < 0) {
				buf_add(&text, "\xef\xbf\xbd", 3);
				i++;
				continue;
			}
			buf_add(&text, (const char *)joined + i, (size_t)k);
			i += (size_t)k;
		}
	} while (done < n);
	if (text.len) {
		buf_printf(out, "[%.6f, \"o\", ", seconds);
		json_quote(out, text.s, text.len);
		buf_add(out, "]\n", 2);
	}
	buf_free(&text);
}
