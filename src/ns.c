/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ns.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const struct ns_desc ns_table[NS_COUNT] = {
	[NS_USER] = {"user", NULL, CLONE_NEWUSER, "user", "user", N_("user and group IDs, capabilities")},
	[NS_CGROUP] = {"cgroup", NULL, CLONE_NEWCGROUP, "cgroup", "cgroup", N_("the cgroup root seen in /proc/self/cgroup")},
	[NS_IPC] = {"ipc", NULL, CLONE_NEWIPC, "ipc", "ipc", N_("System V IPC objects and POSIX message queues")},
	[NS_UTS] = {"uts", NULL, CLONE_NEWUTS, "uts", "uts", N_("hostname and NIS domain name")},
	[NS_NET] = {"net", "network", CLONE_NEWNET, "net", "net", N_("network devices, addresses, routes, ports")},
	/* PID and time namespaces take effect for children only: the helper's
	 * own link still names the old one, the *_for_children link the new. */
	[NS_PID] = {"pid", NULL, CLONE_NEWPID, "pid", "pid_for_children", N_("process IDs")},
	[NS_MNT] = {"mnt", "mount", CLONE_NEWNS, "mnt", "mnt", N_("the mount table")},
	[NS_TIME] = {"time", NULL, CLONE_NEWTIME, "time", "time_for_children", N_("the monotonic and boot-time clocks")},
};

const enum ns_type ns_show_order[NS_COUNT] = {
	NS_UTS, NS_IPC, NS_PID, NS_MNT, NS_NET, NS_USER, NS_CGROUP, NS_TIME,
};

int ns_parse(const char *word, unsigned *mask, struct nserr *e)
{
	if (strcmp(word, "all") == 0) {
		*mask |= NS_ALL;
		return 0;
	}
	for (int t = 0; t < NS_COUNT; t++) {
		const struct ns_desc *d = &ns_table[t];
		if (strcmp(word, d->name) == 0 || (d->alias && strcmp(word, d->alias) == 0)) {
			*mask |= NS_BIT(t);
			return 0;
		}
	}
	_cleanup_free_ char *w = escaped(word);
	nserr_set(e, 0, _("unknown namespace '%s'"), w);
	return nserr_hint(e, _("one of: uts ipc pid mnt net user cgroup time, or all"));
}

int ns_parse_list(int argc, char **argv, unsigned *mask, struct nserr *e)
{
	*mask = 0;
	for (int i = 0; i < argc; i++)
		if (ns_parse(argv[i], mask, e) < 0)
			return -1;
	return 0;
}

void ns_mask_str(unsigned mask, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		if (!(mask & NS_BIT(t)))
			continue;
		int n = snprintf(out + len, size - len, "%s%s", len ? "," : "", ns_table[t].name);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
}

int ns_count(unsigned mask)
{
	return __builtin_popcount(mask & NS_ALL);
}
