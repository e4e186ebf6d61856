/* SPDX-License-Identifier: GPL-3.0-or-later */
/* link, links, veth: the lab's network devices, and pipes between
 * network namespaces. Everything goes over rtnetlink (netlink.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "labnet.h"
#include "netlink.h"

static bool net_isolated(const struct lab *lab)
{
	return lab_isolated(lab) & NS_BIT(NS_NET);
}

/* "in lab2", or "on the host" for NULL. */
static const char *place(const struct lab *lab)
{
	static char buf[4][48];
	static int i;
	char *b = buf[i++ % 4];

	if (!lab)
		return _("on the host");
	snprintf(b, sizeof(buf[0]), _("in %s"), lab->name);
	return b;
}

static int host_network(const char *cmd, const struct lab *lab, const char *would, struct nserr *e)
{
	nserr_set(e, 0, _("%s: %s still uses the host's network; %s"), cmd, lab->name, would);
	return nserr_hint(e, _("`unshare net` first"));
}

/* ---- link up|down IFACE -------------------------------------------------- */

struct link_req {
	const char *name;
	bool up;
};

/* The kernel's ENODEV, in words, with the names there are. */
static int no_such_link(struct mnl_socket *nl, const char *name, struct nserr *e)
{
	struct nl_links l;
	struct buf names = {0};
	_cleanup_free_ char *w = escaped(name);

	if (nl_list(nl, &l, e) == 0)
		for (size_t i = 0; i < l.n; i++)
			buf_printf(&names, "%s%s", i ? " " : "", l.v[i].name);
	nl_links_free(&l);
	_cleanup_free_ char *have = escaped(names.s ? names.s : "");
	buf_free(&names);
	nserr_set(e, 0, _("link: the lab has no interface '%s'"), w);
	return nserr_hint(e, _("it has: %s"), have);
}

static int link_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct link_req *r = arg;
	struct mnl_socket *nl = nl_open(e);
	int rc;

	if (!nl)
		return -1;
	rc = nl_link_set_up(nl, r->name, r->up, e);
	/* Up at once, and running (a carrier seen) before `link` returns. */
	if (rc == 0 && r->up && nl_wait_running(nl, r->name, 1000, e) < 0)
		rc = -1;
	if (rc < 0 && e->err == ENODEV)
		no_such_link(nl, r->name, e);
	nl_close(nl);
	return rc;
}

static int link_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct link_req r = {.name = argv[2], .up = strcmp(argv[1], "up") == 0};
	_cleanup_free_ char *w = escaped(r.name);

	if (!r.up && strcmp(argv[1], "down") != 0)
		return command_usage_error(&cmd_link, e, _("up or down?"));
	if (check_ifname(r.name, e) < 0)
		return nserr_prefix(e, "link");
	if (!net_isolated(app->lab)) {
		_cleanup_free_ char *would = xasprintf(_("this would change the host's %s"), w);
		return host_network("link", app->lab, would, e);
	}
	if (lab_call(app->lab, 0, link_in_lab, &r, NULL, e) < 0)
		return -1;
	printf(r.up ? _("%s is up\n") : _("%s is down\n"), w);
	return 0;
}

static const char *const link_words[] = {"up", "down", NULL};

const struct command cmd_link = {
	.name = "link", .usage = "up|down IFACE",
	.help = N_("bring one of the lab's network interfaces up or down (rtnetlink)"),
	.min_args = 2, .max_args = 2, .run = link_run,
	.complete = COMPLETE_WORDS, .words = link_words,
};

/* ---- links ----------------------------------------------------------------- */

static int list_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	struct mnl_socket *nl = nl_open(e);
	struct nl_links l;
	int rc;

	if (!nl)
		return -1;
	rc = nl_list(nl, &l, e);
	nl_close(nl);
	if (rc == 0 && l.n)
		buf_add(out, (const char *)l.v, l.n * sizeof(*l.v));
	nl_links_free(&l);
	return rc;
}

static void describe_pair(const struct lab *where, const char *name, struct buf *b)
{
	const struct veth_pair *p = labnet_find(where, name);
	char a[24];

	if (!p)
		return;
	if (p->lab == where && strcmp(p->name, name) == 0) {
		ipv4_prefix_str(p->peer_addr, a, sizeof(a));
		buf_printf(b, _("  pipe to %s %s (%s)"), p->peer, place(p->peer_lab), a);
	} else {
		ipv4_prefix_str(p->addr, a, sizeof(a));
		buf_printf(b, _("  pipe to %s %s (%s)"), p->name, place(p->lab), a);
	}
}

