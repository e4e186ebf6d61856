/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parse_line: commands, words, quotes, escapes, comments and `!`. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

/* Parse LINE (LEN bytes) and expect success. */
static struct parsed parse_len(const char *line, size_t len)
{
	struct parsed p;
	struct nserr e = {0};

	if (parse_line(line, len, &p, &e) != 0)
		fail_msg("parse of \"%s\" failed: %s (%s)", line, e.msg, e.hint);
	return p;
}

static struct parsed parse(const char *line)
{
	return parse_len(line, strlen(line));
}

/* Command I of P has NEGATE and exactly the ARGC words that follow. */
static void assert_cmd(const struct parsed *p, size_t i, bool negate, int argc, ...)
{
	va_list ap;

	assert_true(i < p->n);
	const struct words *w = &p->cmds[i];
	assert_int_equal(w->negate, negate);
	assert_int_equal(w->argc, argc);
	/* The header promises a NULL-terminated argv, also for no words. */
	assert_non_null(w->argv);
	va_start(ap, argc);
	for (int j = 0; j < argc; j++) {
		const char *want = va_arg(ap, const char *);
		assert_non_null(w->argv[j]);
		assert_string_equal(w->argv[j], want);
	}
	va_end(ap);
	assert_null(w->argv[argc]);
}

/* One command, not negated, of exactly the given words. */
#define ONE(line, ...)                                                                                                 \
	do {                                                                                                           \
		struct parsed p_ = parse(line);                                                                       \
		assert_int_equal(p_.n, 1);                                                                             \
		assert_cmd(&p_, 0, false, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),     \
			   __VA_ARGS__);                                                                               \
		parsed_free(&p_);                                                                                      \
	} while (0)

static void assert_empty(const char *line, size_t len)
{
	struct parsed p = parse_len(line, len);
	assert_int_equal(p.n, 0);
	assert_null(p.cmds);
	parsed_free(&p);
}

/* Expect failure; the output is empty and the message contains MSG. */
static void assert_fails(const char *line, size_t len, const char *msg, const char *hint)
{
	struct parsed p = {.n = 99};
	struct nserr e = {0};

	if (parse_line(line, len, &p, &e) != -1) {
		parsed_free(&p);
		fail_msg("parse of the %zu-byte line \"%s\" succeeded", len, line);
	}
	assert_int_equal(p.n, 0);
	assert_null(p.cmds);
	assert_non_null(strstr(e.msg, msg));
	if (hint)
		assert_string_equal(e.hint, hint);
	parsed_free(&p);
}

/* ---- nothing to run ----------------------------------------------------- */

static void empty_line(void **state)
{
	(void)state;
	assert_empty("", 0);
}

static void only_blanks(void **state)
{
	(void)state;
	assert_empty("   ", 3);
	assert_empty(" \t\r\n\v\f ", 7);
}

static void only_comment(void **state)
{
	(void)state;
	assert_empty("#", 1);
	assert_empty("# a comment", 11);
	assert_empty("   # indented", 13);
	/* A comment runs to the end of the line, past any `;`. */
	assert_empty("# a ; b", 7);
}

static void only_semicolons(void **state)
{
	(void)state;
	assert_empty(";", 1);
	assert_empty(";;", 2);
	assert_empty(" ; ; ;", 6);
}

/* ---- words and commands --------------------------------------------------- */

static void single_word(void **state)
{
	(void)state;
	ONE("status", "status");
	ONE("  status  ", "status");
}

static void several_words(void **state)
{
	(void)state;
	ONE("unshare uts ipc", "unshare", "uts", "ipc");
	ONE("a  b\tc\r\nd", "a", "b", "c", "d");
	ONE("a\vb\fc", "a", "b", "c");
}

static void semicolons_split_commands(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("unshare uts; hostname lab;status");
	assert_int_equal(p.n, 3);
	assert_cmd(&p, 0, false, 2, "unshare", "uts");
	assert_cmd(&p, 1, false, 2, "hostname", "lab");
	assert_cmd(&p, 2, false, 1, "status");
	parsed_free(&p);
}

static void empty_commands_dropped(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("a;;b");
	assert_int_equal(p.n, 2);
	assert_cmd(&p, 0, false, 1, "a");
	assert_cmd(&p, 1, false, 1, "b");
	parsed_free(&p);

	p = parse(";a;");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, false, 1, "a");
	parsed_free(&p);

	p = parse(" ; a ; ; b c ; ");
	assert_int_equal(p.n, 2);
	assert_cmd(&p, 0, false, 1, "a");
	assert_cmd(&p, 1, false, 2, "b", "c");
	parsed_free(&p);
}

