/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run in the lab (through lab_call): mounting the overlay, and making a
 * directory the lab's root as a container runtime does. */
#include "config.h"
#include "rootfs.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

/* The last line of defence: never mount in the host's mount namespace,
 * whatever the lab's bookkeeping says. */
static int in_lab_mnt(ino_t host_mnt, struct nserr *e)
{
	struct stat st;

	if (fstatat(host.proc, "self/ns/mnt", &st, 0) < 0)
		return nserr_set(e, errno, _("cannot check the mount namespace"));
	if (st.st_ino == host_mnt)
		return nserr_set(e, 0, _("refusing to mount in the host's mount namespace"));
	return 0;
}

static int check_dir(const char *dir, const char *what, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(dir);
	struct stat st;

	if (stat(dir, &st) < 0 && errno == ENOENT) {
		nserr_set(e, 0, _("%s %s does not exist in the lab"), what, w);
		return nserr_hint(e, _("paths are looked up in the lab's mount namespace"));
	}
	if (stat(dir, &st) < 0)
		return nserr_set(e, errno, "%s %s", what, w);
	if (!S_ISDIR(st.st_mode))
		return nserr_set(e, 0, _("%s %s is not a directory"), what, w);
	return 0;
}

/* ---- overlay --------------------------------------------------------------- */

/* The kernel explains a refused filesystem context in its log ("e overlay:
 * ..."), readable from the fsopen() fd: worth more than EINVAL. */
static int fs_error(int fsfd, const char *what, struct nserr *e)
{
	int err = errno;
	char line[256], last[256] = "";
	ssize_t n;

	while ((n = read(fsfd, line, sizeof(line) - 1)) > 0) {
		line[n] = '\0';
		if (line[0] == 'e' && line[1] == ' ')
			snprintf(last, sizeof(last), "%s", line + 2);
	}
	if (last[0])
		return nserr_set(e, err, "%s (the kernel says: %s)", what, last);
	return nserr_set(e, err, "%s", what);
}

static int send_fds(int sock, const int *fds, int n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * OVERLAY_MAX_LOWER)];
		struct cmsghdr align;
	} u = {0};
	char byte = 'f';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (!c) /* not with the room given above; for the analyzer */
		return -1;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* A private, detached copy of each lower layer, without the mounts below
 * it: the tree exactly as the overlay sees it, for `diff` on the host. */
static int send_lowers(const struct overlay_req *r, struct nserr *e)
{
	int fds[OVERLAY_MAX_LOWER], rc = 0;

	for (int i = 0; i < OVERLAY_MAX_LOWER; i++)
		fds[i] = -1;
	for (int i = 0; i < r->nlower && rc == 0; i++) {
		fds[i] = (int)syscall(SYS_open_tree, AT_FDCWD, r->lower[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fds[i] < 0)
			fds[i] = open(r->lower[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fds[i] < 0)
			rc = nserr_set(e, errno, _("cannot open %s"), r->lower[i]);
	}
	if (rc == 0 && send_fds(r->sock, fds, r->nlower) < 0)
		rc = nserr_set(e, errno, _("cannot hand the layers to nslab"));
	for (int i = 0; i < r->nlower; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

int overlay_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct overlay_req *r = arg;
	_cleanup_close_ int fsfd = -1, mfd = -1;
	int rc = 0;

	if (in_lab_mnt(r->host_mnt, e) < 0)
		return -1;
	for (int i = 0; i < r->nlower; i++)
		if (check_dir(r->lower[i], _("lower layer"), e) < 0)
			return -1;
	/* The new mount API: one fsconfig() per layer, so no path needs
	 * escaping of ':' or ','. lowerdir+ lists them top first. */
	fsfd = TRACE(fsopen("overlay", FSOPEN_CLOEXEC), "fsopen(\"overlay\", FSOPEN_CLOEXEC)");
	if (fsfd < 0)
		return nserr_set(e, errno, _("the kernel has no overlay filesystem"));
	for (int i = 0; i < r->nlower && rc == 0; i++)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", r->lower[i], 0),
			   "fsconfig(%d, FSCONFIG_SET_STRING, \"lowerdir+\", %s, 0)", fsfd, trace_str(r->lower[i]));
	if (rc == 0)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_SET_STRING, "upperdir", r->upper, 0),
			   "fsconfig(%d, FSCONFIG_SET_STRING, \"upperdir\", %s, 0)", fsfd, trace_str(r->upper));
	if (rc == 0)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_SET_STRING, "workdir", r->work, 0),
			   "fsconfig(%d, FSCONFIG_SET_STRING, \"workdir\", %s, 0)", fsfd, trace_str(r->work));
	if (rc == 0 && r->userxattr)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_SET_FLAG, "userxattr", NULL, 0),
			   "fsconfig(%d, FSCONFIG_SET_FLAG, \"userxattr\", NULL, 0)", fsfd);
	/* The upper layer is scratch that nslab throws away: without this,
	 * every sync, and the unmount, syncs the whole filesystem it is on. */
	if (rc == 0)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_SET_FLAG, "volatile", NULL, 0),
			   "fsconfig(%d, FSCONFIG_SET_FLAG, \"volatile\", NULL, 0)", fsfd);
	if (rc == 0)
		rc = TRACE(fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0), "fsconfig(%d, FSCONFIG_CMD_CREATE, NULL, NULL, 0)",
			   fsfd);
	if (rc < 0)
		return fs_error(fsfd, _("the kernel refused the layers"), e);
	mfd = TRACE(fsmount(fsfd, FSMOUNT_CLOEXEC, 0), "fsmount(%d, FSMOUNT_CLOEXEC, 0)", fsfd);
	if (mfd < 0 || TRACE(move_mount(mfd, "", AT_FDCWD, r->merged, MOVE_MOUNT_F_EMPTY_PATH),
			     "move_mount(%d, \"\", AT_FDCWD, %s, MOVE_MOUNT_F_EMPTY_PATH)", mfd, trace_str(r->merged)) < 0)
		return nserr_set(e, errno, _("cannot mount the overlay on %s"), r->merged);
	if (send_lowers(r, e) < 0) {
		TRACE(umount2(r->merged, MNT_DETACH), "umount2(%s, MNT_DETACH)", trace_str(r->merged));
		return -1;
	}
	return 0;
}

