/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error object: set, hint, prefix, format, and long text. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"

#define MSG_MAX (sizeof(((struct nserr *)0)->msg) - 1)
#define HINT_MAX (sizeof(((struct nserr *)0)->hint) - 1)

static char *repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- set, hint, clear ------------------------------------------------------------------ */

static void set_fills(void **state)
{
	struct nserr e = {0};

	(void)state;
	assert_int_equal(nserr_set(&e, ENOENT, "no %s at %d", "file", 3), -1);
	assert_int_equal(e.err, ENOENT);
	assert_string_equal(e.msg, "no file at 3");
	assert_string_equal(e.hint, "");
}

static void hint_fills(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, EPERM, "denied");
	assert_int_equal(nserr_hint(&e, "try %s", "root"), -1);
	assert_string_equal(e.hint, "try root");
	/* The hint leaves the rest alone. */
	assert_int_equal(e.err, EPERM);
	assert_string_equal(e.msg, "denied");
	nserr_hint(&e, "second");
	assert_string_equal(e.hint, "second");
}

static void set_drops_old_hint(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, EPERM, "first");
	nserr_hint(&e, "old hint");
	nserr_set(&e, 0, "second");
	assert_int_equal(e.err, 0);
	assert_string_equal(e.msg, "second");
	assert_string_equal(e.hint, "");
}

static void clear_empties(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, EIO, "x");
	nserr_hint(&e, "y");
	nserr_clear(&e);
	assert_int_equal(e.err, 0);
	assert_string_equal(e.msg, "");
	assert_string_equal(e.hint, "");
}

static void percent_is_text(void **state)
{
	struct nserr e = {0};
	char out[128];

	(void)state;
	/* Text that holds %: passed as an argument, it stays as it is. */
	nserr_set(&e, 0, "%s", "100%s %n");
	nserr_hint(&e, "%s", "%d%%");
	nserr_format(&e, out, sizeof(out));
	assert_string_equal(out, "100%s %n (%d%%)");
}

/* ---- long text ---------------------------------------------------------------------------- */

static void set_truncates(void **state)
{
	struct nserr e = {0};
	char *long_msg = repeat('m', 5000), *long_hint = repeat('h', 5000);

	(void)state;
	nserr_set(&e, 0, "%s", long_msg);
	assert_int_equal(strlen(e.msg), MSG_MAX);
	assert_memory_equal(e.msg, long_msg, MSG_MAX);
	nserr_hint(&e, "%s", long_hint);
	assert_int_equal(strlen(e.hint), HINT_MAX);
	assert_memory_equal(e.hint, long_hint, HINT_MAX);
	/* Exactly the room there is: kept whole. */
	long_msg[MSG_MAX] = '\0';
	nserr_set(&e, 0, "%s", long_msg);
	assert_string_equal(e.msg, long_msg);
	free(long_msg);
	free(long_hint);
}

/* ---- format --------------------------------------------------------------------------------- */

static void format_shapes(void **state)
{
	struct nserr e = {0};
	char out[512], want[512];

	(void)state;
	nserr_set(&e, 0, "bad mode '9'");
	nserr_format(&e, out, sizeof(out));
	assert_string_equal(out, "bad mode '9'");

	nserr_hint(&e, "octal");
	nserr_format(&e, out, sizeof(out));
	assert_string_equal(out, "bad mode '9' (octal)");

	nserr_set(&e, ENOENT, "mount /x");
	nserr_format(&e, out, sizeof(out));
	snprintf(want, sizeof(want), "mount /x: %s", strerror(ENOENT));
	assert_string_equal(out, want);

	nserr_hint(&e, "create it first");
	nserr_format(&e, out, sizeof(out));
	snprintf(want, sizeof(want), "mount /x: %s (create it first)", strerror(ENOENT));
	assert_string_equal(out, want);
}

static void format_without_message(void **state)
{
	struct nserr e = {0};
	char out[256], want[256];

	(void)state;
	nserr_format(&e, out, sizeof(out));
	assert_string_equal(out, "failed");
	e.err = EACCES;
	nserr_format(&e, out, sizeof(out));
	snprintf(want, sizeof(want), "failed: %s", strerror(EACCES));
	assert_string_equal(out, want);
	nserr_hint(&e, "h");
	nserr_format(&e, out, sizeof(out));
	snprintf(want, sizeof(want), "failed: %s (h)", strerror(EACCES));
	assert_string_equal(out, want);
}

static void format_english(void **state)
{
	struct nserr e = {0};
	char out[256];

	(void)state;
	/* In the C locale the text is known exactly. */
	nserr_set(&e, EPERM, "sethostname");
	nserr_hint(&e, "unshare uts first");
	nserr_format(&e, out, sizeof(out));
	assert_string_equal(out, "sethostname: Operation not permitted (unshare uts first)");
}

/* Format E into every size from 0 to one past its full length: never a
 * byte past SIZE, always terminated, always the start of the full text. */
