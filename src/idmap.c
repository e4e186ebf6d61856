/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uid and gid maps as data: parsed and checked the way the kernel's
 * map_write() will, so a bad map is refused before anything is made.
 * Pure functions, tested without privileges. */
#include "config.h"
#include "userns.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/* The kernel takes a map in one write of less than a page. */
#define MAP_TEXT_MAX 4095

static bool ranges_overlap(uint32_t a, uint32_t na, uint32_t b, uint32_t nb)
{
	return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

static int parse_line(char **argv, const char *what, struct idmap_line *l, struct nserr *e)
{
	unsigned long v[3];
	const char *names[3] = {_("inside id"), _("outside id"), _("count")};

	for (int i = 0; i < 3; i++)
		if (parse_uint(argv[i], names[i], UINT32_MAX - 1, &v[i], e) < 0)
			return -1;
	*l = (struct idmap_line){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2]};
	if (l->count == 0) {
		nserr_set(e, 0, _("%s map line '%s %s %s' maps nothing"), what, argv[0], argv[1], argv[2]);
		return nserr_hint(e, _("COUNT is at least 1"));
	}
	/* (uint32_t)-1 is no id at all: a range may not reach it. */
	if ((uint64_t)l->in + l->count > UINT32_MAX || (uint64_t)l->out + l->count > UINT32_MAX) {
		nserr_set(e, 0, _("%s map line '%s %s %s' goes past the largest %s, %" PRIu32), what, argv[0],
			  argv[1], argv[2], what, UINT32_MAX - 1);
		return nserr_hint(e, _("IN + COUNT and OUT + COUNT must stay below %" PRIu32), UINT32_MAX);
	}
	return 0;
}

static int check_rights(const struct idmap *m, const struct idmap_line *l, const char *what,
			const struct idmap_rights *r, struct nserr *e)
{
	if (r->privileged)
		return 0;
	if (l->out == r->self && l->count == 1 && m->n == 0)
		return 0;
	nserr_set(e, 0, _("without CAP_SET%s, nslab may map only your own %s, %" PRIu32 ", count 1: `%smap ID %" PRIu32 " 1`"),
		  strcmp(what, "uid") == 0 ? "UID" : "GID", what, r->self, what, r->self);
	return nserr_hint(e, _("nslab does not use new%smap(1) and /etc/sub%s; run it as root for wider maps"), what, what);
}

static int check_overlap(const struct idmap *m, const struct idmap_line *l, const char *what, struct nserr *e)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct idmap_line *o = &m->line[i];
		bool inside = ranges_overlap(l->in, l->count, o->in, o->count);
		if (!inside && !ranges_overlap(l->out, l->count, o->out, o->count))
			continue;
		nserr_set(e, 0, _("%s map line '%" PRIu32 " %" PRIu32 " %" PRIu32 "' overlaps '%" PRIu32 " %" PRIu32
				  " %" PRIu32 "' %s"),
			  what, l->in, l->out, l->count, o->in, o->out, o->count,
			  inside ? _("inside the namespace") : _("outside it"));
		return nserr_hint(e, _("each id may appear once on each side; `%smap clear` starts again"), what);
	}
	return 0;
}

int idmap_add(struct idmap *m, int argc, char **argv, const char *what, const struct idmap_rights *rights,
	      struct nserr *e)
{
	struct idmap *next;
	struct buf text = {0};

	if (argc == 0 || argc % 3) {
		nserr_set(e, 0, _("a %s map line is three numbers, IN OUT COUNT"), what);
		return nserr_hint(e, _("e.g. `%smap 0 100000 65536`"), what);
	}
	if (m->n + (unsigned)argc / 3 > IDMAP_MAX_LINES) {
		nserr_set(e, 0, _("a %s map has at most %d lines"), what, IDMAP_MAX_LINES);
		return nserr_hint(e, _("the kernel's limit; it has %u"), m->n);
	}
	next = xmalloc(sizeof(*next));
	*next = *m;
	for (int i = 0; i < argc; i += 3) {
		struct idmap_line l;
		if (parse_line(argv + i, what, &l, e) < 0 || check_rights(next, &l, what, rights, e) < 0 ||
		    check_overlap(next, &l, what, e) < 0) {
			free(next);
			return -1;
		}
		next->line[next->n++] = l;
	}
	idmap_format(next, &text);
	if (text.len > MAP_TEXT_MAX) {
		nserr_set(e, 0, _("the %s map would be %zu bytes long"), what, text.len);
		nserr_hint(e, _("the kernel takes at most %d bytes in its one write"), MAP_TEXT_MAX);
		buf_free(&text);
		free(next);
		return -1;
	}
	buf_free(&text);
	*m = *next;
	free(next);
	return 0;
}

void idmap_format(const struct idmap *m, struct buf *b)
{
	for (unsigned i = 0; i < m->n; i++)
		buf_printf(b, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n", m->line[i].in, m->line[i].out, m->line[i].count);
}

int64_t idmap_to_inside(const struct idmap *m, uint32_t outside)
{
	for (unsigned i = 0; i < m->n; i++)
		if (outside >= m->line[i].out && outside - m->line[i].out < m->line[i].count)
			return (int64_t)m->line[i].in + (outside - m->line[i].out);
	return -1;
}