static void length_not_nul_bounds_line(void **state)
{
	struct parsed p;

	(void)state;
	/* Only LEN bytes are read: the rest of the string is not the line. */
	p = parse_len("a b c", 3);
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, false, 2, "a", "b");
	parsed_free(&p);

	/* Unterminated within LEN, even if the string closes it later. */
	assert_fails("'ab'", 3, "unterminated quote", NULL);
}

/* ---- comments ------------------------------------------------------------- */

static void trailing_comment(void **state)
{
	struct parsed p;

	(void)state;
	ONE("hostname lab # set it", "hostname", "lab");
	ONE("a #b; c", "a");
	ONE("a\t#b", "a");

	p = parse("a; # b ; c");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, false, 1, "a");
	parsed_free(&p);

	p = parse("a;# b");
	assert_int_equal(p.n, 1);
	parsed_free(&p);
}

static void hash_inside_word(void **state)
{
	(void)state;
	/* `#` only starts a comment at the start of a word. */
	ONE("a#b", "a#b");
	ONE("echo x# y", "echo", "x#", "y");
	ONE("'#'", "#");
	ONE("\"#\"", "#");
	ONE("\\#x", "#x");
	ONE("''#x", "#x");
}

/* ---- quotes --------------------------------------------------------------- */

static void single_quotes(void **state)
{
	(void)state;
	ONE("'a b'", "a b");
	ONE("echo 'a  ;  b'", "echo", "a  ;  b");
	/* Everything inside '...' is literal, backslash and " included. */
	ONE("'a\\b'", "a\\b");
	ONE("'a\\'", "a\\");
	ONE("'a\"b'", "a\"b");
	ONE("'# no comment'", "# no comment");
}

static void double_quotes(void **state)
{
	(void)state;
	ONE("\"a b\"", "a b");
	ONE("\"a;b\"", "a;b");
	ONE("\"a'b\"", "a'b");
	ONE("\"# no comment\"", "# no comment");
}

static void escaped_quote_in_double_quotes(void **state)
{
	(void)state;
	ONE("\"a\\\"b\"", "a\"b");
	ONE("\"\\\"\"", "\"");
	ONE("\"a\\\\b\"", "a\\b");
	ONE("\"a\\\\\"", "a\\");
	/* Other backslashes stay, as in the shell. */
	ONE("\"a\\nb\"", "a\\nb");
	ONE("\"a\\'b\"", "a\\'b");
	ONE("\"\\$x\"", "\\$x");
}

static void empty_quotes_make_empty_words(void **state)
{
	(void)state;
	ONE("''", "");
	ONE("\"\"", "");
	ONE("a ''", "a", "");
	ONE("hostname \"\" x", "hostname", "", "x");
	ONE("'' ''", "", "");
}

static void quotes_adjacent_to_text(void **state)
{
	(void)state;
	ONE("a\"b\"'c'", "abc");
	ONE("'a'b\"c\"d", "abcd");
	ONE("x'a b'y", "xa by");
	ONE("pre\"\"post", "prepost");
	ONE("a''b c", "ab", "c");
}

static void unterminated_single_quote(void **state)
{
	(void)state;
	assert_fails("'", 1, "unterminated quote (')", "close it with a '");
	assert_fails("echo 'abc", 9, "unterminated quote (')", "close it with a '");
	assert_fails("a\"b\" 'c", 7, "unterminated quote (')", NULL);
}

static void unterminated_double_quote(void **state)
{
	(void)state;
	assert_fails("\"", 1, "unterminated quote (\")", "close it with a \"");
	assert_fails("echo \"abc", 9, "unterminated quote (\")", "close it with a \"");
	/* An escaped quote does not close. */
	assert_fails("\"abc\\\"", 6, "unterminated quote (\")", NULL);
}

static void error_discards_whole_line(void **state)
{
	(void)state;
	/* Nothing of a line that does not parse is run: not even the
	 * commands before the bad one. */
	assert_fails("status; hostname x; echo 'oops", 30, "unterminated", NULL);
	assert_fails("a b c d e f; g h 'i", 19, "unterminated", NULL);
}

/* ---- backslash outside quotes ---------------------------------------------- */

static void backslash_escapes(void **state)
{
	(void)state;
	ONE("a\\ b", "a b");
	ONE("a\\;b", "a;b");
	ONE("\\'", "'");
	ONE("\\\"", "\"");
	ONE("\\\\", "\\");
	ONE("\\a", "a");
	ONE("a\\\tb", "a\tb");
}

static void trailing_backslash_is_literal(void **state)
{
	(void)state;
	ONE("a\\", "a\\");
	ONE("\\", "\\");
	ONE("a \\", "a", "\\");
}

