/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define UTS_NAME_MAX 64 /* the kernel's __NEW_UTS_LEN */

int check_uts_name(const char *name, struct nserr *e)
{
	size_t n = strlen(name);

	if (n > UTS_NAME_MAX) {
		nserr_set(e, 0, _("the name is %zu bytes long"), n);
		return nserr_hint(e, _("at most %d bytes"), UTS_NAME_MAX);
	}
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int parse_uint(const char *s, const char *what, unsigned long max, unsigned long *out, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(s);
	unsigned long v;

	errno = 0;
	if (!all_digits(s) || ((v = strtoul(s, NULL, 10)), errno) || v > max) {
		nserr_set(e, 0, _("bad %s '%s'"), what, w);
		return nserr_hint(e, _("a whole number from 0 to %lu"), max);
	}
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t max, uint64_t *out, struct nserr *e)
{
	static const char units[] = "KMGT";
	_cleanup_free_ char *w = escaped(s);
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	if (*end) {
		const char *u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u)
			goto bad;
		shift = 10 * (int)(u - units + 1);
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
		if (*end)
			goto bad;
	}
	if (v > (max >> shift) || v == 0)
		goto bad;
	*out = (uint64_t)v << shift;
	return 0;
bad:
	nserr_set(e, 0, _("bad size '%s'"), w);
	return nserr_hint(e, _("a number of bytes from 1 to %llu, optionally with K, M, G or T"),
			  (unsigned long long)max);
}

int parse_mode(const char *s, unsigned *out, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(s);
	unsigned v = 0;

	if (!*s || strlen(s) > 4)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '7')
			goto bad;
		v = v * 8 + (unsigned)(*p - '0');
	}
	if (v > 0777)
		goto bad;
	*out = v;
	return 0;
bad:
	nserr_set(e, 0, _("bad mode '%s'"), w);
	return nserr_hint(e, _("octal permission bits, 0 to 777, such as 600"));
}

int check_abs_path(const char *path, const char *what, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(path);

	if (path[0] != '/') {
		nserr_set(e, 0, _("%s '%s' is not an absolute path"), what, w);
		return nserr_hint(e, _("start it with /"));
	}
	if (strlen(path) >= PATH_MAX) {
		nserr_set(e, 0, _("%s is too long"), what);
		return nserr_hint(e, _("at most %d bytes"), PATH_MAX - 1);
	}
	return 0;
}
