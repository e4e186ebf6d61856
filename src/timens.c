/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Time namespace offsets: parsing them, and writing them when the
 * namespace is made. */
#include "config.h"
#include "labfs.h"
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define OFFSET_MAX LAB_CLOCK_MAX

const char *const lab_clock_name[LAB_CLOCKS] = {"monotonic", "boottime"};

int parse_clock_offset(const char *s, long long *sec, struct nserr *e)
{
	static const struct {
		char unit;
		long long sec;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	_cleanup_free_ char *w = escaped(s);
	const char *p = s;
	long long v = 0, mul = 1;
	bool neg = false;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > OFFSET_MAX)
			goto bad;
	}
	if (*p) {
		mul = 0;
		for (size_t i = 0; i < ARRAY_SIZE(units); i++)
			if (*p == units[i].unit)
				mul = units[i].sec;
		if (!mul || p[1])
			goto bad;
	}
	if (v > OFFSET_MAX / mul)
		goto bad;
	*sec = neg ? -v * mul : v * mul;
	return 0;
bad:
	nserr_set(e, 0, _("bad offset '%s'"), w);
	return nserr_hint(e, _("whole seconds, or with a unit: 90, -15m, 2h, 3d; at most %lld s either way"),
			  OFFSET_MAX);
}

void clock_offset_str(long long sec, char *out, size_t size)
{
	static const struct {
		long long sec;
		char unit;
	} units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
	unsigned long long left = sec < 0 ? -(unsigned long long)sec : (unsigned long long)sec;
	size_t len = (size_t)snprintf(out, size, "%s", sec < 0 ? "-" : "+");

	for (size_t i = 0; i < ARRAY_SIZE(units) && len < size; i++) {
		unsigned long long n = left / (unsigned long long)units[i].sec;
		if (!n && (left || i + 1 < ARRAY_SIZE(units)))
			continue;
		len += (size_t)snprintf(out + len, size - len, "%llu%c", n, units[i].unit);
		left -= n * (unsigned long long)units[i].sec;
		if (!left)
			break;
	}
}

/*
 * /proc/PID/timens_offsets names the time namespace PID's children are
 * born into; only the process that made it can reach it that way before
 * anything enters, and the kernel refuses (EACCES) once a process has: on
 * this kernel both a setns(2) into it and a fork(2) of its maker freeze the
 * offsets. So the helper writes them between its unshare(2) and any fork.
 */
int labfs_write_clocks(const struct lab *lab, struct nserr *e)
{
	const struct lab_fs *fs = lab->fs;
	char text[128];
	size_t len = 0;

	if (!fs)
		return 0;
	for (int c = 0; c < LAB_CLOCKS; c++)
		if (fs->clock_set[c])
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s %lld 0\n", lab_clock_name[c],
						fs->clock_sec[c]);
	if (!len)
		return 0;
	if (trace_write_file(host.proc, "self/timens_offsets", 0, text) == 0)
		return 0;
	nserr_set(e, errno, _("cannot write the lab's time namespace offsets"));
	if (errno == ERANGE)
		nserr_hint(e, _("a clock would go below zero, or too far forward"));
	return -1;
}
