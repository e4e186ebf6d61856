/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_NET 0x0a4d0000u /* 10.77.0.0: one /24 per pair */

uint32_t ipv4_mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

bool ipv4_overlap(struct ipv4_prefix a, struct ipv4_prefix b)
{
	uint32_t m = ipv4_mask(a.len < b.len ? a.len : b.len);

	return (a.addr & m) == (b.addr & m);
}

void ipv4_str(uint32_t addr, char *out, size_t size)
{
	snprintf(out, size, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
}

void ipv4_prefix_str(struct ipv4_prefix p, char *out, size_t size)
{
	char a[16];

	ipv4_str(p.addr, a, sizeof(a));
	snprintf(out, size, "%s/%u", a, p.len);
}

static int bad_address(const char *s, const char *why, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(s);

	nserr_set(e, 0, _("bad address '%s': %s"), w, why);
	return nserr_hint(e, _("an IPv4 address and a prefix length, such as 10.77.1.2/24"));
}

static int check_unicast(const char *s, struct ipv4_prefix p, struct nserr *e)
{
	uint32_t host = p.addr & ~ipv4_mask(p.len);
	uint8_t first = (uint8_t)(p.addr >> 24);

	if (first == 0 || first == 127 || first >= 224)
		return bad_address(s, first == 127 ? _("a loopback address") : _("not a unicast address"), e);
	if (host == 0)
		return bad_address(s, _("the subnet's network address"), e);
	if (host == ~ipv4_mask(p.len))
		return bad_address(s, _("the subnet's broadcast address"), e);
	return 0;
}

int parse_ipv4_prefix(const char *s, struct ipv4_prefix *out, struct nserr *e)
{
	const char *slash = strchr(s, '/');
	char addr[16];
	struct in_addr in;
	unsigned long len = 0;

	if (!slash)
		return bad_address(s, _("no prefix length"), e);
	if ((size_t)(slash - s) >= sizeof(addr))
		return bad_address(s, _("not an IPv4 address"), e);
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		return bad_address(s, _("not an IPv4 address"), e);
	if (!slash[1] || strlen(slash + 1) > 3 || strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return bad_address(s, _("the prefix length is not a number"), e);
	len = strtoul(slash + 1, NULL, 10);
	if (len < NET_PREFIX_MIN || len > NET_PREFIX_MAX) {
		_cleanup_free_ char *w = escaped(s);
		nserr_set(e, 0, _("bad address '%s': prefix /%lu is out of range"), w, len);
		return nserr_hint(e, _("from /%d to /%d; /30 holds exactly the two ends"), NET_PREFIX_MIN,
				  NET_PREFIX_MAX);
	}
	out->addr = ntohl(in.s_addr);
	out->len = (uint8_t)len;
	return check_unicast(s, *out, e);
}

int check_ifname(const char *name, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(name);
	size_t n = strlen(name);

	if (n > NET_IFNAME_MAX) {
		nserr_set(e, 0, _("interface name '%s' is %zu bytes long"), w, n);
		return nserr_hint(e, _("at most %d bytes: IFNAMSIZ less the NUL"), NET_IFNAME_MAX);
	}
	if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '-' ||
	    strpbrk(name, "/:%")) {
		nserr_set(e, 0, _("bad interface name '%s'"), w);
		return nserr_hint(e, _("letters, digits, . - _; not . or .., no / : %%"));
	}
	for (const char *p = name; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			nserr_set(e, 0, _("bad interface name '%s'"), w);
			return nserr_hint(e, _("no spaces or control characters"));
		}
	return 0;
}

static int take_value(int argc, char **argv, int *i, const char **val, struct nserr *e)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq) {
		*val = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc) {
		_cleanup_free_ char *w = escaped(argv[*i]);
		nserr_set(e, 0, _("veth: %s needs a value"), w);
		return nserr_hint(e, _("usage: veth [NAME] [--to LAB] [--peer ADDR/PREFIX] [--lab ADDR/PREFIX]"));
	}
	*val = argv[++*i];
	return 0;
}

