/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `export unshare`: the lab as one unshare(1) command line. What unshare
 * has no option for (the names, mounts other than /proc) goes into a small
 * `sh -c` that runs first inside the new namespaces and then execs the
 * program; what no command line can do is said in "# " notes above it. */
#include "config.h"
#include "export.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* The namespaces in the order unshare(1)'s manual lists them. */
static const struct {
	enum ns_type t;
	const char *opt;
} flags[] = {
	{NS_MNT, "--mount"}, {NS_UTS, "--uts"}, {NS_IPC, "--ipc"}, {NS_NET, "--net"},
	{NS_PID, "--pid"}, {NS_CGROUP, "--cgroup"}, {NS_TIME, "--time"},
};

static void note(struct buf *b, const char *text)
{
	buf_printf(b, "# %s\n", text);
}

static void user_options(const struct export_lab *x, struct buf *cmd, struct buf *notes)
{
	const struct idmap_line *u = &x->uid.line[0], *g = &x->gid.line[0];

	if (export_self_map(x)) {
		/* One id each, the caller's own: what unshare writes itself. */
		if (u->in == 0 && g->in == 0)
			buf_printf(cmd, " --map-root-user");
		else
			buf_printf(cmd, " --map-user=%u --map-group=%u", u->in, g->in);
		return;
	}
	buf_printf(cmd, " --user");
	if (!x->uid.n || !x->gid.n) {
		note(notes, _("the lab's user namespace has no complete maps: none are given here"));
		return;
	}
	buf_printf(cmd, " --map-users=%u,%u,%u --map-groups=%u,%u,%u", u->out, u->in, u->count, g->out, g->in,
		   g->count);
	/* nslab makes root inside the lab's user: so does -S 0 -G 0. */
	if (idmap_to_inside(&x->uid, u->out) >= 0 && u->in == 0 && g->in == 0)
		buf_printf(cmd, " --setuid=0 --setgid=0");
	note(notes, _("these maps need newuidmap(1) and newgidmap(1) (package uidmap) and the ranges in /etc/subuid "
		      "and /etc/subgid; `export sh` and `export c` write the maps themselves"));
	if (x->uid.n > 1 || x->gid.n > 1)
		note(notes, _("unshare(1) takes one range per map: only the first line of each is here"));
}

static void join_step(struct buf *script, const char *step)
{
	buf_printf(script, "%s%s", script->len ? " && " : "", step);
}

static void name_steps(const struct export_lab *x, struct buf *script, struct buf *notes)
{
	struct buf q = {0}, step = {0};

	if (x->set_hostname) {
		sh_quote(&q, x->hostname);
		if (hostname_tool_accepts(x->hostname)) {
			buf_printf(&step, "hostname %s", q.s);
		} else {
			buf_printf(&step, "printf %%s %s >/proc/sys/kernel/hostname", q.s);
			note(notes, _("hostname(1) refuses this hostname, so it is written to /proc/sys/kernel/hostname, "
				      "which only the host's root may do"));
		}
		join_step(script, step.s);
	}
	if (x->set_domainname) {
		q.len = step.len = 0;
		sh_quote(&q, x->domainname);
		buf_printf(&step, "domainname -- %s", q.s);
		join_step(script, step.s);
	}
	buf_free(&q);
	buf_free(&step);
}

static void mount_steps(const struct export_lab *x, const struct export_mount *skip, struct buf *script)
{
	struct buf steps = {0};

	export_sh_mount_steps(x, skip, &steps, " && ");
	if (steps.len)
		join_step(script, steps.s);
	buf_free(&steps);
}

static void add_words(struct buf *cmd, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		buf_add(cmd, " ", 1);
		sh_quote(cmd, argv[i]);
	}
}

