/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by cgroup.c (hierarchies, the lab's directories) and
 * cgroup_ctl.c (limits and usage); nothing else includes this. */
#include "cgroup.h"

/* What a lab's cgroup is used for: the three controllers, and CPU time,
 * which v1 keeps in its own cpuacct controller and v2 in every cgroup's
 * cpu.stat. */
enum cg_kind { K_MEMORY = CG_MEMORY, K_PIDS = CG_PIDS, K_CPU = CG_CPU, K_CPUACCT, K_COUNT };
#define K_BIT(k) (1u << (k))

#define CG_MAX_HIER 6

/* A mounted hierarchy, seen from nslab's own cgroup in it. */
struct cg_hier {
	int version;
	int base;	    /* nslab's own cgroup in this hierarchy */
	unsigned kinds;	    /* what labs use it for; 0: only swept */
	char path[512];	    /* where that is, for people */
	char mount[256];    /* where the hierarchy is mounted */
};

/* What this machine offers, found once (cg_probe). */
struct cg_sys {
	bool probed;
	int n, v2;	       /* hierarchies; which one is v2 (-1: none) */
	struct cg_hier h[CG_MAX_HIER];
	int of[K_COUNT];       /* the hierarchy serving each kind, -1 */
	char why[K_COUNT][320];
	unsigned enabled;      /* v2 controllers nslab turned on in its cgroup */
	int leaf;	       /* v2: the leaf nslab moved itself into, or -1 */
	int labs;	       /* lab cgroups that exist */
};
extern struct cg_sys cg_sys;
extern const char *const cg_kind_names[K_COUNT];

void cg_probe(void);
/* v2: turn the labs' controllers on in nslab's cgroup.subtree_control;
 * and off again (nslab back in its cgroup) once no lab cgroup is left. */
int cg_v2_delegate(struct cg_hier *h, struct nserr *e);
void cg_v2_restore(void);

/* The lab's directory for a kind (-1: none) and its hierarchy's version. */
int cg_lab_dir(const struct lab *lab, enum cg_kind k, int *version);
/* The version serving a kind (0: none) and, if none, why. */
int cg_kind_version(enum cg_kind k);
const char *cg_kind_why(enum cg_kind k);
/* Give the lab its cgroups if it has none yet; the kinds in NEED must
 * work or nothing is made. */
int cg_lab_ensure(struct lab *lab, unsigned need, struct nserr *e);

/* Small cgroup files, opened beneath a directory fd nslab holds and never
 * through a symlink. "max" and v1's -1 read as CG_UNLIMITED. */
int cg_write(int dir, const char *file, const char *text);
int cg_read(int dir, const char *file, char *out, size_t size);
int cg_read_u64(int dir, const char *file, uint64_t *v);
/* "key value" lines (memory.events, cpu.stat...): the value of KEY. */
int cg_read_key(int dir, const char *file, const char *key, uint64_t *v);