static bool is_opt(const char *arg, const char *opt)
{
	size_t n = strlen(opt);
	return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int twice(const char *opt, struct nserr *e)
{
	nserr_set(e, 0, _("veth: %s given twice"), opt);
	return nserr_hint(e, _("--host is another name for --peer"));
}

static int address_opt(int argc, char **argv, int *i, bool *has, struct ipv4_prefix *p, struct nserr *e)
{
	const char *opt = strncmp(argv[*i], "--lab", 5) == 0 ? "--lab" : "--peer";
	const char *val;

	if (*has)
		return twice(opt, e);
	if (take_value(argc, argv, i, &val, e) < 0)
		return -1;
	if (parse_ipv4_prefix(val, p, e) < 0)
		return nserr_prefix(e, "veth");
	*has = true;
	return 0;
}

int veth_parse(int argc, char **argv, struct veth_req *r, struct nserr *e)
{
	*r = (struct veth_req){0};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (is_opt(a, "--to")) {
			if (r->to)
				return twice("--to", e);
			if (take_value(argc, argv, &i, &r->to, e) < 0)
				return -1;
		} else if (is_opt(a, "--peer") || is_opt(a, "--host")) {
			if (address_opt(argc, argv, &i, &r->has_peer, &r->peer, e) < 0)
				return -1;
		} else if (is_opt(a, "--lab")) {
			if (address_opt(argc, argv, &i, &r->has_lab, &r->lab, e) < 0)
				return -1;
		} else if (a[0] == '-' && a[1]) {
			_cleanup_free_ char *w = escaped(a);
			nserr_set(e, 0, _("veth: unknown option '%s'"), w);
			return nserr_hint(e, _("the options: --to LAB, --peer (or --host) ADDR/PREFIX, --lab ADDR/PREFIX"));
		} else if (r->name) {
			nserr_set(e, 0, _("veth: one interface name only"));
			return nserr_hint(e, _("usage: veth [NAME] [--to LAB] [--peer ADDR/PREFIX] [--lab ADDR/PREFIX]"));
		} else {
			if (check_ifname(a, e) < 0)
				return nserr_prefix(e, "veth");
			r->name = a;
		}
	}
	return 0;
}

/* The other usable address of P's subnet next to P. */
static struct ipv4_prefix neighbour(struct ipv4_prefix p)
{
	uint32_t host = p.addr & ~ipv4_mask(p.len);

	p.addr = host + 1 < ~ipv4_mask(p.len) ? p.addr + 1 : p.addr - 1;
	return p;
}

static bool overlaps_any(struct ipv4_prefix p, const struct ipv4_prefix *used, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ipv4_overlap(p, used[i]))
			return true;
	return false;
}

static int both_given(const struct veth_req *r, struct nserr *e)
{
	char a[24], b[24];

	ipv4_prefix_str(r->lab, a, sizeof(a));
	ipv4_prefix_str(r->peer, b, sizeof(b));
	if (r->lab.len != r->peer.len || !ipv4_overlap(r->lab, r->peer)) {
		nserr_set(e, 0, _("veth: %s and %s are not in one subnet"), a, b);
		return nserr_hint(e, _("give both ends the same prefix, such as 10.77.1.2/24 and 10.77.1.1/24"));
	}
	if (r->lab.addr == r->peer.addr) {
		nserr_set(e, 0, _("veth: both ends would be %s"), a);
		return nserr_hint(e, _("give each end its own address"));
	}
	return 0;
}

int veth_addresses(struct veth_req *r, const struct ipv4_prefix *used, size_t nused, struct nserr *e)
{
	if (r->has_lab && r->has_peer)
		return both_given(r, e);
	if (r->has_lab || r->has_peer) {
		if (r->has_lab)
			r->peer = neighbour(r->lab);
		else
			r->lab = neighbour(r->peer);
		r->has_lab = r->has_peer = true;
		return 0;
	}
	for (uint32_t n = 1; n <= 254; n++) {
		struct ipv4_prefix net = {.addr = DEFAULT_NET | n << 8, .len = 24};
		if (overlaps_any(net, used, nused))
			continue;
		r->peer = (struct ipv4_prefix){.addr = net.addr | 1, .len = 24};
		r->lab = (struct ipv4_prefix){.addr = net.addr | 2, .len = 24};
		r->has_lab = r->has_peer = true;
		return 0;
	}
	nserr_set(e, 0, _("veth: every default subnet 10.77.N.0/24 is in use here"));
	return nserr_hint(e, _("choose the addresses with --peer ADDR/PREFIX and --lab ADDR/PREFIX"));
}
