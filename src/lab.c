/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "child.h"
#include "procmount.h"
#include "mountrec.h"
#include "harden.h"
#include "userns.h"
#include "labnet.h"
#include "labfs.h"
#include "trace.h"

struct host host = {.proc = -1, .lifeline = {-1, -1}};

/* Lab inits by host PID, for lab_emergency_kill() in a signal handler. */
static volatile pid_t emergency_pids[64];

static void emergency_add(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(emergency_pids); i++)
		if (!emergency_pids[i]) {
			emergency_pids[i] = pid;
			return;
		}
}

static void emergency_del(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(emergency_pids); i++)
		if (emergency_pids[i] == pid)
			emergency_pids[i] = 0;
}

void lab_emergency_kill(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(emergency_pids); i++)
		if (emergency_pids[i] > 0)
			kill(emergency_pids[i], SIGKILL);
}

int host_init(struct nserr *e)
{
	struct stat st;

	host.uid = getuid();
	host.gid = getgid();
	host.admin = harden_have_cap(CAP_SYS_ADMIN);
	harden_save_cpus();
	if (!getcwd(host.cwd, sizeof(host.cwd)))
		strcpy(host.cwd, "/");
	host.proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host.proc < 0)
		return nserr_set(e, errno, _("cannot open /proc"));
	/* The directory once, rather than /proc/self walked eight times. */
	_cleanup_close_ int dir = openat(host.proc, "self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int t = 0; t < NS_COUNT; t++) {
		host.fd[t] = dir < 0 ? -1 : openat(dir, ns_table[t].proc, O_RDONLY | O_CLOEXEC);
		if (host.fd[t] < 0 || fstat(host.fd[t], &st) < 0)
			return nserr_set(e, errno, _("cannot open /proc/self/ns/%s"), ns_table[t].proc);
		host.ino[t] = st.st_ino;
	}
	if (pipe2(host.lifeline, O_CLOEXEC) < 0)
		return nserr_set(e, errno, "pipe2");
	return 0;
}

void lab_init(struct lab *lab, const char *name)
{
	*lab = (struct lab){0};
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	lab->procfd = -1;
	for (int t = 0; t < NS_COUNT; t++) {
		lab->fd[t] = -1;
		lab->ino[t] = host.ino[t];
	}
}

unsigned lab_isolated(const struct lab *lab)
{
	unsigned mask = 0;

	for (int t = 0; t < NS_COUNT; t++)
		if (lab->fd[t] >= 0 && lab->ino[t] != host.ino[t])
			mask |= NS_BIT(t);
	return mask;
}

ino_t lab_ino(const struct lab *lab, enum ns_type t)
{
	return lab->fd[t] >= 0 ? lab->ino[t] : host.ino[t];
}

/* ---- the helper that makes namespaces ----------------------------------- */

enum helper_kind { HELPER_USER_READY = 1, HELPER_DONE, HELPER_ERROR };

struct helper_msg {
	int kind;
	pid_t init;
	unsigned mask; /* which fds follow, in table order */
	struct nserr e;
};

static int send_msg(int sock, const struct helper_msg *m, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * NS_COUNT)];
		struct cmsghdr align;
	} u = {0};
	struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (nfds > 0) {
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		if (!c) /* not with the room given above; for the analyzer */
			return -1;
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -1;
}

static ssize_t recv_msg(int sock, struct helper_msg *m, int *fds, int *nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * NS_COUNT)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	ssize_t n;

	*nfds = 0;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); n > 0 && c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			*nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)*nfds);
		}
	return n;
}

static char *title_area;
static size_t title_len;

void lab_set_title_area(char *start, size_t len)
{
	title_area = start;
	title_len = len;
}

/* The lab's PID 1: reaps orphans (SIGCHLD ignored means the kernel reaps
 * them) and ends, taking the PID namespace with it, once nslab is gone. */
static _noreturn_ void init_main(void)
{
	struct sigaction sa = {.sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT};
	struct pollfd pfd = {.fd = 0, .events = POLLIN};

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "nslab-init");
	if (title_area && title_len > 0) {
		memset(title_area, 0, title_len);
		snprintf(title_area, title_len, "nslab-init");
	}
	harden_drop_inherited_caps();
	sigaction(SIGCHLD, &sa, NULL);
	setsid();
	if (chdir("/") < 0)
		_exit(1);
	/* Keep only the lifeline, as fd 0: nothing of nslab's stays open here. */
	if (host.lifeline[0] != 0 && dup2(host.lifeline[0], 0) < 0)
		_exit(1);
	close_range(1, ~0U, 0);
	for (;;)
		if (poll(&pfd, 1, -1) > 0 && (pfd.revents & (POLLHUP | POLLERR)))
			_exit(0);
}