/* ---- `!` --------------------------------------------------------------------- */

static void bang_negates(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("! hostname");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, true, 1, "hostname");
	parsed_free(&p);

	p = parse("  !\tmount tmpfs relative/dir");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, true, 3, "mount", "tmpfs", "relative/dir");
	parsed_free(&p);
}

static void bang_per_command(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("! a x; b; !c; ! d");
	assert_int_equal(p.n, 4);
	assert_cmd(&p, 0, true, 2, "a", "x");
	assert_cmd(&p, 1, false, 1, "b");
	assert_cmd(&p, 2, false, 1, "!c");
	assert_cmd(&p, 3, true, 1, "d");
	parsed_free(&p);
}

static void bang_only_leading(void **state)
{
	(void)state;
	ONE("!cmd", "!cmd");
	ONE("a !", "a", "!");
	ONE("a ! b", "a", "!", "b");
	ONE("!!", "!!");
}

static void escaped_or_quoted_bang_is_literal(void **state)
{
	(void)state;
	/* As in the shell: a quoted or escaped `!` is a plain word, not the
	 * request to fail. */
	ONE("\\!", "!");
	ONE("'!'", "!");
	ONE("\"!\" x", "!", "x");
}

static void double_bang(void **state)
{
	struct parsed p;

	(void)state;
	/* Only the first `!` negates; a second is the command's name. */
	p = parse("! ! x");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, true, 2, "!", "x");
	parsed_free(&p);
}

static void lone_bang(void **state)
{
	static const char *const lines[] = {"!", "  !  ", "!;", "! # nothing", "! ;"};

	(void)state;
	/* A command of no words that asks to fail: kept, so that the runner
	 * can say "`!` needs a command after it". */
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct parsed p = parse(lines[i]);
		assert_int_equal(p.n, 1);
		assert_true(p.cmds[0].negate);
		assert_int_equal(p.cmds[0].argc, 0);
		parsed_free(&p);
	}
}

static void lone_bang_argv_terminated(void **state)
{
	struct parsed p;

	(void)state;
	/* struct words promises a NULL-terminated argv, even with argc 0. */
	p = parse("!");
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, true, 0);
	parsed_free(&p);
}

static void bang_then_next_command(void **state)
{
	struct parsed p;

	(void)state;
	p = parse("!; a");
	assert_int_equal(p.n, 2);
	assert_true(p.cmds[0].negate);
	assert_int_equal(p.cmds[0].argc, 0);
	assert_cmd(&p, 1, false, 1, "a");
	parsed_free(&p);
}

/* ---- bytes ------------------------------------------------------------------- */

static void nul_byte_rejected(void **state)
{
	(void)state;
	assert_fails("a\0b", 3, "NUL byte", "commands are text");
	assert_fails("\0", 1, "NUL byte", NULL);
	assert_fails("status; a\0", 10, "NUL byte", NULL);
}

static void nul_byte_in_quotes_rejected(void **state)
{
	(void)state;
	/* The line is rejected wherever the NUL is: a word must not be cut
	 * short silently by a NUL inside quotes. */
	assert_fails("'a\0b'", 5, "NUL byte", NULL);
	assert_fails("\"a\0b\"", 5, "NUL byte", NULL);
}

static void nul_byte_after_backslash_rejected(void **state)
{
	(void)state;
	assert_fails("a\\\0b", 4, "NUL byte", NULL);
	assert_fails("\"\\\0\"", 4, "NUL byte", NULL);
}

static void high_bytes_kept(void **state)
{
	char line[128 + 1];
	struct parsed p;

	(void)state;
	for (int i = 0; i < 128; i++)
		line[i] = (char)(0x80 + i);
	line[128] = '\0';
	p = parse_len(line, 128);
	assert_int_equal(p.n, 1);
	assert_cmd(&p, 0, false, 1, line);
	parsed_free(&p);

	/* 0xa0 (no-break space in Latin-1) and 0x85 (NEL) are not blanks. */
	ONE("a\xa0" "b \x85", "a\xa0" "b", "\x85");
	ONE("hostname 实验室", "hostname", "实验室");
	ONE("'ü \xff'", "ü \xff");
}

static void control_bytes_kept(void **state)
{
	(void)state;
	/* Control bytes other than blanks are word content; escaping them
	 * for the screen is the printer's job. */
	ONE("a\x1b[2Jb", "a\x1b[2Jb");
	ONE("\x01\x7f", "\x01\x7f");
}

/* ---- size ---------------------------------------------------------------------- */

