/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The argument parsers, driven as the user drives them: an nslab line,
 * whose commands name the parser to call and give its arguments
 * ("size 4K; mode 755; ns uts ipc; cgroup memory 64M"). Each accepted
 * value is in its range; each refusal is one line of text. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "args.h"
#include "cgroup.h"
#include "fuzz.h"
#include "ns.h"

/* Arguments past the parser's name, or NULL. */
#define ARG(k) (w->argc > (k) ? w->argv[k] : NULL)

static int one_size(const struct words *w, struct nserr *e)
{
	uint64_t max = ARG(2) ? strtoull(ARG(2), NULL, 0) : UINT64_MAX, v = 0;

	if (!ARG(1) || parse_size(ARG(1), max, &v, e) < 0)
		return ARG(1) ? -1 : 0;
	FUZZ_ASSERT(v >= 1 && v <= max);
	FUZZ_CANARY_IF(v == (uint64_t)3 << 30 && strcmp(ARG(1), "3GiB") == 0);
	return 0;
}

static int one_mode(const struct words *w, struct nserr *e)
{
	unsigned v = 01000;

	if (!ARG(1) || parse_mode(ARG(1), &v, e) < 0)
		return ARG(1) ? -1 : 0;
	FUZZ_ASSERT(v <= 0777);
	return 0;
}

static int one_uint(const struct words *w, struct nserr *e)
{
	unsigned long max = ARG(2) ? strtoul(ARG(2), NULL, 0) : ULONG_MAX, v = 0;

	if (!ARG(1) || parse_uint(ARG(1), "number", max, &v, e) < 0)
		return ARG(1) ? -1 : 0;
	FUZZ_ASSERT(v <= max);
	return 0;
}

static int one_path(const struct words *w, struct nserr *e)
{
	if (!ARG(1) || check_abs_path(ARG(1), "path", e) < 0)
		return ARG(1) ? -1 : 0;
	FUZZ_ASSERT(ARG(1)[0] == '/' && strlen(ARG(1)) < PATH_MAX);
	return 0;
}

static int one_uts(const struct words *w, struct nserr *e)
{
	if (!ARG(1) || check_uts_name(ARG(1), e) < 0)
		return ARG(1) ? -1 : 0;
	FUZZ_ASSERT(strlen(ARG(1)) <= 64);
	return 0;
}

static int one_ns(const struct words *w, struct nserr *e)
{
	unsigned mask = ~0u;

	if (ns_parse_list(w->argc - 1, w->argv + 1, &mask, e) < 0)
		return -1;
	FUZZ_ASSERT((mask & ~(unsigned)NS_ALL) == 0);
	FUZZ_ASSERT((mask != 0) == (w->argc > 1));
	return 0;
}

static int one_cgroup(const struct words *w, struct nserr *e)
{
	struct cg_limit l;

	if (!ARG(2) || cgroup_parse_limit(ARG(1), ARG(2), &l, e) < 0)
		return ARG(2) ? -1 : 0;
	FUZZ_ASSERT(l.ctl < CG_CTL_COUNT);
	if (l.value == CG_UNLIMITED)
		FUZZ_ASSERT(strcmp(ARG(2), "max") == 0);
	else if (l.ctl == CG_MEMORY)
		FUZZ_ASSERT(l.value >= (uint64_t)1 << 20 && l.value <= (uint64_t)1 << 44);
	else if (l.ctl == CG_PIDS)
		FUZZ_ASSERT(l.value >= 1 && l.value <= 4194304);
	else
		FUZZ_ASSERT(l.value >= 1 && l.value <= 100 * (uint64_t)sysconf(_SC_NPROCESSORS_ONLN));
	return 0;
}

/* ---- the parsers, by the word that calls them ----------------------------
 * PLACE FOR THE PARSERS BEING WRITTEN ELSEWHERE: add a row (and a seed in
 * fuzz/corpus/args/) for
 *   "addr"    the network address parser (ADDRESS/PREFIX, v4 and v6), and
 *   "offset"  the clock offset parser of `unshare time` / the time commands,
 * each checking that what it accepts is in range and round-trips. */
static const struct {
	const char *word;
	int (*check)(const struct words *w, struct nserr *e);
} parsers[] = {
	{"size", one_size}, {"mode", one_mode}, {"uint", one_uint}, {"path", one_path},
	{"uts", one_uts},   {"ns", one_ns},	{"cgroup", one_cgroup},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed p;

	if (fuzz_parse(data, size, &p) < 0)
		return 0;
	for (size_t i = 0; i < p.n; i++) {
		const struct words *w = &p.cmds[i];
		for (size_t k = 0; w->argc && k < ARRAY_SIZE(parsers); k++) {
			struct nserr e = {0};
			if (strcmp(w->argv[0], parsers[k].word) == 0 && parsers[k].check(w, &e) < 0)
				fuzz_check_error(&e);
		}
	}
	parsed_free(&p);
	return 0;
}
