/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clock offsets: parsing and printing, without privileges. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "labfs.h"

static void good_offsets(void **state)
{
	static const struct {
		const char *in;
		long long sec;
	} cases[] = {{"0", 0}, {"90", 90}, {"+90", 90}, {"-90", -90}, {"15m", 900}, {"-15m", -900},
		     {"2h", 7200}, {"3d", 259200}, {"7s", 7}, {"4611686018", LAB_CLOCK_MAX},
		     {"-4611686018s", -LAB_CLOCK_MAX}};
	struct nserr e = {0};
	long long sec;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse_clock_offset(cases[i].in, &sec, &e), 0);
		assert_true(sec == cases[i].sec);
	}
}

static void bad_offsets(void **state)
{
	static const char *const cases[] = {"", "-", "+", "x", "1x", "1.5", "1h2", "1hh", "+-3", "--3", " 3",
					    "3 ", "4611686019", "53376d", "99999999999999999999999", "1e3"};
	struct nserr e = {0};
	long long sec = 42;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		nserr_clear(&e);
		assert_int_equal(parse_clock_offset(cases[i], &sec, &e), -1);
		assert_non_null(strstr(e.msg, "bad offset"));
		assert_true(e.hint[0] != '\0');
		assert_true(sec == 42);
	}
}

static void printed_offsets(void **state)
{
	static const struct {
		long long sec;
		const char *out;
	} cases[] = {{0, "+0s"}, {90, "+1m30s"}, {-3600, "-1h"}, {86405, "+1d5s"}, {-LAB_CLOCK_MAX, "-53375d23h53m38s"}};
	char out[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		clock_offset_str(cases[i].sec, out, sizeof(out));
		assert_string_equal(out, cases[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_offsets),
		cmocka_unit_test(bad_offsets),
		cmocka_unit_test(printed_offsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