static void assert_format_truncates(const struct nserr *e)
{
	char full[2048], out[2048 + 16];
	size_t len;

	nserr_format(e, full, sizeof(full));
	len = strlen(full);
	assert_true(len < sizeof(full) - 1);
	for (size_t size = 0; size <= len + 1; size++) {
		memset(out, '@', sizeof(out));
		nserr_format(e, out, size);
		for (size_t i = size; i < sizeof(out); i++)
			if (out[i] != '@')
				fail_msg("size %zu: byte %zu written", size, i);
		if (size == 0)
			continue;
		assert_non_null(memchr(out, '\0', size));
		assert_true(strlen(out) == (size - 1 < len ? size - 1 : len));
		assert_memory_equal(out, full, strlen(out));
	}
}

static void format_truncates(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, ENOENT, "mount proc /proc");
	nserr_hint(&e, "unshare mnt pid first");
	assert_format_truncates(&e);

	nserr_set(&e, 0, "no errno");
	nserr_hint(&e, "but a hint");
	assert_format_truncates(&e);

	nserr_set(&e, EINVAL, "no hint");
	assert_format_truncates(&e);

	nserr_clear(&e);
	assert_format_truncates(&e);
}

static void format_longest(void **state)
{
	struct nserr e = {0};
	char *m = repeat('m', 4000), *h = repeat('h', 4000);
	char out[1024], want[1024];

	(void)state;
	/* The longest message and hint, with an errno, into the 1024 bytes
	 * the script runner prints from. */
	nserr_set(&e, ENAMETOOLONG, "%s", m);
	nserr_hint(&e, "%s", h);
	nserr_format(&e, out, sizeof(out));
	snprintf(want, sizeof(want), "%.*s: %s (%.*s)", (int)MSG_MAX, m, strerror(ENAMETOOLONG), (int)HINT_MAX, h);
	assert_string_equal(out, want);
	assert_format_truncates(&e);
	free(m);
	free(h);
}

/* ---- prefix ------------------------------------------------------------------------------------- */

static void prefix_adds(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, ENOENT, "bad exit code 'x'");
	nserr_hint(&e, "0 to 255");
	assert_int_equal(nserr_prefix(&e, "quit"), -1);
	assert_string_equal(e.msg, "quit: bad exit code 'x'");
	/* errno and hint stay. */
	assert_int_equal(e.err, ENOENT);
	assert_string_equal(e.hint, "0 to 255");
}

static void prefix_twice(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_set(&e, 0, "msg");
	nserr_prefix(&e, "inner");
	nserr_prefix(&e, "outer");
	assert_string_equal(e.msg, "outer: inner: msg");
}

static void prefix_edge_cases(void **state)
{
	struct nserr e = {0};

	(void)state;
	nserr_prefix(&e, "cmd");
	assert_string_equal(e.msg, "cmd: ");
	nserr_set(&e, 0, "m");
	nserr_prefix(&e, "");
	assert_string_equal(e.msg, ": m");
	nserr_set(&e, 0, "m");
	nserr_prefix(&e, "100%s");
	assert_string_equal(e.msg, "100%s: m");
}

static void prefix_long_message(void **state)
{
	struct nserr e = {0};
	char *m = repeat('m', 4000);

	(void)state;
	nserr_set(&e, 0, "%s", m);
	assert_int_equal(strlen(e.msg), MSG_MAX);
	nserr_prefix(&e, "mount");
	assert_int_equal(strlen(e.msg), MSG_MAX);
	assert_memory_equal(e.msg, "mount: mmm", 10);
	assert_int_equal(e.msg[MSG_MAX - 1], 'm');
	free(m);
}

static void prefix_long_prefix(void **state)
{
	struct nserr e = {0};
	char *p = repeat('p', 4000);

	(void)state;
	nserr_set(&e, 0, "msg");
	nserr_prefix(&e, p);
	assert_int_equal(strlen(e.msg), MSG_MAX);
	assert_memory_equal(e.msg, p, MSG_MAX);
	/* One byte short of the room: the ": " is cut, nothing overflows. */
	p[MSG_MAX - 1] = '\0';
	nserr_set(&e, 0, "msg");
	nserr_prefix(&e, p);
	assert_int_equal(strlen(e.msg), MSG_MAX);
	assert_int_equal(e.msg[MSG_MAX - 1], ':');
	free(p);
}

static void prefix_just_fits(void **state)
{
	struct nserr e = {0};
	char *m = repeat('m', MSG_MAX - 5);

	(void)state;
	nserr_set(&e, 0, "%s", m);
	nserr_prefix(&e, "abc"); /* "abc: " is 5 bytes: exactly full */
	assert_int_equal(strlen(e.msg), MSG_MAX);
	assert_memory_equal(e.msg, "abc: ", 5);
	assert_memory_equal(e.msg + 5, m, MSG_MAX - 5);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_fills),
		cmocka_unit_test(hint_fills),
		cmocka_unit_test(set_drops_old_hint),
		cmocka_unit_test(clear_empties),
		cmocka_unit_test(percent_is_text),
		cmocka_unit_test(set_truncates),
		cmocka_unit_test(format_shapes),
		cmocka_unit_test(format_without_message),
		cmocka_unit_test(format_english),
		cmocka_unit_test(format_truncates),
		cmocka_unit_test(format_longest),
		cmocka_unit_test(prefix_adds),
		cmocka_unit_test(prefix_twice),
		cmocka_unit_test(prefix_edge_cases),
		cmocka_unit_test(prefix_long_message),
		cmocka_unit_test(prefix_long_prefix),
		cmocka_unit_test(prefix_just_fits),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
