/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table and how a word finds its command. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "commands.h"

static const struct command *find(const char *word)
{
	struct nserr e = {0};
	const struct command *c = command_find(word, &e);

	if (!c)
		fail_msg("command_find('%s') failed: %s (%s)", word, e.msg, e.hint);
	return c;
}

static void expect_find(const char *word, const char *name)
{
	assert_string_equal(find(word)->name, name);
}

/* Expect no command, with exactly this message and hint. */
static void expect_miss(const char *word, const char *msg, const char *hint)
{
	struct nserr e = {0};

	if (command_find(word, &e) != NULL)
		fail_msg("command_find('%s') found a command", word);
	assert_string_equal(e.msg, msg);
	if (hint)
		assert_string_equal(e.hint, hint);
	assert_int_equal(e.err, 0);
}

/* ---- the table ------------------------------------------------------------------ */

static void table_entries_complete(void **state)
{
	(void)state;
	assert_true(command_count >= 18);
	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		assert_non_null(c);
		assert_non_null(c->name);
		assert_true(*c->name);
		assert_non_null(c->usage); /* "" for no arguments */
		assert_non_null(c->help);
		assert_true(*c->help);
		assert_non_null(c->run);
		assert_true(c->min_args >= 0);
		assert_true(c->max_args == -1 || c->max_args >= c->min_args);
		assert_true(c->max_args >= -1);
	}
}

static void table_names_unique(void **state)
{
	(void)state;
	/* Names and aliases together: no word may name two commands. */
	for (size_t i = 0; i < command_count; i++) {
		const struct command *a = command_table[i];
		if (a->alias)
			assert_string_not_equal(a->alias, a->name);
		for (size_t j = 0; j < i; j++) {
			const struct command *b = command_table[j];
			assert_ptr_not_equal(a, b);
			assert_string_not_equal(a->name, b->name);
			if (a->alias)
				assert_string_not_equal(a->alias, b->name);
			if (b->alias)
				assert_string_not_equal(b->alias, a->name);
			if (a->alias && b->alias)
				assert_string_not_equal(a->alias, b->alias);
		}
	}
}

static void table_text_shape(void **state)
{
	(void)state;
	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		/* Lower-case words that can be typed; one-line usage and help. */
		for (const char *p = c->name; *p; p++)
			assert_true(islower((unsigned char)*p));
		if (c->alias)
			for (const char *p = c->alias; *p; p++)
				assert_true(islower((unsigned char)*p));
		assert_null(strchr(c->usage, '\n'));
		assert_null(strchr(c->help, '\n'));
		/* help is one line, starting lower-case, without a final period. */
		assert_true(islower((unsigned char)c->help[0]));
		assert_int_not_equal(c->help[strlen(c->help) - 1], '.');
		/* A command that takes no arguments shows no usage. */
		if (c->max_args == 0)
			assert_string_equal(c->usage, "");
		else
			assert_true(*c->usage);
	}
}

static void table_word_lists(void **state)
{
	(void)state;
	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		if (c->complete == COMPLETE_WORDS || c->complete == COMPLETE_NS)
			assert_non_null(c->words);
		if (!c->words)
			continue;
		/* NULL-terminated, non-empty words. */
		size_t n = 0;
		for (; c->words[n]; n++) {
			assert_true(*c->words[n]);
			assert_true(n < 64);
		}
		assert_true(n > 0);
	}
}

static void table_expected_commands(void **state)
{
	static const char *const names[] = {
		"unshare", "share", "reset", "status", "hostname", "domainname", "mount", "umount", "mounts",
		"ipcmk", "ipcs", "ipcrm", "run", "host", "enter", "panel", "help", "quit",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		expect_find(names[i], names[i]);
}

/* ---- command_find: exact ------------------------------------------------------------ */

static void find_every_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < command_count; i++) {
		const struct command *c = command_table[i];
		assert_ptr_equal(find(c->name), c);
		if (c->alias)
			assert_ptr_equal(find(c->alias), c);
	}
}

static void find_alias_exit(void **state)
{
	(void)state;
	assert_ptr_equal(find("exit"), &cmd_quit);
	assert_ptr_equal(find("quit"), &cmd_quit);
}

static void exact_beats_prefix(void **state)
{
	(void)state;
	/* Each is also a prefix of a longer name. */
	assert_ptr_equal(find("mount"), &cmd_mount);
	assert_ptr_equal(find("host"), &cmd_host);
	assert_ptr_equal(find("share"), &cmd_share); /* and a suffix of unshare */
	assert_ptr_equal(find("ipcs"), &cmd_ipcs);
}

/* ---- command_find: prefixes ------------------------------------------------------------- */

static void unique_prefixes(void **state)
{
	(void)state;
	/* Prefixes long enough to stay unique as the table grows. */
	expect_find("unsh", "unshare");
	expect_find("hostn", "hostname");
	expect_find("hostnam", "hostname");
	expect_find("domain", "domainname");
	expect_find("umo", "umount");
	expect_find("ipcm", "ipcmk");
	expect_find("ipcr", "ipcrm");
	expect_find("stat", "status");
	expect_find("pan", "panel");
}

