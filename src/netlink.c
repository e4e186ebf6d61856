/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "trace.h"

#define DUMP_BUFFER 32768
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* linux/if.h, which clashes with net/if.h */
#endif

static unsigned seq;
/* The kernel's own words for the last refusal (extended ACK), or "". */
static char kernel_msg[256];

static void set_acks(struct mnl_socket *nl)
{
	int one = 1;

	/* Ask for the kernel's message on errors, and not our request back. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
}

struct mnl_socket *nl_open(struct nserr *e)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);

	if (!nl)
		return nserr_set(e, errno, _("cannot open a netlink socket")), NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		nserr_set(e, errno, _("cannot bind a netlink socket"));
		mnl_socket_close(nl);
		return NULL;
	}
	set_acks(nl);
	return nl;
}

struct mnl_socket *nl_adopt(int fd, struct nserr *e)
{
	struct mnl_socket *nl = mnl_socket_fdopen(fd);

	if (!nl) {
		nserr_set(e, errno, _("not a netlink socket"));
		close(fd);
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		nserr_set(e, errno, _("cannot bind a netlink socket"));
		mnl_socket_close(nl);
		return NULL;
	}
	set_acks(nl);
	return nl;
}

void nl_close(struct mnl_socket *nl)
{
	if (nl)
		mnl_socket_close(nl);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*err), len = mnl_nlmsg_get_payload_len(nlh);

	if (len < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		mnl_attr_for_each_payload((const struct nlattr *)((const char *)err + off), len - off)
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(kernel_msg, sizeof(kernel_msg), "%s", mnl_attr_get_str(attr));
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	/* A dump can end in an error too. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) && *err < 0) {
		errno = -*err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

/* Send one request and read until its answer is complete: the ACK, or the
 * end of a dump. WHAT names the step for the error. */
static int exchange(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, struct nserr *e,
		    const char *what)
{
	static char buf[DUMP_BUFFER];
	/* With a table of its own, libmnl calls nothing else for these. */
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {[NLMSG_ERROR] = error_cb, [NLMSG_DONE] = done_cb, [NLMSG_OVERRUN] = overrun_cb};
	unsigned portid = mnl_socket_get_portid(nl);
	int rc = MNL_CB_OK;

	if (!seq)
		seq = (unsigned)time(NULL);
	nlh->nlmsg_seq = ++seq;
	kernel_msg[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return nserr_set(e, errno, "%s", what);
	while (rc > MNL_CB_STOP) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nserr_set(e, errno, "%s", what);
		rc = mnl_cb_run2(buf, (size_t)n, seq, portid, cb, data, ctl, ARRAY_SIZE(ctl));
	}
	if (rc < 0) {
		nserr_set(e, errno, "%s", what);
		if (kernel_msg[0])
			nserr_hint(e, _("the kernel says: %s"), kernel_msg);
		return -1;
	}
	return 0;
}

/* ---- the trace line: the request in words ------------------------------------ */

/* "eth0" netns 7: one end of a link, from its attributes. */
static void describe_end(const struct nlattr *from, size_t len, struct buf *b)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(from, len) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			buf_printf(b, " %s", trace_str(mnl_attr_get_str(attr)));
		if (mnl_attr_get_type(attr) == IFLA_NET_NS_FD && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			buf_printf(b, " netns %u", mnl_attr_get_u32(attr));
	}
}

static const struct nlattr *nested(const struct nlattr *parent, uint16_t type)
{
	const struct nlattr *attr;

	if (parent)
		mnl_attr_for_each_nested(attr, parent)
			if (mnl_attr_get_type(attr) == type)
				return attr;
	return NULL;
}

static void describe_link(const struct nlmsghdr *nlh, struct buf *b)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const size_t head = MNL_ALIGN(sizeof(*ifm));
	const struct nlattr *attr, *info = NULL, *kind, *peer;

	mnl_attr_for_each(attr, nlh, sizeof(*ifm))
		if (mnl_attr_get_type(attr) == IFLA_LINKINFO)
			info = attr;
	if ((kind = nested(info, IFLA_INFO_KIND)) && mnl_attr_validate(kind, MNL_TYPE_NUL_STRING) == 0)
		buf_printf(b, " %s", mnl_attr_get_str(kind));
	describe_end((const struct nlattr *)((const char *)ifm + head), mnl_nlmsg_get_payload_len(nlh) - head, b);
	if (ifm->ifi_change & IFF_UP)
		buf_printf(b, (ifm->ifi_flags & IFF_UP) ? " up" : " down");
	/* A veth's peer: an ifinfomsg of its own, then its attributes. */
	peer = nested(nested(info, IFLA_INFO_DATA), VETH_INFO_PEER);
	if (peer && mnl_attr_get_payload_len(peer) >= head) {
		buf_printf(b, " peer");
		describe_end((const struct nlattr *)((const char *)mnl_attr_get_payload(peer) + head),
			     mnl_attr_get_payload_len(peer) - head, b);
	}
}

