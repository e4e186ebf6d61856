/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The lab's user namespace: the uid/gid maps nslab writes for it (once, as
 * the kernel demands, while the namespace helper waits), who owns each of
 * the lab's namespaces, and the rootless rule that every lab of a rootless
 * nslab lives in one shared user namespace.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "ns.h"

/* UID_GID_MAP_MAX_EXTENTS: the kernel's limit on lines since Linux 4.15. */
#define IDMAP_MAX_LINES 340

struct idmap_line {
	uint32_t in, out, count;
};

struct idmap {
	unsigned n;
	struct idmap_line line[IDMAP_MAX_LINES];
};

enum setgroups_mode { SETGROUPS_DEFAULT, SETGROUPS_ALLOW, SETGROUPS_DENY };

/* The maps for the lab's next user namespace; none: root inside is the
 * invoking user outside, as `unshare -r` does. */
struct userns_conf {
	struct idmap uid, gid;
	enum setgroups_mode setgroups;
};

/* What the caller may map without newuidmap(1): with CAP_SETUID (uid) or
 * CAP_SETGID (gid) any range, else its own id alone, count 1. */
struct idmap_rights {
	bool privileged;
	uint32_t self;
};

/* Parse IN OUT COUNT triples from ARGV and add them to M, all or none:
 * numbers, ranges that wrap or reach (uint32_t)-1, overlaps inside or
 * outside, the kernel's line limit, and RIGHTS. WHAT is "uid" or "gid". */
int idmap_add(struct idmap *m, int argc, char **argv, const char *what, const struct idmap_rights *rights,
	      struct nserr *e);
/* "0 1000 1\n1 100000 65536\n": the text the kernel's map files take. */
void idmap_format(const struct idmap *m, struct buf *b);
/* The id inside for OUTSIDE, or -1 when the map leaves it out. */
int64_t idmap_to_inside(const struct idmap *m, uint32_t outside);

/* The configuration of LAB's next user namespace (made on first use). */
struct lab;
struct userns_conf *userns_conf(struct lab *lab);
bool userns_configured(const struct lab *lab);
/* The maps nslab will write, configured or default. */
void userns_effective(const struct lab *lab, struct idmap *uid, struct idmap *gid, bool *deny);
/* Write setgroups, uid_map and gid_map of the helper PID (in lab.c's
 * conversation with the namespace helper); PID 0: the caller's own. */
int userns_write_maps(const struct lab *lab, pid_t pid, struct nserr *e);
/* In the namespace helper, just after unshare(CLONE_NEWUSER): write its own
 * maps where the kernel lets any process do so (its own uid and gid alone,
 * setgroups denied), as `unshare -r` does, saving a round trip to nslab.
 * 1: done; 0: nslab must write them (userns_write_maps); -1: failed. */
int userns_map_self(const struct lab *lab, struct nserr *e);
/* In a process that has just joined or made a user namespace: become root
 * there when the map allows it, as nsenter(1) does. */
void userns_become_root(void);
/* Forget LAB's configuration (lab_destroy). */
void userns_forget(struct lab *lab);

/* The inode of the user namespace owning LAB's namespace T (for a user
 * namespace: its parent), from ioctl(NS_GET_USERNS); 0 if unknown. */
ino_t userns_owner(const struct lab *lab, enum ns_type t);
/* The parent of LAB's user or PID namespace (ioctl NS_GET_PARENT), 0 if
 * it has none that nslab may see. */
ino_t userns_parent(const struct lab *lab, enum ns_type t);
/* Who owns T, in words for the panel and status: "" when it is the host's
 * user namespace, else "owner: the lab's user ns" and the like. */
void userns_owner_text(const struct lab *lab, enum ns_type t, struct buf *b);

/* status --json: "owner" (and "parent" for user and PID namespaces; for a
 * user namespace also "creator_uid"), null where there is none to see. */
struct json_object;
void userns_json(struct json_object *o, const struct lab *lab, enum ns_type t);

/* Rootless, before unsharing MASK in the current lab: the lab needs a user
 * namespace first. Join the one another lab already has (so that labs can
 * be wired together without host privilege), else add USER to *MASK. Says
 * which, as a note. */
struct nslab;
int userns_rootless_first(struct nslab *app, unsigned *mask, struct nserr *e);
