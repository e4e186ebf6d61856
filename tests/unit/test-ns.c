/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The namespace table, names, lists, masks. */
#include "config.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ns.h"

#define SHOW_ALL "uts,ipc,pid,mnt,net,user,cgroup,time"

/* ---- the table ------------------------------------------------------------------ */

static void table_complete(void **state)
{
	(void)state;
	for (int t = 0; t < NS_COUNT; t++) {
		const struct ns_desc *d = &ns_table[t];
		assert_non_null(d->name);
		assert_true(*d->name);
		assert_non_null(d->proc);
		assert_non_null(d->child_proc);
		assert_non_null(d->what);
		assert_true(*d->what);
		assert_int_not_equal(d->flag, 0);
		/* A single CLONE_NEW* bit each, and no two alike. */
		assert_int_equal(__builtin_popcount((unsigned)d->flag), 1);
		for (int u = 0; u < t; u++) {
			assert_int_not_equal(ns_table[u].flag, d->flag);
			assert_string_not_equal(ns_table[u].name, d->name);
			if (d->alias) {
				assert_string_not_equal(ns_table[u].name, d->alias);
				if (ns_table[u].alias)
					assert_string_not_equal(ns_table[u].alias, d->alias);
			}
			if (ns_table[u].alias)
				assert_string_not_equal(ns_table[u].alias, d->name);
		}
		assert_string_not_equal(d->name, "all");
	}
}

static void table_flags(void **state)
{
	(void)state;
	assert_int_equal(ns_table[NS_USER].flag, CLONE_NEWUSER);
	assert_int_equal(ns_table[NS_CGROUP].flag, CLONE_NEWCGROUP);
	assert_int_equal(ns_table[NS_IPC].flag, CLONE_NEWIPC);
	assert_int_equal(ns_table[NS_UTS].flag, CLONE_NEWUTS);
	assert_int_equal(ns_table[NS_NET].flag, CLONE_NEWNET);
	assert_int_equal(ns_table[NS_PID].flag, CLONE_NEWPID);
	assert_int_equal(ns_table[NS_MNT].flag, CLONE_NEWNS);
	assert_int_equal(ns_table[NS_TIME].flag, 0x00000080); /* CLONE_NEWTIME */
	assert_string_equal(ns_table[NS_PID].child_proc, "pid_for_children");
	assert_string_equal(ns_table[NS_TIME].child_proc, "time_for_children");
	assert_string_equal(ns_table[NS_MNT].proc, "mnt");
}

static void show_order_is_permutation(void **state)
{
	unsigned seen = 0;

	(void)state;
	for (int i = 0; i < NS_COUNT; i++) {
		int t = (int)ns_show_order[i];
		assert_in_range(t, 0, NS_COUNT - 1);
		assert_false(seen & NS_BIT(t));
		seen |= NS_BIT(t);
	}
	assert_int_equal(seen, NS_ALL);
	assert_int_equal(ns_show_order[0], NS_UTS);
}

static void all_mask(void **state)
{
	(void)state;
	assert_int_equal(NS_COUNT, 8);
	assert_int_equal(NS_ALL, 0xffu);
}

/* ---- ns_parse --------------------------------------------------------------------- */

static void parse_names(void **state)
{
	static const struct {
		const char *word;
		enum ns_type t;
	} names[] = {
		{"user", NS_USER}, {"cgroup", NS_CGROUP}, {"ipc", NS_IPC}, {"uts", NS_UTS},
		{"net", NS_NET},   {"pid", NS_PID},	  {"mnt", NS_MNT}, {"time", NS_TIME},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned mask = 0;
		struct nserr e = {0};
		assert_int_equal(ns_parse(names[i].word, &mask, &e), 0);
		assert_int_equal(mask, NS_BIT(names[i].t));
	}
}

static void parse_aliases(void **state)
{
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse("mount", &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_MNT));
	mask = 0;
	assert_int_equal(ns_parse("network", &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_NET));
}

static void parse_all(void **state)
{
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse("all", &mask, &e), 0);
	assert_int_equal(mask, NS_ALL);
}

static void parse_ors_into_mask(void **state)
{
	unsigned mask = NS_BIT(NS_PID);
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse("uts", &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_PID) | NS_BIT(NS_UTS));
	assert_int_equal(ns_parse("uts", &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_PID) | NS_BIT(NS_UTS));
}

static void parse_unknown(void **state)
{
	static const char *const bad[] = {"", "UTS", "Uts", "ut", "utss", " uts", "uts ", "mnt,uts",
					  "ALL", "al", "none", "ns", "cgroups", "networks", "users"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned mask = NS_BIT(NS_IPC);
		struct nserr e = {0};
		char want[64];
		if (ns_parse(bad[i], &mask, &e) != -1)
			fail_msg("ns_parse accepted '%s'", bad[i]);
		assert_int_equal(mask, NS_BIT(NS_IPC)); /* unchanged */
		snprintf(want, sizeof(want), "unknown namespace '%s'", bad[i]);
		assert_string_equal(e.msg, want);
		assert_string_equal(e.hint, "one of: uts ipc pid mnt net user cgroup time, or all");
	}
}

static void parse_unknown_escaped(void **state)
{
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse("u\x1b[1mts", &mask, &e), -1);
	assert_string_equal(e.msg, "unknown namespace 'u\\x1b[1mts'");
}

/* ---- ns_parse_list ------------------------------------------------------------------ */

static void list_several(void **state)
{
	char *argv[] = {"uts", "pid", "mount", "network", NULL};
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse_list(4, argv, &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_UTS) | NS_BIT(NS_PID) | NS_BIT(NS_MNT) | NS_BIT(NS_NET));
}