/* Born as the lab's PID 1, the helper starts with copies of nslab's fds:
 * the host's namespaces, its terminal. It closes them before it says it
 * is done, so that no lab process (there is none before that word) ever
 * finds them in /proc/1/fd: only the lifeline, the socket and the fds it
 * is about to send stay. */
static void keep_only(int sock, const int *fds, int nfds)
{
	int keep[NS_COUNT + 2], n = 0;
	unsigned lo = 0;

	keep[n++] = host.lifeline[0];
	keep[n++] = sock;
	for (int i = 0; i < nfds; i++)
		keep[n++] = fds[i];
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

static int helper_fail(int sock, pid_t init, struct nserr *e)
{
	struct helper_msg m = {.kind = HELPER_ERROR, .init = init, .e = *e};
	send_msg(sock, &m, NULL, 0);
	_exit(1);
}

/* BORN: the namespaces this process was cloned into, none for a plain
 * helper. Born into a new PID namespace, it is the lab's PID 1 itself. */
static _noreturn_ void helper_main(const struct lab *lab, unsigned mask, unsigned born, int sock)
{
	struct helper_msg m = {0};
	struct nserr e = {0};
	int fds[NS_COUNT], nfds = 0, flags = 0;
	pid_t init = 0;
	char go;

	child_reset_signals();
	if (lab_join(lab, &e) < 0)
		helper_fail(sock, 0, &e);
	if (mask & NS_BIT(NS_USER)) {
		if (!(born & NS_BIT(NS_USER)) && TRACE(unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)") < 0)
			helper_fail(sock, 0, (nserr_set(&e, errno, "unshare(CLONE_NEWUSER)"), &e));
		int self = userns_map_self(lab, &e);
		if (self < 0)
			helper_fail(sock, 0, &e);
		m.kind = HELPER_USER_READY;
		/* Else nslab writes our uid_map and gid_map, then says go. */
		if (!self && (send_msg(sock, &m, NULL, 0) < 0 || read(sock, &go, 1) != 1))
			_exit(1);
		userns_become_root();
	}
	for (int t = 0; t < NS_COUNT; t++)
		if (t != NS_USER && (mask & ~born & NS_BIT(t)))
			flags |= ns_table[t].flag;
	if (flags && TRACE(unshare(flags), "unshare(%s)", trace_ns_flags((unsigned)flags)) < 0)
		helper_fail(sock, 0, (nserr_set(&e, errno, "unshare"), &e));
	/* Before the init's clone below: a fork into it freezes them. */
	if ((mask & NS_BIT(NS_TIME)) && labfs_write_clocks(lab, &e) < 0)
		helper_fail(sock, 0, &e);
	/* As unshare(1) does: nothing mounted in the lab propagates back. */
	if ((mask & NS_BIT(NS_MNT)) && TRACE(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL),
					     "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)") < 0)
		helper_fail(sock, 0, (nserr_set(&e, errno, _("cannot make the lab's mounts private")), &e));
	if ((mask & ~born) & NS_BIT(NS_PID)) {
		int ready[2];
		char c;
		if (pipe2(ready, O_CLOEXEC) < 0)
			helper_fail(sock, 0, (nserr_set(&e, errno, "pipe2"), &e));
		/* CLONE_PARENT: the init is nslab's child, not ours, so it
		 * outlives this helper and nslab can wait for it. */
		init = TRACE_FORK((pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL),
				  "clone(CLONE_PARENT|SIGCHLD)");
		if (init < 0)
			helper_fail(sock, 0, (nserr_set(&e, errno, _("cannot start the lab's PID 1")), &e));
		if (init == 0)
			init_main();
		/* The init starts with copies of nslab's fds (the host's
		 * namespaces among them): no lab process may find them in
		 * /proc/1/fd. Its close_range() ends the pipe for us. */
		close(ready[1]);
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		close(ready[0]);
	}
	test_pause("helper:after-unshare");
	for (int t = 0; t < NS_COUNT; t++) {
		char path[64];
		if (!(mask & NS_BIT(t)))
			continue;
		/* Born into it, this process is in it; else it holds only
		 * for the children (pid, time). */
		snprintf(path, sizeof(path), "self/ns/%s",
			 (born & NS_BIT(t)) ? ns_table[t].proc : ns_table[t].child_proc);
		fds[nfds] = openat(host.proc, path, O_RDONLY | O_CLOEXEC);
		if (fds[nfds++] < 0) {
			nserr_set(&e, errno, _("cannot open the new %s namespace"), ns_table[t].name);
			if (init > 0)
				kill(init, SIGKILL);
			helper_fail(sock, init, &e);
		}
	}
	m = (struct helper_msg){.kind = HELPER_DONE, .init = init, .mask = mask};
	if (born & NS_BIT(NS_PID))
		keep_only(sock, fds, nfds);
	if (send_msg(sock, &m, fds, nfds) < 0)
		_exit(1);
	if (born & NS_BIT(NS_PID))
		init_main();
	_exit(0);
}

static void adopt_fds(struct lab *lab, unsigned mask, const int *fds, pid_t init)
{
	struct stat st;
	int i = 0;

	for (int t = 0; t < NS_COUNT; t++) {
		if (!(mask & NS_BIT(t)))
			continue;
		if (lab->fd[t] >= 0)
			close(lab->fd[t]);
		lab->fd[t] = fds[i++];
		lab->ino[t] = fstat(lab->fd[t], &st) == 0 ? st.st_ino : 0;
		/* Made by a helper inside the lab's user namespace, whether
		 * that one is new or was joined: owned by it. */
		if (t != NS_USER && lab->fd[NS_USER] >= 0)
			lab->owned_by_user |= NS_BIT(t);
		else if (t != NS_USER)
			lab->owned_by_user &= ~NS_BIT(t);
	}
	if (mask & NS_BIT(NS_PID)) {
		lab->init = init;
		lab->init_gone = false;
		emergency_add(init);
	}
}

/* Talk to the helper until it hands over the namespaces or fails. */
static int helper_converse(struct lab *lab, unsigned mask, int sock, pid_t helper, struct nserr *e)
{
	struct helper_msg m;
	int fds[NS_COUNT], nfds;

	for (;;) {
		ssize_t n = recv_msg(sock, &m, fds, &nfds);
		if (n != (ssize_t)sizeof(m))
			return nserr_set(e, n < 0 ? errno : 0, _("the namespace helper ended unexpectedly"));
		if (m.kind == HELPER_USER_READY) {
			if (userns_write_maps(lab, helper, e) < 0)
				return -1;
			test_pause("unshare:after-maps");
			if (write(sock, "g", 1) != 1)
				return nserr_set(e, errno, _("the namespace helper ended unexpectedly"));
			continue;
		}
		if (m.kind == HELPER_ERROR) {
			if (m.init > 0)
				waitpid(m.init, NULL, 0);
			*e = m.e;
			return -1;
		}
		if (m.kind != HELPER_DONE || m.mask != mask || nfds != ns_count(mask)) {
			for (int i = 0; i < nfds; i++)
				close(fds[i]);
			return nserr_set(e, EPROTO, _("the namespace helper answered nonsense"));
		}
		adopt_fds(lab, mask, fds, m.init);
		return 0;
	}
}

/* A fresh lab that gets a PID namespace: clone() the helper straight into
 * the new namespaces, and it stays on as the lab's PID 1 (one process
 * instead of two). Not when the new namespaces must be made from inside
 * others (the lab already isolates something), a cgroup namespace must
 * be rooted in the lab's cgroup, or time offsets go in first. */
static unsigned born_with(const struct lab *lab, unsigned mask)
{
	if (!(mask & NS_BIT(NS_PID)) || lab_isolated(lab) || (mask & (NS_BIT(NS_CGROUP) | NS_BIT(NS_TIME))))
		return 0;
	return mask;
}

int lab_unshare(struct lab *lab, unsigned mask, struct nserr *e)
{
	int sv[2], rc, status, flags = 0;
	unsigned born = born_with(lab, mask);
	pid_t helper;

	if (mask & NS_BIT(NS_CGROUP))
		cgroup_lab_for_ns(lab); /* the helper joins it: the namespace's root */
	for (int t = 0; t < NS_COUNT; t++)
		if (born & NS_BIT(t))
			flags |= ns_table[t].flag;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return nserr_set(e, errno, "socketpair");
	fflush(NULL);
	helper = TRACE_FORK(born ? harden_clone(flags) : harden_fork(), "clone(%s)",
			    born ? trace_clone_flags((unsigned)flags | SIGCHLD) : TRACE_FORK_FLAGS);
	if (helper < 0) {
		close(sv[0]);
		close(sv[1]);
		return nserr_set(e, errno, "fork");
	}
	if (helper == 0) {
		close(sv[0]);
		helper_main(lab, mask, born, sv[1]);
	}
	close(sv[1]);
	test_pause("unshare:after-fork");
	rc = helper_converse(lab, mask, sv[0], helper, e);
	if (rc == 0)
		test_pause("unshare:after-helper");
	close(sv[0]);
	/* It is the lab's init now: nslab waits for it at the end. */
	if (rc == 0 && born) {
		lab->init = helper;
		emergency_add(helper);
		return 0;
	}
	if (rc < 0)
		kill(helper, SIGKILL);
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	return rc;
}

/* Every process (nslab aside) in one of the lab's namespaces of the types
 * in MASK: FN is called with its host PID. Returns how many. */
static int scan_members(const struct lab *lab, unsigned mask, void (*fn)(pid_t pid), struct stat *st)
{
	_cleanup_close_ int fd = -1;
	DIR *d;
	struct dirent *de;
	char path[300];
	pid_t self = getpid();
	int n = 0;

	mask &= lab_isolated(lab);
	if (!mask)
		return 0;
	fd = openat(host.proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd)))
		return 0;
	fd = -1;
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid <= 0 || pid == self)
			continue;
		for (int t = 0; t < NS_COUNT; t++) {
			if (!(mask & NS_BIT(t)))
				continue;
			snprintf(path, sizeof(path), "%s/ns/%s", de->d_name, ns_table[t].proc);
			if (fstatat(dirfd(d), path, st, 0) == 0 && st->st_ino == lab->ino[t]) {
				n++;
				if (fn)
					fn(pid);
				break;
			}
		}
	}
	closedir(d);
	return n;
}

