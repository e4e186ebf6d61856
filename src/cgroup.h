/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The lab's cgroups, on cgroup v1 or v2, chosen at run time per controller
 * from /proc/self/mountinfo and /proc/self/cgroup (see cgroup.c).
 *
 * A lab has no cgroup until it needs one: when a limit is first set, or at
 * `unshare cgroup` (so that the namespace's root is the lab's cgroup). Then
 * it gets a directory nslab.<PID>.<LAB> beside nslab's own cgroup, in
 * every hierarchy that carries memory, pids, cpu or cpuacct: a child of
 * the cgroup nslab runs in, so the lab stays inside whatever limits (or
 * delegation) nslab itself was given. Every process nslab starts in the lab
 * joins it before it joins any namespace; `reset`, `lab del` and every exit
 * path kill what is still inside and remove it; a later start removes what
 * a killed nslab left.
 */
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct lab;
struct buf;
struct json_object;

enum cg_ctl { CG_MEMORY, CG_PIDS, CG_CPU, CG_CTL_COUNT };

#define CG_UNLIMITED UINT64_MAX /* "max" */
#define CG_UNKNOWN (UINT64_MAX - 1)

/* One parsed `cgroup CTL VALUE`: bytes, processes, or percent of one CPU. */
struct cg_limit {
	enum cg_ctl ctl;
	uint64_t value;
};

/* What `cgroup`, status and the panel show; CG_UNKNOWN where unreadable. */
struct cg_usage {
	int version[CG_CTL_COUNT]; /* 1 or 2; 0: the controller is not available */
	uint64_t mem_current, mem_peak, mem_max, oom_kills;
	uint64_t pids_current, pids_max, forks_refused;
	uint64_t cpu_usec, cpu_quota, cpu_period, throttled;
};

/* At start: remove the cgroups that nslab runs which are gone left behind. */
void cgroup_sweep(void);

/* In a child nslab starts for the lab, before it joins any namespace:
 * move it into the lab's cgroups (nothing to do without). */
int cgroup_lab_join(const struct lab *lab, struct nserr *e);
/* Before `unshare cgroup`: give the lab its cgroup if one can be made, so
 * the new namespace's root is the lab's cgroup rather than nslab's. */
void cgroup_lab_for_ns(struct lab *lab);
/* nslab.<PID>.<LAB>, or NULL while the lab has no cgroup of its own. */
const char *cgroup_lab_name(const struct lab *lab);
/* Kill what is still inside and remove the lab's cgroups. True if it had. */
bool cgroup_lab_remove(struct lab *lab);

int cgroup_parse_limit(const char *ctl, const char *value, struct cg_limit *l, struct nserr *e);
/* Set a limit (making the cgroup first if need be); what was written, in
 * words, goes to SAID. */
int cgroup_lab_set(struct lab *lab, const struct cg_limit *l, struct buf *said, struct nserr *e);
void cgroup_lab_usage(const struct lab *lab, struct cg_usage *u);
/* Why a controller cannot be used here, or NULL if it can. */
const char *cgroup_unavailable(enum cg_ctl c);
const char *cgroup_ctl_name(enum cg_ctl c);
/* Every directory of the lab's cgroup, one a line. */
void cgroup_lab_dirs(const struct lab *lab, struct buf *b);
/* Where the hierarchy serving C is mounted ("/sys/fs/cgroup/memory"), or
 * NULL if none does: for `export`. */
const char *cgroup_mount_point(enum cg_ctl c);
/* Where the lab's cgroup for C is, for people: a path, or "". */
void cgroup_lab_path(const struct lab *lab, enum cg_ctl c, char *out, size_t size);

/* OOM kills in the lab so far (CG_UNKNOWN without a memory cgroup); with
 * the count taken before a program ran, how it ended in words. */
uint64_t cgroup_oom_kills(const struct lab *lab);
void cgroup_describe_status(const struct lab *lab, uint64_t ooms_before, int status, char *out, size_t size);

/* Usage against limits, for the status and panel row ("" without). */
void cgroup_summary(const struct lab *lab, struct buf *b);
void cgroup_json(const struct lab *lab, struct json_object *o);

/* Sizes for people: 64M, 1.5G, 512K, 100B. */
void cgroup_format_size(uint64_t n, char *out, size_t size);
