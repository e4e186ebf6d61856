/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * A lab's filesystem and clocks: what nslab sets up around the namespaces
 * (commands in cmd_fs.c and cmd_clock.c).
 *
 * The overlay's upper and work directories live on the host, in nslab's run
 * directory RUN/PID/LAB/ (RUN is /run/nslab for root, or /dev/shm/nslab
 * where /run is no tmpfs; else $XDG_RUNTIME_DIR/nslab or /tmp/nslab-UID).
 * RUN/PID is locked with flock() while nslab runs, so a later start knows
 * that one whose lock is free was left by a killed run, and removes it. The overlay itself is
 * mounted only in the lab's mount namespace, at RUN/PID/LAB/merged: on the
 * host that directory stays empty and nothing is ever mounted there.
 */
#include <stdbool.h>

#include "lab.h"

enum lab_clock { LAB_CLOCK_MONOTONIC, LAB_CLOCK_BOOTTIME, LAB_CLOCKS };

struct lab_fs {
	char *dir;		/* RUN/PID/LAB on the host, while it exists */
	bool overlay;		/* mounted at dir/merged in the lab */
	bool userxattr;		/* a user namespace mounted it: user.overlay.* xattrs */
	bool overlay_is_root;	/* rootfs pivoted into it */
	int nlower;
	char **lower;		/* the lower layers as given, top first */
	int *lower_fd;		/* each as the overlay sees it (a detached clone) */
	char *pivot_dir;	/* what `rootfs` made the lab's root */
	char *chroot_dir;	/* where the lab's programs are chrooted */
	bool clock_set[LAB_CLOCKS];
	long long clock_sec[LAB_CLOCKS]; /* written when `unshare time` makes the namespace */
};

/* The lab's state, made on first use. */
struct lab_fs *labfs(struct lab *lab);

/* Hooks of the lab engine. */
void labfs_share(struct lab *lab, unsigned mask); /* namespaces given back */
void labfs_free(struct lab *lab);		  /* lab gone */
/* In a child that has joined the lab: chroot(2) into the lab's chroot. */
int labfs_enter(const struct lab *lab, struct nserr *e);
/* In the namespace helper, right after unshare(CLONE_NEWTIME) and before
 * any fork: the first process born into or joining the namespace freezes
 * its offsets. */
int labfs_write_clocks(const struct lab *lab, struct nserr *e);
/* At start: remove what killed runs left in the run directory; where one
 * says its nslab had cgroups (the mark below), CGROUPS_LEFT() first. */
void labfs_sweep(void (*cgroups_left)(void));
/* nslab's run directory marks that nslab has cgroups on the host (from
 * before the first is made until the last is gone): a start that finds the
 * mark of an nslab that is gone sweeps them (labfs_sweep), and the others
 * need not look. */
int labfs_mark_cgroups(struct nserr *e);
void labfs_unmark_cgroups(void);
/* rm -rf, without following symbolic links; async-signal-safe. */
void rm_tree(int dirfd, const char *name);

/* ---- layers.c ------------------------------------------------------------ */
/* Make RUN/PID/LAB/{upper,work,merged} on the host. */
int layers_make_dir(struct lab *lab, struct nserr *e);
void layers_remove_dir(struct lab_fs *fs);
/* Lines "A /path", "C /path", "D /path", sorted, as `docker diff`. */
int layers_diff(const struct lab_fs *fs, struct buf *out, struct nserr *e);
/* Copy the upper layer, whiteouts and opaque marks kept, to DEST (made). */
int layers_save(const struct lab_fs *fs, const char *dest, unsigned *count, struct nserr *e);

/* ---- timens.c ------------------------------------------------------------ */
/* The kernel keeps a shifted clock below KTIME_SEC_MAX / 2 (about 146
 * years), in seconds. */
#define LAB_CLOCK_MAX 4611686018LL
/* "90", "-15m", "+2h", "3d": seconds, at most LAB_CLOCK_MAX either way. */
int parse_clock_offset(const char *s, long long *sec, struct nserr *e);
/* "1d 2h 3m 4s"-style words for an offset. */
void clock_offset_str(long long sec, char *out, size_t size);
extern const char *const lab_clock_name[LAB_CLOCKS];
