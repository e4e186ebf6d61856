/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A lab's filesystem state, nslab's run directory on the host, and the
 * hooks the lab engine calls (see labfs.h). */
#include "config.h"
#include "labfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "signals.h"
#include "trace.h"

/* RUN and RUN/PID: fixed once known, since the fatal-signal hook reads
 * them. run_mine is locked (flock on the directory itself) through
 * run_lock while any lab has a directory in it. */
static char run_base[PATH_MAX];
static char run_mine[PATH_MAX];
static int run_lock = -1;
static int run_users;

struct lab_fs *labfs(struct lab *lab)
{
	if (!lab->fs)
		lab->fs = xcalloc(1, sizeof(*lab->fs));
	return lab->fs;
}

static bool on_tmpfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TMPFS_MAGIC;
}

static const char *base_dir(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (run_base[0])
		return run_base;
	/* The upper layer is scratch, best kept in memory: /run is a tmpfs
	 * on most systems; where it is not, /dev/shm is. On a disk every
	 * mkdir and unlink waits for the journal, which others keep busy. */
	if (geteuid() == 0)
		snprintf(run_base, sizeof(run_base), "%s",
			 on_tmpfs("/run") || !on_tmpfs("/dev/shm") ? "/run/nslab" : "/dev/shm/nslab");
	else if (xdg && xdg[0] == '/' && strlen(xdg) < PATH_MAX - 64)
		snprintf(run_base, sizeof(run_base), "%s/nslab", xdg);
	else
		snprintf(run_base, sizeof(run_base), "/tmp/nslab-%u", (unsigned)geteuid());
	return run_base;
}

/* ---- removing trees, async-signal-safe ----------------------------------- */

struct linux_dirent64 {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* No malloc and no stdio: this also runs from the fatal-signal hook. A
 * directory the lab made unreadable or read-only (overlayfs's work/work is
 * mode 000) is opened up first: it is ours, and about to go. */
static void rm_tree_at(int dirfd, const char *name, int depth)
{
	char buf[1024];
	long n;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT || errno != EISDIR || depth > 128)
		return;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0)
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	fchmod(fd, 0700); /* entries of a read-only directory could not go */
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
				rm_tree_at(fd, d->d_name, depth + 1);
		}
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

void rm_tree(int dirfd, const char *name)
{
	rm_tree_at(dirfd, name, 0);
}

static void on_fatal_signal(void)
{
	if (run_lock >= 0) {
		rm_tree_at(AT_FDCWD, run_mine, 0);
		rmdir(run_base);
	}
}

/* ---- the run directory ---------------------------------------------------- */

static int check_base(struct nserr *e)
{
	const char *base = base_dir();
	struct stat st;

	if (mkdir(base, 0700) < 0 && errno != EEXIST)
		return nserr_set(e, errno, _("cannot make nslab's run directory %s"), base);
	/* In /tmp someone else could have made it first. */
	if (lstat(base, &st) < 0)
		return nserr_set(e, errno, "%s", base);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		nserr_set(e, 0, _("%s is not nslab's run directory (a directory of yours that only you can write to)"), base);
		return nserr_hint(e, _("remove it, or set XDG_RUNTIME_DIR to a directory of your own"));
	}
	return 0;
}

/* Lock RUN/PID; a sweeper may remove the directory between our mkdir and
 * our flock, so check that the locked one is still there. */
