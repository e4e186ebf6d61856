/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hostile: what a program inside a lab may try against nslab and the host.
 * tests/integration/hostile.sh builds it (cc) and runs it in labs. Every
 * attempt prints one line:
 *
 *   attempt NAME: refused (REASON)      or      attempt NAME: SUCCEEDED
 *
 * and the test counts them. Modes:
 *   hostile tiocsti TEXT       push TEXT into the input of every terminal
 *                              it can reach (fds 0-2, /dev/tty), with
 *                              TIOCSTI and with its high-bit variant
 *   hostile tioclinux          TIOCLINUX paste and set-selection on them
 *   hostile nslab PIDFILE      /proc/NSLAB/{exe,mem} for writing,
 *                              ptrace(PTRACE_ATTACH/SEIZE), nslab's root,
 *                              cwd, fds and namespaces through /proc
 *   hostile self               what this process holds: its fds beyond 0-2,
 *                              CapInh/CapAmb, its working directory
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

static void result(const char *name, int ok, int err)
{
	if (ok)
		printf("attempt %s: SUCCEEDED\n", name);
	else
		printf("attempt %s: refused (%s)\n", name, strerror(err));
	fflush(stdout);
}

/* The terminals this process may reach: fds 0-2 (terminals or not: one
 * that was hung up is no longer one) and /dev/tty. */
static int terminals(int *fds, const char **names)
{
	static const char *const std[] = {"fd0", "fd1", "fd2"};
	int n = 0, fd;

	for (int i = 0; i < 3; i++) {
		fds[n] = i;
		names[n++] = std[i];
	}
	fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		fds[n] = fd;
		names[n++] = "/dev/tty";
	} else {
		result("TIOCSTI /dev/tty (open)", 0, errno);
	}
	return n;
}

static int tiocsti(const char *text)
{
	int fds[4];
	const char *names[4];
	int n = terminals(fds, names);
	for (int i = 0; i < n; i++) {
		char name[64];
		int ok = 1, err = 0;

		for (const char *p = text; *p && ok; p++)
			if (ioctl(fds[i], TIOCSTI, p) < 0) {
				ok = 0;
				err = errno;
			}
		snprintf(name, sizeof(name), "TIOCSTI %s", names[i]);
		result(name, ok, err);
		/* Only the low 32 bits of the request reach the tty layer: a
		 * filter that compares all 64 is fooled by the high bits. */
		ok = 1;
		for (const char *p = text; *p && ok; p++)
			if (syscall(SYS_ioctl, fds[i], (unsigned long)TIOCSTI | (1UL << 32), p) < 0) {
				ok = 0;
				err = errno;
			}
		snprintf(name, sizeof(name), "TIOCSTI|1<<32 %s", names[i]);
		result(name, ok, err);
	}
	return 0;
}

static int tioclinux(void)
{
	int fds[4];
	const char *names[4];
	int n = terminals(fds, names);

	for (int i = 0; i < n; i++) {
		char name[64];
		char paste = 3; /* TIOCL_PASTESEL */
		char sel[1 + 5 * sizeof(short)] = {2}; /* TIOCL_SETSEL, all zero */

		snprintf(name, sizeof(name), "TIOCLINUX paste %s", names[i]);
		result(name, ioctl(fds[i], TIOCLINUX, &paste) == 0, errno);
		snprintf(name, sizeof(name), "TIOCLINUX setsel %s", names[i]);
		result(name, ioctl(fds[i], TIOCLINUX, sel) == 0, errno);
	}
	return 0;
}

static void try_open(const char *what, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	result(what, fd >= 0, errno);
	if (fd >= 0)
		close(fd);
}

static int against_nslab(const char *pidfile)
{
	FILE *f = fopen(pidfile, "r");
	char path[128], name[160];
	long pid = 0;
	int r;

	if (!f || fscanf(f, "%ld", &pid) != 1 || pid <= 0) {
		printf("no nslab PID in %s\n", pidfile);
		return 2;
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
	try_open("open nslab's exe for writing", path, O_WRONLY);
	snprintf(path, sizeof(path), "/proc/%ld/mem", pid);
	try_open("open nslab's mem for writing", path, O_RDWR);
	snprintf(path, sizeof(path), "/proc/%ld/root/etc/hostname", pid);
	try_open("reach the host's files through nslab's root", path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%ld/cwd/.", pid);
	try_open("reach nslab's working directory", path, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
	try_open("open nslab's mount namespace", path, O_RDONLY);
	for (int fd = 0; fd < 16; fd++) {
		snprintf(path, sizeof(path), "/proc/%ld/fd/%d", pid, fd);
		snprintf(name, sizeof(name), "open nslab's fd %d", fd);
		r = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (r >= 0) {
			result(name, 1, 0);
			close(r);
		} else if (errno != ENOENT) {
			result(name, 0, errno);
		}
	}
	/* SEIZE stops nothing if it is allowed; ATTACH would. */
	r = (int)ptrace(PTRACE_SEIZE, (pid_t)pid, NULL, NULL);
	result("ptrace(PTRACE_SEIZE) nslab", r == 0, errno);
	if (r == 0)
		ptrace(PTRACE_DETACH, (pid_t)pid, NULL, NULL);
	r = (int)ptrace(PTRACE_ATTACH, (pid_t)pid, NULL, NULL);
	result("ptrace(PTRACE_ATTACH) nslab", r == 0, errno);
	if (r == 0) {
		waitpid((pid_t)pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, (pid_t)pid, NULL, NULL);
	}
	return 0;
}

static int self(void)
{
	char line[256], cwd[4096];
	struct stat st;
	FILE *f;

	/* Any fd beyond 0-2 came from nslab (or whoever started us). */
	for (int fd = 3; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0) {
			snprintf(line, sizeof(line), "/proc/self/fd/%d", fd);
			ssize_t n = readlink(line, cwd, sizeof(cwd) - 1);
			cwd[n > 0 ? n : 0] = '\0';
			printf("fd %d %s\n", fd, cwd);
		}
	f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "CapInh:", 7) == 0 || strncmp(line, "CapAmb:", 7) == 0)
			fputs(line, stdout);
	if (f)
		fclose(f);
	if (getcwd(cwd, sizeof(cwd)) && stat(".", &st) == 0)
		printf("cwd %s dev %lu ino %lu\n", cwd, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
	else
		printf("cwd unreachable (%s)\n", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "tiocsti") == 0)
		return tiocsti(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "tioclinux") == 0)
		return tioclinux();
	if (argc >= 3 && strcmp(argv[1], "nslab") == 0)
		return against_nslab(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "self") == 0)
		return self();
	fprintf(stderr, "usage: hostile tiocsti TEXT | tioclinux | nslab PIDFILE | self\n");
	return 2;
}
