/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup limits as typed: parsed without privileges, refused in words. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cgroup.h"

static void good(void **state)
{
	struct cg_limit l;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(cgroup_parse_limit("memory", "64M", &l, &e), 0);
	assert_int_equal(l.ctl, CG_MEMORY);
	assert_true(l.value == (uint64_t)64 << 20);
	assert_int_equal(cgroup_parse_limit("memory", "1GiB", &l, &e), 0);
	assert_true(l.value == (uint64_t)1 << 30);
	assert_int_equal(cgroup_parse_limit("pids", "20", &l, &e), 0);
	assert_true(l.ctl == CG_PIDS && l.value == 20);
	assert_int_equal(cgroup_parse_limit("cpu", "50%", &l, &e), 0);
	assert_true(l.ctl == CG_CPU && l.value == 50);
	assert_int_equal(cgroup_parse_limit("cpu", "max", &l, &e), 0);
	assert_true(l.value == CG_UNLIMITED);
}

static void bad(void **state)
{
	static const char *const cases[][2] = {
		{"memory", "12Q"}, {"memory", "0"}, {"memory", "512K"}, {"memory", "-1"}, {"memory", "99999T"},
		{"pids", "0"}, {"pids", "-3"}, {"pids", "99999999"}, {"pids", "1.5"}, {"cpu", "0"},
		{"cpu", "101x"}, {"cpu", "100000"}, {"cpu", "%"}, {"disk", "5"}, {"memory", ""},
	};
	struct cg_limit l;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nserr e = {0};
		assert_int_equal(cgroup_parse_limit(cases[i][0], cases[i][1], &l, &e), -1);
		assert_true(e.msg[0] && e.hint[0]);
		assert_null(strchr(e.msg, '\n'));
	}
}

static void sizes(void **state)
{
	char s[32];

	(void)state;
	cgroup_format_size(100, s, sizeof(s));
	assert_string_equal(s, "100B");
	cgroup_format_size((uint64_t)64 << 20, s, sizeof(s));
	assert_string_equal(s, "64M");
	cgroup_format_size((uint64_t)3 << 29, s, sizeof(s));
	assert_string_equal(s, "1.5G");
	cgroup_format_size(CG_UNLIMITED, s, sizeof(s));
	assert_string_equal(s, "max");
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(bad),
		cmocka_unit_test(sizes),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
