/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ttyrelay.h"

#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

struct tty_relay {
	int master, slave, sigfd; /* master -1: no pty to be had (see ttyrelay_open) */
	int in, out;	  /* nslab's terminal: keys (-1: none), output */
	unsigned mask;	  /* which of 0, 1, 2 are terminals: the pty replaces them */
	bool raw;	  /* the real terminal is raw while keys go to the pty */
	struct termios saved;
	struct winsize ws;
	sigset_t oldmask;
};

/* The pty's peer, opened from the master rather than by a path: the
 * lab cannot have put anything at /dev/pts/N. */
static int open_slave(int master)
{
	char name[64];
	int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 || errno != EINVAL)
		return fd;
	if (ptsname_r(master, name, sizeof(name)) != 0)
		return -1;
	return open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* The program starts with the terminal's own settings and size. */
static void copy_terminal(struct tty_relay *r)
{
	int term = r->in >= 0 ? r->in : r->out;
	struct termios tio;

	if (tcgetattr(term, &r->saved) == 0) {
		tio = r->saved;
		/* Without keys to relay the real terminal stays as it is and
		 * turns \n into \r\n itself: once is enough. */
		if (r->in < 0)
			tio.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(r->slave, TCSANOW, &tio);
	}
	if (ioctl(r->out, TIOCGWINSZ, &r->ws) == 0)
		ioctl(r->slave, TIOCSWINSZ, &r->ws);
}

/* CAP_SYS_ADMIN over the host: TIOCSTI works on any terminal then, not
 * only on the controlling one. */
static bool may_push_anywhere(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	return syscall(SYS_capget, &h, d) < 0 || (d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN));
}

/* No pty can be had (/dev/pts with ptmxmode=000 refuses everyone but
 * root). Without CAP_SYS_ADMIN over the host the program may keep the
 * terminal's fds in a session of its own: without it as its controlling
 * terminal, TIOCSTI and TIOCSCTTY are refused there. With it, never. */
static int no_pty(struct tty_relay *r, struct nserr *e)
{
	int err = errno;

	if (may_push_anywhere()) {
		nserr_set(e, err, _("cannot make a pseudo-terminal for the lab's program"));
		return nserr_hint(e, _("a program in the lab never gets nslab's own terminal; without a terminal "
				       "(nslab < FILE > LOG) it needs none"));
	}
	if (r->master >= 0)
		close(r->master);
	r->master = -1;
	return 0;
}

int ttyrelay_open(struct tty_relay **out, struct nserr *e)
{
	struct tty_relay *r;
	unsigned mask = 0;
	sigset_t sigs;

	*out = NULL;
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			mask |= 1u << fd;
	if (!mask)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->mask = mask;
	r->in = (mask & 1) ? 0 : -1;
	r->out = (mask & 2) ? 1 : (mask & 4) ? 2 : 0;
	r->slave = r->sigfd = -1;
	r->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (r->master < 0 || unlockpt(r->master) < 0 || (r->slave = open_slave(r->master)) < 0) {
		if (no_pty(r, e) < 0) {
			ttyrelay_close(r);
			return -1;
		}
	} else {
		copy_terminal(r);
		fcntl(r->master, F_SETFL, O_NONBLOCK);
	}
	/* SIGCHLD through a descriptor, so one poll() waits for keys, output
	 * and the program's end; SIGINT and SIGQUIT (the terminal's keys when
	 * there is no pty) go on to the program. Blocked before the fork:
	 * none is missed. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGQUIT);
	sigprocmask(SIG_BLOCK, &sigs, &r->oldmask);
	r->sigfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	*out = r;
	return 0;
}

void ttyrelay_child(const struct tty_relay *r)
{
	if (setsid() < 0)
		_exit(126);
	if (r->master < 0)
		return;
	if (ioctl(r->slave, TIOCSCTTY, 0) < 0)
		_exit(126);
	for (int fd = 0; fd < 3; fd++)
		if ((r->mask & (1u << fd)) && dup2(r->slave, fd) < 0)
			_exit(126);
	/* The program leads its session: when it ends, the kernel sends
	 * SIGHUP to its terminal's foreground group, which would take what
	 * it left in the background (`run sh -c 'sleep 9 &'`) with it. On
	 * nslab's terminal that outlived it: it still does. */
	signal(SIGHUP, SIG_IGN);
}