/* ---- rootfs and chroot ------------------------------------------------- */

/* Checked before anything changes: a root without a shell would leave the
 * lab nothing to run. */
static int check_root(const char *dir, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(dir);
	struct stat st;

	if (check_dir(dir, _("root"), e) < 0)
		return -1;
	_cleanup_free_ char *sh = xasprintf("%s/bin/sh", dir);
	if (lstat(sh, &st) < 0) {
		nserr_set(e, 0, _("%s has no /bin/sh: it does not look like a root filesystem"), w);
		return nserr_hint(e, _("tools/mkrootfs.sh DIR builds a small one from busybox"));
	}
	return 0;
}

int chroot_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct root_req *r = arg;

	if (check_root(r->dir, e) < 0)
		return -1;
	if (TRACE(chroot(r->dir), "chroot(%s)", trace_str(r->dir)) < 0) {
		nserr_set(e, errno, "chroot");
		return errno == EPERM ? nserr_hint(e, _("chroot(2) needs CAP_SYS_CHROOT")) : -1;
	}
	return 0;
}

static bool has_dir(const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0 && S_ISDIR(st.st_mode);
}

static int setup_proc(const struct root_req *r, struct buf *out, struct nserr *e)
{
	if (!has_dir("proc"))
		return buf_printf(out, _("/proc  not mounted: the root has no /proc\n")), 0;
	if (TRACE(mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
		  "mount(\"proc\", \"proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)") == 0) {
		buf_printf(out, r->own_pid ? _("/proc  a new proc of the lab's PID namespace\n")
					   : _("/proc  a new proc, of the host's PID namespace: it lists the host's processes, and /proc/1/root leads back to the host's files (`unshare pid` first)\n"));
		return 0;
	}
	/* Without a PID namespace of its own, a user namespace may not
	 * mount a proc: take the lab's. */
	if (errno == EPERM && TRACE(mount("/proc", "proc", NULL, MS_BIND | MS_REC, NULL),
				    "mount(\"/proc\", \"proc\", NULL, MS_BIND|MS_REC, NULL)") == 0) {
		buf_printf(out, _("/proc  the lab's /proc, bound: it lists the host's processes, and their /proc/PID/root leads back to the host's files (`unshare pid` first)\n"));
		return 0;
	}
	return nserr_set(e, errno, _("cannot mount /proc"));
}

static const struct {
	const char *name;
	unsigned major, minor;
} dev_nodes[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};

static int add_dev_node(const struct root_req *r, size_t i, struct nserr *e)
{
	_cleanup_free_ char *path = xasprintf("dev/%s", dev_nodes[i].name);
	_cleanup_free_ char *src = xasprintf("/dev/%s", dev_nodes[i].name);
	int fd;

	if (!r->userns)
		return TRACE(mknod(path, S_IFCHR | 0666, makedev(dev_nodes[i].major, dev_nodes[i].minor)),
			     "mknod(%s, S_IFCHR|0666, makedev(%#x, %#x))", trace_str(path), dev_nodes[i].major,
			     dev_nodes[i].minor) < 0 ? nserr_set(e, errno, "mknod %s", src) : 0;
	/* A user namespace may not make devices (and its tmpfs would not
	 * honour them): bind the lab's own onto empty files. */
	if ((fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666)) < 0)
		return nserr_set(e, errno, _("cannot make %s"), src);
	close(fd);
	if (TRACE(mount(src, path, NULL, MS_BIND, NULL), "mount(%s, %s, NULL, MS_BIND, NULL)", trace_str(src),
		  trace_str(path)) < 0)
		return nserr_set(e, errno, _("cannot bind %s"), src);
	return 0;
}

