/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parse_line: words, quoting, commands, and the NUL byte refused wherever
 * it is (fuzz/fuzz-parse.c checks the rest at random). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static void words_and_quotes(void **state)
{
	static const char line[] = "! hostname 'a b' \"c\\\"d\" e\\ f; ipcs # note";
	struct parsed p;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(parse_line(line, sizeof(line) - 1, &p, &e), 0);
	assert_int_equal(p.n, 2);
	assert_true(p.cmds[0].negate);
	assert_int_equal(p.cmds[0].argc, 4);
	assert_string_equal(p.cmds[0].argv[1], "a b");
	assert_string_equal(p.cmds[0].argv[2], "c\"d");
	assert_string_equal(p.cmds[0].argv[3], "e f");
	assert_null(p.cmds[0].argv[4]);
	assert_string_equal(p.cmds[1].argv[0], "ipcs");
	parsed_free(&p);
}

/* A NUL used to end a quoted or escaped word early and silently. */
static void nul_refused(void **state)
{
	static const char *const lines[] = {"hostname a\0b", "hostname 'a\0b'", "hostname \"a\0b\"", "hostname a\\\0b"};
	static const size_t lens[] = {12, 14, 14, 13};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct parsed p;
		struct nserr e = {0};
		assert_int_equal(parse_line(lines[i], lens[i], &p, &e), -1);
		assert_string_equal(e.msg, "the line holds a NUL byte");
		assert_int_equal(p.n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(words_and_quotes),
		cmocka_unit_test(nul_refused),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