static void print_link(const struct nl_iface *i, const struct lab *where)
{
	struct buf b = {0};
	char a[24];

	escape_text(&b, i->name, strlen(i->name));
	printf("%3d %-15s %-14s", i->index, b.s, !i->up ? _("down") : i->carrier ? _("up") : _("up, no carrier"));
	for (int k = 0; k < i->naddr; k++) {
		ipv4_prefix_str(i->addr[k], a, sizeof(a));
		printf(" %s", a);
	}
	buf_free(&b);
	describe_pair(where, i->name, &b);
	printf("%s\n", b.s ? b.s : "");
	buf_free(&b);
}

static int links_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	bool on_host = argc == 2;
	struct lab *where = on_host ? NULL : app->lab;
	struct nl_links l = {0};
	struct buf out = {0};

	if (on_host && strcmp(argv[1], "--host") != 0)
		return command_usage_error(&cmd_links, e, _("unknown option"));
	if (on_host || !net_isolated(app->lab)) {
		struct mnl_socket *nl = labnet_socket(NULL, e);
		if (!nl || nl_list(nl, &l, e) < 0)
			return -1;
		printf(on_host ? _("the host:\n") : _("%s uses the host's network:\n"), app->lab->name);
	} else {
		if (lab_call(app->lab, 0, list_in_lab, NULL, &out, e) < 0)
			return -1;
		l.v = (struct nl_iface *)out.s;
		l.n = out.len / sizeof(*l.v);
		printf(_("%s, network namespace %lu:\n"), app->lab->name, (unsigned long)lab_ino(app->lab, NS_NET));
	}
	for (size_t i = 0; i < l.n; i++)
		print_link(&l.v[i], where);
	if (out.s)
		buf_free(&out);
	else
		nl_links_free(&l);
	return 0;
}

static const char *const links_words[] = {"--host", NULL};

const struct command cmd_links = {
	.name = "links", .usage = "[--host]",
	.help = N_("list the lab's (or the host's) network interfaces and IPv4 addresses"),
	.min_args = 0, .max_args = 1, .run = links_run,
	.complete = COMPLETE_WORDS, .words = links_words,
};

/* ---- veth [NAME] [--to LAB] [--peer ADDR/PREFIX] [--lab ADDR/PREFIX] ------- */

struct veth_ctx {
	struct veth_req r;
	struct lab *lab, *far;		 /* far NULL: the host */
	struct mnl_socket *here, *there; /* route sockets of the two ends */
	struct nl_links lh, lt, lhost;	 /* links here, there, and on the host */
	char near[IFNAMSIZ], farname[IFNAMSIZ];
};

static int check_labs(struct nslab *app, struct veth_ctx *c, struct nserr *e)
{
	c->lab = app->lab;
	if (!net_isolated(c->lab))
		return host_network("veth", c->lab, _("a veth pair joins two network namespaces"), e);
	if (c->r.to && !(c->far = app_find_lab(app, c->r.to))) {
		_cleanup_free_ char *w = escaped(c->r.to);
		nserr_set(e, 0, _("veth: there is no lab '%s'"), w);
		return nserr_hint(e, _("`lab list` shows the labs; `lab new NAME` makes one"));
	}
	if (c->far == c->lab) {
		nserr_set(e, 0, _("veth --to %s: that is the current lab"), c->lab->name);
		return nserr_hint(e, _("a veth pair joins two network namespaces: `lab new NAME`, `unshare net` there, then `lab use %s`"),
				  c->lab->name);
	}
	if (c->far && !net_isolated(c->far)) {
		nserr_set(e, 0, _("veth: %s still uses the host's network"), c->far->name);
		return nserr_hint(e, _("`lab use %s`, `unshare net`, `lab use %s`; or leave out --to for a pipe to the host"),
				  c->far->name, c->lab->name);
	}
	if (!c->far && !labnet_host_privileged()) {
		nserr_set(e, 0, _("veth: a veth end on the host needs CAP_NET_ADMIN on the host, which nslab (uid %u) lacks"),
			  (unsigned)geteuid());
		return nserr_hint(e, _("`veth --to LAB` joins two labs and needs no host privilege"));
	}
	return 0;
}

static int gather(struct veth_ctx *c, struct nserr *e)
{
	if (!(c->here = labnet_socket(c->lab, e)) || !(c->there = labnet_socket(c->far, e)))
		return -1;
	if (nl_list(c->here, &c->lh, e) < 0 || nl_list(c->there, &c->lt, e) < 0)
		return -1;
	if (!c->far)
		return 0;
	struct mnl_socket *h = labnet_socket(NULL, e);
	return h ? nl_list(h, &c->lhost, e) : -1;
}

