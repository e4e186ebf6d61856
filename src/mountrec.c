/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "mountrec.h"

#include <stdio.h>
#include <string.h>

#include "lab.h"

static void entry_free(struct mount_rec_entry *m)
{
	free(m->src);
	free(m->dst);
}

/* The last mount at DST still recorded, or -1. */
static long last_at(const struct mount_rec *r, const char *dst)
{
	for (size_t i = r->n; i-- > 0;)
		if (strcmp(r->e[i].kind, "umount") != 0 && strcmp(r->e[i].dst, dst) == 0)
			return (long)i;
	return -1;
}

void mountrec_note(struct lab *lab, const char *kind, const char *src, const char *dst)
{
	struct mount_rec *r = lab->mounts;
	long i;

	if (!r)
		r = lab->mounts = xcalloc(1, sizeof(*r));
	if (strcmp(kind, "umount") == 0 && (i = last_at(r, dst)) >= 0) {
		entry_free(&r->e[i]);
		memmove(&r->e[i], &r->e[i + 1], (r->n - (size_t)i - 1) * sizeof(r->e[0]));
		r->n--;
		return;
	}
	r->e = xrealloc(r->e, (r->n + 1) * sizeof(r->e[0]));
	struct mount_rec_entry *m = &r->e[r->n++];
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	m->src = src && strcmp(kind, "bind") == 0 ? xstrdup(src) : NULL;
	m->dst = xstrdup(dst);
	m->own_pid = lab_isolated(lab) & NS_BIT(NS_PID);
}

void mountrec_share(struct lab *lab, unsigned mask)
{
	struct mount_rec *r = lab->mounts;

	if (!r || !(mask & NS_BIT(NS_MNT)))
		return;
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->e[i]);
	free(r->e);
	free(r);
	lab->mounts = NULL;
}