static void limits_note(const struct export_lab *x, struct buf *notes)
{
	if (x->has[CG_MEMORY] || x->has[CG_PIDS] || x->has[CG_CPU])
		note(notes, _("not in this line: the lab's cgroup limits (unshare(1) sets none); `export sh` and "
			      "`export c` write them"));
	if (x->ipc_objects > 0)
		note(notes, _("not reproduced: the lab's System V IPC objects (make them again with ipcmk(1))"));
	if (x->nveth)
		note(notes, _("not in this line: the lab's veth pairs; `export sh` makes them with ip(8)"));
	if (x->overlay_root)
		note(notes, _("not reproduced: the lab's root, its overlay, which exists only in the lab's mount namespace; "
			      "here the root is the host's (`layer save DIR` keeps the overlay's upper layer)"));
	else if (x->overlay)
		note(notes, _("not reproduced: the lab's overlay, which exists only in the lab's mount namespace "
			      "(`layer save DIR` keeps its upper layer)"));
	if (x->isolated & NS_BIT(NS_USER) && !x->setgroups_deny && export_self_map(x))
		note(notes, _("setgroups is allowed in the lab; --map-user and --map-group deny it"));
	if (!x->isolated)
		note(notes, _("the lab isolates nothing yet: this runs the program with the host's namespaces"));
}

/* `rootfs` mounted a proc in the new root where it has a proc/: unshare
 * mounts one there after --root. A user namespace may mount only the proc
 * of a PID namespace it owns (rootfs then binds the old /proc instead). */
static bool rootfs_proc(const struct export_lab *x)
{
	return x->root_kind == EXPORT_ROOT_PIVOT && x->root_proc &&
	       ((x->isolated & NS_BIT(NS_PID)) || !(x->isolated & NS_BIT(NS_USER)));
}

void export_unshare(const struct export_lab *x, char *const *argv, struct buf *b)
{
	struct buf cmd = {0}, notes = {0}, script = {0};
	const struct export_mount *proc = export_own_proc(x);
	bool have_prog = argv && argv[0];

	buf_printf(&cmd, "unshare");
	if (x->isolated & NS_BIT(NS_USER))
		user_options(x, &cmd, &notes);
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (x->isolated & NS_BIT(flags[i].t))
			buf_printf(&cmd, " %s", flags[i].opt);
	if (x->isolated & (NS_BIT(NS_PID) | NS_BIT(NS_TIME)))
		buf_printf(&cmd, " --fork");
	if (proc && strcmp(proc->dst, "/proc") == 0) {
		buf_printf(&cmd, " --mount-proc");
	} else if (proc) {
		_cleanup_free_ char *opt = xasprintf("--mount-proc=%s", proc->dst);
		buf_add(&cmd, " ", 1);
		sh_quote(&cmd, opt);
	} else if (rootfs_proc(x)) {
		buf_printf(&cmd, " --mount-proc");
	}
	if (x->clock_set[EXPORT_MONOTONIC])
		buf_printf(&cmd, " --monotonic=%lld", x->clock_sec[EXPORT_MONOTONIC]);
	if (x->clock_set[EXPORT_BOOTTIME])
		buf_printf(&cmd, " --boottime=%lld", x->clock_sec[EXPORT_BOOTTIME]);
	if (x->root_kind != EXPORT_ROOT_NONE) {
		_cleanup_free_ char *opt = xasprintf("--root=%s", x->root_dir);
		buf_add(&cmd, " ", 1);
		sh_quote(&cmd, opt);
		if (x->root_kind == EXPORT_ROOT_PIVOT)
			note(&notes, _("--root is chroot(2), and mounts no /dev or /sys in the root: the lab's root was made "
				       "with pivot_root(2), with both; `export sh` and `export c` do the same"));
	}
	name_steps(x, &script, &notes);
	mount_steps(x, proc, &script);
	limits_note(x, &notes);
	if (script.len) {
		/* The program comes as "$@": its words are quoted once, here. */
		join_step(&script, have_prog ? "exec \"$@\"" : "exec \"${SHELL:-/bin/sh}\"");
		buf_printf(&cmd, " sh -c ");
		sh_quote(&cmd, script.s);
		if (have_prog) {
			buf_printf(&cmd, " sh");
			add_words(&cmd, argv);
		}
	} else if (have_prog) {
		if (argv[0][0] == '-')
			buf_printf(&cmd, " --");
		add_words(&cmd, argv);
	}
	if (notes.len)
		buf_add(b, notes.s, notes.len);
	buf_printf(b, "%s\n", cmd.s);
	buf_free(&cmd);
	buf_free(&notes);
	buf_free(&script);
}
