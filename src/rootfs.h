/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What cmd_fs.c asks a process in the lab to do (through lab_call). */
#include "lab.h"

#define OVERLAY_MAX_LOWER 16

struct overlay_req {
	char **lower;		/* top first */
	int nlower;
	const char *upper, *work, *merged;
	bool userxattr;
	int sock;		/* the lower layers go back to nslab through it */
	ino_t host_mnt;
};
int overlay_in_lab(void *arg, struct buf *out, struct nserr *e);

struct root_req {
	const char *dir;
	bool own_pid;		/* the lab has its own PID namespace */
	bool userns;		/* in a user namespace: no mknod */
	ino_t host_mnt;
};
/* Bind DIR, mount /proc, /dev, /sys in it, pivot_root, detach the old root. */
int rootfs_in_lab(void *arg, struct buf *out, struct nserr *e);
/* Check DIR as a root and that chroot(2) into it is allowed. */
int chroot_in_lab(void *arg, struct buf *out, struct nserr *e);