static void kill_member(pid_t pid)
{
	TRACE(kill(pid, SIGKILL), "kill(%d, SIGKILL)", (int)pid);
}

/* Counting through the lab's own proc lists the lab's processes only; the
 * host's /proc lists everything, with a stat per process to sort it. */
int lab_count_processes(struct lab *lab)
{
	struct stat st;
	int fd, n = 0;
	DIR *d;
	struct dirent *de;

	if (lab->fd[NS_PID] < 0)
		return 0;
	if (lab->procfd < 0 && lab->init > 0)
		lab->procfd = detached_proc(lab->fd[NS_PID]);
	if (lab->procfd < 0 || (fd = openat(lab->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    !(d = fdopendir(fd)))
		return scan_members(lab, NS_BIT(NS_PID), NULL, &st);
	while ((de = readdir(d)))
		n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	closedir(d);
	return n;
}

/* ---- giving namespaces back ---------------------------------------------- */

static void end_init(struct lab *lab)
{
	int status;

	if (lab->init <= 0)
		return;
	if (!lab->init_gone) {
		TRACE(kill(lab->init, SIGKILL), "kill(%d, SIGKILL)", (int)lab->init);
		while (waitpid(lab->init, &status, 0) < 0 && errno == EINTR)
			;
	}
	emergency_del(lab->init);
	lab->init = 0;
	lab->init_gone = false;
	if (lab->procfd >= 0)
		close(lab->procfd);
	lab->procfd = -1;
}

int lab_share(struct lab *lab, unsigned mask, int *ended, struct nserr *e)
{
	unsigned keep = lab_isolated(lab) & ~mask & lab->owned_by_user;

	if (ended)
		*ended = 0;
	/* Without host privilege nslab reaches the lab's namespaces only
	 * through the lab's user namespace: it must go last. */
	if ((mask & NS_BIT(NS_USER)) && keep && geteuid() != 0) {
		char names[64];
		ns_mask_str(keep, names, sizeof(names));
		nserr_set(e, 0, _("share user: the lab's %s namespace(s) belong to its user namespace"), names);
		return nserr_hint(e, _("share them too, or use `reset`"));
	}
	if (mask & NS_BIT(NS_NET))
		labnet_release(lab);
	if ((mask & NS_BIT(NS_PID)) && lab->fd[NS_PID] >= 0) {
		if (ended) /* a walk through /proc: only when asked */
			*ended = lab_count_processes(lab);
		/* Its PID 1 takes every process of the namespace along. */
		end_init(lab);
	}
	/* No lab process outlives its namespace's place in the lab. Only a
	 * program started while the lab had no PID namespace can have left
	 * something behind (in the background): then look, once. */
	if (lab->strays && (mask & lab_isolated(lab) & ~NS_BIT(NS_PID))) {
		struct stat st;
		scan_members(lab, mask & ~NS_BIT(NS_PID), kill_member, &st);
		if ((mask & lab_isolated(lab)) == lab_isolated(lab))
			lab->strays = false;
	}
	for (int t = 0; t < NS_COUNT; t++) {
		if (!(mask & NS_BIT(t)) || lab->fd[t] < 0)
			continue;
		close(lab->fd[t]);
		lab->fd[t] = -1;
		lab->ino[t] = host.ino[t];
		lab->owned_by_user &= ~NS_BIT(t);
	}
	labfs_share(lab, mask);
	mountrec_share(lab, mask);
	return 0;
}

void lab_destroy(struct lab *lab)
{
	struct nserr e;

	lab->owned_by_user = 0;
	lab_share(lab, NS_ALL, NULL, &e);
	test_pause("destroy:after-share");
	userns_forget(lab);
	cgroup_lab_remove(lab);
	labfs_free(lab);
}

void lab_poll(struct lab *lab)
{
	int status;

	if (lab->init > 0 && !lab->init_gone && waitpid(lab->init, &status, WNOHANG) == lab->init) {
		lab->init_gone = true;
		lab->init_status = status;
		emergency_del(lab->init);
	}
}
