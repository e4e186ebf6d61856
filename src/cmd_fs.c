/* SPDX-License-Identifier: GPL-3.0-or-later */
/* overlay, rootfs, chroot, diff, layer: the layered filesystem of a
 * container. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "labfs.h"
#include "rootfs.h"

static int need_lab_mnt(struct nslab *app, const char *cmd, struct nserr *e)
{
	if (lab_isolated(app->lab) & NS_BIT(NS_MNT))
		return 0;
	nserr_set(e, 0, _("%s: the lab still shares the host's mount namespace, so this would change the host's mounts"), cmd);
	return nserr_hint(e, _("`unshare mnt` first"));
}

static int need_overlay(struct lab_fs *fs, const char *cmd, struct nserr *e)
{
	if (fs->overlay)
		return 0;
	nserr_set(e, 0, _("%s: the lab has no overlay"), cmd);
	return nserr_hint(e, _("`overlay [LOWER...]` first"));
}

/* ---- overlay --------------------------------------------------------------- */

static int recv_fds(int sock, int *fds, int n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * OVERLAY_MAX_LOWER)];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) != 1 || !(c = CMSG_FIRSTHDR(&mh)) ||
	    c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int) * (size_t)n))
		return -1;
	memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
	return 0;
}

static int mount_overlay(struct lab *lab, struct overlay_req *r, int *fds, struct nserr *e)
{
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return nserr_set(e, errno, "socketpair");
	r->sock = sv[1];
	rc = lab_call(lab, 0, overlay_in_lab, r, NULL, e);
	if (rc == 0 && recv_fds(sv[0], fds, r->nlower) < 0)
		rc = nserr_set(e, EPROTO, _("the layers did not come back from the lab"));
	close(sv[0]);
	close(sv[1]);
	return rc;
}

static void overlay_hint(const struct overlay_req *r, struct nserr *e)
{
	bool root_lower = false;

	for (int i = 0; i < r->nlower; i++)
		root_lower |= strcmp(r->lower[i], "/") == 0;
	/* clone_private_mount() refuses a layer with mounts below it that a
	 * user namespace may not look beneath (/proc, /sys, /dev...). */
	if (root_lower && r->userxattr && e->err == EINVAL && !e->hint[0])
		nserr_hint(e, _("in a user namespace a layer may not have mounts below it, and / has: give a directory, such as a root made by tools/mkrootfs.sh"));
	/* Each layer's root is a trap for lookups in the others. */
	if (e->err == ELOOP && !e->hint[0])
		nserr_hint(e, _("one layer lies inside another, which overlayfs refuses: keep layers side by side, or on another filesystem (/dev/shm)"));
}

static int overlay_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	static char *host_root[] = {"/"};
	struct lab *lab = app->lab;
	struct lab_fs *fs = labfs(lab);
	struct overlay_req r = {.lower = argc > 1 ? argv + 1 : host_root, .nlower = argc > 1 ? argc - 1 : 1,
				.host_mnt = host.ino[NS_MNT]};
	int fds[OVERLAY_MAX_LOWER];

	for (int i = 0; i < r.nlower; i++)
		if (check_abs_path(r.lower[i], _("lower layer"), e) < 0)
			return nserr_prefix(e, "overlay");
	if (need_lab_mnt(app, "overlay", e) < 0)
		return -1;
	if (fs->overlay) {
		nserr_set(e, 0, _("overlay: the lab has an overlay already"));
		return nserr_hint(e, _("`share mnt` ends it; `layer save DIR` keeps its upper layer first"));
	}
	if (fs->pivot_dir || fs->chroot_dir) {
		nserr_set(e, 0, _("overlay: the lab's root is not the host's any more, and nslab's run directory is out of its reach"));
		return nserr_hint(e, _("`share mnt` then `unshare mnt` starts again"));
	}
	if (layers_make_dir(lab, e) < 0)
		return nserr_prefix(e, "overlay");
	_cleanup_free_ char *upper = xasprintf("%s/upper", fs->dir), *work = xasprintf("%s/work", fs->dir),
			    *merged = xasprintf("%s/merged", fs->dir);
	r.upper = upper;
	r.work = work;
	r.merged = merged;
	r.userxattr = lab->owned_by_user & NS_BIT(NS_MNT);
	if (mount_overlay(lab, &r, fds, e) < 0) {
		overlay_hint(&r, e);
		layers_remove_dir(fs);
		return nserr_prefix(e, "overlay");
	}
	fs->overlay = true;
	fs->userxattr = r.userxattr;
	fs->nlower = r.nlower;
	fs->lower = xcalloc((size_t)r.nlower, sizeof(char *));
	fs->lower_fd = xcalloc((size_t)r.nlower, sizeof(int));
	for (int i = 0; i < r.nlower; i++) {
		fs->lower[i] = xstrdup(r.lower[i]);
		fs->lower_fd[i] = fds[i];
	}
	struct buf wl = {0};
	for (int i = 0; i < r.nlower; i++) {
		_cleanup_free_ char *w = escaped(r.lower[i]);
		buf_printf(&wl, "%s%s", i ? ":" : "", w);
	}
	printf(_("overlay mounted at %s in the lab only; lower %s (read-only); upper and work in %s on the host\n"),
	       merged, wl.s, fs->dir);
	buf_free(&wl);
	printf(_("`rootfs` makes it the lab's root; `diff` lists what the lab changes\n"));
	return 0;
}

