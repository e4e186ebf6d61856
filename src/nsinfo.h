/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lab.h"

/* What /proc is, seen from inside: the host's, one for the lab's own PID
 * namespace, some other, or nothing mounted there. */
enum proc_kind { PROC_HOST, PROC_LAB, PROC_OTHER, PROC_NONE };

/* The facts status and the panel show, gathered in one pass. */
struct ns_facts {
	char hostname[65];
	char domainname[65];
	int msg, shm, sem;	/* System V IPC objects */
	int mounts;
	enum proc_kind proc;
	int ifaces, ifaces_up;
	char ifnames[512];	/* "lo(down) eth0(up 10.77.1.2/24)" */
	struct iface_fact {
		char name[16];
		bool up;
		char ipv4[64];	/* "10.77.1.2/24 10.0.0.1/8" */
	} iface[16];		/* the first ifaces of them */
	char uid_map[128], gid_map[128];
	char cgroup[256];	/* this process's cgroup, as the namespace shows it */
	int processes;		/* in the lab's PID namespace (lab only) */
};

int facts_lab(struct lab *lab, struct ns_facts *f, struct nserr *e);
void facts_host(struct ns_facts *f);
const char *proc_kind_name(enum proc_kind k);
/* One line on what matters for the type: hostname, PID 1, mounts... */
struct buf;
void ns_detail(enum ns_type t, const struct lab *lab, const struct ns_facts *l, const struct ns_facts *h,
	       struct buf *b);
