/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostname and domainname: the UTS namespace's two names. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "args.h"
#include "commands.h"
#include "trace.h"

struct uts_req {
	bool domain;
	const char *name; /* NULL: show it */
};

static int uts_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct uts_req *r = arg;
	struct utsname u;

	if (!r->name) {
		if (uname(&u) < 0)
			return nserr_set(e, errno, "uname");
		buf_printf(out, "%s", r->domain ? u.domainname : u.nodename);
		return 0;
	}
	size_t n = strlen(r->name);
	if ((r->domain ? TRACE(setdomainname(r->name, n), "setdomainname(%s, %zu)", trace_str(r->name), n)
		       : TRACE(sethostname(r->name, n), "sethostname(%s, %zu)", trace_str(r->name), n)) < 0) {
		nserr_set(e, errno, r->domain ? "setdomainname" : "sethostname");
		if (errno == EPERM)
			nserr_hint(e, _("that needs CAP_SYS_ADMIN over the lab's UTS namespace"));
		return -1;
	}
	return 0;
}

static int uts_run(struct nslab *app, bool domain, int argc, char **argv, struct nserr *e)
{
	const struct command *c = domain ? &cmd_domainname : &cmd_hostname;
	struct uts_req r = {.domain = domain, .name = argc > 1 ? argv[1] : NULL};
	struct buf out = {0};

	if (r.name && check_uts_name(r.name, e) < 0)
		return nserr_prefix(e, c->name);
	if (r.name && !(lab_isolated(app->lab) & NS_BIT(NS_UTS))) {
		nserr_set(e, 0, _("%s: the lab still shares the host's UTS namespace; this would rename the host"),
			  c->name);
		return nserr_hint(e, _("`unshare uts` first"));
	}
	if (lab_call(app->lab, LAB_LIGHT, uts_in_lab, &r, &out, e) < 0)
		return -1;
	if (!r.name) {
		_cleanup_free_ char *s = escaped(out.s ? out.s : "");
		puts(s);
	}
	buf_free(&out);
	return 0;
}

static int hostname_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	return uts_run(app, false, argc, argv, e);
}

static int domainname_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	return uts_run(app, true, argc, argv, e);
}

const struct command cmd_hostname = {
	.name = "hostname", .usage = "[NAME]",
	.help = N_("show or set the lab's hostname (sethostname)"),
	.min_args = 0, .max_args = 1, .run = hostname_run,
};

const struct command cmd_domainname = {
	.name = "domainname", .usage = "[NAME]",
	.help = N_("show or set the lab's NIS domain name (setdomainname)"),
	.min_args = 0, .max_args = 1, .run = domainname_run,
};