const struct command cmd_overlay = {
	.name = "overlay", .usage = "[LOWER...]",
	.help = N_("mount an overlay for the lab: LOWERs (top first; default /) read-only, changes kept apart"),
	.min_args = 0, .max_args = OVERLAY_MAX_LOWER, .run = overlay_run, .complete = COMPLETE_FILES,
};

/* ---- rootfs and chroot ---------------------------------------------------- */

static int root_request(struct nslab *app, const char *cmd, const char *dir, struct root_req *r, struct nserr *e)
{
	struct lab *lab = app->lab;

	if (check_abs_path(dir, _("root"), e) < 0)
		return nserr_prefix(e, cmd);
	if (need_lab_mnt(app, cmd, e) < 0)
		return -1;
	if (labfs(lab)->chroot_dir) {
		_cleanup_free_ char *w = escaped(lab->fs->chroot_dir);
		nserr_set(e, 0, _("%s: the lab is chrooted to %s already"), cmd, w);
		return nserr_hint(e, _("`share mnt` then `unshare mnt` starts again"));
	}
	*r = (struct root_req){.dir = dir, .own_pid = lab_isolated(lab) & NS_BIT(NS_PID),
			       .userns = lab_isolated(lab) & NS_BIT(NS_USER), .host_mnt = host.ino[NS_MNT]};
	return 0;
}

/* A PID 1 made before the mount namespace lives outside it: pivot_root
 * does not move its root, and /proc/1/root still leads to the host's. */
static void warn_old_init(struct nslab *app)
{
	struct lab *lab = app->lab;
	char path[64];
	struct stat st;

	lab_poll(lab);
	if (lab->init <= 0 || lab->init_gone)
		return;
	snprintf(path, sizeof(path), "%d/ns/mnt", (int)lab->init);
	if (fstatat(host.proc, path, &st, 0) == 0 && st.st_ino != lab->ino[NS_MNT])
		app_warn(app, _("the lab's PID 1 was made before its mount namespace and keeps the host's root: "
				"/proc/1/root leads there (`share pid` then `unshare pid` makes one in the new root)"));
}

static int rootfs_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	_cleanup_free_ char *merged = fs->dir ? xasprintf("%s/merged", fs->dir) : NULL;
	struct buf out = {0};
	struct root_req r;

	if (need_lab_mnt(app, "rootfs", e) < 0)
		return -1;
	if (argc == 1 && need_overlay(fs, "rootfs", e) < 0)
		return nserr_hint(e, _("give a DIR, or make an `overlay` first"));
	if (argc == 1 && fs->overlay_is_root) {
		nserr_set(e, 0, _("rootfs: the overlay is the lab's root already"));
		return nserr_hint(e, _("`run ls /` shows it"));
	}
	if (root_request(app, "rootfs", argc > 1 ? argv[1] : merged, &r, e) < 0)
		return -1;
	if (lab_call(app->lab, r.own_pid ? LAB_IN_PID : 0, rootfs_in_lab, &r, &out, e) < 0) {
		buf_free(&out);
		return nserr_prefix(e, "rootfs");
	}
	fputs(out.s, stdout);
	buf_free(&out);
	warn_old_init(app);
	free(fs->pivot_dir);
	fs->pivot_dir = xstrdup(r.dir);
	fs->overlay_is_root |= merged && strcmp(r.dir, merged) == 0;
	return 0;
}

