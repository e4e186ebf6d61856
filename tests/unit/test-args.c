/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Argument checks: UTS names, sizes, modes, numbers, absolute paths. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"

/* ---- check_uts_name ------------------------------------------------------------ */

static void uts_name_ok(void **state)
{
	char name[65];
	struct nserr e = {0};

	(void)state;
	assert_int_equal(check_uts_name("lab", &e), 0);
	assert_int_equal(check_uts_name("", &e), 0); /* the kernel takes it */
	assert_int_equal(check_uts_name("a.b-c_d", &e), 0);
	memset(name, 'x', 64);
	name[64] = '\0';
	assert_int_equal(check_uts_name(name, &e), 0);
	assert_string_equal(e.msg, "");
}

static void uts_name_too_long(void **state)
{
	char name[1000];
	struct nserr e = {0};

	(void)state;
	memset(name, 'x', 65);
	name[65] = '\0';
	assert_int_equal(check_uts_name(name, &e), -1);
	assert_string_equal(e.msg, "the name is 65 bytes long");
	assert_string_equal(e.hint, "at most 64 bytes");

	memset(name, 'y', 999);
	name[999] = '\0';
	assert_int_equal(check_uts_name(name, &e), -1);
	assert_string_equal(e.msg, "the name is 999 bytes long");
}

static void uts_name_counts_bytes(void **state)
{
	char name[100] = "";
	struct nserr e = {0};

	(void)state;
	/* 21 three-byte characters: 63 bytes fit; 22 (66 bytes) do not. */
	for (int i = 0; i < 21; i++)
		strcat(name, "实");
	assert_int_equal(check_uts_name(name, &e), 0);
	strcat(name, "验");
	assert_int_equal(check_uts_name(name, &e), -1);
	assert_string_equal(e.msg, "the name is 66 bytes long");
}

/* ---- parse_uint -------------------------------------------------------------------- */

static void uint_ok(void **state)
{
	unsigned long v = 12345;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(parse_uint("0", "code", 255, &v, &e), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("42", "code", 255, &v, &e), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_uint("255", "code", 255, &v, &e), 0);
	assert_int_equal(v, 255);
	assert_int_equal(parse_uint("007", "code", 255, &v, &e), 0);
	assert_int_equal(v, 7); /* decimal, not octal */
	assert_int_equal(parse_uint("0", "n", 0, &v, &e), 0);
	assert_int_equal(v, 0);
}

static void uint_max_long(void **state)
{
	unsigned long v = 0;
	char s[32];
	struct nserr e = {0};

	(void)state;
	snprintf(s, sizeof(s), "%lu", ULONG_MAX);
	assert_int_equal(parse_uint(s, "n", ULONG_MAX, &v, &e), 0);
	assert_true(v == ULONG_MAX);
	/* One more overflows. */
	assert_int_equal(parse_uint("18446744073709551616", "n", ULONG_MAX, &v, &e), -1);
	assert_int_equal(parse_uint("99999999999999999999999999", "n", ULONG_MAX, &v, &e), -1);
}

static void uint_bad(void **state)
{
	static const char *const bad[] = {"", "-1", "+1", " 1", "1 ", "1a", "a1", "0x10",
					  "1.0", "1e3", "256", "1000", "-0", "٣"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long v = 777;
		struct nserr e = {0};
		if (parse_uint(bad[i], "exit code", 255, &v, &e) != -1)
			fail_msg("parse_uint accepted '%s'", bad[i]);
		assert_int_equal(v, 777); /* untouched */
		assert_string_equal(e.hint, "a whole number from 0 to 255");
		assert_int_equal(e.err, 0);
	}
}

static void uint_message(void **state)
{
	unsigned long v;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(parse_uint("12x", "exit code", 255, &v, &e), -1);
	assert_string_equal(e.msg, "bad exit code '12x'");
	/* What the user typed is escaped before it is shown. */
	assert_int_equal(parse_uint("\x1b[2J", "count", 9, &v, &e), -1);
	assert_string_equal(e.msg, "bad count '\\x1b[2J'");
	assert_string_equal(e.hint, "a whole number from 0 to 9");
}

/* ---- parse_size ------------------------------------------------------------------- */