/* The candidates the table offers for WORD, in table order. */
static void candidates(const char *word, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < command_count; i++)
		if (strncmp(word, command_table[i]->name, strlen(word)) == 0)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "",
						command_table[i]->name);
}

static void expect_ambiguous(const char *word, const char *const *must)
{
	char msg[64], hint[512], list[480];

	candidates(word, list, sizeof(list));
	snprintf(msg, sizeof(msg), "'%s' is ambiguous", word);
	snprintf(hint, sizeof(hint), "it could be: %s", list);
	expect_miss(word, msg, hint);
	for (; *must; must++)
		assert_non_null(strstr(hint, *must));
}

static void ambiguous_prefixes(void **state)
{
	(void)state;
	expect_ambiguous("s", (const char *const[]){"share", "status", NULL});
	expect_ambiguous("h", (const char *const[]){"hostname", "host", "help", NULL});
	expect_ambiguous("ho", (const char *const[]){"hostname", "host", NULL});
	expect_ambiguous("ipc", (const char *const[]){"ipcmk", "ipcs", "ipcrm", NULL});
	expect_ambiguous("mo", (const char *const[]){"mount", "mounts", NULL});
	expect_ambiguous("moun", (const char *const[]){"mount", "mounts", NULL});
	expect_ambiguous("u", (const char *const[]){"unshare", "umount", NULL});
}

static void ambiguous_exact_list(void **state)
{
	(void)state;
	/* The hint names the candidates in table order, one blank apart. */
	expect_miss("ipc", "'ipc' is ambiguous", "it could be: ipcmk ipcs ipcrm");
	expect_miss("moun", "'moun' is ambiguous", "it could be: mount mounts");
}

static void every_prefix_consistent(void **state)
{
	(void)state;
	/* For every prefix of every name: either the one command starting
	 * with it, or an ambiguity that lists each candidate. */
	for (size_t i = 0; i < command_count; i++) {
		const char *name = command_table[i]->name;
		for (size_t len = 1; len <= strlen(name); len++) {
			char word[32];
			size_t matches = 0;
			struct nserr e = {0};
			snprintf(word, sizeof(word), "%.*s", (int)len, name);
			for (size_t j = 0; j < command_count; j++)
				matches += strncmp(word, command_table[j]->name, len) == 0;
			const struct command *c = command_find(word, &e);
			bool exact = false;
			for (size_t j = 0; j < command_count; j++)
				exact |= strcmp(word, command_table[j]->name) == 0;
			if (exact || matches == 1) {
				assert_non_null(c);
				assert_int_equal(strncmp(c->name, word, len), 0);
			} else {
				assert_null(c);
				assert_non_null(strstr(e.msg, "is ambiguous"));
				for (size_t j = 0; j < command_count; j++)
					if (strncmp(word, command_table[j]->name, len) == 0)
						assert_non_null(strstr(e.hint, command_table[j]->name));
			}
		}
	}
}

/* ---- command_find: unknown words --------------------------------------------------------- */

static void unknown_with_suggestion(void **state)
{
	(void)state;
	/* One edit from a command: a typo, not a prefix. */
	expect_miss("hostnme", "unknown command 'hostnme'",
		    "did you mean `hostname`? `help` lists the commands");
	expect_miss("unshre", "unknown command 'unshre'", "did you mean `unshare`? `help` lists the commands");
	expect_miss("staus", "unknown command 'staus'", "did you mean `status`? `help` lists the commands");
	expect_miss("mout", "unknown command 'mout'", "did you mean `mount`? `help` lists the commands");
	expect_miss("hlp", "unknown command 'hlp'", "did you mean `help`? `help` lists the commands");
	expect_miss("qit", "unknown command 'qit'", "did you mean `quit`? `help` lists the commands");
	expect_miss("ipcss", "unknown command 'ipcss'", "did you mean `ipcs`? `help` lists the commands");
	/* Two edits still suggest. */
	expect_miss("unsahre", "unknown command 'unsahre'", "did you mean `unshare`? `help` lists the commands");
}

static void unknown_without_suggestion(void **state)
{
	static const char *const hint = "`help` lists the commands; a program runs with `run PROGRAM`";

	(void)state;
	expect_miss("xyzzy", "unknown command 'xyzzy'", hint);
	expect_miss("frobnicate", "unknown command 'frobnicate'", hint);
	expect_miss("", "unknown command ''", hint);
}

static void unknown_is_case_sensitive(void **state)
{
	struct nserr e = {0};

	(void)state;
	assert_null(command_find("HELP", &e));
	assert_non_null(strstr(e.msg, "unknown command 'HELP'"));
	assert_null(command_find("Quit", &e));
}

