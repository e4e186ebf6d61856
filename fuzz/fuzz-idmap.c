/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uid/gid maps (idmap_add), driven as `uidmap` is: each command of an
 * nslab line adds IN OUT COUNT triples to one map, as root ("root IN OUT
 * COUNT...") or as uid 1000 ("user ..."). A refused line changes nothing;
 * an accepted map is one the kernel's map_write() would take, and
 * idmap_to_inside agrees with it. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "userns.h"

static void check_map(const struct idmap *m, bool privileged)
{
	struct buf text = {0};

	FUZZ_ASSERT(m->n <= IDMAP_MAX_LINES);
	for (unsigned i = 0; i < m->n; i++) {
		const struct idmap_line *l = &m->line[i];
		FUZZ_ASSERT(l->count >= 1);
		FUZZ_ASSERT((uint64_t)l->in + l->count <= UINT32_MAX && (uint64_t)l->out + l->count <= UINT32_MAX);
		FUZZ_ASSERT(privileged || (m->n == 1 && l->out == 1000 && l->count == 1));
		for (unsigned k = 0; k < i; k++) {
			const struct idmap_line *o = &m->line[k];
			FUZZ_ASSERT((uint64_t)l->in + l->count <= o->in || (uint64_t)o->in + o->count <= l->in);
			FUZZ_ASSERT((uint64_t)l->out + l->count <= o->out || (uint64_t)o->out + o->count <= l->out);
		}
		FUZZ_ASSERT(idmap_to_inside(m, l->out) == l->in);
		FUZZ_ASSERT(idmap_to_inside(m, l->out + l->count - 1) == (int64_t)l->in + l->count - 1);
	}
	idmap_format(m, &text);
	FUZZ_ASSERT(text.len <= 4095);
	buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed p;
	struct idmap *m, *before;

	if (fuzz_parse(data, size, &p) < 0)
		return 0;
	m = xcalloc(1, sizeof(*m));
	before = xmalloc(sizeof(*before));
	for (size_t i = 0; i < p.n; i++) {
		const struct words *w = &p.cmds[i];
		struct idmap_rights r = {.privileged = true};
		struct nserr e = {0};
		if (w->argc == 0)
			continue;
		if (strcmp(w->argv[0], "user") == 0)
			r = (struct idmap_rights){.privileged = false, .self = 1000};
		*before = *m;
		if (idmap_add(m, w->argc - 1, w->argv + 1, "uid", &r, &e) < 0) {
			fuzz_check_error(&e);
			FUZZ_ASSERT(memcmp(before, m, sizeof(*m)) == 0);
			continue;
		}
		check_map(m, r.privileged);
		/* A map of two lines or more, accepted, that has 4242 in it. */
		for (int k = 1; k < w->argc; k++)
			FUZZ_CANARY_IF(m->n >= 2 && strcmp(w->argv[k], "4242") == 0);
	}
	free(before);
	free(m);
	parsed_free(&p);
	return 0;
}
