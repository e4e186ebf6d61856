/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading an overlay's upper layer from the host: `diff` and `layer save`.
 * overlayfs records a deletion as a whiteout (a character device 0/0) and a
 * directory that replaced one below it as opaque (the xattr
 * trusted.overlay.opaque, or user.overlay.opaque when a user namespace
 * mounted it, set to "y"). */
#include "config.h"
#include "labfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static const char *opaque_xattr(bool user)
{
	return user ? "user.overlay.opaque" : "trusted.overlay.opaque";
}

static bool is_opaque(int dirfd, const char *name, bool user)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char v[4];

	return fd >= 0 && fgetxattr(fd, opaque_xattr(user), v, sizeof(v)) == 1 && v[0] == 'y';
}

/* ---- diff -------------------------------------------------------------- */

struct change {
	char kind;
	char *path;
};

struct diff {
	const struct lab_fs *fs;
	struct change *v;
	size_t n, cap;
};

static void add_change(struct diff *d, char kind, const char *path)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = (struct change){kind, xstrdup(path)};
}

/* Whether REL ("a/b/c") is there in the lower layers, as the overlay
 * sees them: the first layer that has it decides (a whiteout there hides
 * it), and an opaque directory hides the layers below it. */
static bool in_lower(const struct lab_fs *fs, const char *rel)
{
	char prefix[PATH_MAX];
	struct stat st;

	if (!*rel)
		return true;
	for (int i = 0; i < fs->nlower; i++) {
		const char *p = rel;
		bool hidden_below = false;
		for (;;) {
			const char *slash = strchrnul(p, '/');
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(slash - rel), rel);
			if (fstatat(fs->lower_fd[i], prefix, &st, AT_SYMLINK_NOFOLLOW) < 0)
				break;
			if (is_whiteout(&st))
				return false;
			if (!*slash)
				return true;
			if (S_ISDIR(st.st_mode) && is_opaque(fs->lower_fd[i], prefix, fs->userxattr))
				hidden_below = true;
			p = slash + 1;
		}
		if (hidden_below)
			return false;
	}
	return false;
}

static bool seen(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* An opaque directory hides all the lower layers had in it: each of those
 * entries the lab did not make again was deleted. */
static void add_hidden(struct diff *d, const char *rel, int upper_dir)
{
	char **names = NULL;
	size_t n = 0;

	for (int i = 0; i < d->fs->nlower; i++) {
		int fd = openat(d->fs->lower_fd[i], *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *de;
		struct stat st;
		if (!dir) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((de = readdir(dir))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || seen(names, n, de->d_name))
				continue;
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(de->d_name);
			if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !is_whiteout(&st) &&
			    fstatat(upper_dir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				_cleanup_free_ char *path = xasprintf("/%s%s%s", rel, *rel ? "/" : "", de->d_name);
				add_change(d, 'D', path);
			}
		}
		closedir(dir);
		if (is_opaque(d->fs->lower_fd[i], *rel ? rel : ".", d->fs->userxattr))
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void walk(struct diff *d, int fd, const char *rel, int depth)
{
	DIR *dir = fdopendir(fd);
	struct dirent *de;
	char child[PATH_MAX];
	struct stat st;

	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "", de->d_name) >= (int)sizeof(child) ||
		    fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char path[PATH_MAX + 1];
		snprintf(path, sizeof(path), "/%s", child);
		if (is_whiteout(&st)) {
			add_change(d, 'D', path);
			continue;
		}
		bool below = in_lower(d->fs, child);
		add_change(d, below ? 'C' : 'A', path);
		if (!S_ISDIR(st.st_mode) || depth > 256)
			continue;
		int sub = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		if (below && is_opaque(dirfd(dir), de->d_name, d->fs->userxattr))
			add_hidden(d, child, sub);
		walk(d, sub, child, depth + 1);
	}
	closedir(dir);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

int layers_diff(const struct lab_fs *fs, struct buf *out, struct nserr *e)
{
	_cleanup_free_ char *upper = xasprintf("%s/upper", fs->dir);
	struct diff d = {.fs = fs};
	int fd = open(upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return nserr_set(e, errno, _("cannot read the upper layer %s"), upper);
	walk(&d, fd, "", 0);
	if (d.n)
		qsort(d.v, d.n, sizeof(*d.v), by_path);
	for (size_t i = 0; i < d.n; i++) {
		_cleanup_free_ char *p = escaped(d.v[i].path);
		buf_printf(out, "%c %s\n", d.v[i].kind, p);
		free(d.v[i].path);
	}
	free(d.v);
	return 0;
}

/* ---- layer save ---------------------------------------------------------- */

struct copy {
	bool user_opaque;	/* the source's opaque marks are user.* ones */
	unsigned count;
	struct nserr *e;
};

static int copy_data(int from, int to)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = copy_file_range(from, NULL, to, NULL, (size_t)1 << 30, 0);
		if (n == 0)
			return 0;
		if (n < 0)
			break;
	}
	if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	while ((n = read(from, buf, sizeof(buf))) > 0)
		if (write_full(to, buf, (size_t)n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st)
{
	_cleanup_close_ int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int out = -1;

	if (in < 0)
		return -1;
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0 || copy_data(in, out) < 0)
		return -1;
	return 0;
}

/* Whoever stacks the layer later reads the mark of its own kind: write
 * both where we may (only root may write trusted.*). */
static void mark_opaque(int ddir, const char *name)
{
	_cleanup_close_ int fd = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	fsetxattr(fd, "user.overlay.opaque", "y", 1, 0);
	if (geteuid() == 0)
		fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0);
}

static int copy_tree(struct copy *c, int sdir, int ddir, int depth);

static int copy_entry(struct copy *c, int sdir, int ddir, const char *name, int depth)
{
	struct stat st;
	struct timespec times[2];
	char target[PATH_MAX];
	ssize_t n;
	int rc = 0;

	if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		_cleanup_close_ int s = -1, d = -1;
		if (mkdirat(ddir, name, 0700) < 0 ||
		    (s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    (d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    copy_tree(c, steal_fd(&s), d, depth + 1) < 0)
			return -1;
		if (is_opaque(sdir, name, c->user_opaque))
			mark_opaque(ddir, name);
	} else if (S_ISREG(st.st_mode)) {
		rc = copy_file(sdir, ddir, name, &st);
	} else if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(sdir, name, target, sizeof(target) - 1)) < 0)
			return -1;
		target[n] = '\0';
		rc = symlinkat(target, ddir, name);
	} else {
		/* Whiteouts (0/0) may be made without privilege; other
		 * devices, fifos and sockets are copied where we may. */
		rc = mknodat(ddir, name, st.st_mode, st.st_rdev);
	}
	if (rc < 0)
		return -1;
	/* Rootless, files keep their owner: the one mapped user. */
	if (fchownat(ddir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EPERM)
		return -1;
	if (!S_ISLNK(st.st_mode) && fchmodat(ddir, name, st.st_mode & 07777, 0) < 0)
		return -1;
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	utimensat(ddir, name, times, AT_SYMLINK_NOFOLLOW);
	c->count++;
	return 0;
}

