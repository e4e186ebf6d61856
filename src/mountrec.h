/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the lab mounted, in order, for `export`: the mount table alone cannot
 * say which mounts the learner made (a copied table looks the same) nor in
 * which order. cmd_mount.c tells us after each mount or umount that worked;
 * giving the mount namespace back forgets it all.
 */
#include <stdbool.h>
#include <stddef.h>

struct lab;

struct mount_rec_entry {
	char kind[8];		/* "proc", "tmpfs", "bind" or "umount" */
	char *src, *dst;	/* src: a bind's source, else NULL */
	bool own_pid;		/* made while the lab had its own PID namespace */
};

struct mount_rec {
	size_t n;
	struct mount_rec_entry *e;
};

/* After a mount or umount in LAB succeeded. An umount of what the lab
 * mounted itself takes that entry away rather than adding one. */
void mountrec_note(struct lab *lab, const char *kind, const char *src, const char *dst);
/* The namespaces in MASK went back to the host's (lab_share). */
void mountrec_share(struct lab *lab, unsigned mask);