static void describe_addr(const struct nlmsghdr *nlh, struct buf *b)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	char text[INET_ADDRSTRLEN];

	mnl_attr_for_each(attr, nlh, sizeof(*ifa))
		if (mnl_attr_get_type(attr) == IFA_LOCAL && mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			uint32_t a = mnl_attr_get_u32(attr);
			inet_ntop(AF_INET, &a, text, sizeof(text));
			buf_printf(b, " %s/%u", text, ifa->ifa_prefixlen);
		}
	buf_printf(b, " index %u", ifa->ifa_index);
}

/* RTM_NEWLINK veth "nsl123v0" up peer "eth0" netns 7 */
static void describe(const struct nlmsghdr *nlh, struct buf *b)
{
	static const char *const names[] = {[RTM_NEWLINK] = "RTM_NEWLINK", [RTM_DELLINK] = "RTM_DELLINK",
					    [RTM_NEWADDR] = "RTM_NEWADDR", [RTM_DELADDR] = "RTM_DELADDR"};

	if (nlh->nlmsg_type < ARRAY_SIZE(names) && names[nlh->nlmsg_type])
		buf_printf(b, "%s", names[nlh->nlmsg_type]);
	else
		buf_printf(b, "%u", nlh->nlmsg_type);
	if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK)
		describe_link(nlh, b);
	else if (nlh->nlmsg_type == RTM_NEWADDR || nlh->nlmsg_type == RTM_DELADDR)
		describe_addr(nlh, b);
}

/* Requests that change something are traced, one line each; looking
 * (RTM_GET*) is bookkeeping. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, struct nserr *e,
		const char *what)
{
	int rc = exchange(nl, nlh, cb, data, e, what);
	struct buf b = {0};

	if (!trace_on || nlh->nlmsg_type == RTM_GETLINK || nlh->nlmsg_type == RTM_GETADDR)
		return rc;
	describe(nlh, &b);
	errno = rc < 0 ? e->err : 0;
	trace_line(rc, "sendmsg(%s)", b.s);
	buf_free(&b);
	return rc;
}

static struct nlmsghdr *request(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, bool up)
{
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = up ? IFF_UP : 0;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return ifm;
}

static void put_end(struct nlmsghdr *nlh, struct nl_end end)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, end.name);
	if (end.ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)end.ns_fd);
}

int nl_veth_add(struct mnl_socket *nl, struct nl_end here, struct nl_end peer, struct nserr *e)
{
	char buf[1024] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	struct nlattr *info, *data, *p;
	struct ifinfomsg *pifm;

	put_ifinfo(nlh, true);
	put_end(nlh, here);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* The peer's attributes start with an ifinfomsg of their own. Its
	 * IFF_UP would fail (ENOTCONN): the kernel configures the peer before
	 * the pair is joined, while the first end comes up after. */
	p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = (struct ifinfomsg *)((char *)nlh + nlh->nlmsg_len);
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifm));
	*pifm = (struct ifinfomsg){.ifi_family = AF_UNSPEC};
	put_end(nlh, peer);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return talk(nl, nlh, NULL, NULL, e, _("cannot create the veth pair"));
}

int nl_link_del(struct mnl_socket *nl, const char *name, struct nserr *e)
{
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_DELLINK, NLM_F_ACK);

	put_ifinfo(nlh, false);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return talk(nl, nlh, NULL, NULL, e, _("cannot delete the link"));
}

int nl_link_set_up(struct mnl_socket *nl, const char *name, bool up, struct nserr *e)
{
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifm = put_ifinfo(nlh, up);

	ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return talk(nl, nlh, NULL, NULL, e, up ? _("cannot bring the link up") : _("cannot take the link down"));
}

static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK)
		*(int *)data = ifm->ifi_index;
	return MNL_CB_OK;
}

int nl_link_index(struct mnl_socket *nl, const char *name, struct nserr *e)
{
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_GETLINK, NLM_F_ACK);
	int index = 0;

	put_ifinfo(nlh, false);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (talk(nl, nlh, index_cb, &index, e, _("cannot find the link")) < 0)
		return -1;
	return index > 0 ? index : nserr_set(e, ENODEV, _("cannot find the link"));
}