static const struct nl_links *host_links(const struct veth_ctx *c)
{
	return c->far ? &c->lhost : &c->lt;
}

static void first_free(const struct nl_links *l, char *out)
{
	for (unsigned n = 0;; n++) {
		snprintf(out, IFNAMSIZ, "eth%u", n);
		if (!nl_find(l, out))
			return;
	}
}

static int choose_names(struct veth_ctx *c, struct nserr *e)
{
	if (c->r.name && nl_find(&c->lh, c->r.name)) {
		_cleanup_free_ char *w = escaped(c->r.name);
		nserr_set(e, 0, _("veth: %s has an interface '%s' already"), c->lab->name, w);
		return nserr_hint(e, _("choose another NAME; `links` lists them"));
	}
	if (c->r.name)
		snprintf(c->near, sizeof(c->near), "%s", c->r.name);
	else
		first_free(&c->lh, c->near);
	if (c->far) {
		first_free(&c->lt, c->farname);
		return 0;
	}
	for (int tries = 0; tries < 100; tries++) {
		labnet_host_name(c->farname, sizeof(c->farname));
		if (!nl_find(&c->lt, c->farname))
			return 0;
	}
	nserr_set(e, 0, _("veth: no free host-side name nsl%dv<N>"), (int)getpid());
	return nserr_hint(e, _("`veth del` some pairs first"));
}

static void add_used(struct ipv4_prefix **v, size_t *n, const struct nl_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; k < l->v[i].naddr; k++) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = l->v[i].addr[k];
		}
}

/* Does address A clash with HAVE, an address of interface F in WHERE? On
 * the host a shared subnet clashes too: it would be routed two ways. */
static int clash(const struct nl_iface *f, struct ipv4_prefix have, struct ipv4_prefix a, const char *where,
		 bool subnet, struct nserr *e)
{
	_cleanup_free_ char *dev = NULL;
	char s[24], t[24];

	if (have.addr != a.addr && !(subnet && ipv4_overlap(a, have)))
		return 0;
	dev = escaped(f->name);
	ipv4_prefix_str(have, t, sizeof(t));
	if (have.addr == a.addr) {
		ipv4_str(a.addr, s, sizeof(s));
		nserr_set(e, 0, _("veth: %s is in use %s (%s on %s)"), s, where, t, dev);
		return nserr_hint(e, _("leave out the addresses for a free 10.77.N.0/24"));
	}
	ipv4_prefix_str(a, s, sizeof(s));
	nserr_set(e, 0, _("veth: %s overlaps the host's %s on %s"), s, t, dev);
	return nserr_hint(e, _("the host would route that subnet two ways; choose another"));
}

/* An end's address must be nobody's yet where it matters. */
static int check_address(const struct veth_ctx *c, struct ipv4_prefix a, bool on_host, struct nserr *e)
{
	const struct nl_links *links[] = {host_links(c), &c->lh, &c->lt};
	const char *where[] = {place(NULL), place(c->lab), place(c->far)};

	for (size_t w = 0; w < ARRAY_SIZE(links); w++)
		for (size_t i = 0; i < links[w]->n; i++)
			for (int k = 0; k < links[w]->v[i].naddr; k++)
				if (clash(&links[w]->v[i], links[w]->v[i].addr[k], a, where[w], w == 0 && on_host, e) < 0)
					return -1;
	return 0;
}

static int choose_addresses(struct veth_ctx *c, struct nserr *e)
{
	struct ipv4_prefix *used = NULL;
	size_t n = 0;
	const struct veth_pair *p;
	int rc;

	add_used(&used, &n, host_links(c));
	add_used(&used, &n, &c->lh);
	if (c->far)
		add_used(&used, &n, &c->lt);
	for (size_t i = 0; (p = labnet_pair(i)); i++) {
		used = xrealloc(used, (n + 1) * sizeof(*used));
		used[n++] = p->addr;
	}
	rc = veth_addresses(&c->r, used, n, e);
	free(used);
	if (rc == 0)
		rc = check_address(c, c->r.lab, false, e);
	if (rc == 0)
		rc = check_address(c, c->r.peer, !c->far, e);
	return rc;
}

static int creation_failed(const struct veth_ctx *c, struct nserr *e)
{
	if (e->err == EPERM && c->far)
		nserr_hint(e, _("without host privilege both labs must be in one user namespace"));
	else if (e->err == EEXIST)
		nserr_hint(e, _("an interface of that name appeared meanwhile; try again"));
	return nserr_prefix(e, "veth");
}