static int lock_mine(struct nserr *e)
{
	struct stat st;

	snprintf(run_mine, sizeof(run_mine), "%s/%d", base_dir(), (int)getpid());
	for (int tries = 0; tries < 5; tries++) {
		if (check_base(e) < 0)
			return -1;
		if (mkdir(run_mine, 0700) < 0 && errno != EEXIST)
			continue;
		run_lock = open(run_mine, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (run_lock < 0)
			continue;
		if (flock(run_lock, LOCK_EX | LOCK_NB) == 0 && fstat(run_lock, &st) == 0 && st.st_nlink > 0)
			return 0;
		close(run_lock);
		run_lock = -1;
	}
	return nserr_set(e, 0, _("cannot lock nslab's run directory %s"), run_mine);
}

static void unlock_mine(void)
{
	if (run_lock < 0)
		return;
	rm_tree_at(AT_FDCWD, run_mine, 0);
	close(run_lock);
	run_lock = -1;
	rmdir(base_dir()); /* only if no other nslab uses it */
}

/* One more user of our run directory, made and locked on the first. */
static int hold_mine(struct nserr *e)
{
	static bool hooked;

	if (run_lock < 0 && lock_mine(e) < 0)
		return -1;
	if (!hooked) {
		signals_on_fatal(on_fatal_signal);
		hooked = true;
	}
	run_users++;
	return 0;
}

static void release_mine(void)
{
	if (--run_users == 0)
		unlock_mine();
}

#define CGROUP_MARK "cgroups"

int labfs_mark_cgroups(struct nserr *e)
{
	int fd;

	if (hold_mine(e) < 0)
		return -1;
	fd = openat(run_lock, CGROUP_MARK, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		nserr_set(e, errno, _("cannot make %s/%s"), run_mine, CGROUP_MARK);
		release_mine();
		return -1;
	}
	close(fd);
	return 0;
}

void labfs_unmark_cgroups(void)
{
	if (run_lock < 0)
		return;
	unlinkat(run_lock, CGROUP_MARK, 0);
	release_mine();
}

int layers_make_dir(struct lab *lab, struct nserr *e)
{
	struct lab_fs *fs = labfs(lab);
	static const char *const sub[] = {"upper", "work", "merged"};
	static const mode_t modes[] = {0755, 0700, 0755};
	_cleanup_close_ int dfd = -1;

	if (fs->dir)
		return 0;
	if (hold_mine(e) < 0)
		return -1;
	fs->dir = xasprintf("%s/%s", run_mine, lab->name);
	rm_tree_at(AT_FDCWD, fs->dir, 0);
	if (mkdir(fs->dir, 0700) < 0 || (dfd = open(fs->dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		nserr_set(e, errno, _("cannot make %s"), fs->dir);
		layers_remove_dir(fs);
		return -1;
	}
	/* The upper directory's mode becomes that of the overlay's root. */
	for (size_t i = 0; i < ARRAY_SIZE(sub); i++)
		if (mkdirat(dfd, sub[i], modes[i]) < 0 || fchmodat(dfd, sub[i], modes[i], 0) < 0) {
			nserr_set(e, errno, _("cannot make %s/%s"), fs->dir, sub[i]);
			layers_remove_dir(fs);
			return -1;
		}
	return 0;
}

void layers_remove_dir(struct lab_fs *fs)
{
	if (!fs->dir)
		return;
	rm_tree_at(AT_FDCWD, fs->dir, 0);
	free(fs->dir);
	fs->dir = NULL;
	release_mine();
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void labfs_sweep(void (*cgroups_left)(void))
{
	DIR *d = opendir(base_dir());
	struct dirent *de;
	bool swept = false;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd;
		if (!all_digits(de->d_name))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* A free lock: the nslab that made it is gone. Its mark says it
		 * had cgroups: those go first, while the mark is still there. */
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (!swept && faccessat(fd, CGROUP_MARK, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
				cgroups_left();
				swept = true;
			}
			rm_tree_at(dirfd(d), de->d_name, 0);
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	rmdir(base_dir());
}

/* ---- hooks ------------------------------------------------------------------ */

static void forget_mounts(struct lab_fs *fs)
{
	for (int i = 0; i < fs->nlower; i++) {
		if (fs->lower_fd[i] >= 0)
			close(fs->lower_fd[i]);
		free(fs->lower[i]);
	}
	free(fs->lower);
	free(fs->lower_fd);
	free(fs->pivot_dir);
	free(fs->chroot_dir);
	fs->lower = NULL;
	fs->lower_fd = NULL;
	fs->pivot_dir = fs->chroot_dir = NULL;
	fs->nlower = 0;
	fs->overlay = fs->overlay_is_root = fs->userxattr = false;
}

void labfs_share(struct lab *lab, unsigned mask)
{
	/* The overlay, the root and the chroot all belong to the lab's mount
	 * namespace: they go with it. Clock offsets wait for the next time
	 * namespace. */
	if (!lab->fs || !(mask & NS_BIT(NS_MNT)))
		return;
	forget_mounts(lab->fs);
	layers_remove_dir(lab->fs);
}

void labfs_free(struct lab *lab)
{
	if (!lab->fs)
		return;
	labfs_share(lab, NS_ALL);
	free(lab->fs);
	lab->fs = NULL;
}

int labfs_enter(const struct lab *lab, struct nserr *e)
{
	const char *dir = lab->fs ? lab->fs->chroot_dir : NULL;

	if (!dir)
		return 0;
	if (TRACE(chroot(dir), "chroot(%s)", trace_str(dir)) < 0 || TRACE(chdir("/"), "chdir(\"/\")") < 0) {
		_cleanup_free_ char *w = escaped(dir);
		return nserr_set(e, errno, _("cannot chroot to %s in the lab"), w);
	}
	return 0;
}