/* Takes SDIR over; DDIR stays the caller's. */
static int copy_tree(struct copy *c, int sdir, int ddir, int depth)
{
	DIR *dir = fdopendir(sdir);
	struct dirent *de;
	int rc = 0;

	if (!dir) {
		close(sdir);
		return -1;
	}
	if (depth > 256) {
		closedir(dir);
		errno = ELOOP;
		return -1;
	}
	while (rc == 0 && (de = readdir(dir)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    (rc = copy_entry(c, dirfd(dir), ddir, de->d_name, depth)) < 0 && !c->e->msg[0]) {
			_cleanup_free_ char *w = escaped(de->d_name);
			nserr_set(c->e, errno, _("cannot copy %s"), w);
		}
	closedir(dir);
	return rc;
}

/* DEST must be new or an empty directory. */
static int open_dest(const char *dest, struct nserr *e)
{
	_cleanup_free_ char *w = escaped(dest);
	int fd;
	DIR *d;
	struct dirent *de;

	if (mkdir(dest, 0755) == 0)
		return open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (errno != EEXIST)
		return nserr_set(e, errno, _("cannot make %s"), w);
	fd = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return nserr_set(e, errno, "%s", w);
	d = fdopendir(fcntl(fd, F_DUPFD_CLOEXEC, 0));
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			closedir(d);
			close(fd);
			nserr_set(e, 0, _("%s is not empty"), w);
			return nserr_hint(e, _("give a new directory, or an empty one"));
		}
	if (d)
		closedir(d);
	return fd;
}

/* A copy into the run directory would be removed with it, or copy itself. */
static int check_dest(const struct lab_fs *fs, const char *dest, struct nserr *e)
{
	_cleanup_free_ char *rd = realpath(dest, NULL), *rr = realpath(fs->dir, NULL);
	size_t n = rr ? strlen(rr) : 0;

	if (rd && rr && strncmp(rd, rr, n) == 0 && (rd[n] == '/' || !rd[n])) {
		_cleanup_free_ char *w = escaped(dest);
		nserr_set(e, 0, _("%s is inside the lab's run directory %s"), w, fs->dir);
		return nserr_hint(e, _("save the layer somewhere of its own"));
	}
	return 0;
}

int layers_save(const struct lab_fs *fs, const char *dest, unsigned *count, struct nserr *e)
{
	_cleanup_free_ char *upper = xasprintf("%s/upper", fs->dir);
	struct copy c = {.user_opaque = fs->userxattr, .e = e};
	_cleanup_close_ int dfd = -1;
	struct stat st;
	bool made = stat(dest, &st) < 0;
	int sfd, rc;

	*count = 0;
	sfd = open(upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0)
		return nserr_set(e, errno, _("cannot read the upper layer %s"), upper);
	if ((dfd = open_dest(dest, e)) < 0 || check_dest(fs, dest, e) < 0) {
		close(sfd);
		if (dfd >= 0 && made)
			rmdir(dest);
		return -1;
	}
	rc = copy_tree(&c, sfd, dfd, 0);
	*count = c.count;
	if (rc < 0 && made)
		rm_tree(AT_FDCWD, dest); /* no half layer left behind */
	return rc;
}
