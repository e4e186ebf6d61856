/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "err.h"

/*
 * The eight namespace types, in the order a process joins them. The user
 * namespace comes first in the table, but lab_join() tries it after the
 * others while it still holds the host's privileges, then retries what
 * failed: util-linux nsenter's two-pass rule. The mount namespace is joined
 * late because it changes the root and the working directory; time last
 * because it only takes effect for children.
 */
enum ns_type {
	NS_USER,
	NS_CGROUP,
	NS_IPC,
	NS_UTS,
	NS_NET,
	NS_PID,
	NS_MNT,
	NS_TIME,
	NS_COUNT
};

#define NS_BIT(t) (1u << (t))
#define NS_ALL ((1u << NS_COUNT) - 1)

struct ns_desc {
	const char *name;  /* as the user types it and as /proc/PID/ns names it */
	const char *alias; /* another accepted spelling, or NULL */
	int flag;	   /* CLONE_NEW* */
	const char *proc;  /* /proc/PID/ns link for a process's own namespace */
	const char *child_proc; /* the link that names it once unshared */
	const char *what;  /* one line: what it isolates */
};

extern const struct ns_desc ns_table[NS_COUNT];
/* The order the panel and status show them in: the order they are taught. */
extern const enum ns_type ns_show_order[NS_COUNT];

/* "uts", "mount", "all"...: OR the types named into *mask. */
int ns_parse(const char *word, unsigned *mask, struct nserr *e);
int ns_parse_list(int argc, char **argv, unsigned *mask, struct nserr *e);
/* "uts,pid" in show order, for prompts and messages; "" for none. */
void ns_mask_str(unsigned mask, char *out, size_t size);
int ns_count(unsigned mask);
