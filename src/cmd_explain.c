/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain: the ideas behind each step, in the learner's language. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"

struct topic {
	const char *name;
	const char *title;
	const char *text;
};

/* TRANSLATORS: each text is one topic of `explain`; keep the system call
 * and file names as they are, and the lines under 76 columns. */
static const struct topic topics[] = {
	{"uts", N_("UTS namespace: the machine's names"),
	 N_("Isolates the hostname and the NIS domain name, the two names uname(2)\n"
	    "reports. Made with unshare(CLONE_NEWUTS); changed with sethostname(2)\n"
	    "and setdomainname(2); read from /proc/sys/kernel/hostname.\n"
	    "Try: unshare uts; hostname lab; compare hostname\n"
	    "Surprise: nothing else changes. The lab still sees every process, mount\n"
	    "and network device of the host: a container is many namespaces, not one.")},
	{"ipc", N_("IPC namespace: System V objects and POSIX queues"),
	 N_("Isolates System V message queues, shared memory and semaphores (msgget,\n"
	    "shmget, semget and their keys) and POSIX message queues (/dev/mqueue).\n"
	    "Made with unshare(CLONE_NEWIPC); listed in /proc/sysvipc/*.\n"
	    "Try: unshare ipc; ipcmk -Q; ipcs; host ipcs\n"
	    "Surprise: objects live as long as the namespace, not as long as the\n"
	    "process that made them; when the last process leaves, they are gone.")},
	{"pid", N_("PID namespace: process numbers"),
	 N_("Gives processes their own numbers: the first process is PID 1, and only\n"
	    "the processes inside are visible from inside (each process also keeps its\n"
	    "number in every parent namespace: see NSpid in /proc/PID/status).\n"
	    "Made with unshare(CLONE_NEWPID), which puts only the caller's later\n"
	    "children in it (the caller itself stays where it was), or clone(CLONE_NEWPID).\n"
	    "Try: unshare pid mnt; mount proc; ps -e\n"
	    "Surprises: ps and top read /proc, so they show the host's processes until\n"
	    "a new proc is mounted in a new mount namespace. When PID 1 dies, the\n"
	    "kernel kills every process in the namespace and refuses new ones (fork\n"
	    "fails with ENOMEM). See also: explain init")},
	{"mnt", N_("Mount namespace: the mount table"),
	 N_("Gives the lab its own copy of the mount table: mount(2) and umount(2)\n"
	    "in the lab change only the lab's table (/proc/self/mountinfo).\n"
	    "Made with unshare(CLONE_NEWNS), the first namespace Linux had (2002),\n"
	    "hence the flag's name: NEWNS, not NEWMNT.\n"
	    "Try: unshare mnt; mount tmpfs /mnt; mounts; host findmnt /mnt\n"
	    "Surprise: a copy is not a wall. With shared propagation, mounts made in\n"
	    "the lab appear on the host too. See also: explain propagation")},
	{"net", N_("Network namespace: devices, addresses, routes, ports"),
	 N_("Gives the lab its own network stack: interfaces, addresses, routing\n"
	    "tables, firewall rules, sockets and ports, /proc/net and /sys/class/net.\n"
	    "A new one holds only lo, and lo is down. Made with\n"
	    "unshare(CLONE_NEWNET); configured over netlink (RTM_NEWLINK, RTM_NEWADDR).\n"
	    "Surprise: a device belongs to exactly one namespace; to connect two,\n"
	    "use a pair of devices. See also: explain veth")},
	{"user", N_("User namespace: IDs and capabilities"),
	 N_("Gives the lab its own user and group IDs and its own capabilities: a\n"
	    "process can be root (UID 0, every capability) inside while it is an\n"
	    "ordinary user outside. Made with unshare(CLONE_NEWUSER), which needs no\n"
	    "privilege; other namespaces made inside it are owned by it, so an\n"
	    "ordinary user can make them too (rootless containers).\n"
	    "Surprise: capabilities inside count only for what the namespace owns:\n"
	    "root inside cannot change the host's hostname. See also: explain maps")},
	{"cgroup", N_("Cgroup namespace: the cgroup root"),
	 N_("Makes the process's current cgroup look like the root: /proc/self/cgroup\n"
	    "inside reads / instead of the long host path, and a cgroup filesystem\n"
	    "mounted inside shows only that subtree. Made with\n"
	    "unshare(CLONE_NEWCGROUP). It hides paths; it sets no limit.\n"
	    "See also: explain cgroups")},
	{"time", N_("Time namespace: the monotonic and boot-time clocks"),
	 N_("Lets the lab's CLOCK_MONOTONIC and CLOCK_BOOTTIME run with an offset, so\n"
	    "a container moved to another machine keeps its uptime. The wall clock\n"
	    "(CLOCK_REALTIME) is not namespaced. Made with unshare(CLONE_NEWTIME);\n"
	    "offsets go in /proc/PID/timens_offsets.\n"
	    "Surprises: like PID, it applies to children only; and the offsets can be\n"
	    "written only before the first process enters the namespace.")},
	{"cgroups", N_("Control groups: limits"),
	 N_("Namespaces decide what a process can see; cgroups decide how much it may\n"
	    "use. A cgroup is a directory under /sys/fs/cgroup: its files set limits\n"
	    "(memory.max, pids.max, cpu.max in v2; memory.limit_in_bytes,\n"
	    "pids.max, cpu.cfs_quota_us in v1) and writing a PID to cgroup.procs\n"
	    "moves a process in. Over the memory limit the OOM killer ends a process;\n"
	    "at the pids limit fork fails with EAGAIN. v1 has one hierarchy per\n"
	    "controller; v2 has one unified tree.")},
	{"overlay", N_("Overlay filesystem: layers"),
	 N_("overlayfs shows several directories as one: read-only lower layers and\n"
	    "one writable upper layer. Reading finds the topmost copy of a file;\n"
	    "writing copies the file up into the upper layer first; deleting leaves a\n"
	    "whiteout (a 0/0 character device) in the upper layer. An image is a stack\n"
	    "of lower layers; a container's changes are its upper layer, which is what\n"
	    "`docker diff` lists. Mount one with: mount -t overlay overlay\n"
	    "-o lowerdir=L,upperdir=U,workdir=W DIR")},
	{"pivot_root", N_("pivot_root and chroot: changing the root"),
	 N_("chroot(2) changes the directory a process resolves / from, nothing more:\n"
	    "the old root is still mounted, a process with CAP_SYS_CHROOT can get\n"
	    "out (chroot into a subdirectory, then walk up with ..), and open fds and\n"
	    "/proc/PID/root still reach the host's files.\n"
	    "pivot_root(2) makes a mount the root of the whole mount namespace and\n"
	    "moves the old root beneath it, where it can be unmounted (umount2 with\n"
	    "MNT_DETACH): afterwards the host's files are simply not there. That is\n"
	    "why container runtimes use pivot_root, in a new mount namespace.")},
	{"veth", N_("veth pairs: a cable between namespaces"),
	 N_("A veth pair is two network devices joined back to back: what goes in one\n"
	    "comes out of the other. Put one end in the lab's network namespace and\n"
	    "the other on the host (or in another lab), give both addresses in one\n"
	    "subnet, bring them up, and the two can ping. Made over netlink:\n"
	    "RTM_NEWLINK with kind \"veth\" and IFLA_NET_NS_FD for the peer's namespace.\n"
	    "Deleting either end deletes both; so does destroying a namespace.")},
	{"maps", N_("uid_map and gid_map: who is who"),
	 N_("/proc/PID/uid_map and gid_map translate IDs between a user namespace and\n"
	    "its parent, one range per line: ID-INSIDE ID-OUTSIDE COUNT. `0 1000 1`\n"
	    "makes UID 0 inside be UID 1000 outside. Each map can be written once, by\n"
	    "a process with CAP_SETUID (CAP_SETGID) over the namespace's parent; an\n"
	    "unprivileged process may map only its own ID, and must first write\n"
	    "`deny` to /proc/PID/setgroups before it may write gid_map (otherwise it\n"
	    "could drop a group that denies it access). Unmapped IDs show as 65534.")},
	{"init", N_("PID 1's duties"),
	 N_("The first process of a PID namespace is its init, which differs in three ways.\n"
	    "It adopts orphans: a process whose parent dies is re-parented to it, and\n"
	    "it must wait(2) for them or they stay zombies. Signals it has no handler\n"
	    "for are not delivered to it from inside the namespace, so `kill 1` does\n"
	    "nothing. And when it exits, the kernel sends SIGKILL to every process in\n"
	    "the namespace, which refuses any new process from then on.\n"
	    "nslab's init (nslab-init) ignores SIGCHLD so the kernel reaps for it.")},
	{"propagation", N_("Mount propagation: why a copy can leak"),
	 N_("Each mount is shared, private, slave or unbindable. A shared mount\n"
	    "passes mount and umount events to its peers, and a new mount namespace\n"
	    "starts with peers of the old one's mounts: with systemd, / is shared, so\n"
	    "mounting /proc in a fresh mount namespace would also cover the host's.\n"
	    "unshare(1) and nslab therefore call mount(NULL, \"/\", NULL,\n"
	    "MS_REC|MS_PRIVATE, NULL) first. See the optional fields (shared:N,\n"
	    "master:N) in /proc/self/mountinfo.")},
};