static int flags_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK)
		*(unsigned *)data = ifm->ifi_flags;
	return MNL_CB_OK;
}

int nl_wait_running(struct mnl_socket *nl, const char *name, int timeout_ms, struct nserr *e)
{
	struct timespec pause = {.tv_nsec = 200 * 1000};
	char buf[256] = {0}; /* padding is sent too: no stack garbage */

	for (int waited = 0;; waited++) {
		struct nlmsghdr *nlh = request(buf, RTM_GETLINK, NLM_F_ACK);
		unsigned flags = 0;
		put_ifinfo(nlh, false);
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
		if (talk(nl, nlh, flags_cb, &flags, e, _("cannot find the link")) < 0)
			return -1;
		/* A carrier (LOWER_UP, set at once) but not yet RUNNING
		 * (operstate, set by the link watcher): wait. */
		if ((flags & (IFF_UP | IFF_LOWER_UP)) != (IFF_UP | IFF_LOWER_UP) || (flags & IFF_RUNNING))
			return 0;
		if (waited * 200 >= timeout_ms * 1000)
			return 1;
		nanosleep(&pause, NULL);
	}
}

int nl_addr_add(struct mnl_socket *nl, int index, struct ipv4_prefix p, struct nserr *e)
{
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t a = htonl(p.addr), brd = htonl(p.addr | ~ipv4_mask(p.len));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = p.len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put_u32(nlh, IFA_LOCAL, a);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, a);
	mnl_attr_put_u32(nlh, IFA_BROADCAST, brd);
	return talk(nl, nlh, NULL, NULL, e, _("cannot add the address"));
}

/* ---- listing ------------------------------------------------------------- */

static void link_attrs(const struct nlmsghdr *nlh, struct nl_iface *i)
{
	const struct nlattr *attr, *nested;

	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(i->name, sizeof(i->name), "%s", mnl_attr_get_str(attr));
		if (mnl_attr_get_type(attr) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(nested, attr)
			if (mnl_attr_get_type(nested) == IFLA_INFO_KIND &&
			    mnl_attr_validate(nested, MNL_TYPE_NUL_STRING) == 0)
				snprintf(i->kind, sizeof(i->kind), "%s", mnl_attr_get_str(nested));
	}
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_links *l = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct nl_iface *i;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	i = &l->v[l->n++];
	*i = (struct nl_iface){.index = ifm->ifi_index, .up = ifm->ifi_flags & IFF_UP,
			       .carrier = ifm->ifi_flags & IFF_LOWER_UP};
	link_attrs(nlh, i);
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_links *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	uint32_t a = 0;
	bool have = false;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's
	 * on point-to-point links, so prefer IFA_LOCAL. */
	mnl_attr_for_each(attr, nlh, sizeof(*ifa))
		if ((mnl_attr_get_type(attr) == IFA_LOCAL || (!have && mnl_attr_get_type(attr) == IFA_ADDRESS)) &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			a = ntohl(mnl_attr_get_u32(attr));
			have = true;
		}
	for (size_t k = 0; have && k < l->n; k++) {
		struct nl_iface *i = &l->v[k];
		if (i->index == (int)ifa->ifa_index && i->naddr < NL_ADDR_MAX)
			i->addr[i->naddr++] = (struct ipv4_prefix){.addr = a, .len = ifa->ifa_prefixlen};
	}
	return MNL_CB_OK;
}

int nl_list(struct mnl_socket *nl, struct nl_links *out, struct nserr *e)
{
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	struct nlmsghdr *nlh = request(buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifaddrmsg *ifa;

	*out = (struct nl_links){0};
	put_ifinfo(nlh, false);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (talk(nl, nlh, link_cb, out, e, _("cannot list the links")) < 0)
		goto fail;
	nlh = request(buf, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	if (talk(nl, nlh, addr_cb, out, e, _("cannot list the addresses")) < 0)
		goto fail;
	return 0;
fail:
	nl_links_free(out);
	return -1;
}

void nl_links_free(struct nl_links *l)
{
	free(l->v);
	*l = (struct nl_links){0};
}

const struct nl_iface *nl_find(const struct nl_links *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void nl_emergency_del(const char (*names)[IFNAMSIZ], size_t n)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	char buf[256] = {0}; /* padding is sent too: no stack garbage */
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct nlmsghdr *nlh;
		if (!names[i][0])
			continue;
		nlh = request(buf, RTM_DELLINK, 0);
		put_ifinfo(nlh, false);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, names[i]);
		sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	}
	close(fd);
}