static void one_mib_word(void **state)
{
	size_t n = 1 << 20;
	char *line = test_malloc(n + 1);
	struct parsed p;

	(void)state;
	memset(line, 'a', n);
	line[n] = '\0';
	p = parse_len(line, n);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.cmds[0].argc, 1);
	assert_int_equal(strlen(p.cmds[0].argv[0]), n);
	assert_memory_equal(p.cmds[0].argv[0], line, n);
	parsed_free(&p);
	test_free(line);
}

/* Lines of many short words or commands. parse_line grows its arrays one
 * element at a time; glibc's realloc hides that with mremap, sanitizers
 * copy every time and make it quadratic (minutes for 1 MiB), so a
 * sanitizer build tries a smaller line. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
#define MANY_BYTES (16u << 10)
#else
#define MANY_BYTES (1u << 20)
#endif

static void one_mib_of_words(void **state)
{
	size_t n = MANY_BYTES;
	char *line = test_malloc(n);
	struct parsed p;

	(void)state;
	for (size_t i = 0; i < n; i += 2) {
		line[i] = 'x';
		line[i + 1] = ' ';
	}
	p = parse_len(line, n);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.cmds[0].argc, (int)(n / 2));
	assert_string_equal(p.cmds[0].argv[n / 2 - 1], "x");
	assert_null(p.cmds[0].argv[n / 2]);
	parsed_free(&p);
	test_free(line);
}

static void one_mib_of_commands(void **state)
{
	size_t n = MANY_BYTES;
	char *line = test_malloc(n);
	struct parsed p;

	(void)state;
	for (size_t i = 0; i < n; i += 2) {
		line[i] = 'y';
		line[i + 1] = ';';
	}
	p = parse_len(line, n);
	assert_int_equal(p.n, n / 2);
	assert_cmd(&p, n / 2 - 1, false, 1, "y");
	parsed_free(&p);

	memset(line, ';', n);
	assert_empty(line, n);
	test_free(line);
}

static void one_mib_quoted_unterminated(void **state)
{
	size_t n = 1 << 20;
	char *line = test_malloc(n);

	(void)state;
	memset(line, 'q', n);
	line[0] = '"';
	assert_fails(line, n, "unterminated quote (\")", NULL);
	test_free(line);
}

/* ---- parsed_free ------------------------------------------------------------------ */

static void parsed_free_resets(void **state)
{
	struct parsed p = {0};

	(void)state;
	parsed_free(&p); /* an empty result is fine to free */
	p = parse("a b; c");
	parsed_free(&p);
	assert_int_equal(p.n, 0);
	assert_null(p.cmds);
	parsed_free(&p); /* and twice */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_line),
		cmocka_unit_test(only_blanks),
		cmocka_unit_test(only_comment),
		cmocka_unit_test(only_semicolons),
		cmocka_unit_test(single_word),
		cmocka_unit_test(several_words),
		cmocka_unit_test(semicolons_split_commands),
		cmocka_unit_test(empty_commands_dropped),
		cmocka_unit_test(length_not_nul_bounds_line),
		cmocka_unit_test(trailing_comment),
		cmocka_unit_test(hash_inside_word),
		cmocka_unit_test(single_quotes),
		cmocka_unit_test(double_quotes),
		cmocka_unit_test(escaped_quote_in_double_quotes),
		cmocka_unit_test(empty_quotes_make_empty_words),
		cmocka_unit_test(quotes_adjacent_to_text),
		cmocka_unit_test(unterminated_single_quote),
		cmocka_unit_test(unterminated_double_quote),
		cmocka_unit_test(error_discards_whole_line),
		cmocka_unit_test(backslash_escapes),
		cmocka_unit_test(trailing_backslash_is_literal),
		cmocka_unit_test(bang_negates),
		cmocka_unit_test(bang_per_command),
		cmocka_unit_test(bang_only_leading),
		cmocka_unit_test(escaped_or_quoted_bang_is_literal),
		cmocka_unit_test(double_bang),
		cmocka_unit_test(lone_bang),
		cmocka_unit_test(lone_bang_argv_terminated),
		cmocka_unit_test(bang_then_next_command),
		cmocka_unit_test(nul_byte_rejected),
		cmocka_unit_test(nul_byte_in_quotes_rejected),
		cmocka_unit_test(nul_byte_after_backslash_rejected),
		cmocka_unit_test(high_bytes_kept),
		cmocka_unit_test(control_bytes_kept),
		cmocka_unit_test(one_mib_word),
		cmocka_unit_test(one_mib_of_words),
		cmocka_unit_test(one_mib_of_commands),
		cmocka_unit_test(one_mib_quoted_unterminated),
		cmocka_unit_test(parsed_free_resets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
