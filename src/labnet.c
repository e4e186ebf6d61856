/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dirent.h>
#include "labnet.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "child.h"
#include "harden.h"
#include "netlink.h"
#include "signals.h"
#include "trace.h"

#define MAX_PAIRS 64
#define HOST_PREFIX "nsl"

struct labnet {
	struct mnl_socket *nl;
};

static struct mnl_socket *host_nl;
static struct veth_pair pairs[MAX_PAIRS];
static size_t npairs;
static unsigned host_serial;
/* Host ends by name, for the fatal-signal path: it cannot walk pairs[]
 * safely, but it can read fixed strings. */
static char emergency_names[MAX_PAIRS][IFNAMSIZ];

bool labnet_host_privileged(void)
{
	return harden_have_cap(CAP_NET_ADMIN);
}

/* ---- a socket in the lab's network namespace ---------------------------- */

static int join_net(const struct lab *lab)
{
	if (TRACE(setns(lab->fd[NS_NET], CLONE_NEWNET), "setns(%d, CLONE_NEWNET)", lab->fd[NS_NET]) == 0)
		return 0;
	/* Without host privilege, only through the user namespace that owns
	 * the lab's network. */
	if (errno != EPERM || lab->fd[NS_USER] < 0 ||
	    TRACE(setns(lab->fd[NS_USER], CLONE_NEWUSER), "setns(%d, CLONE_NEWUSER)", lab->fd[NS_USER]) < 0)
		return -1;
	return TRACE(setns(lab->fd[NS_NET], CLONE_NEWNET), "setns(%d, CLONE_NEWNET)", lab->fd[NS_NET]);
}

/* gcc 12's -fanalyzer forgets fd's initializer and its assignment from
 * socket() and reports fd as uninitialized at the memcpy; it never is. */
#ifndef __clang__
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-use-of-uninitialized-value"
#endif
static _noreturn_ void socket_child(const struct lab *lab, int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {0};
	struct nserr e = {0};
	struct iovec iov = {.iov_base = &e, .iov_len = sizeof(e)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	int fd = -1;

	child_reset_signals();
	if (join_net(lab) < 0)
		nserr_set(&e, errno, _("cannot join the lab's net namespace"));
	else if ((fd = TRACE(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE),
			     "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)")) < 0)
		nserr_set(&e, errno, _("cannot open a netlink socket in the lab"));
	if (fd >= 0) {
		struct cmsghdr *c;
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	_exit(sendmsg(sock, &mh, MSG_NOSIGNAL) < 0);
}
#ifndef __clang__
#pragma GCC diagnostic pop
#endif

static int receive_socket(int sock, struct nserr *e)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = e, .iov_len = sizeof(*e)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	int fd = -1;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*e))
		return nserr_set(e, n < 0 ? errno : 0, _("the process joining the lab's network ended unexpectedly"));
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd >= 0 ? fd : -1;
}

