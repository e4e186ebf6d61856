/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

#include "asciicast.h"
#include "child.h"

static volatile sig_atomic_t got_winch, got_term;

static void on_winch(int sig)
{
	got_winch = 1;
}

static void on_term(int sig)
{
	got_term = sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void window(struct winsize *ws)
{
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, ws) < 0 || !ws->ws_row || !ws->ws_col)
		*ws = (struct winsize){.ws_row = 24, .ws_col = 80};
}

static int open_pty(int *master, char *slave, size_t size, struct nserr *e)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, slave, size) != 0)
		return nserr_set(e, errno, _("--record: cannot make a pseudo-terminal"));
	return 0;
}

/* The process that goes on as nslab: the pty is its terminal and its
 * output; a script on a non-terminal stdin stays where it is. */
static void become_recorded(const char *slave_path, const struct termios *tio, const struct winsize *ws)
{
	int slave;

	setsid();
	slave = open(slave_path, O_RDWR | O_CLOEXEC);
	if (slave < 0)
		_exit(127);
	ioctl(slave, TIOCSCTTY, 0);
	if (tio)
		tcsetattr(slave, TCSANOW, tio);
	ioctl(slave, TIOCSWINSZ, ws);
	if (isatty(STDIN_FILENO))
		dup2(slave, STDIN_FILENO);
	dup2(slave, STDOUT_FILENO);
	dup2(slave, STDERR_FILENO);
	close(slave);
}

static void emit(FILE *cast, double t0, const char *data, size_t n, struct asciicast_utf8 *u)
{
	struct buf ev = {0};

	asciicast_event(&ev, now() - t0, data, n, u);
	if (ev.len)
		fwrite(ev.s, 1, ev.len, cast);
	buf_free(&ev);
}

/* Copy keys in and output out until nslab closes the terminal. */
static void relay(int master, FILE *cast, pid_t child)
{
	struct asciicast_utf8 u = {0};
	struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = master, .events = POLLIN}};
	bool keys = isatty(STDIN_FILENO);
	double t0 = now();
	char chunk[4096];

	for (;;) {
		if (got_winch) {
			struct winsize ws;
			got_winch = 0;
			window(&ws);
			ioctl(master, TIOCSWINSZ, &ws);
		}
		if (got_term) {
			kill(child, got_term);
			got_term = 0;
		}
		p[0].fd = keys ? STDIN_FILENO : -1;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
			if (n <= 0)
				keys = false;
			else
				write_full(master, chunk, (size_t)n);
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(master, chunk, sizeof(chunk));
			if (n <= 0)
				break; /* EIO: every copy of the terminal is closed */
			write_full(STDOUT_FILENO, chunk, (size_t)n);
			emit(cast, t0, chunk, (size_t)n, &u);
		}
	}
}

int record_start(const char *path, struct nserr *e)
{
	struct termios tio, raw;
	struct winsize ws;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &tio) == 0;
	char slave[128];
	int master, status = 0;
	FILE *cast;
	pid_t child;

	window(&ws);
	if (!(cast = fopen(path, "we")))
		return nserr_set(e, errno, _("--record: cannot write %s"), path);
	if (open_pty(&master, slave, sizeof(slave), e) < 0) {
		fclose(cast);
		return -1;
	}
	struct buf head = {0};
	asciicast_header(&head, ws.ws_col, ws.ws_row, (long)time(NULL), "nslab");
	fwrite(head.s, 1, head.len, cast);
	buf_free(&head);
	fflush(NULL);
	if ((child = fork()) < 0) {
		nserr_set(e, errno, "fork");
		fclose(cast);
		close(master);
		return -1;
	}
	if (child == 0) {
		fclose(cast);
		close(master);
		become_recorded(slave, tty ? &tio : NULL, &ws);
		return 0;
	}
	signal(SIGWINCH, on_winch);
	signal(SIGTERM, on_term);
	signal(SIGHUP, on_term);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (tty) {
		raw = tio;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	relay(master, cast, child);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	fclose(cast);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
