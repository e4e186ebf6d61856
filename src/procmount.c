/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mounting a /proc that shows a given PID namespace. */
#include "config.h"
#include "procmount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "util.h"
#include "trace.h"

#define PROC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Linux 6.15 and later take the PID namespace as a mount option
 * (pidns=FD): no process has to be inside it to mount its /proc. The
 * mount, detached, as an fd; RDONLY adds MOUNT_ATTR_RDONLY. */
static int proc_for(int pidns, bool rdonly)
{
	_cleanup_close_ int fs = TRACE((int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC), "fsopen(\"proc\", FSOPEN_CLOEXEC)");
	unsigned attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | (rdonly ? MOUNT_ATTR_RDONLY : 0);

	if (fs < 0 ||
	    TRACE(syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, "pidns", NULL, pidns),
		  "fsconfig(%d, FSCONFIG_SET_FD, \"pidns\", NULL, %d)", fs, pidns) < 0 ||
	    TRACE(syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0),
		  "fsconfig(%d, FSCONFIG_CMD_CREATE, NULL, NULL, 0)", fs) < 0)
		return -1;
	return TRACE((int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs), "fsmount(%d, FSMOUNT_CLOEXEC, %s)", fs,
		     rdonly ? "MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC"
			    : "MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC");
}

static int mount_with_pidns(const char *dst, int pidns)
{
	_cleanup_close_ int mnt = proc_for(pidns, false);

	if (mnt < 0)
		return -1;
	return TRACE((int)syscall(SYS_move_mount, mnt, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH),
		     "move_mount(%d, \"\", AT_FDCWD, %s, MOVE_MOUNT_F_EMPTY_PATH)", mnt, trace_str(dst));
}

/* Traced like any call: it is nslab's own window on the lab's processes
 * (made once per PID namespace, on the first count). */
int detached_proc(int pidns)
{
	return proc_for(pidns, true);
}

/* Older kernels: a proc mount shows the PID namespace of the process
 * that mounts it, so a child (born into our pid_for_children) does it. */
static int mount_from_child(const char *dst)
{
	int status;
	pid_t pid = TRACE_FORK(fork(), "clone(" TRACE_FORK_FLAGS ")");

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(TRACE(mount("proc", dst, "proc", PROC_FLAGS, NULL), "mount(\"proc\", %s, \"proc\", %s, NULL)",
			    trace_str(dst), trace_ms_flags(PROC_FLAGS)) < 0 ? errno : 0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return errno = EINTR, -1;
	errno = WEXITSTATUS(status);
	return errno ? -1 : 0;
}

int mount_proc_at(const char *dst, int pidns)
{
	if (pidns < 0)
		return TRACE(mount("proc", dst, "proc", PROC_FLAGS, NULL), "mount(\"proc\", %s, \"proc\", %s, NULL)",
			     trace_str(dst), trace_ms_flags(PROC_FLAGS));
	if (mount_with_pidns(dst, pidns) == 0)
		return 0;
	/* ENOENT and the like are the same answer either way. */
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	return mount_from_child(dst);
}
