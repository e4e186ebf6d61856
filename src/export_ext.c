/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What `export` learns from the fs and net features: clock offsets and the
 * lab's root (labfs.h), veth pairs (labnet.h). Only the snapshot is filled
 * here; the generators write what its fields say.
 */
#include "config.h"
#include "export.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lab.h"
#include "labfs.h"
#include "labnet.h"

_Static_assert((int)EXPORT_MONOTONIC == (int)LAB_CLOCK_MONOTONIC && (int)EXPORT_BOOTTIME == (int)LAB_CLOCK_BOOTTIME &&
		       (int)EXPORT_CLOCKS == (int)LAB_CLOCKS,
	       "export's clocks are labfs's");

/* The offsets count only once `unshare time` has written them: before,
 * they wait for a namespace the lab does not have. */
static void gather_clocks(const struct lab_fs *fs, struct export_lab *x)
{
	if (!(x->isolated & NS_BIT(NS_TIME)))
		return;
	for (int c = 0; c < EXPORT_CLOCKS; c++) {
		x->clock_set[c] = fs->clock_set[c];
		x->clock_sec[c] = fs->clock_sec[c];
	}
}

void export_gather_fs(const struct lab *lab, struct export_lab *x)
{
	const struct lab_fs *fs = lab->fs;

	if (!fs)
		return;
	gather_clocks(fs, x);
	if (!(x->isolated & NS_BIT(NS_MNT)))
		return;
	/* An overlay lives only in the lab's mount namespace: on the host its
	 * merged directory is empty, so it is better left out (and said so)
	 * than exported as a path. A chroot made inside it goes with it. */
	x->overlay = fs->overlay;
	x->overlay_root = fs->overlay_is_root;
	if (fs->overlay_is_root)
		return;
	if (fs->pivot_dir && fs->chroot_dir) {
		/* chroot's path was looked up in the new root: the programs see
		 * the two joined as their root. */
		x->root_kind = EXPORT_ROOT_PIVOT;
		x->root_dir = xasprintf("%s%s%s", strcmp(fs->pivot_dir, "/") ? fs->pivot_dir : "",
					fs->chroot_dir[0] == '/' ? "" : "/", fs->chroot_dir);
	} else if (fs->pivot_dir) {
		x->root_kind = EXPORT_ROOT_PIVOT;
		x->root_dir = xstrdup(fs->pivot_dir);
	} else if (fs->chroot_dir) {
		x->root_kind = EXPORT_ROOT_CHROOT;
		x->root_dir = xstrdup(fs->chroot_dir);
	}
	if (x->root_dir) {
		_cleanup_free_ char *proc = xasprintf("%s/proc", x->root_dir);
		struct stat st;
		x->root_proc = lstat(proc, &st) == 0 && S_ISDIR(st.st_mode);
	}
}

static void prefix_str(struct ipv4_prefix p, char *out, size_t size)
{
	if (p.len)
		ipv4_prefix_str(p, out, size);
	else
		out[0] = '\0';
}

void export_gather_net(const struct lab *lab, struct export_lab *x)
{
	const struct veth_pair *p;

	if (!(x->isolated & NS_BIT(NS_NET)))
		return;
	for (size_t i = 0; (p = labnet_pair(i)); i++) {
		bool near = p->lab == lab;
		const struct lab *other = near ? p->peer_lab : p->lab;
		struct export_veth *v;

		if (!near && p->peer_lab != lab)
			continue;
		x->veth = xrealloc(x->veth, (x->nveth + 1) * sizeof(*x->veth));
		v = memset(&x->veth[x->nveth++], 0, sizeof(*v));
		snprintf(v->name, sizeof(v->name), "%s", near ? p->name : p->peer);
		snprintf(v->peer, sizeof(v->peer), "%s", near ? p->peer : p->name);
		prefix_str(near ? p->addr : p->peer_addr, v->addr, sizeof(v->addr));
		prefix_str(near ? p->peer_addr : p->addr, v->peer_addr, sizeof(v->peer_addr));
		snprintf(v->peer_lab, sizeof(v->peer_lab), "%s", other ? other->name : "");
	}
}