const struct command cmd_rootfs = {
	.name = "rootfs", .usage = "[DIR]",
	.help = N_("make DIR (or the overlay) the lab's root with pivot_root, with new /proc, /dev, /sys"),
	.min_args = 0, .max_args = 1, .run = rootfs_run, .complete = COMPLETE_FILES,
};

static int chroot_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	struct root_req r;

	if (root_request(app, "chroot", argv[1], &r, e) < 0)
		return -1;
	if (lab_call(app->lab, 0, chroot_in_lab, &r, NULL, e) < 0)
		return nserr_prefix(e, "chroot");
	fs->chroot_dir = xstrdup(argv[1]);
	_cleanup_free_ char *w = escaped(argv[1]);
	printf(_("the lab's programs now start chrooted to %s (chroot(2) before exec)\n"), w);
	printf(_("only their root moved: the mounts, the lab's PID 1 and open directories still reach the old one "
		 "(/proc/1/root, or chroot again without chdir and climb ..); that is why runtimes use pivot_root "
		 "(`rootfs`, `explain pivot_root`)\n"));
	return 0;
}

const struct command cmd_chroot = {
	.name = "chroot", .usage = "DIR",
	.help = N_("start the lab's programs chrooted to DIR (escapable: runtimes use rootfs's pivot_root)"),
	.min_args = 1, .max_args = 1, .run = chroot_run, .complete = COMPLETE_FILES,
};

/* ---- diff, layer save ------------------------------------------------------ */

static int diff_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	struct buf out = {0};

	if (need_overlay(fs, "diff", e) < 0 || layers_diff(fs, &out, e) < 0)
		return nserr_prefix(e, "diff");
	if (out.s)
		fputs(out.s, stdout);
	buf_free(&out);
	return 0;
}

const struct command cmd_diff = {
	.name = "diff", .usage = "",
	.help = N_("list what the lab added (A), changed (C) and deleted (D) over its overlay's lower layers"),
	.min_args = 0, .max_args = 0, .run = diff_run,
};

static int layer_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct lab_fs *fs = labfs(app->lab);
	unsigned count;
	struct buf lowers = {0};

	if (strcmp(argv[1], "save") != 0)
		return command_usage_error(&cmd_layer, e, _("unknown subcommand"));
	if (argc != 3)
		return command_usage_error(&cmd_layer, e, _("missing directory"));
	if (check_abs_path(argv[2], _("directory"), e) < 0 || need_overlay(fs, "layer save", e) < 0 ||
	    layers_save(fs, argv[2], &count, e) < 0)
		return nserr_prefix(e, "layer save");
	for (int i = 0; i < fs->nlower; i++) {
		_cleanup_free_ char *w = escaped(fs->lower[i]);
		buf_printf(&lowers, " %s", w);
	}
	_cleanup_free_ char *w = escaped(argv[2]);
	printf(_("saved the upper layer to %s (%u entries, whiteouts and opaque marks kept)\n"), w, count);
	printf(_("`overlay %s%s` stacks it on the same lower layers (it is a path on the host)\n"), w, lowers.s);
	buf_free(&lowers);
	return 0;
}

static const char *const layer_words[] = {"save", NULL};

const struct command cmd_layer = {
	.name = "layer", .usage = "save DIR",
	.help = N_("copy the overlay's upper layer to DIR on the host, for a later overlay to stack"),
	.min_args = 1, .max_args = 2, .run = layer_run, .complete = COMPLETE_WORDS, .words = layer_words,
};
