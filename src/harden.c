/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "harden.h"
#include "trace.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#endif
#endif
#ifndef ASAN_UNPOISON_MEMORY_REGION
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t harden_fork(void)
{
	return harden_clone(0);
}

pid_t harden_clone(int flags)
{
	pid_t parent = getpid(), pid = flags ? (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL) : fork();

	/* Born into a new PID namespace, a child sees its parent as 0: the
	 * lab's init has the lifeline pipe for the case this check covers. */
	if (pid == 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
			 (!(flags & CLONE_NEWPID) && getppid() != parent)))
		_exit(1);
	return pid;
}

struct vfork_start {
	int (*fn)(void *);
	void *arg;
	pid_t ppid;
};

static int vfork_main(void *p)
{
	const struct vfork_start *v = p;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != v->ppid)
		_exit(1);
	trace_child();
	return v->fn(v->arg);
}

/* The CPUs nslab may run on, as it started: what a program gets back. */
static cpu_set_t cpus_at_start;
static bool cpus_known;

void harden_save_cpus(void)
{
	cpus_known = sched_getaffinity(0, sizeof(cpus_at_start), &cpus_at_start) == 0;
}

void harden_unpin(void)
{
	if (cpus_known)
		sched_setaffinity(0, sizeof(cpus_at_start), &cpus_at_start);
}

/* While we wait for a borrowing child, it may as well run on our CPU:
 * woken elsewhere, every hand-off between us waits for another CPU, which
 * on a small machine was a third of a rootless lab's time. */
static void pin_here(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (!cpus_known || cpu < 0)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof(one), &one);
}

pid_t harden_vfork(int (*fn)(void *), void *arg, int flags, pid_t ppid)
{
	/* On our own stack, which we do not use until the child is done
	 * (AddressSanitizer also knows it for a stack, as it would not a
	 * mapping of its own). */
	char stack[VFORK_STACK] __attribute__((aligned(16)));
	struct vfork_start v = {.fn = fn, .arg = arg, .ppid = ppid};
	sigset_t all, old;
	pid_t pid;

	/* Born with every signal blocked, the child never runs one of
	 * nslab's handlers in nslab's memory (as posix_spawn does); one that
	 * executes a program resets them first (child_reset_signals). */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pin_here();
	pid = clone(vfork_main, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | flags | SIGCHLD, &v);
	harden_unpin();
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* The child's frames left their redzones in the sanitizer's shadow of
	 * this array; our next calls would trip over them. */
	ASAN_UNPOISON_MEMORY_REGION(stack, sizeof(stack));
	return pid;
}

bool harden_have_cap(int cap)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {0};

	return syscall(SYS_capget, &h, d) == 0 && (d[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap));
}

void harden_drop_inherited_caps(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	/* Ambient capabilities must stay inheritable: clearing the
	 * inheritable set clears them too; the prctl says so plainly. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capget, &h, d) < 0)
		return;
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		d[i].inheritable = 0;
	syscall(SYS_capset, &h, d);
}

void test_pause(const char *point)
{
	const char *want = getenv("NSLAB_TEST_PAUSE");
	size_t n = strlen(point);

	for (const char *p = want; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, point, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
			raise(SIGSTOP);
			return;
		}
}
