/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* IPv4 prefixes, interface names and the `veth` request: pure functions,
 * tested without privileges. Addresses are in host byte order. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define NET_IFNAME_MAX 15 /* IFNAMSIZ less the NUL */
/* The smallest and largest subnet a veth pair may use: /30 is the
 * smallest with two addresses for the ends; shorter than /8 would route a
 * large share of all addresses into the pair. */
#define NET_PREFIX_MIN 8
#define NET_PREFIX_MAX 30

struct ipv4_prefix {
	uint32_t addr;
	uint8_t len;
};

uint32_t ipv4_mask(unsigned len);
/* Does one subnet contain the other? */
bool ipv4_overlap(struct ipv4_prefix a, struct ipv4_prefix b);
/* "10.77.1.2/24" (size >= 19); ipv4_str without the prefix. */
void ipv4_prefix_str(struct ipv4_prefix p, char *out, size_t size);
void ipv4_str(uint32_t addr, char *out, size_t size);

/* "A.B.C.D/LEN": a unicast address that is neither the network's nor its
 * broadcast address, LEN from NET_PREFIX_MIN to NET_PREFIX_MAX. */
int parse_ipv4_prefix(const char *s, struct ipv4_prefix *out, struct nserr *e);
/* What the kernel accepts as a link's name (dev_valid_name), with reasons. */
int check_ifname(const char *name, struct nserr *e);

struct veth_req {
	const char *name;	/* the current lab's end; NULL: the first free ethN */
	const char *to;		/* the lab of the far end; NULL: the host */
	bool has_lab, has_peer;
	struct ipv4_prefix lab; /* the current lab's end */
	struct ipv4_prefix peer;/* the far end */
};

/* veth's arguments (without the word `veth`). */
int veth_parse(int argc, char **argv, struct veth_req *r, struct nserr *e);
/* Fill the address not given from the one given, in the same subnet; with
 * neither, take the first 10.77.N.0/24 (N = 1...254) that overlaps nothing
 * in USED: the far end .1, the lab's end .2. Both given: check they share
 * a subnet and differ. */
int veth_addresses(struct veth_req *r, const struct ipv4_prefix *used, size_t nused, struct nserr *e);
