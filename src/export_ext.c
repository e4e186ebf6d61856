/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What `export` learns from the features merged after it: one function
 * each. The generators already write clock offsets (unshare --monotonic,
 * timens_offsets, linux.timeOffsets), the lab's root (--root, chroot or
 * pivot_root, root.path) and veth pairs (ip link, in the shell script)
 * from the fields these fill; until then they stay empty.
 */
#include "config.h"
#include "export.h"

#include "lab.h"

void export_gather_fs(const struct lab *lab, struct export_lab *x)
{
	/* With the fs feature (labfs.h), something like:
	 *	const struct lab_fs *fs = lab->fs;
	 *	if (!fs)
	 *		return;
	 *	for (int c = 0; c < EXPORT_CLOCKS && (x->isolated & NS_BIT(NS_TIME)); c++) {
	 *		x->clock_set[c] = fs->clock_set[c];
	 *		x->clock_sec[c] = fs->clock_sec[c];
	 *	}
	 *	if (fs->pivot_dir && !fs->overlay_is_root) {
	 *		x->root_kind = EXPORT_ROOT_PIVOT;
	 *		x->root_dir = xstrdup(fs->pivot_dir);
	 *	} else if (fs->chroot_dir) {
	 *		x->root_kind = EXPORT_ROOT_CHROOT;
	 *		x->root_dir = xstrdup(fs->chroot_dir);
	 *	}
	 * An overlay root lives only in the lab's mount namespace: outside
	 * it is an empty directory, so it is better left out (the bundle then
	 * gets a busybox root) than exported as a path. */
	(void)lab;
	(void)x;
}

void export_gather_net(const struct lab *lab, struct export_lab *x)
{
	/* With the net feature (labnet.h), something like:
	 *	const struct veth_pair *p;
	 *	for (size_t i = 0; (p = labnet_pair(i)); i++) {
	 *		bool near = p->lab == lab;
	 *		if (!near && p->peer_lab != lab)
	 *			continue;
	 *		x->veth = xrealloc(x->veth, (x->nveth + 1) * sizeof(*x->veth));
	 *		struct export_veth *v = memset(&x->veth[x->nveth++], 0, sizeof(*v));
	 *		snprintf(v->name, sizeof(v->name), "%s", near ? p->name : p->peer);
	 *		snprintf(v->peer, sizeof(v->peer), "%s", near ? p->peer : p->name);
	 *		ipv4_prefix_str(near ? p->addr : p->peer_addr, v->addr, sizeof(v->addr));
	 *		ipv4_prefix_str(near ? p->peer_addr : p->addr, v->peer_addr, sizeof(v->peer_addr));
	 *		const struct lab *other = near ? p->peer_lab : p->lab;
	 *		snprintf(v->peer_lab, sizeof(v->peer_lab), "%s", other ? other->name : "");
	 *	}
	 */
	(void)lab;
	(void)x;
}