static const struct topic *find_topic(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
		if (strcmp(topics[i].name, name) == 0)
			return &topics[i];
	if (strcmp(name, "mount") == 0 || strcmp(name, "network") == 0)
		return find_topic(name[0] == 'm' ? "mnt" : "net");
	if (strcmp(name, "chroot") == 0)
		return find_topic("pivot_root");
	return NULL;
}

static int explain_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	const struct topic *t;

	if (argc == 1) {
		printf(_("Topics (`explain TOPIC`):\n"));
		for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
			printf("  %-12s %s\n", topics[i].name, _(topics[i].title));
		return 0;
	}
	if (!(t = find_topic(argv[1]))) {
		struct buf names = {0};
		for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
			buf_printf(&names, "%s%s", i ? " " : "", topics[i].name);
		_cleanup_free_ char *w = escaped(argv[1]);
		nserr_set(e, 0, _("explain: no topic '%s'"), w);
		nserr_hint(e, _("one of: %s"), names.s);
		buf_free(&names);
		return -1;
	}
	printf("%s\n\n%s\n", _(t->title), _(t->text));
	return 0;
}

static const char *const explain_words[] = {
	"uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time", "cgroups",
	"overlay", "pivot_root", "veth", "maps", "init", "propagation", NULL};

const struct command cmd_explain = {
	.name = "explain", .usage = "[TOPIC]",
	.help = N_("explain a namespace, cgroups, layers, pivot_root, veth, maps, PID 1, propagation"),
	.min_args = 0, .max_args = 1, .run = explain_run,
	.complete = COMPLETE_WORDS, .words = explain_words,
};
