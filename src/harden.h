/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/*
 * Small pieces of hardening shared by every process nslab starts, and the
 * one test hook that lets the kill tests stop nslab between the steps of
 * multi-step work.
 */

/* fork(), and the child ends when nslab ends (SIGKILL, even if nslab was
 * already gone when it started), so nothing half-made outlives a killed
 * nslab: not a helper, not a program about to be executed in the lab. */
pid_t harden_fork(void);
/* The same for a child made with clone(2) FLAGS (new namespaces). */
pid_t harden_clone(int flags);

/* A child that runs FN(ARG) in our memory, on a stack of its own, until it
 * executes a program or ends, while we wait (clone(CLONE_VM|CLONE_VFORK), as
 * posix_spawn does): nothing is copied, which is most of what a fork costs
 * nslab. FN must free what it allocates and leave stdio alone. FLAGS: more
 * clone flags (CLONE_PARENT); PPID: the parent the child must see (0 from
 * a PID namespace below ours), else it ends at once. The child starts with
 * every signal blocked; one that executes a program calls
 * child_reset_signals() first. Not for a child that joins a time
 * namespace: the kernel wants that one alone in its memory. */
#define VFORK_STACK ((size_t)256 << 10)
pid_t harden_vfork(int (*fn)(void *), void *arg, int flags, pid_t ppid);
/* harden_vfork()'s child runs on the CPU its parent waits on; at start
 * nslab saves the CPUs it may use, and a program gets them back before it
 * is executed (harden_unpin). */
void harden_save_cpus(void);
void harden_unpin(void);

/* CAP (CAP_SYS_ADMIN, ...) is in nslab's effective set. */
bool harden_have_cap(int cap);

/* Just before a program of the lab's is executed: no inheritable or
 * ambient capability of nslab's reaches it. */
void harden_drop_inherited_caps(void);

/* Tests only: with NSLAB_TEST_PAUSE=POINT[,POINT...] in the environment,
 * the process stops itself (SIGSTOP) when it reaches a named POINT, such as
 * "unshare:after-fork" or "cgroup:after-mkdir" (tests/integration/kill.sh
 * has the list), so that a test can SIGKILL nslab exactly there. */
void test_pause(const char *point);
