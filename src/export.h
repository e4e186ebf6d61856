/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * `export`: the lab so far as the tools people use outside nslab. One pass
 * gathers what the lab is (export_gather: a plain snapshot, no fds); then
 * each generator turns the snapshot into text: an unshare(1) command line,
 * a POSIX shell script (util-linux, iproute2), a C program making the same
 * system calls, an OCI runtime bundle's config.json. The generators are
 * pure functions of the snapshot, so unit tests feed them made-up labs.
 *
 * The fs and net features come in through export_ext.c:
 * export_gather_fs() (clock offsets, the lab's root) and
 * export_gather_net() (veth pairs) fill their part of the snapshot.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "err.h"
#include "ns.h"
#include "userns.h"

struct lab;
struct buf;

enum export_mount_kind { EXPORT_PROC, EXPORT_TMPFS, EXPORT_BIND, EXPORT_UMOUNT };

/* One mount request the lab made, in the order it made them. */
struct export_mount {
	enum export_mount_kind kind;
	char *src, *dst;	/* src: the bind's source, else NULL */
	bool own_pid;		/* proc: mounted from the lab's own PID namespace */
};

enum export_clock { EXPORT_MONOTONIC, EXPORT_BOOTTIME, EXPORT_CLOCKS };
enum export_root_kind { EXPORT_ROOT_NONE, EXPORT_ROOT_PIVOT, EXPORT_ROOT_CHROOT };

/* A veth pair with one end in the lab. */
struct export_veth {
	char name[16], peer[16];	/* the lab's end, the other end */
	char addr[48], peer_addr[48];	/* "10.0.0.1/24", or "" */
	char peer_lab[32];		/* "" when the other end is on the host */
};

struct export_lab {
	char name[32];
	unsigned isolated;		/* NS_BIT()s */
	uint32_t host_uid, host_gid;	/* who runs nslab */
	/* uts: names set only where they differ from the host's */
	bool set_hostname, set_domainname;
	char hostname[65], domainname[65];
	int ipc_objects;		/* in the lab's own IPC namespace: not reproducible */
	/* user: the maps its user namespace has */
	struct idmap uid, gid;
	bool setgroups_deny;
	/* cgroup limits; has[c] false: none of the lab's own */
	bool has[CG_CTL_COUNT];
	uint64_t mem_max, pids_max, cpu_quota, cpu_period;
	int cg_version[CG_CTL_COUNT];
	char cg_mount[CG_CTL_COUNT][256]; /* where each hierarchy is mounted */
	bool memsw;			/* v1 has memory.memsw.* (swap accounting) */
	size_t nmounts;
	struct export_mount *mounts;
	/* fs feature: clock offsets (seconds) and the lab's root */
	bool clock_set[EXPORT_CLOCKS];
	long long clock_sec[EXPORT_CLOCKS];
	enum export_root_kind root_kind;
	char *root_dir;
	bool root_proc;			/* root_dir has a proc/ for a /proc */
	bool overlay, overlay_root;	/* the lab's overlay (its root): left out */
	/* net feature */
	size_t nveth;
	struct export_veth *veth;
};

/* ---- export_gather.c ----------------------------------------------------- */
int export_gather(struct lab *lab, struct export_lab **out, struct nserr *e);
void export_free(struct export_lab *x);
/* The maps are one id each, the invoker's own, setgroups denied: what
 * any user may write for itself (unshare --map-user/--map-group). */
bool export_self_map(const struct export_lab *x);
/* The lab mounted a proc of its own PID namespace: the first such mount,
 * or NULL. */
const struct export_mount *export_own_proc(const struct export_lab *x);

/* ---- export_ext.c: the fs and net features -------------------------------- */
void export_gather_fs(const struct lab *lab, struct export_lab *x);
void export_gather_net(const struct lab *lab, struct export_lab *x);

/* ---- export_quote.c: text that came from the learner, made safe ---------- */
/* S as one word for sh(1): as it is when every byte is harmless, else in
 * single quotes, each ' written '\''. */
void sh_quote(struct buf *b, const char *s);
/* S as a C string literal, quotes included: \" \\ \? escaped, every byte
 * outside printable ASCII as a three-digit octal escape. */
void c_quote(struct buf *b, const char *s);
/* Would Debian's hostname(1) take NAME? It refuses all but letters,
 * digits, '-' and '.' in the usual places; other names go through
 * /proc/sys/kernel/hostname. */
bool hostname_tool_accepts(const char *name);

/* ---- shared by the generators ------------------------------------------- */
/* mount(8) and umount(8) commands for what the lab mounted, SKIP aside,
 * joined by SEP. */
void export_sh_mount_steps(const struct export_lab *x, const struct export_mount *skip, struct buf *b,
			   const char *sep);
/* The namespaces' CLONE_NEW* names: "CLONE_NEWUTS | CLONE_NEWPID". */
void export_clone_flags(unsigned mask, struct buf *b);

/* ---- the generators -------------------------------------------------------- */
/* Notes ("# ..." lines) on what the line cannot do, then the line. ARGV:
 * the program (NULL or empty: unshare's default, $SHELL). */
void export_unshare(const struct export_lab *x, char *const *argv, struct buf *b);
void export_sh(const struct export_lab *x, struct buf *b);
void export_c(const struct export_lab *x, struct buf *b);
/* config.json; ROOTFS: root.path. ARGV: process.args (NULL: sh, on a
 * terminal). What the bundle does differently goes to NOTES, a line each. */
void export_oci_config(const struct export_lab *x, const char *rootfs, char *const *argv, struct buf *b,
		       struct buf *notes);

/* ---- export_rootfs.c --------------------------------------------------------- */
/* Make ROOT (new) a small root filesystem from a static busybox (BUSYBOX,
 * or /bin/busybox): bin/ with a link for each applet, etc/passwd and
 * group, empty proc/ sys/ dev/ tmp/ root/. *COMMANDS: how many applets. */
int export_busybox_root(const char *root, const char *busybox, unsigned *commands, struct nserr *e);
/* rm -rf PATH, never following a symbolic link. */
void export_remove_tree(const char *path);