static void expect_size(const char *s, uint64_t max, uint64_t want)
{
	uint64_t v = 0;
	struct nserr e = {0};

	if (parse_size(s, max, &v, &e) != 0)
		fail_msg("parse_size('%s') failed: %s", s, e.msg);
	if (v != want)
		fail_msg("parse_size('%s') = %llu, want %llu", s, (unsigned long long)v,
			 (unsigned long long)want);
}

static void expect_bad_size(const char *s, uint64_t max)
{
	uint64_t v = 4242;
	struct nserr e = {0};

	if (parse_size(s, max, &v, &e) != -1)
		fail_msg("parse_size('%s') accepted %llu", s, (unsigned long long)v);
	assert_true(v == 4242);
	assert_non_null(strstr(e.msg, "bad size '"));
	assert_non_null(strstr(e.hint, "from 1 to"));
}

static void size_plain(void **state)
{
	(void)state;
	expect_size("1", UINT64_MAX, 1);
	expect_size("4096", UINT64_MAX, 4096);
	expect_size("0010", UINT64_MAX, 10);
}

static void size_suffixes(void **state)
{
	(void)state;
	expect_size("4K", UINT64_MAX, 4096);
	expect_size("4k", UINT64_MAX, 4096);
	expect_size("1M", UINT64_MAX, 1ull << 20);
	expect_size("1m", UINT64_MAX, 1ull << 20);
	expect_size("2G", UINT64_MAX, 2ull << 30);
	expect_size("3g", UINT64_MAX, 3ull << 30);
	expect_size("1T", UINT64_MAX, 1ull << 40);
	expect_size("5t", UINT64_MAX, 5ull << 40);
}

static void size_suffix_spellings(void **state)
{
	(void)state;
	expect_size("1KiB", UINT64_MAX, 1024);
	expect_size("1KB", UINT64_MAX, 1024);
	expect_size("1Ki", UINT64_MAX, 1024);
	expect_size("1kib", UINT64_MAX, 1024);
	expect_size("1kb", UINT64_MAX, 1024);
	expect_size("2MiB", UINT64_MAX, 2ull << 20);
	expect_size("1GIB", UINT64_MAX, 1ull << 30);
}

