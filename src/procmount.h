/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Mount a proc filesystem on DST (nosuid, nodev, noexec) for the PID
 * namespace PIDNS (an fd; -1: the caller's). The caller must already
 * have joined that namespace with setns(), so that on kernels without
 * the pidns= option its children are in it. -1 with errno on failure. */
int mount_proc_at(const char *dst, int pidns);

/* A proc filesystem of PIDNS that is mounted nowhere: an fd of its root,
 * whose listing names exactly that namespace's processes. -1 where the
 * kernel or our privileges do not allow it. */
int detached_proc(int pidns);