static int setup_dev(const struct root_req *r, struct buf *out, struct nserr *e)
{
	static const char *const links[][2] = {{"pts/ptmx", "dev/ptmx"}, {"/proc/self/fd", "dev/fd"},
					       {"/proc/self/fd/0", "dev/stdin"}, {"/proc/self/fd/1", "dev/stdout"},
					       {"/proc/self/fd/2", "dev/stderr"}};

	if (!has_dir("dev"))
		return buf_printf(out, _("/dev   not mounted: the root has no /dev\n")), 0;
	if (TRACE(mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
		  "mount(\"tmpfs\", \"dev\", \"tmpfs\", MS_NOSUID|MS_STRICTATIME, \"mode=755,size=65536k\")") < 0)
		return nserr_set(e, errno, _("cannot mount a tmpfs on /dev"));
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++)
		if (add_dev_node(r, i, e) < 0)
			return -1;
	const char *pts = r->userns ? "newinstance,ptmxmode=0666,mode=0620" : "newinstance,ptmxmode=0666,mode=0620,gid=5";
	if (TRACE(mkdir("dev/pts", 0755), "mkdir(\"dev/pts\", 0755)") < 0 ||
	    TRACE(mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, pts),
		  "mount(\"devpts\", \"dev/pts\", \"devpts\", MS_NOSUID|MS_NOEXEC, %s)", trace_str(pts)) < 0)
		return nserr_set(e, errno, _("cannot mount /dev/pts"));
	if (TRACE(mkdir("dev/shm", 01777), "mkdir(\"dev/shm\", 01777)") < 0 ||
	    TRACE(mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"),
		  "mount(\"shm\", \"dev/shm\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, \"mode=1777,size=65536k\")") < 0)
		return nserr_set(e, errno, _("cannot mount /dev/shm"));
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			return nserr_set(e, errno, _("cannot make %s"), links[i][1] + 3);
	buf_printf(out, r->userns ? _("/dev   a tmpfs with null zero full random urandom tty bound from the lab's /dev (a user namespace may not make devices), pts, shm\n")
				  : _("/dev   a tmpfs with null zero full random urandom tty (mknod), pts, shm\n"));
	return 0;
}

static int setup_sys(struct buf *out, struct nserr *e)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	if (!has_dir("sys"))
		return buf_printf(out, _("/sys   not mounted: the root has no /sys\n")), 0;
	if (TRACE(mount("sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
		  "mount(\"sysfs\", \"sys\", \"sysfs\", MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)") == 0)
		return buf_printf(out, _("/sys   a new sysfs, read-only\n")), 0;
	/* sysfs wants a network namespace the lab's user namespace owns:
	 * runtimes then bind the one they have, read-only. */
	if (errno != EPERM)
		return nserr_set(e, errno, _("cannot mount /sys"));
	if (TRACE(mount("/sys", "sys", NULL, MS_BIND | MS_REC, NULL),
		  "mount(\"/sys\", \"sys\", NULL, MS_BIND|MS_REC, NULL)") < 0 ||
	    TRACE(mount_setattr(AT_FDCWD, "sys", AT_RECURSIVE, &ro, sizeof(ro)),
		  "mount_setattr(AT_FDCWD, \"sys\", AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY}, %zu)", sizeof(ro)) < 0)
		return nserr_set(e, errno, _("cannot bind /sys"));
	buf_printf(out, _("/sys   the lab's /sys, bound read-only (sysfs needs `unshare net` when rootless)\n"));
	return 0;
}

/* Everything is mounted below the bind of DIR: detaching it undoes all. */
static int undo(const struct root_req *r, int rc)
{
	if (chdir("/") == 0)
		TRACE(umount2(r->dir, MNT_DETACH), "umount2(%s, MNT_DETACH)", trace_str(r->dir));
	return rc;
}

int rootfs_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct root_req *r = arg;

	if (in_lab_mnt(r->host_mnt, e) < 0 || check_root(r->dir, e) < 0)
		return -1;
	umask(0);
	/* pivot_root(2) wants the new root to be a mount point. */
	if (TRACE(mount(r->dir, r->dir, NULL, MS_BIND | MS_REC, NULL), "mount(%s, %s, NULL, MS_BIND|MS_REC, NULL)",
		  trace_str(r->dir), trace_str(r->dir)) < 0)
		return nserr_set(e, errno, _("cannot bind %s onto itself"), r->dir);
	if (TRACE(chdir(r->dir), "chdir(%s)", trace_str(r->dir)) < 0)
		return undo(r, nserr_set(e, errno, "chdir"));
	if (setup_proc(r, out, e) < 0 || setup_dev(r, out, e) < 0 || setup_sys(out, e) < 0)
		return undo(r, -1);
	/* pivot_root(".", "."): the old root ends up stacked on the new one,
	 * and detaching it leaves nothing of the host reachable. */
	if (TRACE(syscall(SYS_pivot_root, ".", "."), "pivot_root(\".\", \".\")") < 0)
		return undo(r, nserr_set(e, errno, "pivot_root"));
	if (TRACE(umount2(".", MNT_DETACH), "umount2(\".\", MNT_DETACH)") < 0 || TRACE(chdir("/"), "chdir(\"/\")") < 0)
		return nserr_set(e, errno, _("cannot detach the old root"));
	buf_printf(out, _("pivot_root: the lab's root is now %s; the old root is detached\n"), r->dir);
	return 0;
}