static void size_bad(void **state)
{
	static const char *const bad[] = {
		"", "0", "0K", "00", "K", "-1", "+1", " 1", "1 ", "1X", "1KK", "1KBi", "1iB",
		"1P", "1E", "1.5M", "1e3", "0x10", "1K ", "1 K", "1KiBx", "M1", "１",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad_size(bad[i], UINT64_MAX);
}

static void size_max(void **state)
{
	(void)state;
	expect_size("4096", 4096, 4096);
	expect_bad_size("4097", 4096);
	expect_size("4K", 4096, 4096);
	expect_bad_size("5K", 4096);
	expect_bad_size("4K", 4095);
	expect_size("4K", 5000, 4096);
	expect_bad_size("5K", 5000);
	expect_bad_size("1", 0);
}

static void size_overflow(void **state)
{
	(void)state;
	expect_size("18446744073709551615", UINT64_MAX, UINT64_MAX);
	expect_bad_size("18446744073709551616", UINT64_MAX);
	expect_bad_size("99999999999999999999999999", UINT64_MAX);
	/* 2^24 T is 2^64: must not wrap around to 0. */
	expect_size("16777215T", UINT64_MAX, 16777215ull << 40);
	expect_bad_size("16777216T", UINT64_MAX);
	expect_bad_size("17179869184G", UINT64_MAX);
	expect_bad_size("18446744073709551615K", UINT64_MAX);
}

static void size_message(void **state)
{
	uint64_t v;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(parse_size("12Q", 1000, &v, &e), -1);
	assert_string_equal(e.msg, "bad size '12Q'");
	assert_string_equal(e.hint, "a number of bytes from 1 to 1000, optionally with K, M, G or T");
	assert_int_equal(parse_size("\x07", 1000, &v, &e), -1);
	assert_string_equal(e.msg, "bad size '\\x07'");
}

/* ---- parse_mode ------------------------------------------------------------------- */

static void mode_ok(void **state)
{
	static const struct {
		const char *s;
		unsigned v;
	} ok[] = {
		{"0", 0},	  {"7", 07},	  {"600", 0600},  {"644", 0644}, {"755", 0755},
		{"777", 0777}, {"0777", 0777}, {"0000", 0},	  {"0600", 0600}, {"1", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned v = 12345;
		struct nserr e = {0};
		if (parse_mode(ok[i].s, &v, &e) != 0)
			fail_msg("parse_mode('%s') failed: %s", ok[i].s, e.msg);
		assert_int_equal(v, ok[i].v);
	}
}

static void mode_bad(void **state)
{
	static const char *const bad[] = {"", "8", "9", "0800", "1000", "1777", "4755", "7777",
					  "-1", "+7", " 7", "7 ", "0o7", "0x1", "rw", "77a", "77777"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned v = 12345;
		struct nserr e = {0};
		if (parse_mode(bad[i], &v, &e) != -1)
			fail_msg("parse_mode accepted '%s' as %o", bad[i], v);
		assert_int_equal(v, 12345);
		assert_string_equal(e.hint, "octal permission bits, 0 to 777, such as 600");
	}
}

static void mode_message(void **state)
{
	unsigned v;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(parse_mode("1777", &v, &e), -1);
	assert_string_equal(e.msg, "bad mode '1777'");
	assert_int_equal(parse_mode("6\n", &v, &e), -1);
	assert_string_equal(e.msg, "bad mode '6\\x0a'");
}

/* ---- check_abs_path ------------------------------------------------------------------ */

static void abs_path_ok(void **state)
{
	struct nserr e = {0};

	(void)state;
	assert_int_equal(check_abs_path("/", "mount point", &e), 0);
	assert_int_equal(check_abs_path("/tmp", "mount point", &e), 0);
	assert_int_equal(check_abs_path("/a/../b/./c/", "mount point", &e), 0);
	assert_int_equal(check_abs_path("//x", "mount point", &e), 0);
	assert_int_equal(check_abs_path("/实验", "mount point", &e), 0);
	assert_string_equal(e.msg, "");
}

static void abs_path_relative(void **state)
{
	static const char *const bad[] = {"", "tmp", "./tmp", "../tmp", " /tmp", "~/x"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nserr e = {0};
		char want[64];
		assert_int_equal(check_abs_path(bad[i], "mount point", &e), -1);
		snprintf(want, sizeof(want), "mount point '%s' is not an absolute path", bad[i]);
		assert_string_equal(e.msg, want);
		assert_string_equal(e.hint, "start it with /");
	}
}

static void abs_path_escaped(void **state)
{
	struct nserr e = {0};

	(void)state;
	assert_int_equal(check_abs_path("a\x1b]0;x\x07", "source", &e), -1);
	assert_string_equal(e.msg, "source 'a\\x1b]0;x\\x07' is not an absolute path");
}

static void abs_path_length(void **state)
{
	char *p = test_malloc(PATH_MAX + 2);
	struct nserr e = {0};
	char hint[64];

	(void)state;
	p[0] = '/';
	memset(p + 1, 'a', PATH_MAX);
	p[PATH_MAX - 1] = '\0'; /* PATH_MAX - 1 bytes: fits with its NUL */
	assert_int_equal(check_abs_path(p, "mount point", &e), 0);
	p[PATH_MAX - 1] = 'a';
	p[PATH_MAX] = '\0'; /* PATH_MAX bytes: too long */
	assert_int_equal(check_abs_path(p, "mount point", &e), -1);
	assert_string_equal(e.msg, "mount point is too long");
	snprintf(hint, sizeof(hint), "at most %d bytes", PATH_MAX - 1);
	assert_string_equal(e.hint, hint);
	test_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uts_name_ok),
		cmocka_unit_test(uts_name_too_long),
		cmocka_unit_test(uts_name_counts_bytes),
		cmocka_unit_test(uint_ok),
		cmocka_unit_test(uint_max_long),
		cmocka_unit_test(uint_bad),
		cmocka_unit_test(uint_message),
		cmocka_unit_test(size_plain),
		cmocka_unit_test(size_suffixes),
		cmocka_unit_test(size_suffix_spellings),
		cmocka_unit_test(size_bad),
		cmocka_unit_test(size_max),
		cmocka_unit_test(size_overflow),
		cmocka_unit_test(size_message),
		cmocka_unit_test(mode_ok),
		cmocka_unit_test(mode_bad),
		cmocka_unit_test(mode_message),
		cmocka_unit_test(abs_path_ok),
		cmocka_unit_test(abs_path_relative),
		cmocka_unit_test(abs_path_escaped),
		cmocka_unit_test(abs_path_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
