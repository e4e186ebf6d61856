/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

int nserr_set(struct nserr *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	e->err = errnum;
	e->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int nserr_hint(struct nserr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
	return -1;
}

void nserr_clear(struct nserr *e)
{
	e->err = 0;
	e->msg[0] = e->hint[0] = '\0';
}

void nserr_format(const struct nserr *e, char *out, size_t size)
{
	int n = snprintf(out, size, "%s", e->msg[0] ? e->msg : _("failed"));

	if (e->err && n >= 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, ": %s", strerror(e->err));
	if (e->hint[0] && n >= 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, " (%s)", e->hint);
}

int nserr_prefix(struct nserr *e, const char *prefix)
{
	char msg[sizeof(e->msg)];
	int n = snprintf(msg, sizeof(msg), "%s: ", prefix);

	/* Truncation is fine here: the message is for people. */
	if (n > 0 && (size_t)n < sizeof(msg))
		memccpy(msg + n, e->msg, '\0', sizeof(msg) - (size_t)n);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(e->msg, msg, sizeof(msg));
	return -1;
}
