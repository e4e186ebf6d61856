/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "ns.h"

/*
 * The lab model (see DESIGN.md): nslab itself never changes namespace. A lab
 * is a set of namespace fds, one per type; -1 means "still the host's".
 * Namespaces are made by a short-lived helper process and handed back over a
 * unix socket, so nslab never reads a /proc link before the namespace exists.
 */
struct lab {
	char name[32];
	int fd[NS_COUNT];
	ino_t ino[NS_COUNT];
	pid_t init;	  /* host PID of the lab's PID 1, 0 if it has none */
	int procfd;	  /* its PID namespace's proc, mounted nowhere (counting), or -1 */
	bool init_gone;	  /* PID 1 died: the PID namespace refuses new processes */
	int init_status;  /* its wait status, once gone */
	unsigned owned_by_user; /* types created inside the lab's user namespace */
	bool strays;	  /* a program ran here without a PID namespace of the lab's:
			   * it may have left background processes behind */
	struct userns_conf *userns; /* maps for its next user namespace (userns.h) */
	struct cgroup_lab *cg;	/* its cgroups (cgroup.c); NULL until it needs them */
	struct labnet *net;	/* its route socket (labnet.c), or NULL */
	struct lab_fs *fs;	/* overlay, root, clock offsets (labfs.h); NULL until used */
	struct mount_rec *mounts; /* what it mounted, for export (mountrec.h); NULL: nothing */
};

struct host {
	int fd[NS_COUNT];
	ino_t ino[NS_COUNT];
	int proc;	  /* O_PATH fd of the host's /proc, valid in any mount ns */
	int lifeline[2];  /* nslab holds [1]; every lab init polls [0] and exits on EOF */
	uid_t uid;
	gid_t gid;
	bool admin;	  /* CAP_SYS_ADMIN in nslab's own user namespace */
	char cwd[4096];
};

extern struct host host;

int host_init(struct nserr *e);

void lab_init(struct lab *lab, const char *name);
unsigned lab_isolated(const struct lab *lab);
ino_t lab_ino(const struct lab *lab, enum ns_type t);
int lab_unshare(struct lab *lab, unsigned mask, struct nserr *e);
/* Puts the host's namespaces back; *ended (unless NULL) counts processes
 * a PID namespace took with it. */
int lab_share(struct lab *lab, unsigned mask, int *ended, struct nserr *e);
void lab_destroy(struct lab *lab);
/* Notice a PID 1 that died since we last looked (reaps it). */
void lab_poll(struct lab *lab);
/* Number of processes whose PID namespace is the lab's (0 without one). */
int lab_count_processes(struct lab *lab);

/* In a child only: join every namespace the lab has isolated. */
int lab_join(const struct lab *lab, struct nserr *e);

/* Run FN in a child that has joined the lab; what it appends to OUT comes
 * back to the caller, as does its error. LAB_IN_PID forks once more so FN
 * runs inside the lab's PID namespace (needed to mount /proc). LAB_LIGHT:
 * FN makes system calls and fills OUT and E, frees whatever else it
 * allocates and leaves stdio alone, so the child may borrow nslab's memory
 * (harden_vfork()). */
enum { LAB_IN_PID = 1, LAB_LIGHT = 2 };
typedef int (*lab_fn)(void *arg, struct buf *out, struct nserr *e);
int lab_call(struct lab *lab, unsigned flags, lab_fn fn, void *arg, struct buf *out, struct nserr *e);

struct spawn {
	char *const *argv;
	char *const *envp;	/* NULL: nslab's own environment */
	bool on_host;		/* compare: run outside the lab */
	bool terminal;		/* hand the child the terminal's foreground */
};
/* Runs a program in the lab and waits; *status is its wait status. */
int lab_spawn(struct lab *lab, const struct spawn *sp, int *status, struct nserr *e);
/* How a child ended, in words: "exit status 3", "killed by SIGKILL". */
void describe_status(int status, char *out, size_t size);

/* nslab's command line, which a lab's PID 1 (a copy of nslab) replaces
 * with its own name: the host's arguments are no business of the lab's. */
void lab_set_title_area(char *start, size_t len);

/* For signal handlers: end every lab process, async-signal-safe. */
void lab_emergency_kill(void);