static void list_resets_mask(void **state)
{
	char *argv[] = {"ipc", NULL};
	unsigned mask = NS_ALL;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse_list(1, argv, &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_IPC));
	assert_int_equal(ns_parse_list(0, argv, &mask, &e), 0);
	assert_int_equal(mask, 0);
}

static void list_all_and_duplicates(void **state)
{
	char *argv[] = {"uts", "all", "uts", "mnt", "mount", NULL};
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse_list(5, argv, &mask, &e), 0);
	assert_int_equal(mask, NS_ALL);
	assert_int_equal(ns_parse_list(2, argv + 3, &mask, &e), 0);
	assert_int_equal(mask, NS_BIT(NS_MNT));
}

static void list_stops_at_unknown(void **state)
{
	char *argv[] = {"uts", "bogus", "nope", NULL};
	unsigned mask = 0;
	struct nserr e = {0};

	(void)state;
	assert_int_equal(ns_parse_list(3, argv, &mask, &e), -1);
	/* The first bad word is the one reported. */
	assert_string_equal(e.msg, "unknown namespace 'bogus'");
}

/* ---- ns_mask_str ----------------------------------------------------------------------- */

static void mask_str_basic(void **state)
{
	char out[128];

	(void)state;
	ns_mask_str(0, out, sizeof(out));
	assert_string_equal(out, "");
	ns_mask_str(NS_BIT(NS_UTS), out, sizeof(out));
	assert_string_equal(out, "uts");
	ns_mask_str(NS_BIT(NS_TIME), out, sizeof(out));
	assert_string_equal(out, "time");
	ns_mask_str(NS_ALL, out, sizeof(out));
	assert_string_equal(out, SHOW_ALL);
}

static void mask_str_show_order(void **state)
{
	char out[128];

	(void)state;
	/* Show order, not table order: uts before pid before user. */
	ns_mask_str(NS_BIT(NS_USER) | NS_BIT(NS_PID) | NS_BIT(NS_UTS), out, sizeof(out));
	assert_string_equal(out, "uts,pid,user");
	ns_mask_str(NS_BIT(NS_NET) | NS_BIT(NS_MNT), out, sizeof(out));
	assert_string_equal(out, "mnt,net");
	ns_mask_str(NS_BIT(NS_CGROUP) | NS_BIT(NS_TIME) | NS_BIT(NS_IPC), out, sizeof(out));
	assert_string_equal(out, "ipc,cgroup,time");
}

static void mask_str_ignores_unknown_bits(void **state)
{
	char out[128];

	(void)state;
	ns_mask_str(~0u, out, sizeof(out));
	assert_string_equal(out, SHOW_ALL);
	ns_mask_str(1u << NS_COUNT, out, sizeof(out));
	assert_string_equal(out, "");
}

static void mask_str_every_mask(void **state)
{
	(void)state;
	/* Each mask's text parses back to the same mask. */
	for (unsigned mask = 0; mask <= NS_ALL; mask++) {
		char out[128], *save = NULL;
		unsigned back = 0;
		struct nserr e = {0};
		ns_mask_str(mask, out, sizeof(out));
		for (char *w = strtok_r(out, ",", &save); w; w = strtok_r(NULL, ",", &save))
			assert_int_equal(ns_parse(w, &back, &e), 0);
		assert_int_equal(back, mask);
	}
}

static void mask_str_small_buffer(void **state)
{
	const char *full = SHOW_ALL;
	size_t len = strlen(full);

	(void)state;
	/* Never writes past SIZE, always terminates, and what it writes is
	 * the start of the full text. */
	for (size_t size = 1; size <= len + 1; size++) {
		char out[64];
		memset(out, '@', sizeof(out));
		ns_mask_str(NS_ALL, out, size);
		assert_true(memchr(out, '\0', size) != NULL);
		for (size_t i = size; i < sizeof(out); i++)
			assert_int_equal(out[i], '@');
		assert_true(strlen(out) < size);
		assert_memory_equal(out, full, strlen(out));
	}
}

/* ---- ns_count ---------------------------------------------------------------------------- */

static void count(void **state)
{
	(void)state;
	assert_int_equal(ns_count(0), 0);
	assert_int_equal(ns_count(NS_BIT(NS_PID)), 1);
	assert_int_equal(ns_count(NS_BIT(NS_PID) | NS_BIT(NS_TIME) | NS_BIT(NS_USER)), 3);
	assert_int_equal(ns_count(NS_ALL), NS_COUNT);
	assert_int_equal(ns_count(~0u), NS_COUNT); /* bits past the table do not count */
	assert_int_equal(ns_count(1u << NS_COUNT), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_complete),
		cmocka_unit_test(table_flags),
		cmocka_unit_test(show_order_is_permutation),
		cmocka_unit_test(all_mask),
		cmocka_unit_test(parse_names),
		cmocka_unit_test(parse_aliases),
		cmocka_unit_test(parse_all),
		cmocka_unit_test(parse_ors_into_mask),
		cmocka_unit_test(parse_unknown),
		cmocka_unit_test(parse_unknown_escaped),
		cmocka_unit_test(list_several),
		cmocka_unit_test(list_resets_mask),
		cmocka_unit_test(list_all_and_duplicates),
		cmocka_unit_test(list_stops_at_unknown),
		cmocka_unit_test(mask_str_basic),
		cmocka_unit_test(mask_str_show_order),
		cmocka_unit_test(mask_str_ignores_unknown_bits),
		cmocka_unit_test(mask_str_every_mask),
		cmocka_unit_test(mask_str_small_buffer),
		cmocka_unit_test(count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
