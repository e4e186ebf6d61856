/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Doing things inside a lab: joining it, calling a function there, running
 * a program there. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "child.h"
#include "harden.h"
#include "lab.h"
#include "ttyrelay.h"
#include "userns.h"
#include "labfs.h"
#include "trace.h"

/* A child's answer (error, output) lives in a shared mapping so it
 * survives the child's exit without a pipe protocol. */
struct call_area {
	int rc;
	bool truncated;
	struct nserr e;
	size_t len;
	char data[];
};
#define CALL_AREA_SIZE ((size_t)4 << 20)
#define CALL_DATA_MAX (CALL_AREA_SIZE - sizeof(struct call_area) - 1)

static struct call_area *area;

static void area_prepare(void)
{
	if (!area) {
		area = mmap(NULL, CALL_AREA_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (area == MAP_FAILED)
			abort();
	}
	area->rc = -1;
	area->truncated = false;
	area->len = 0;
	nserr_clear(&area->e);
}

/* OUT is freed: a child that borrows nslab's memory must leave its heap as
 * it found it. */
static _noreturn_ void area_publish(int rc, const struct nserr *e, struct buf *out)
{
	size_t n = out && out->s ? out->len : 0;

	if (n > CALL_DATA_MAX) {
		n = CALL_DATA_MAX;
		area->truncated = true;
	}
	if (n)
		memcpy(area->data, out->s, n);
	area->len = n;
	area->e = *e;
	area->rc = rc;
	if (out)
		buf_free(out);
	_exit(rc < 0);
}

void child_default_signals(void)
{
	/* The crash signals too: nslab's handler ends every lab, which is
	 * no business of a child's. */
	static const int sigs[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGTERM, SIGHUP,
				   SIGCHLD, SIGPIPE, SIGWINCH, SIGALRM, SIGCONT, SIGSEGV, SIGBUS,
				   SIGFPE, SIGILL, SIGABRT};

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
}

void child_reset_signals(void)
{
	sigset_t none;

	child_default_signals();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int join_one(const struct lab *lab, int t, struct nserr *e)
{
	if (TRACE(setns(lab->fd[t], ns_table[t].flag), "setns(%d, %s)", lab->fd[t],
		  trace_ns_flags((unsigned)ns_table[t].flag)) == 0)
		return 0;
	nserr_set(e, errno, _("cannot join the lab's %s namespace"), ns_table[t].name);
	if (errno == EPERM)
		nserr_hint(e, _("that needs CAP_SYS_ADMIN over it"));
	return -1;
}

int lab_join(const struct lab *lab, struct nserr *e)
{
	unsigned pending = lab_isolated(lab);

	/* The cgroup first: from inside the lab's cgroup namespace (or user
	 * namespace) the move would be refused. */
	if (cgroup_lab_join(lab, e) < 0)
		return -1;
	/* First pass: everything but the user namespace, while we still hold
	 * the host's privileges; what fails with EPERM is owned by the lab's
	 * user namespace and is retried once we are in it. Without
	 * CAP_SYS_ADMIN (rootless) every one of them would fail: no first pass. */
	for (int t = 0; host.admin && t < NS_COUNT; t++) {
		if (t == NS_USER || !(pending & NS_BIT(t)))
			continue;
		if (TRACE(setns(lab->fd[t], ns_table[t].flag), "setns(%d, %s)", lab->fd[t],
			  trace_ns_flags((unsigned)ns_table[t].flag)) == 0)
			pending &= ~NS_BIT(t);
		else if (errno != EPERM)
			return join_one(lab, t, e);
	}
	for (int t = 0; t < NS_COUNT; t++)
		if ((pending & NS_BIT(t)) && join_one(lab, t, e) < 0)
			return -1;
	if (pending & NS_BIT(NS_USER))
		userns_become_root();
	return 0;
}

/* A PID namespace whose init has ended refuses new processes: fork()
 * fails with ENOMEM. The kernel says so itself (that is the lesson); we
 * only put the reason and the way out next to its word. */
static int dead_pid_ns_hint(struct nserr *e)
{
	if (e->err == ENOMEM)
		nserr_hint(e, _("the lab's PID 1 has ended, so its PID namespace takes no new process; "
				"`share pid` then `unshare pid` makes a new one"));
	return -1;
}

static int enter_cwd(const struct lab *lab, struct nserr *e)
{
	if ((lab_isolated(lab) & NS_BIT(NS_MNT)) && chdir(host.cwd) < 0 && chdir("/") < 0)
		_exit(126);
	return labfs_enter(lab, e);
}

struct call_start {
	struct lab *lab;
	bool deeper;
	bool borrowed; /* harden_vfork(): signals stay blocked, nothing to reset */
	lab_fn fn;
	void *arg;
};

static _noreturn_ int call_main(void *p)
{
	const struct call_start *c = p;
	struct nserr ce = {0};
	struct buf b = {0};
	int status;

	if (!c->borrowed)
		child_reset_signals();
	if (lab_join(c->lab, &ce) < 0)
		area_publish(-1, &ce, NULL);
	test_pause("call:after-join");
	if (enter_cwd(c->lab, &ce) < 0)
		area_publish(-1, &ce, NULL);
	if (c->deeper) {
		/* setns(CLONE_NEWPID) moves only our children. */
		pid_t inner = TRACE_FORK(fork(), "clone(" TRACE_FORK_FLAGS ")");
		if (inner < 0) {
			nserr_set(&ce, errno, _("cannot start a process in the lab's PID namespace"));
			area_publish(dead_pid_ns_hint(&ce), &ce, NULL);
		}
		if (inner > 0) {
			while (waitpid(inner, &status, 0) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	int rc = c->fn(c->arg, &b, &ce);
	area_publish(rc, &ce, &b);
}

int lab_call(struct lab *lab, unsigned flags, lab_fn fn, void *arg, struct buf *out, struct nserr *e)
{
	unsigned iso = lab_isolated(lab);
	struct call_start c = {.lab = lab, .deeper = (flags & LAB_IN_PID) && (iso & NS_BIT(NS_PID)), .fn = fn, .arg = arg};
	pid_t pid;
	int status;

	lab_poll(lab);
	area_prepare();
	fflush(NULL);
	c.borrowed = (flags & LAB_LIGHT) && !c.deeper && !(iso & NS_BIT(NS_TIME));
	if (c.borrowed)
		pid = TRACE_FORK(harden_vfork(call_main, &c, 0, getpid()), "clone(CLONE_VM|CLONE_VFORK|SIGCHLD)");
	else
		pid = TRACE_FORK(harden_fork(), "clone(" TRACE_FORK_FLAGS ")");
	if (pid < 0)
		return nserr_set(e, errno, "fork");
	if (pid == 0)
		call_main(&c);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out && area->len)
		buf_add(out, area->data, area->len);
	if (area->rc < 0) {
		*e = area->e;
		if (!e->msg[0]) {
			char how[64];
			describe_status(status, how, sizeof(how));
			nserr_set(e, 0, _("the process working in the lab ended (%s)"), how);
		}
		return -1;
	}
	return 0;
}

/* ---- running programs --------------------------------------------------- */

static void take_terminal(pid_t pgrp)
{
	if (isatty(STDIN_FILENO))
		tcsetpgrp(STDIN_FILENO, pgrp);
}

/* What the children of lab_spawn tell nslab over the report pipe. Both
 * the program's PID (from its parent) and its exec error (from itself)
 * may come, in either order: each says which it is. */
enum { REPORT_PID = 1, REPORT_ERRNO };
struct report {
	int kind;
	int value;
};

static void report_send(int fd, int kind, int value)
{
	struct report r = {.kind = kind, .value = value};

	write_full(fd, &r, sizeof(r));
}

/* One report; false once every writer is gone (the program was
 * executed, or its parent ended). */
static bool report_next(int fd, pid_t *target, int *err)
{
	struct report r;

	if (read_full(fd, &r, sizeof(r)) != sizeof(r))
		return false;
	if (r.kind == REPORT_PID)
		*target = r.value;
	else if (r.kind == REPORT_ERRNO)
		*err = r.value ? r.value : ENOEXEC;
	return true;
}

static _noreturn_ void exec_target(const struct spawn *sp, const struct tty_relay *tr, int report)
{
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (sp->terminal && !tr) {
		/* Our own process group in the foreground: Ctrl-C and Ctrl-Z
		 * reach the program, not nslab. SIGTTOU is still ignored here. */
		setpgid(0, 0);
		take_terminal(getpgrp());
	}
	child_reset_signals();
	if (tr)
		ttyrelay_child(tr);
	harden_drop_inherited_caps();
	harden_unpin();
	/* Whatever nslab inherited or holds, the program gets 0, 1, 2 only;
	 * the report pipe closes on exec like the rest. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	trace_exec(sp->argv, sp->envp);
	if (sp->envp)
		execvpe(sp->argv[0], sp->argv, sp->envp);
	else
		execvp(sp->argv[0], sp->argv);
	trace_exec_failed();
	err = errno;
	report_send(report, REPORT_ERRNO, err);
	_exit(127);
}

struct target_start {
	struct lab *lab;
	const struct spawn *sp;
	const struct tty_relay *tr;
	int report;
	bool twice;
};

static int target_main(void *arg)
{
	const struct target_start *ts = arg;

	exec_target(ts->sp, ts->tr, ts->report);
}

static _noreturn_ void spawn_child(struct lab *lab, const struct spawn *sp, const struct tty_relay *tr, bool twice,
				   int report);

static int spawn_main(void *arg)
{
	const struct target_start *ts = arg;

	spawn_child(ts->lab, ts->sp, ts->tr, ts->twice, ts->report);
}

static _noreturn_ void spawn_child(struct lab *lab, const struct spawn *sp, const struct tty_relay *tr, bool twice,
				   int report)
{
	struct nserr ce = {0};
	pid_t target;

	if (!sp->on_host) {
		if (lab_join(lab, &ce) < 0)
			area_publish(-1, &ce, NULL);
		test_pause("spawn:after-join");
		if (enter_cwd(lab, &ce) < 0)
			area_publish(-1, &ce, NULL);
	}
	/* In the lab: nslab hears we got here (the PID it knows us by is
	 * its own fork's answer, not getpid() in a PID namespace below). */
	if (!twice) {
		report_send(report, REPORT_PID, getpid());
		exec_target(sp, tr, report);
	}
	/* PID and time namespaces hold only for children; CLONE_PARENT makes
	 * the program nslab's own child so nslab sees it stop and end. The
	 * program's process only sets itself up and execs, so it borrows our
	 * memory until then (CLONE_VM|CLONE_VFORK, as posix_spawn does) on a
	 * stack of its own: copying it was most of what this step cost. */
	struct target_start ts = {.lab = lab, .sp = sp, .tr = tr, .report = report};
	pid_t nslab = lab_isolated(lab) & NS_BIT(NS_PID) ? 0 : getppid(); /* as the program will see it */
	target = TRACE_FORK(harden_vfork(target_main, &ts, CLONE_PARENT, nslab),
			    "clone(CLONE_VM|CLONE_VFORK|CLONE_PARENT|SIGCHLD)");
	if (target < 0) {
		nserr_set(&ce, errno, _("cannot start a process in the lab"));
		if (errno == EAGAIN)
			nserr_hint(&ce, _("the lab may be at its pids limit: `cgroup` shows it"));
		area_publish(dead_pid_ns_hint(&ce), &ce, NULL);
	}
	report_send(report, REPORT_PID, target);
	_exit(0);
}

static int wait_target(pid_t target, bool terminal, int *status)
{
	for (;;) {
		pid_t r = waitpid(target, status, terminal ? WUNTRACED : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (!WIFSTOPPED(*status))
			return 0;
		/* nslab has no job control: a stopped program gets the
		 * terminal back and goes on rather than hanging the lab. */
		take_terminal(target);
		kill(target, SIGCONT);
	}
}

/* nslab's own children go to FD's PID namespace from now on (nslab itself
 * stays where it is): traced, as strace sees it. */
static int pid_for_children(int fd)
{
	return TRACE(setns(fd, CLONE_NEWPID), "setns(%d, CLONE_NEWPID)", fd);
}

/* A lab with a PID namespace (and no time namespace, which also holds only
 * for children) gets its program in one fork, not two: nslab points its
 * own pid_for_children at the lab's PID namespace for that fork and back.
 * Where nslab may not (rootless), the child joins and forks instead. */
static bool spawn_direct(const struct lab *lab, const struct spawn *sp)
{
	unsigned iso = lab_isolated(lab);

	/* setns() asks for CAP_SYS_ADMIN in nslab's own user namespace too:
	 * a rootless nslab is not even asked (the refusal would be traced). */
	return host.admin && !sp->on_host && (iso & NS_BIT(NS_PID)) && !(iso & NS_BIT(NS_TIME)) &&
	       pid_for_children(lab->fd[NS_PID]) == 0;
}

/* Every other child of nslab's belongs on the host. Going back to our own
 * PID namespace is always allowed. Not before the child has joined the
 * rest of the lab (or ended): the calls then come in the order strace
 * sees them, and nslab makes no other process meanwhile. */
static void pid_for_children_back(void)
{
	if (pid_for_children(host.fd[NS_PID]) < 0)
		abort();
}

int lab_spawn(struct lab *lab, const struct spawn *sp, int *status, struct nserr *e)
{
	bool twice = !sp->on_host && (lab_isolated(lab) & (NS_BIT(NS_PID) | NS_BIT(NS_TIME)));
	bool direct;
	_cleanup_close_ int rd = -1;
	_cleanup_(ttyrelay_closep) struct tty_relay *tr = NULL;
	int p[2], err = 0, st;
	pid_t c1, target = 0;

	if (!sp->on_host) {
		lab_poll(lab);
		if (!(lab_isolated(lab) & NS_BIT(NS_PID)) && lab_isolated(lab))
			lab->strays = true;
	}
	/* The lab's program gets a pty of its own, never nslab's terminal. */
	if (!sp->on_host && ttyrelay_open(&tr, e) < 0)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return nserr_set(e, errno, "pipe2");
	area_prepare();
	fflush(NULL);
	/* Born straight into the lab's PID namespace, the child is the program. */
	direct = twice && spawn_direct(lab, sp);
	twice = twice && !direct;
	if (sp->on_host || !(lab_isolated(lab) & NS_BIT(NS_TIME))) {
		struct target_start ts = {.lab = lab, .sp = sp, .tr = tr, .report = p[1], .twice = twice};
		c1 = TRACE_FORK(harden_vfork(spawn_main, &ts, 0, direct ? 0 : getpid()), "clone(CLONE_VM|CLONE_VFORK|SIGCHLD)");
	} else {
		c1 = TRACE_FORK(harden_fork(), "clone(" TRACE_FORK_FLAGS ")");
	}
	if (c1 < 0) {
		if (direct)
			pid_for_children_back();
		close(p[0]);
		close(p[1]);
		if (direct) {
			nserr_set(e, errno, _("cannot start a process in the lab"));
			return dead_pid_ns_hint(e);
		}
		return nserr_set(e, errno, "fork");
	}
	if (c1 == 0)
		spawn_child(lab, sp, tr, twice, p[1]);
	close(p[1]);
	rd = p[0];
	while (!target && report_next(rd, &target, &err))
		;
	if (direct)
		pid_for_children_back();
	if (target && !twice)
		target = c1;
	if (twice || !target)
		while (waitpid(c1, &st, 0) < 0 && errno == EINTR)
			;
	if (!target) {
		*e = area->e;
		if (!e->msg[0])
			nserr_set(e, 0, _("cannot start a process in the lab"));
		return -1;
	}
	if (sp->terminal && !tr)
		setpgid(target, target);
	while (!err && report_next(rd, &target, &err))
		;
	if (err) {
		while (waitpid(target, &st, 0) < 0 && errno == EINTR)
			;
		take_terminal(getpgrp());
		nserr_set(e, err, "%s", sp->argv[0]);
		if (err == ENOENT)
			nserr_set(e, 0, _("%s: command not found%s"), sp->argv[0],
				  sp->on_host ? "" : _(" in the lab"));
		return -1;
	}
	if (tr)
		return ttyrelay_wait(tr, target, status, e);
	if (wait_target(target, sp->terminal, status) < 0)
		return nserr_set(e, errno, "waitpid");
	if (sp->terminal)
		take_terminal(getpgrp());
	return 0;
}

void describe_status(int status, char *out, size_t size)
{
	if (WIFEXITED(status))
		snprintf(out, size, _("exit status %d"), WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, size, _("killed by SIG%s%s"), sigabbrev_np(WTERMSIG(status)) ?: "?",
			 WCOREDUMP(status) ? _(", core dumped") : "");
	else
		snprintf(out, size, _("status 0x%x"), status);
}