static int set_address(struct mnl_socket *nl, const char *name, struct ipv4_prefix a, struct nserr *e)
{
	int index = nl_link_index(nl, name, e);

	return index < 0 ? -1 : nl_addr_add(nl, index, a, e);
}

static int make_pair(struct veth_ctx *c, struct nserr *e)
{
	struct nl_end here = {c->near, -1};
	struct nl_end there = {c->farname, c->far ? c->far->fd[NS_NET] : host.fd[NS_NET]};
	struct veth_pair p = {.lab = c->lab, .peer_lab = c->far, .addr = c->r.lab, .peer_addr = c->r.peer};
	struct nserr ignored;

	memcpy(p.name, c->near, IFNAMSIZ);
	memcpy(p.peer, c->farname, IFNAMSIZ);
	if (nl_veth_add(c->here, here, there, e) < 0)
		return creation_failed(c, e);
	if (labnet_add(&p, e) < 0) {
		nl_link_del(c->here, c->near, &ignored);
		return -1;
	}
	if (set_address(c->here, c->near, c->r.lab, e) < 0 || set_address(c->there, c->farname, c->r.peer, e) < 0 ||
	    nl_link_set_up(c->there, c->farname, true, e) < 0 || nl_link_set_up(c->here, "lo", true, e) < 0 ||
	    (c->far && nl_link_set_up(c->there, "lo", true, e) < 0) ||
	    nl_wait_running(c->here, c->near, 1000, e) < 0 || nl_wait_running(c->there, c->farname, 1000, e) < 0) {
		labnet_del(labnet_find(c->lab, c->near), &ignored);
		return nserr_prefix(e, "veth");
	}
	return 0;
}

static void report(const struct veth_ctx *c)
{
	char a[24], b[24], pa[16], pb[16];

	ipv4_prefix_str(c->r.lab, a, sizeof(a));
	ipv4_prefix_str(c->r.peer, b, sizeof(b));
	ipv4_str(c->r.lab.addr, pa, sizeof(pa));
	ipv4_str(c->r.peer.addr, pb, sizeof(pb));
	printf(_("veth pair: %s %s (%s) <-> %s %s (%s), both up\n"), c->near, place(c->lab), a, c->farname,
	       place(c->far), b);
	if (c->far)
		printf(_("try: run ping -c1 %s\n"), pb);
	else
		printf(_("try: host ping -c1 %s, run ping -c1 %s\n"), pa, pb);
}

static int veth_del(struct nslab *app, const char *name, struct nserr *e)
{
	const struct veth_pair *p = labnet_find(app->lab, name);
	char what[160];

	if (!p) {
		_cleanup_free_ char *w = escaped(name);
		nserr_set(e, 0, _("veth del: %s has no veth pair '%s' made by nslab"), app->lab->name, w);
		return nserr_hint(e, _("`links` shows the lab's pairs"));
	}
	snprintf(what, sizeof(what), "%s %s <-> %s %s", p->name, place(p->lab), p->peer, place(p->peer_lab));
	if (labnet_del(p, e) < 0)
		return nserr_prefix(e, "veth del");
	printf(_("deleted the veth pair %s\n"), what);
	return 0;
}

static int veth_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct veth_ctx c = {0};
	int rc;

	if (argc > 1 && strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return command_usage_error(&cmd_veth, e, argc < 3 ? _("missing NAME") : _("too many arguments"));
		return veth_del(app, argv[2], e);
	}
	if (veth_parse(argc - 1, argv + 1, &c.r, e) < 0 || check_labs(app, &c, e) < 0)
		return -1;
	rc = gather(&c, e);
	if (rc == 0)
		rc = choose_names(&c, e);
	if (rc == 0)
		rc = choose_addresses(&c, e);
	if (rc == 0)
		rc = make_pair(&c, e);
	if (rc == 0)
		report(&c);
	nl_links_free(&c.lh);
	nl_links_free(&c.lt);
	nl_links_free(&c.lhost);
	return rc;
}

static const char *const veth_words[] = {"del", "--to", "--peer", "--host", "--lab", NULL};

const struct command cmd_veth = {
	.name = "veth", .usage = "[NAME] [--to LAB] [--peer ADDR/PREFIX] [--lab ADDR/PREFIX] | del NAME",
	.help = N_("make a veth pair from the lab to the host (or to LAB), with addresses, both ends up"),
	.min_args = 0, .max_args = 7, .run = veth_run,
	.complete = COMPLETE_WORDS, .words = veth_words,
};
