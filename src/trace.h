/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The syscall echo (`trace on`, --trace). The system calls that teach
 * something are wrapped where they are made, and each prints one line,
 * strace-style, on stderr, from the process that made it:
 *
 *	if (TRACE(unshare(flags), "unshare(%s)", trace_ns_flags(flags)) < 0)
 *
 * The call runs once, whatever the flag; its value and errno come out
 * unchanged; the arguments after it are only evaluated when tracing. Each
 * line is one write(2), so lines of different processes never mix.
 * nslab's own bookkeeping (reading /proc, the panel's facts) is not traced.
 */
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* On or off; a forked child inherits it. */
extern bool trace_on;

/* Also decides, once, whether lines are dimmed (stderr a terminal, no
 * NO_COLOR, TERM not dumb). */
void trace_set(bool on);

/* One line: the call as FMT renders it, then " = RC", or " = -1 ENAME
 * (message)" when RC < 0. errno is kept. */
void trace_line(long rc, const char *fmt, ...) _printf_(2, 3);

#define TRACE(call, ...)                                                                                     \
	__extension__({                                                                                      \
		__typeof__(call) trace_rc_ = (call);                                                         \
		if (trace_on)                                                                                \
			trace_line((long)trace_rc_, __VA_ARGS__);                                            \
		trace_rc_;                                                                                   \
	})

/* Only when it fails (an open that comes before a traced write). */
#define TRACE_ERR(call, ...)                                                                                 \
	__extension__({                                                                                      \
		__typeof__(call) trace_rc_ = (call);                                                         \
		if (trace_on && (long)trace_rc_ < 0)                                                         \
			trace_line((long)trace_rc_, __VA_ARGS__);                                            \
		trace_rc_;                                                                                   \
	})

/*
 * A call that makes a process (fork, clone). The child prints the line,
 * with its PID as the parent sees it, before anything else it does: the
 * line then always comes before the child's own, as strace shows them.
 * A child started in a function (clone(FN, ...)) calls trace_child() first.
 * A failure is printed by the parent.
 */
#define TRACE_FORK(call, ...)                                                                                \
	__extension__({                                                                                      \
		if (trace_on)                                                                                \
			trace_pending(__VA_ARGS__);                                                          \
		__typeof__(call) trace_rc_ = (call);                                                         \
		trace_forked((long)trace_rc_);                                                               \
		trace_rc_;                                                                                   \
	})
void trace_pending(const char *fmt, ...) _printf_(1, 2);
void trace_forked(long rc);
static inline void trace_child(void)
{
	trace_forked(0);
}
/* glibc's fork(), as the kernel is asked. */
#define TRACE_FORK_FLAGS "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"

/* Around execvp(): a successful execve never returns, and the program's
 * own output would race a line written after it, so the line is written
 * before, once the file is found and executable; if the call fails all the
 * same (or the file was not found), trace_exec_failed() writes the error. */
void trace_exec(char *const *argv, char *const *envp);
void trace_exec_failed(void);

/* Bookkeeping that makes processes or joins namespaces only to report
 * facts (status, the panel): not traced, nor are its children. */
#define UNTRACED(call)                                                                                       \
	__extension__({                                                                                      \
		bool trace_was_ = trace_on;                                                                  \
		trace_on = false;                                                                            \
		__typeof__(call) untraced_rc_ = (call);                                                         \
		trace_on = trace_was_;                                                                       \
		untraced_rc_;                                                                                   \
	})

/* write_file() (util.h), traced: the write shows the file it went to. The
 * open is shown only when it fails. EXTRA: more open flags (O_NOFOLLOW). */
int trace_write_file(int dirfd, const char *path, int extra, const char *text);

/*
 * Renderers for the arguments. Each returns a string that stays valid
 * until eight more have been rendered: enough for one line.
 */
/* "foo" escaped as strace does; past 32 bytes, "..." follows. NULL: NULL. */
const char *trace_str(const char *s);
const char *trace_strn(const char *s, size_t n);
/* 5</proc/123/uid_map>, as strace -y shows an fd; AT_FDCWD. */
const char *trace_fd(int fd);
/* CLONE_NEWNS|CLONE_VFORK|SIGCHLD: clone's flags with its exit signal. */
const char *trace_clone_flags(unsigned long flags);
/* CLONE_NEWUTS|CLONE_NEWTIME: unshare's and setns's (0x80 is CLONE_NEWTIME). */
const char *trace_ns_flags(unsigned long flags);
const char *trace_ms_flags(unsigned long flags);
const char *trace_mount_attrs(unsigned long attrs);
const char *trace_umount_flags(int flags);
const char *trace_open_flags(int flags);
const char *trace_fsconfig_cmd(unsigned cmd);
/* IPC_CREAT|IPC_EXCL|0644 */
const char *trace_ipc_flags(int flags);
const char *trace_signal(int sig);
/* ["true", "-x"] */
const char *trace_argv(char *const *argv);
/* EPERM (Operation not permitted) */
const char *trace_errno(int err);
