/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A root filesystem for `export oci` when the lab has none of its own:
 * Debian's busybox-static and a link per applet, nothing downloaded. A
 * dynamic busybox would need the host's libraries inside, so it is
 * refused. */
#include "config.h"
#include "export.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "util.h"

/* Does the ELF file at FD ask for a program interpreter (ld.so)? */
static bool dynamic(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		return false; /* not one we can read: let the runtime judge */
	for (unsigned i = 0; i < eh.e_phnum; i++)
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) == (ssize_t)sizeof(ph) &&
		    ph.p_type == PT_INTERP)
			return true;
	return false;
}

static int copy_busybox(const char *busybox, int bin, struct nserr *e)
{
	_cleanup_close_ int in = open(busybox, O_RDONLY | O_CLOEXEC), out = -1;
	char chunk[65536];
	ssize_t n;

	if (in < 0) {
		nserr_set(e, errno, _("no busybox at %s"), busybox);
		return nserr_hint(e, _("apt-get install busybox-static"));
	}
	if (dynamic(in)) {
		nserr_set(e, 0, _("%s is linked dynamically: it would need the host's libraries in the root"), busybox);
		return nserr_hint(e, _("apt-get install busybox-static"));
	}
	out = openat(bin, "busybox", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0)
		return nserr_set(e, errno, _("cannot write the root's bin/busybox"));
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write_full(out, chunk, (size_t)n) != n)
			return nserr_set(e, errno, _("cannot write the root's bin/busybox"));
	if (n < 0)
		return nserr_set(e, errno, _("cannot read %s"), busybox);
	return 0;
}

/* `busybox --list`, run from the root's own copy: one applet a line. */
static int list_applets(const char *busybox, struct buf *out, struct nserr *e)
{
	int p[2], status;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return nserr_set(e, errno, "pipe2");
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return nserr_set(e, errno, "fork");
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (dup2(p[1], 1) < 0 || (null >= 0 && dup2(null, 0) < 0))
			_exit(127);
		execl(busybox, "busybox", "--list", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_add(out, chunk, (size_t)n);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !out->len)
		return nserr_set(e, 0, _("%s --list did not list its commands"), busybox);
	return 0;
}

static int link_applets(int bin, const char *busybox_copy, unsigned *count, struct nserr *e)
{
	struct buf list = {0};
	int rc = list_applets(busybox_copy, &list, e);

	*count = 0;
	for (char *name = rc == 0 ? strtok(list.s, "\n") : NULL; name; name = strtok(NULL, "\n")) {
		if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "busybox"))
			continue;
		if (symlinkat("busybox", bin, name) < 0 && errno != EEXIST) {
			rc = nserr_set(e, errno, _("cannot link bin/%s"), name);
			break;
		}
		(*count)++;
	}
	buf_free(&list);
	return rc;
}

static int root_files(int root, struct nserr *e)
{
	static const char *const dirs[] = {"bin", "etc", "proc", "sys", "dev", "tmp", "root", "usr"};
	static const struct {
		const char *target, *name;
	} links[] = {{"bin", "sbin"}, {"../bin", "usr/bin"}, {"../bin", "usr/sbin"}};

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (mkdirat(root, dirs[i], 0755) < 0)
			return nserr_set(e, errno, _("cannot make the root's %s"), dirs[i]);
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i].target, root, links[i].name) < 0)
			return nserr_set(e, errno, _("cannot make the root's %s"), links[i].name);
	if (fchmodat(root, "tmp", 01777, 0) < 0 || fchmodat(root, "root", 0700, 0) < 0)
		return nserr_set(e, errno, _("cannot set the root's modes"));
	/* write_file() opens without O_CREAT: make them first. */
	for (int i = 0; i < 2; i++) {
		int fd = openat(root, i ? "etc/group" : "etc/passwd", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return nserr_set(e, errno, _("cannot write the root's /etc"));
		close(fd);
	}
	if (write_file(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n") < 0 ||
	    write_file(root, "etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n") < 0)
		return nserr_set(e, errno, _("cannot write the root's /etc"));
	return 0;
}

int export_busybox_root(const char *root, const char *busybox, unsigned *commands, struct nserr *e)
{
	_cleanup_close_ int rfd = -1, bin = -1;
	_cleanup_free_ char *copy = xasprintf("%s/bin/busybox", root);

	if (!busybox)
		busybox = "/bin/busybox";
	if (mkdir(root, 0755) < 0)
		return nserr_set(e, errno, _("cannot make %s"), root);
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rfd < 0)
		return nserr_set(e, errno, _("cannot open %s"), root);
	if (root_files(rfd, e) < 0)
		return -1;
	bin = openat(rfd, "bin", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (bin < 0)
		return nserr_set(e, errno, _("cannot open the root's bin"));
	if (copy_busybox(busybox, bin, e) < 0)
		return -1;
	return link_applets(bin, copy, commands, e);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void export_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
