/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * nslab's network state: a route socket per lab (struct labnet, hung on
 * struct lab) and the veth pairs it made. A pair's host end is named
 * nsl<PID>v<N> after the nslab that made it, so that a later nslab can tell
 * a dead run's leftovers from a live one's and delete them.
 */
#include <net/if.h>

#include "lab.h"
#include "netaddr.h"

struct mnl_socket;

struct veth_pair {
	struct lab *lab;	/* where the near end is */
	struct lab *peer_lab;	/* where the far end is; NULL: the host */
	char name[IFNAMSIZ], peer[IFNAMSIZ];
	struct ipv4_prefix addr, peer_addr;
};

/* A route socket in LAB's network namespace (NULL: the host's), opened
 * once by a child that joins that namespace, then kept. */
struct mnl_socket *labnet_socket(struct lab *lab, struct nserr *e);
/* Does nslab hold CAP_NET_ADMIN over the host's network? */
bool labnet_host_privileged(void);

/* The pairs nslab made, in order; NULL past the last. */
const struct veth_pair *labnet_pair(size_t i);
/* The pair with an end called NAME in LAB, or a host end called NAME. */
const struct veth_pair *labnet_find(const struct lab *lab, const char *name);
int labnet_add(const struct veth_pair *p, struct nserr *e);
/* Delete the pair's links (both go with either end) and forget it. */
int labnet_del(const struct veth_pair *p, struct nserr *e);
/* The next host-side name, nsl<PID>v<N>. */
void labnet_host_name(char *out, size_t size);

/* Every pair with an end in LAB, and its socket, go: `share net`,
 * `reset`, `lab del` and exit come through here (lab_share). */
void labnet_release(struct lab *lab);
/* At start: delete host links nsl<PID>v<N> whose nslab is gone. */
void labnet_sweep(void);
