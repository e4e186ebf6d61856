/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uid/gid map lines checked as the kernel's map_write() would. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "userns.h"

static const struct idmap_rights root = {.privileged = true, .self = 0};
static const struct idmap_rights nobody = {.privileged = false, .self = 65534};

/* Split TEXT into words and add them to M. */
static int add(struct idmap *m, const char *text, const struct idmap_rights *r, struct nserr *e)
{
	char buf[4096], *argv[1100];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (char *w = strtok(buf, " "); w && argc < 1100; w = strtok(NULL, " "))
		argv[argc++] = w;
	nserr_clear(e);
	return idmap_add(m, argc, argv, "uid", r, e);
}

static void good_lines(void **s)
{
	static struct idmap m;
	struct nserr e;
	struct buf b = {0};

	m.n = 0;
	assert_int_equal(add(&m, "0 100000 65536", &root, &e), 0);
	assert_int_equal(add(&m, "65536 0 1 70000 200000 10", &root, &e), 0);
	assert_int_equal(m.n, 3);
	idmap_format(&m, &b);
	assert_string_equal(b.s, "0 100000 65536\n65536 0 1\n70000 200000 10\n");
	buf_free(&b);
	assert_int_equal(idmap_to_inside(&m, 100005), 5);
	assert_int_equal(idmap_to_inside(&m, 0), 65536);
	assert_int_equal(idmap_to_inside(&m, 99999), -1);
	(void)s;
}

static void bad_lines(void **s)
{
	static struct idmap m;
	struct nserr e;
	const char *bad[] = {"0 1", "0 1 1 2", "x 1 1", "0 -1 1", "0 1 0", "0 4294967295 1",
			     "4294967290 0 6", "0 4294967290 6", "1 2 3 4 5 6 7 8"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.n = 0;
		assert_int_equal(add(&m, bad[i], &root, &e), -1);
		assert_true(e.msg[0] != '\0');
		assert_int_equal(m.n, 0);
	}
	/* The largest range that fits. */
	m.n = 0;
	assert_int_equal(add(&m, "4294967290 0 5", &root, &e), 0);
	(void)s;
}

static void overlaps(void **s)
{
	static struct idmap m;
	struct nserr e;

	m.n = 0;
	assert_int_equal(add(&m, "0 1000 10", &root, &e), 0);
	assert_int_equal(add(&m, "9 5000 1", &root, &e), -1);
	assert_non_null(strstr(e.msg, "inside"));
	assert_int_equal(add(&m, "100 1009 1", &root, &e), -1);
	assert_non_null(strstr(e.msg, "outside"));
	/* All or none: a good line before a bad one is not kept. */
	assert_int_equal(add(&m, "10 2000 1 0 3000 1", &root, &e), -1);
	assert_int_equal(m.n, 1);
	assert_int_equal(add(&m, "10 1010 5", &root, &e), 0);
	(void)s;
}

static void unprivileged(void **s)
{
	static struct idmap m;
	struct nserr e;

	m.n = 0;
	assert_int_equal(add(&m, "0 0 1", &nobody, &e), -1);
	assert_non_null(strstr(e.hint, "newuidmap"));
	assert_int_equal(add(&m, "0 65534 2", &nobody, &e), -1);
	assert_int_equal(add(&m, "1000 65534 1", &nobody, &e), 0);
	assert_int_equal(add(&m, "0 65534 1", &nobody, &e), -1);
	(void)s;
}

static void limits(void **s)
{
	static struct idmap m;
	struct nserr e;
	static char text[16384];
	size_t len = 0;

	/* 340 lines fit (short ones), 341 do not. */
	m.n = 0;
	for (int i = 0; i < 340; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%d %d 1 ", i, i + 1000);
	m.n = 0;
	{
		char *argv[1100], *w;
		int argc = 0;
		for (w = strtok(text, " "); w; w = strtok(NULL, " "))
			argv[argc++] = w;
		assert_int_equal(idmap_add(&m, argc, argv, "uid", &root, &e), 0);
		char *one[] = {"5000", "9000", "1"};
		assert_int_equal(idmap_add(&m, 3, one, "uid", &root, &e), -1);
		assert_non_null(strstr(e.msg, "340"));
	}
	/* Under the line limit but over the kernel's one page of text. */
	m.n = 0;
	for (int i = 0; i < 200; i++) {
		char a[16], b[16], *line[3] = {a, b, "1"};
		snprintf(a, sizeof(a), "%u", 4000000000u + (unsigned)i);
		snprintf(b, sizeof(b), "%u", 4000000000u + (unsigned)i);
		if (idmap_add(&m, 3, line, "uid", &root, &e) < 0) {
			assert_non_null(strstr(e.msg, "bytes"));
			assert_true(m.n < 200);
			(void)s;
			return;
		}
	}
	fail_msg("a map of more than 4095 bytes was accepted");
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(good_lines), cmocka_unit_test(bad_lines), cmocka_unit_test(overlaps),
		cmocka_unit_test(unprivileged), cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
