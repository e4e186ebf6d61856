/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "app.h"
#include "err.h"

/* What a command's arguments complete to in the REPL. */
enum complete_kind {
	COMPLETE_NONE,
	COMPLETE_NS,	   /* namespace names */
	COMPLETE_WORDS,	   /* the command's `words`, then files */
	COMPLETE_FILES,
	COMPLETE_PROGRAM,  /* executables, then files */
	COMPLETE_COMMAND,  /* nslab commands */
	COMPLETE_PID,	   /* the command's `words`, then the lab's processes (host PIDs) */
};

/* One row of the command table: dispatch, `help`, completion and the man
 * page's list all come from these. */
struct command {
	const char *name;
	const char *alias;
	const char *usage;	/* the arguments, as `help` shows them */
	const char *help;	/* one line */
	int min_args, max_args; /* not counting the name; -1: no maximum */
	int (*run)(struct nslab *app, int argc, char **argv, struct nserr *e);
	enum complete_kind complete;
	const char *const *words;
};

extern const struct command *const command_table[];
extern const size_t command_count;

/* The command a word names: exact name or alias, else a unique prefix.
 * NULL (with e filled: closest names, or the ambiguous candidates). */
const struct command *command_find(const char *word, struct nserr *e);
/* Run one parsed command: a command, or else a program in the lab. */
int command_dispatch(struct nslab *app, int argc, char **argv, struct nserr *e);
/* Show the usage as an error hint. */
int command_usage_error(const struct command *c, struct nserr *e, const char *what);

/* The families' table rows. */
extern const struct command cmd_unshare, cmd_share, cmd_reset, cmd_status;
extern const struct command cmd_hostname, cmd_domainname;
extern const struct command cmd_mount, cmd_umount, cmd_mounts;
extern const struct command cmd_ipcmk, cmd_ipcs, cmd_ipcrm;
extern const struct command cmd_run, cmd_host, cmd_enter;
extern const struct command cmd_help, cmd_quit, cmd_panel, cmd_lab;
extern const struct command cmd_say, cmd_pause, cmd_expect, cmd_compare, cmd_explain, cmd_lesson, cmd_pid;
/* FN(host PID, ARG) for each process of LAB's PID namespace (none without
 * one): how many, or -1 when /proc cannot be read. */
int pid_each(const struct lab *lab, void (*fn)(const char *pid, void *arg), void *arg);
extern const struct command cmd_uidmap, cmd_gidmap, cmd_setgroups, cmd_id;
extern const struct command cmd_cgroup;
extern const struct command cmd_link, cmd_links, cmd_veth;
extern const struct command cmd_overlay, cmd_rootfs, cmd_chroot, cmd_diff, cmd_layer, cmd_clock;
extern const struct command cmd_export;
extern const struct command cmd_trace;
