/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "nsinfo.h"
#include "labfs.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "trace.h"

static int count_lines(int dirfd, const char *path)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	char chunk[4096];
	ssize_t got;
	int n = 0;

	if (fd < 0)
		return -1;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		for (ssize_t i = 0; i < got; i++)
			n += chunk[i] == '\n';
	return n;
}

static void gather_ipc(struct ns_facts *f)
{
	struct msginfo mi;
	struct shm_info si;
	struct seminfo se;
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
		struct seminfo *__buf;
	} arg = {.__buf = &se};

	f->msg = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) >= 0 ? mi.msgpool : -1;
	f->shm = shmctl(0, SHM_INFO, (struct shmid_ds *)&si) >= 0 ? (int)si.used_ids : -1;
	f->sem = semctl(0, 0, SEM_INFO, arg) >= 0 ? se.semusz : -1;
}

static struct iface_fact *fact_for(struct ns_facts *f, const char *name)
{
	int n = f->ifaces < (int)ARRAY_SIZE(f->iface) ? f->ifaces : (int)ARRAY_SIZE(f->iface);

	for (int i = 0; i < n; i++)
		if (strcmp(f->iface[i].name, name) == 0)
			return &f->iface[i];
	return NULL;
}

static void add_ipv4(struct iface_fact *i, const struct ifaddrs *a)
{
	const struct sockaddr_in *in = (const void *)a->ifa_addr, *mask = (const void *)a->ifa_netmask;
	char addr[INET_ADDRSTRLEN];
	size_t len = strlen(i->ipv4);
	int n;

	if (!in || !inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr)))
		return;
	n = snprintf(i->ipv4 + len, sizeof(i->ipv4) - len, "%s%s/%d", len ? " " : "", addr,
		     mask ? __builtin_popcount(mask->sin_addr.s_addr) : 32);
	if (n < 0 || (size_t)n >= sizeof(i->ipv4) - len)
		i->ipv4[len] = '\0';
}

/* Links come first (AF_PACKET, in index order), then their addresses. */
static void gather_net(struct ns_facts *f)
{
	struct ifaddrs *all = NULL;
	size_t len = 0;

	f->ifaces = f->ifaces_up = 0;
	f->ifnames[0] = '\0';
	if (getifaddrs(&all) < 0)
		return;
	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET || fact_for(f, a->ifa_name))
			continue;
		if (f->ifaces < (int)ARRAY_SIZE(f->iface)) {
			struct iface_fact *i = &f->iface[f->ifaces];
			snprintf(i->name, sizeof(i->name), "%s", a->ifa_name);
			i->up = a->ifa_flags & IFF_UP;
		}
		f->ifaces_up += !!(a->ifa_flags & IFF_UP);
		f->ifaces++;
	}
	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		struct iface_fact *i = fact_for(f, a->ifa_name);
		if (i && a->ifa_addr && a->ifa_addr->sa_family == AF_INET)
			add_ipv4(i, a);
	}
	freeifaddrs(all);
	for (int k = 0; k < f->ifaces && k < (int)ARRAY_SIZE(f->iface); k++) {
		const struct iface_fact *i = &f->iface[k];
		int n = snprintf(f->ifnames + len, sizeof(f->ifnames) - len, "%s%s(%s%s%s)", len ? " " : "", i->name,
				 i->up ? "up" : "down", *i->ipv4 ? " " : "", i->ipv4);
		if (n > 0 && (size_t)n < sizeof(f->ifnames) - len)
			len += (size_t)n;
	}
}

static enum proc_kind gather_proc(void)
{
	struct statfs sf;