/* A new window size goes on to the program. */
static void follow_size(struct tty_relay *r)
{
	struct winsize ws;

	if (ioctl(r->out, TIOCGWINSZ, &ws) == 0 && memcmp(&ws, &r->ws, sizeof(ws)) != 0) {
		r->ws = ws;
		ioctl(r->master, TIOCSWINSZ, &ws);
	}
}

/* Output to the real terminal; false once no copy of the pty is open. */
static bool pass_output(struct tty_relay *r)
{
	char chunk[4096];
	ssize_t n = read(r->master, chunk, sizeof(chunk));

	if (n > 0) {
		write_full(r->out, chunk, (size_t)n);
		return true;
	}
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* Keys to the program. A program that reads none fills the pty's input;
 * then keys are dropped, as a terminal does, rather than nslab hanging. */
static bool pass_keys(struct tty_relay *r)
{
	char chunk[4096];
	ssize_t n = read(r->in, chunk, sizeof(chunk));

	if (n > 0) {
		(void)!write(r->master, chunk, (size_t)n);
		return true;
	}
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* The program ended: what it wrote last, until the pty is closed by all
 * or nothing came for a moment (something it left behind holds it). */
static void drain(struct tty_relay *r)
{
	struct pollfd p = {.fd = r->master, .events = POLLIN};

	while (poll(&p, 1, 100) > 0)
		if (!pass_output(r) || (p.revents & (POLLHUP | POLLERR) && !(p.revents & POLLIN)))
			break;
}

/* What came on the signal fd: SIGINT and SIGQUIT go on to the program's
 * group; true once TARGET has ended. */
static bool reap(struct tty_relay *r, pid_t target, int *status)
{
	struct signalfd_siginfo si;
	pid_t got;

	*status = 0;
	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			kill(-target, (int)si.ssi_signo);
	got = waitpid(target, status, WNOHANG | WUNTRACED);
	if (got == target && WIFSTOPPED(*status)) {
		kill(target, SIGCONT);
		return false;
	}
	return got == target || (got < 0 && errno != EINTR);
}

int ttyrelay_wait(struct tty_relay *r, pid_t target, int *status, struct nserr *e)
{
	bool keys = r->in >= 0 && r->master >= 0, output = r->master >= 0;
	struct termios raw;

	if (r->slave >= 0)
		close(r->slave); /* only the lab holds it now */
	r->slave = -1;
	if (keys && tcgetattr(r->in, &raw) == 0) {
		cfmakeraw(&raw);
		r->raw = tcsetattr(r->in, TCSADRAIN, &raw) == 0;
	}
	for (;;) {
		struct pollfd p[3] = {{.fd = r->sigfd, .events = POLLIN},
				      {.fd = output ? r->master : -1, .events = POLLIN},
				      {.fd = keys ? r->in : -1, .events = POLLIN}};
		if (poll(p, 3, -1) < 0) {
			if (errno != EINTR)
				return nserr_set(e, errno, "poll");
			follow_size(r);
			continue;
		}
		if (p[1].revents)
			output = pass_output(r);
		if (p[2].revents)
			keys = pass_keys(r);
		if (p[0].revents && reap(r, target, status))
			break;
	}
	if (output)
		drain(r);
	return 0;
}

void ttyrelay_close(struct tty_relay *r)
{
	if (!r)
		return;
	if (r->raw)
		tcsetattr(r->in, TCSADRAIN, &r->saved);
	if (r->sigfd >= 0) {
		close(r->sigfd);
		sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
	}
	if (r->slave >= 0)
		close(r->slave);
	if (r->master >= 0)
		close(r->master);
	free(r);
}
