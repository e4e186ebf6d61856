/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * A small rtnetlink layer on libmnl: what ip(8) would do, without a process
 * per step. A route socket acts in the network namespace it was opened in,
 * whoever uses it later; so nslab, which never changes namespace, holds one
 * socket per lab (opened by a child that joined the lab's network) and one
 * for the host, and does everything from where it is.
 */
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "netaddr.h"

struct mnl_socket;

/* A route socket in the caller's network namespace, or from an fd that is
 * one (opened elsewhere). */
struct mnl_socket *nl_open(struct nserr *e);
struct mnl_socket *nl_adopt(int fd, struct nserr *e);
void nl_close(struct mnl_socket *nl);

/* Where a new link goes: NS_FD is a network namespace fd, -1 for the
 * socket's own namespace. */
struct nl_end {
	const char *name;
	int ns_fd;
};
/* A veth pair, one RTM_NEWLINK with VETH_INFO_PEER; HERE comes up, the
 * peer stays down (nl_link_set_up it where it is). */
int nl_veth_add(struct mnl_socket *nl, struct nl_end here, struct nl_end peer, struct nserr *e);
/* By name: an index could by now be another link's. */
int nl_link_del(struct mnl_socket *nl, const char *name, struct nserr *e);
int nl_link_set_up(struct mnl_socket *nl, const char *name, bool up, struct nserr *e);
int nl_link_index(struct mnl_socket *nl, const char *name, struct nserr *e);
/* Until the kernel's link watcher has seen a new carrier (IFF_RUNNING):
 * before that the device drops what it is given to send, and a first ARP
 * lost costs a ping a second. 1: still not, after TIMEOUT_MS. */
int nl_wait_running(struct mnl_socket *nl, const char *name, int timeout_ms, struct nserr *e);
int nl_addr_add(struct mnl_socket *nl, int index, struct ipv4_prefix p, struct nserr *e);

#define NL_ADDR_MAX 8
struct nl_iface {
	int index;
	char name[IFNAMSIZ];
	char kind[16];	/* "veth", "bridge"...; "" for none */
	bool up, carrier;
	int naddr;
	struct ipv4_prefix addr[NL_ADDR_MAX];
};
struct nl_links {
	struct nl_iface *v;
	size_t n;
};
/* Every link of the socket's namespace, with its IPv4 addresses. */
int nl_list(struct mnl_socket *nl, struct nl_links *out, struct nserr *e);
void nl_links_free(struct nl_links *l);
const struct nl_iface *nl_find(const struct nl_links *l, const char *name);

/* For a fatal-signal handler: delete links by name on a fresh socket,
 * without allocating; errors are ignored. */
void nl_emergency_del(const char (*names)[IFNAMSIZ], size_t n);