static struct mnl_socket *open_in_lab(struct lab *lab, struct nserr *e)
{
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return nserr_set(e, errno, "socketpair"), NULL;
	fflush(NULL);
	pid = TRACE_FORK(fork(), "clone(" TRACE_FORK_FLAGS ")");
	if (pid == 0) {
		close(sv[0]);
		socket_child(lab, sv[1]);
	}
	close(sv[1]);
	fd = pid < 0 ? nserr_set(e, errno, "fork") : receive_socket(sv[0], e);
	close(sv[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return fd < 0 ? NULL : nl_adopt(fd, e);
}

struct mnl_socket *labnet_socket(struct lab *lab, struct nserr *e)
{
	if (!lab || !(lab_isolated(lab) & NS_BIT(NS_NET))) {
		if (!host_nl)
			host_nl = nl_open(e);
		return host_nl;
	}
	if (!lab->net)
		lab->net = xcalloc(1, sizeof(*lab->net));
	if (!lab->net->nl)
		lab->net->nl = open_in_lab(lab, e);
	return lab->net->nl;
}

/* ---- the pairs ------------------------------------------------------------ */

const struct veth_pair *labnet_pair(size_t i)
{
	return i < npairs ? &pairs[i] : NULL;
}

const struct veth_pair *labnet_find(const struct lab *lab, const char *name)
{
	for (size_t i = 0; i < npairs; i++) {
		const struct veth_pair *p = &pairs[i];
		if ((p->lab == lab && strcmp(p->name, name) == 0) || (p->peer_lab == lab && strcmp(p->peer, name) == 0) ||
		    (!p->peer_lab && strcmp(p->peer, name) == 0))
			return p;
	}
	return NULL;
}

static void on_fatal(void)
{
	nl_emergency_del((const char(*)[IFNAMSIZ])emergency_names, MAX_PAIRS);
}

int labnet_add(const struct veth_pair *p, struct nserr *e)
{
	static bool hooked;

	if (npairs == MAX_PAIRS) {
		nserr_set(e, 0, _("nslab keeps at most %d veth pairs"), MAX_PAIRS);
		return nserr_hint(e, _("`veth del NAME` one first"));
	}
	pairs[npairs++] = *p;
	if (!p->peer_lab) {
		for (size_t i = 0; i < MAX_PAIRS; i++)
			if (!emergency_names[i][0]) {
				memcpy(emergency_names[i], p->peer, IFNAMSIZ);
				break;
			}
		if (!hooked)
			signals_on_fatal(on_fatal);
		hooked = true;
	}
	return 0;
}

static void forget(size_t i)
{
	if (!pairs[i].peer_lab)
		for (size_t k = 0; k < MAX_PAIRS; k++)
			if (strcmp(emergency_names[k], pairs[i].peer) == 0)
				emergency_names[k][0] = '\0';
	memmove(&pairs[i], &pairs[i + 1], (npairs - i - 1) * sizeof(pairs[0]));
	npairs--;
}

int labnet_del(const struct veth_pair *p, struct nserr *e)
{
	size_t i = (size_t)(p - pairs);
	struct mnl_socket *nl;
	int rc;

	/* The host end by its own socket: that is the end that must go. */
	nl = labnet_socket(p->peer_lab ? p->lab : NULL, e);
	rc = nl ? nl_link_del(nl, p->peer_lab ? p->name : p->peer, e) : -1;
	if (rc < 0 && e->err == ENODEV)
		rc = 0; /* gone already, e.g. `run ip link del` in the lab */
	if (rc == 0)
		forget(i);
	return rc;
}

void labnet_host_name(char *out, size_t size)
{
	int pid = (int)getpid();
	int room = NET_IFNAME_MAX - (int)strlen(HOST_PREFIX "v") - snprintf(NULL, 0, "%d", pid);
	unsigned limit = 1;

	/* N counts round within what IFNAMSIZ leaves: a 7-digit PID, 4 digits. */
	while (room-- > 0 && limit < 100000000)
		limit *= 10;
	host_serial = host_serial % (limit - 1) + 1;
	snprintf(out, size, HOST_PREFIX "%dv%u", pid, host_serial);
}

void labnet_release(struct lab *lab)
{
	struct nserr e;

	for (size_t i = npairs; i-- > 0;)
		if (pairs[i].lab == lab || pairs[i].peer_lab == lab)
			if (labnet_del(&pairs[i], &e) < 0)
				forget(i);
	if (lab->net) {
		nl_close(lab->net->nl);
		free(lab->net);
		lab->net = NULL;
	}
}

/* ---- what a killed run left ---------------------------------------------- */

static bool nslab_alive(int pid)
{
	char path[32], comm[32];

	/* At start none is ours: a leftover with our PID is a dead run's. */
	if (pid == getpid())
		return false;
	snprintf(path, sizeof(path), "%d/comm", pid);
	return read_small_file(host.proc, path, comm, sizeof(comm)) >= 0 && strcmp(comm, "nslab") == 0;
}

/* Cheap first look: /sys/class/net lists the host's links by name. */
static bool any_host_end(void)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *de;
	bool any = d == NULL; /* cannot tell: ask netlink */

	while (d && !any && (de = readdir(d)))
		any = strncmp(de->d_name, HOST_PREFIX, strlen(HOST_PREFIX)) == 0;
	if (d)
		closedir(d);
	return any;
}

void labnet_sweep(void)
{
	struct nserr e;
	struct nl_links l;
	struct mnl_socket *nl;

	/* Every start does this: most find nothing, and should pay little. */
	if (!labnet_host_privileged() || !any_host_end() || !(nl = labnet_socket(NULL, &e)) ||
	    nl_list(nl, &l, &e) < 0)
		return;
	for (size_t i = 0; i < l.n; i++) {
		int pid, end = 0;
		unsigned n;
		if (sscanf(l.v[i].name, HOST_PREFIX "%dv%u%n", &pid, &n, &end) == 2 && !l.v[i].name[end] &&
		    pid > 0 && !nslab_alive(pid))
			nl_link_del(nl, l.v[i].name, &e);
	}
	nl_links_free(&l);
}