	if (statfs("/proc", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		return PROC_NONE;
	/* This process lives in the host's PID namespace: a /proc in which it
	 * can see itself lists the host's processes. */
	return access("/proc/self", F_OK) == 0 ? PROC_HOST : PROC_LAB;
}

/* The unified (v2) line of /proc/self/cgroup, else the first. */
static void cgroup_line(char *out, size_t size)
{
	char all[4096], *line;

	out[0] = '\0';
	if (read_small_file(host.proc, "self/cgroup", all, sizeof(all)) < 0)
		return;
	line = strstr(all, "0::");
	if (!line || (line != all && line[-1] != '\n'))
		line = all;
	snprintf(out, size, "%.*s", (int)strcspn(line, "\n"), line);
}

static void gather(struct ns_facts *f)
{
	struct utsname u;

	if (uname(&u) == 0) {
		snprintf(f->hostname, sizeof(f->hostname), "%s", u.nodename);
		snprintf(f->domainname, sizeof(f->domainname), "%s", u.domainname);
	}
	gather_ipc(f);
	gather_net(f);
	/* Through the host's /proc: "self" must name this process even when
	 * the lab's own /proc is mounted at /proc. */
	f->mounts = count_lines(host.proc, "self/mountinfo");
	f->proc = gather_proc();
	read_small_file(host.proc, "self/uid_map", f->uid_map, sizeof(f->uid_map));
	read_small_file(host.proc, "self/gid_map", f->gid_map, sizeof(f->gid_map));
	cgroup_line(f->cgroup, sizeof(f->cgroup));
}

static int gather_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	struct ns_facts f = {0};

	gather(&f);
	buf_add(out, (const char *)&f, sizeof(f));
	return 0;
}

int facts_lab(struct lab *lab, struct ns_facts *f, struct nserr *e)
{
	struct buf out = {0};
	int rc;

	if (!lab_isolated(lab)) {
		/* Nothing to enter: no need for a process. */
		facts_host(f);
		return 0;
	}
	/* Once a second while idle: a child that copies nslab's memory costs
	 * its page tables and a fault for each page nslab writes afterwards;
	 * gather() frees what it allocates and uses no stdio, so it may
	 * borrow it instead. */
	rc = UNTRACED(lab_call(lab, LAB_LIGHT, gather_in_lab, NULL, &out, e));
	if (rc == 0 && out.len == sizeof(*f))
		memcpy(f, out.s, sizeof(*f));
	else if (rc == 0)
		rc = nserr_set(e, EPROTO, _("could not gather the lab's facts"));
	buf_free(&out);
	lab_poll(lab);
	f->processes = lab_count_processes(lab);
	return rc;
}

void facts_host(struct ns_facts *f)
{
	*f = (struct ns_facts){0};
	gather(f);
}

const char *proc_kind_name(enum proc_kind k)
{
	static const char *const names[] = {N_("host"), N_("lab"), N_("other"), N_("none")};
	return names[k]; /* untranslated: JSON uses it; _() it for people */
}

/* The clock offsets: those of the lab's time namespace once it is made,
 * else those `unshare time` will write. */
static void time_detail(const struct lab *lab, bool iso, struct buf *b)
{
	static const char *const names[LAB_CLOCKS] = {"monotonic", "boottime"};
	const struct lab_fs *fs = lab->fs;
	int n = 0;

	for (int c = 0; fs && c < LAB_CLOCKS; c++)
		if (fs->clock_set[c])
			buf_printf(b, "%s%s %+llds", n++ ? ", " : "", names[c], fs->clock_sec[c]);
	if (n && !iso)
		buf_printf(b, _(" (for the next `unshare time`)"));
	else if (!n && iso)
		buf_printf(b, _("no clock offsets"));
}

/* "0     0   1" as "0 0 1": /proc's column padding helps no one here. */
static void squeeze_spaces(struct buf *b)
{
	size_t j = 0;

	for (size_t i = 0; i < b->len; i++)
		if (b->s[i] != ' ' || (j > 0 && b->s[j - 1] != ' '))
			b->s[j++] = b->s[i];
	b->len = j;
	b->s[j] = '\0';
}

void ns_detail(enum ns_type t, const struct lab *lab, const struct ns_facts *l, const struct ns_facts *h,
	       struct buf *out)
{
	bool iso = lab_isolated(lab) & NS_BIT(t);
	struct buf raw = {0}, *b = &raw;

	switch (t) {
	case NS_UTS:
		buf_printf(b, _("hostname %s, domain %s"), l->hostname, l->domainname);
		if (iso)
			buf_printf(b, _(" (host: %s)"), h->hostname);
		break;
	case NS_IPC:
		buf_printf(b, ngettext("%d queue", "%d queues", (unsigned long)l->msg), l->msg);
		buf_printf(b, _(", %d shm, %d sem"), l->shm, l->sem);
		if (iso)
			buf_printf(b, _(" (host: %d/%d/%d)"), h->msg, h->shm, h->sem);
		break;
	case NS_PID:
		if (!iso)
			buf_printf(b, _("the host's processes"));
		else if (lab->init_gone)
			buf_printf(b, _("PID 1 has ended: no new process can start"));
		else
			buf_printf(b, ngettext("PID 1 = host PID %d, %d process", "PID 1 = host PID %d, %d processes",
					       (unsigned long)l->processes),
				   (int)lab->init, l->processes);
		break;
	case NS_MNT:
		if (l->proc == PROC_LAB && !(lab_isolated(lab) & NS_BIT(NS_PID)))
			buf_printf(b, _("%d mounts, /proc is stale: its PID namespace is gone"), l->mounts);
		else
			buf_printf(b, _("%d mounts, /proc is %s"), l->mounts, _(proc_kind_name(l->proc)));
		break;
	case NS_NET:
		buf_printf(b, "%s", l->ifnames);
		if (iso)
			buf_printf(b, ngettext(" (host: %d link)", " (host: %d links)", (unsigned long)h->ifaces), h->ifaces);
		break;
	case NS_USER:
		buf_printf(b, _("uid_map %s"), l->uid_map);
		squeeze_spaces(b);
		break;
	case NS_CGROUP:
		buf_printf(b, "%s", l->cgroup);
		cgroup_summary(lab, b);
		break;
	case NS_TIME:
		time_detail(lab, iso, b);
		break;
	default:
		break;
	}
	/* Everything here may come from the lab: escape it once, at the end. */
	if (raw.s)
		escape_text(out, raw.s, raw.len);
	buf_free(&raw);
}