static void unknown_long_word(void **state)
{
	char word[300];
	struct nserr e = {0};

	(void)state;
	/* Longer than the edit distance's row: no suggestion, no overflow. */
	memset(word, 'z', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	assert_null(command_find(word, &e));
	assert_non_null(strstr(e.msg, "unknown command 'zzz"));
	assert_string_equal(e.hint, "`help` lists the commands; a program runs with `run PROGRAM`");

	/* A long word that starts like a command is not a prefix of it. */
	memcpy(word, "status", 6);
	assert_null(command_find(word, &e));
}

static void unknown_word_escaped(void **state)
{
	(void)state;
	expect_miss("\x1b[2J", "unknown command '\\x1b[2J'", NULL);
	expect_miss("a\\b", "unknown command 'a\\\\b'", NULL);
}

/* ---- command_dispatch: argument counts ----------------------------------------------------- */

/* Dispatch ARGV (NULL-terminated) and expect a usage error before any
 * handler runs: the lab is NULL and must not be looked at. */
static void expect_usage_error(char **argv, const char *msg, const char *hint)
{
	int argc = 0;
	struct nserr e = {0};

	while (argv[argc])
		argc++;
	assert_int_equal(command_dispatch(NULL, argc, argv, &e), -1);
	assert_string_equal(e.msg, msg);
	assert_string_equal(e.hint, hint);
}

static void dispatch_too_many(void **state)
{
	char *quit[] = {"quit", "1", "2", NULL};
	char *reset[] = {"reset", "now", NULL};
	char *mounts[] = {"mounts", "-a", NULL};
	char *hostname[] = {"hostname", "a", "b", NULL};
	char *mount[] = {"mount", "bind", "/a", "/b", "/c", NULL};

	(void)state;
	/* A command without arguments shows no trailing blank in its usage. */
	expect_usage_error(quit, "quit: too many arguments", "usage: quit [CODE]");
	expect_usage_error(reset, "reset: too many arguments", "usage: reset");
	expect_usage_error(mounts, "mounts: too many arguments", "usage: mounts");
	expect_usage_error(hostname, "hostname: too many arguments", "usage: hostname [NAME]");
	expect_usage_error(mount, "mount: too many arguments", "usage: mount proc [DIR] | tmpfs DIR | bind SRC DST");
}

static void dispatch_missing(void **state)
{
	char *umount[] = {"umount", NULL};
	char *unshare[] = {"unshare", NULL};
	char *mount[] = {"mount", NULL};
	char *run[] = {"run", NULL};

	(void)state;
	/* `mount` is also a program on PATH: the command wins. */
	expect_usage_error(mount, "mount: missing argument", "usage: mount proc [DIR] | tmpfs DIR | bind SRC DST");
	expect_usage_error(umount, "umount: missing argument", "usage: umount DIR");
	expect_usage_error(unshare, "unshare: missing argument", "usage: unshare NS... | all");
	expect_usage_error(run, "run: missing argument", "usage: run PROGRAM [ARGS...]");
}

static void dispatch_alias_and_prefix(void **state)
{
	char *exit_[] = {"exit", "1", "2", NULL};
	char *hostn[] = {"hostn", "a", "b", NULL};

	(void)state;
	expect_usage_error(exit_, "quit: too many arguments", "usage: quit [CODE]");
	expect_usage_error(hostn, "hostname: too many arguments", "usage: hostname [NAME]");
}

static void dispatch_unknown(void **state)
{
	char *argv[] = {"nslab-no-such-command-or-program", NULL};
	char *amb[] = {"ipc", NULL};
	struct nserr e = {0};

	(void)state;
	assert_int_equal(command_dispatch(NULL, 1, argv, &e), -1);
	assert_string_equal(e.msg, "unknown command 'nslab-no-such-command-or-program'");
	assert_int_equal(command_dispatch(NULL, 1, amb, &e), -1);
	assert_string_equal(e.msg, "'ipc' is ambiguous");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_entries_complete),
		cmocka_unit_test(table_names_unique),
		cmocka_unit_test(table_text_shape),
		cmocka_unit_test(table_word_lists),
		cmocka_unit_test(table_expected_commands),
		cmocka_unit_test(find_every_name),
		cmocka_unit_test(find_alias_exit),
		cmocka_unit_test(exact_beats_prefix),
		cmocka_unit_test(unique_prefixes),
		cmocka_unit_test(ambiguous_prefixes),
		cmocka_unit_test(ambiguous_exact_list),
		cmocka_unit_test(every_prefix_consistent),
		cmocka_unit_test(unknown_with_suggestion),
		cmocka_unit_test(unknown_without_suggestion),
		cmocka_unit_test(unknown_is_case_sensitive),
		cmocka_unit_test(unknown_long_word),
		cmocka_unit_test(unknown_word_escaped),
		cmocka_unit_test(dispatch_too_many),
		cmocka_unit_test(dispatch_missing),
		cmocka_unit_test(dispatch_alias_and_prefix),
		cmocka_unit_test(dispatch_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
