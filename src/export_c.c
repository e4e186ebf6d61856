/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `export c`: the lab as a standalone C program that makes the system calls
 * nslab made for it, in one readable place. A supervisor stays on the host
 * (it writes maps of other ids, waits, removes the cgroups); its child joins
 * the cgroups, unshares, and, where the lab has a PID or time namespace,
 * forks the process that becomes the lab's PID 1 and execs the program.
 * Only what the lab needs is written out, so `cc -Wall -Werror` finds no
 * unused function.
 */
#include "config.h"
#include "export.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static bool any_limit(const struct export_lab *x)
{
	return x->has[CG_MEMORY] || x->has[CG_PIDS] || x->has[CG_CPU];
}

static bool maps_from_parent(const struct export_lab *x)
{
	return (x->isolated & NS_BIT(NS_USER)) && !export_self_map(x);
}

static bool any_time(const struct export_lab *x)
{
	return x->clock_set[EXPORT_MONOTONIC] || x->clock_set[EXPORT_BOOTTIME];
}

/* A C string literal of "PREFIX" followed by S. */
static void lit2(struct buf *b, const char *prefix, const char *s)
{
	_cleanup_free_ char *all = xasprintf("%s%s", prefix, s);
	c_quote(b, all);
}

void export_clone_flags(unsigned mask, struct buf *b)
{
	static const enum ns_type order[] = {NS_USER, NS_MNT, NS_UTS, NS_IPC, NS_NET, NS_PID, NS_CGROUP, NS_TIME};
	static const char *const names[NS_COUNT] = {
		[NS_USER] = "CLONE_NEWUSER", [NS_MNT] = "CLONE_NEWNS",	   [NS_UTS] = "CLONE_NEWUTS",
		[NS_IPC] = "CLONE_NEWIPC",   [NS_NET] = "CLONE_NEWNET",	   [NS_PID] = "CLONE_NEWPID",
		[NS_CGROUP] = "CLONE_NEWCGROUP", [NS_TIME] = "CLONE_NEWTIME",
	};
	size_t start = b->len;

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (mask & NS_BIT(order[i]))
			buf_printf(b, "%s%s", b->len > start ? " | " : "", names[order[i]]);
}

static void prologue(const struct export_lab *x, struct buf *b)
{
	char names[128];

	ns_mask_str(x->isolated, names, sizeof(names));
	buf_printf(b, "/* The nslab lab \"%s\" as a C program (nslab's `export c`): the system\n"
		      " * calls that made it, then PROGRAM runs inside (/bin/sh without one).\n"
		      " *     cc -Wall -Werror -o lab lab.c && ./lab [PROGRAM [ARGS...]]\n"
		      " * Namespaces: %s.\n",
		   x->name, *names ? names : "none");
	if (any_limit(x) || maps_from_parent(x))
		buf_printf(b, " * Run it as root, for %s.\n",
			   !maps_from_parent(x) ? "the cgroup limits"
			   : any_limit(x)	 ? "the cgroup limits and the uid/gid maps"
						 : "the uid/gid maps");
	if (x->ipc_objects > 0)
		buf_printf(b, " * Not reproduced: the lab's %d System V IPC object(s).\n", x->ipc_objects);
	if (x->nveth)
		buf_printf(b, " * Not here: the lab's veth pairs (rtnetlink; `export sh` makes them with ip).\n");
	if (x->overlay_root)
		buf_printf(b, " * Not reproduced: the lab's root, its overlay, which exists only in its mount namespace.\n");
	else if (x->overlay)
		buf_printf(b, " * Not reproduced: the lab's overlay, which exists only in its mount namespace.\n");
	buf_printf(b, " */\n#define _GNU_SOURCE\n#include <errno.h>\n#include <fcntl.h>\n#include <grp.h>\n#include <sched.h>\n"
		      "#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
		      "#include <sys/mount.h>\n#include <sys/stat.h>\n#include <sys/syscall.h>\n#include <sys/wait.h>\n"
		      "#include <unistd.h>\n\n");
	if (x->isolated & NS_BIT(NS_TIME))
		buf_printf(b, "#ifndef CLONE_NEWTIME\n#define CLONE_NEWTIME 0x00000080\n#endif\n\n");
	buf_printf(b, "static void die(const char *what)\n{\n\tfprintf(stderr, \"lab: %%s: %%s\\n\", what, strerror(errno));\n"
		      "\texit(125);\n}\n\n"
		      "/* A wait status as a shell reports it. */\nstatic int wait_for(pid_t pid)\n{\n\tint status;\n\n"
		      "\twhile (waitpid(pid, &status, 0) < 0)\n\t\tif (errno != EINTR)\n\t\t\tdie(\"waitpid\");\n"
		      "\treturn WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);\n}\n\n");
	if (any_limit(x) || (x->isolated & NS_BIT(NS_USER)) || any_time(x))
		buf_printf(b, "/* In one write(2): the kernel takes a map's lines all at once. */\n"
			      "static int put(const char *path, const char *text)\n{\n"
			      "\tint fd = open(path, O_WRONLY | O_CLOEXEC), ok;\n\n\tif (fd < 0)\n\t\treturn -1;\n"
			      "\tok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);\n\tclose(fd);\n"
			      "\treturn ok ? 0 : -1;\n}\n\n"
			      "static void write_file(const char *path, const char *text)\n{\n"
			      "\tif (put(path, text) < 0)\n\t\tdie(path);\n}\n\n");
}

static const char *const ctl_v1[CG_CTL_COUNT] = {"memory", "pids", "cpu"};

/* The hierarchies the limits need, one directory each: INDEX[c]. */
static int hierarchies(const struct export_lab *x, int index[CG_CTL_COUNT])
{
	int n = 0;

	for (int c = 0; c < CG_CTL_COUNT; c++) {
		index[c] = -1;
		for (int o = 0; o < c && index[c] < 0; o++)
			if (x->has[o] && strcmp(x->cg_mount[o], x->cg_mount[c]) == 0)
				index[c] = index[o];
		if (x->has[c] && index[c] < 0)
			index[c] = n++;
	}
	return n;
}

/* The first controller served by hierarchy K. */
static int first_of(const int index[CG_CTL_COUNT], int k)
{
	for (int c = 0; c < CG_CTL_COUNT; c++)
		if (index[c] == k)
			return c;
	return 0;
}

static void cgroup_setup(const struct export_lab *x, const int index[CG_CTL_COUNT], struct buf *b)
{
	buf_printf(b, "\tfor (int i = 0; i < CG_COUNT; i++) {\n\t\tchar own[2048] = \"\";\n\n"
		      "\t\tif (*cg_ctl[i])\n\t\t\town_cgroup(cg_ctl[i], own, sizeof(own));\n"
		      "\t\tif (snprintf(cg_dir[i], sizeof(cg_dir[i]), \"%%s%%s/nslab-export.%%d\", cg_mount[i], own,\n"
		      "\t\t\t     (int)getpid()) >= (int)sizeof(cg_dir[i]))\n\t\t\tdie(\"cgroup path too long\");\n"
		      "\t\tif (mkdir(cg_dir[i], 0755) < 0)\n\t\t\tdie(cg_dir[i]);\n\t}\n");
	for (int c = 0; c < CG_CTL_COUNT; c++) {
		unsigned long long v = c == CG_MEMORY ? x->mem_max : c == CG_PIDS ? x->pids_max : x->cpu_quota;
		int i = index[c], v1 = x->cg_version[c] == 1;
		if (!x->has[c])
			continue;
		if (c == CG_MEMORY) {
			buf_printf(b, "\tcg_write(%d, \"%s\", \"%llu\");\n", i, v1 ? "memory.limit_in_bytes" : "memory.max", v);
			if (v1)
				buf_printf(b, "\tcg_write_if(%d, \"memory.memsw.limit_in_bytes\", \"%llu\");\n", i, v);
			else
				buf_printf(b, "\tcg_write_if(%d, \"memory.swap.max\", \"0\");\n", i);
		} else if (c == CG_PIDS) {
			buf_printf(b, "\tcg_write(%d, \"pids.max\", \"%llu\");\n", i, v);
		} else if (v1) {
			buf_printf(b, "\tcg_write(%d, \"cpu.cfs_period_us\", \"%llu\");\n", i, (unsigned long long)x->cpu_period);
			buf_printf(b, "\tcg_write(%d, \"cpu.cfs_quota_us\", \"%llu\");\n", i, v);
		} else {
			buf_printf(b, "\tcg_write(%d, \"cpu.max\", \"%llu %llu\");\n", i, v, (unsigned long long)x->cpu_period);
		}
	}
}

static void cgroup_functions(const struct export_lab *x, struct buf *b)
{
	int index[CG_CTL_COUNT], n = hierarchies(x, index);
	const char *sep = "";

	buf_printf(b, "/* The lab's cgroup in each hierarchy its limits need: on v1 beside the\n"
		      " * one we run in (inside its limits), on v2 under the root. */\n#define CG_COUNT %d\n"
		      "static const char *const cg_mount[CG_COUNT] = {", n);
	for (int k = 0; k < n; k++) {
		buf_printf(b, "%s", sep);
		c_quote(b, x->cg_mount[first_of(index, k)]);
		sep = ", ";
	}
	buf_printf(b, "};\nstatic const char *const cg_ctl[CG_COUNT] = {");
	sep = "";
	for (int k = 0; k < n; k++) {
		int c = first_of(index, k);
		buf_printf(b, "%s\"%s\"", sep, x->cg_version[c] == 1 ? ctl_v1[c] : "");
		sep = ", ";
	}
	buf_printf(b, "}; /* \"\": v2 */\nstatic char cg_dir[CG_COUNT][4096];\n\n"
		      "/* Our cgroup in the v1 hierarchy of CTL, from /proc/self/cgroup. */\n"
		      "static void own_cgroup(const char *ctl, char *out, size_t size)\n{\n"
		      "\tchar line[4096];\n\tFILE *f = fopen(\"/proc/self/cgroup\", \"re\");\n\tsize_t n = strlen(ctl);\n\n"
		      "\twhile (f && fgets(line, sizeof(line), f)) {\n"
		      "\t\tchar *c = strchr(line, ':'), *path = c ? strchr(c + 1, ':') : NULL;\n"
		      "\t\tif (!path)\n\t\t\tcontinue;\n\t\t*path++ = '\\0';\n\t\tpath[strcspn(path, \"\\n\")] = '\\0';\n"
		      "\t\tfor (c++; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)\n"
		      "\t\t\tif (strncmp(c, ctl, n) == 0 && (c[n] == ',' || c[n] == '\\0'))\n"
		      "\t\t\t\tsnprintf(out, size, \"%%s\", strcmp(path, \"/\") ? path : \"\");\n\t}\n"
		      "\tif (f)\n\t\tfclose(f);\n}\n\n"
		      "/* DIR/FILE of the cgroup I, into PATH. */\n"
		      "static void cg_path(char path[4200], int i, const char *file)\n{\n"
		      "\tif (snprintf(path, 4200, \"%%s/%%s\", cg_dir[i], file) >= 4200)\n\t\tdie(\"cgroup path too long\");\n}\n\n"
		      "static void cg_write(int i, const char *file, const char *text)\n{\n\tchar path[4200];\n\n"
		      "\tcg_path(path, i, file);\n\twrite_file(path, text);\n}\n\n");
	if (x->has[CG_MEMORY])
		buf_printf(b, "/* Where the file exists: v1 may have swap accounting off. */\n"
			      "static void cg_write_if(int i, const char *file, const char *text)\n{\n\tchar path[4200];\n\n"
			      "\tcg_path(path, i, file);\n"
			      "\tif (access(path, F_OK) == 0)\n\t\twrite_file(path, text);\n}\n\n");
	buf_printf(b, "static void cgroups_make(void)\n{\n");
	cgroup_setup(x, index, b);
	buf_printf(b, "}\n\nstatic void cgroups_join(void)\n{\n\tfor (int i = 0; i < CG_COUNT; i++)\n"
		      "\t\tcg_write(i, \"cgroup.procs\", \"0\");\n}\n\n"
		      "/* A cgroup goes only once empty: end what the program left. */\n"
		      "static void cgroups_remove(void)\n{\n\tfor (int i = 0; i < CG_COUNT; i++)\n"
		      "\t\tfor (int try = 0; try < 100 && rmdir(cg_dir[i]) < 0 && errno == EBUSY; try++) {\n"
		      "\t\t\tchar path[4200];\n\t\t\tint pid;\n\t\t\tFILE *f;\n\n"
		      "\t\t\tcg_path(path, i, \"cgroup.procs\");\n"
		      "\t\t\tfor (f = fopen(path, \"re\"); f && fscanf(f, \"%%d\", &pid) == 1;)\n\t\t\t\tkill(pid, SIGKILL);\n"
		      "\t\t\tif (f)\n\t\t\t\tfclose(f);\n\t\t\tusleep(10000);\n\t\t}\n}\n\n");
}

static void map_literal(const struct idmap *m, struct buf *b)
{
	buf_add(b, "\"", 1);
	for (unsigned i = 0; i < m->n; i++)
		buf_printf(b, "%u %u %u\\n", m->line[i].in, m->line[i].out, m->line[i].count);
	buf_add(b, "\"", 1);
}

static void user_functions(const struct export_lab *x, struct buf *b)
{
	bool self = export_self_map(x);

	buf_printf(b, "/* Maps for the user namespace of PID (\"self\": ours); setgroups first,\n"
		      " * as the kernel refuses it once gid_map is written. */\n"
		      "static void write_maps(const char *pid%s)\n{\n\tchar path[64];\n",
		   self ? ", unsigned uid, unsigned gid" : "");
	if (self)
		buf_printf(b, "\tchar map[64];\n");
	buf_printf(b, "\n\tsnprintf(path, sizeof(path), \"/proc/%%s/setgroups\", pid);\n"
		      "\tif (put(path, \"%s\") < 0 && errno != ENOENT)\n\t\tdie(path);\n"
		      "\tsnprintf(path, sizeof(path), \"/proc/%%s/uid_map\", pid);\n",
		   x->setgroups_deny ? "deny" : "allow");
	if (self) {
		buf_printf(b, "\tsnprintf(map, sizeof(map), \"%u %%u 1\\n\", uid);\n\twrite_file(path, map);\n"
			      "\tsnprintf(path, sizeof(path), \"/proc/%%s/gid_map\", pid);\n"
			      "\tsnprintf(map, sizeof(map), \"%u %%u 1\\n\", gid);\n\twrite_file(path, map);\n}\n\n",
			   x->uid.line[0].in, x->gid.line[0].in);
	} else {
		buf_printf(b, "\twrite_file(path, ");
		map_literal(&x->uid, b);
		buf_printf(b, ");\n\tsnprintf(path, sizeof(path), \"/proc/%%s/gid_map\", pid);\n\twrite_file(path, ");
		map_literal(&x->gid, b);
		buf_printf(b, ");\n}\n\n");
	}
	buf_printf(b, "/* Root inside, as nslab makes every process it starts in the lab. Each\n"
		      " * step may be refused (setgroups denied, 0 not mapped): then we stay. */\n"
		      "static void become_root(void)\n{\n"
		      "\tif (setgroups(0, NULL) < 0) {\n\t\t/* setgroups denied */\n\t}\n"
		      "\tif (setresgid(0, 0, 0) < 0) {\n\t\t/* gid 0 not mapped */\n\t}\n"
		      "\tif (setresuid(0, 0, 0) < 0) {\n\t\t/* uid 0 not mapped */\n\t}\n}\n\n");
}

static void mount_calls(const struct export_lab *x, struct buf *b)
{
	for (size_t i = 0; i < x->nmounts; i++) {
		const struct export_mount *m = &x->mounts[i];
		buf_printf(b, "\tif (");
		if (m->kind == EXPORT_UMOUNT) {
			buf_printf(b, "umount2(");
			c_quote(b, m->dst);
			buf_printf(b, ", UMOUNT_NOFOLLOW) < 0)\n\t\tdie(");
			lit2(b, "umount ", m->dst);
			buf_printf(b, ");\n");
			continue;
		}
		buf_printf(b, "mount(");
		if (m->kind == EXPORT_BIND)
			c_quote(b, m->src);
		else
			buf_printf(b, m->kind == EXPORT_PROC ? "\"proc\"" : "\"tmpfs\"");
		buf_printf(b, ", ");
		c_quote(b, m->dst);
		buf_printf(b, "%s", m->kind == EXPORT_PROC ? ", \"proc\", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL"
				    : m->kind == EXPORT_TMPFS ? ", \"tmpfs\", MS_NOSUID | MS_NODEV, \"mode=755\""
							      : ", NULL, MS_BIND | MS_REC, NULL");
		buf_printf(b, ") < 0)\n\t\tdie(");
		lit2(b, "mount ", m->dst);
		buf_printf(b, ");\n");
	}
}

/* The lab's own PID 1 (and, with a time namespace, the first process to
 * see its clocks) must be a child: unshare() moves only children there. */
static void lab_steps(const struct export_lab *x, struct buf *b)
{
	if (x->isolated & NS_BIT(NS_MNT))
		buf_printf(b, "\t/* As unshare(1): nothing mounted in the lab propagates back. */\n"
			      "\tif (mount(NULL, \"/\", NULL, MS_REC | MS_PRIVATE, NULL) < 0)\n\t\tdie(\"make / private\");\n");
	if (any_time(x)) {
		buf_printf(b, "\t/* Before any process is in the time namespace: then they freeze. */\n"
			      "\twrite_file(\"/proc/self/timens_offsets\", \"");
		if (x->clock_set[EXPORT_MONOTONIC])
			buf_printf(b, "monotonic %lld 0\\n", x->clock_sec[EXPORT_MONOTONIC]);
		if (x->clock_set[EXPORT_BOOTTIME])
			buf_printf(b, "boottime %lld 0\\n", x->clock_sec[EXPORT_BOOTTIME]);
		buf_printf(b, "\");\n");
	}
	if (x->isolated & (NS_BIT(NS_PID) | NS_BIT(NS_TIME)))
		buf_printf(b, "\t/* unshare() moves only our children: %s */\n"
			      "\tpid_t pid1 = fork();\n\tif (pid1 < 0)\n\t\tdie(\"fork\");\n"
			      "\tif (pid1 > 0)\n\t\texit(wait_for(pid1));\n",
			   x->isolated & NS_BIT(NS_PID) ? "this one is the lab's PID 1." : "this one sees the lab's clocks.");
	if (x->set_hostname) {
		buf_printf(b, "\tconst char *name = ");
		c_quote(b, x->hostname);
		buf_printf(b, ";\n\tif (sethostname(name, strlen(name)) < 0)\n\t\tdie(\"sethostname\");\n");
	}
	if (x->set_domainname) {
		buf_printf(b, "\tconst char *domain = ");
		c_quote(b, x->domainname);
		buf_printf(b, ";\n\tif (setdomainname(domain, strlen(domain)) < 0)\n\t\tdie(\"setdomainname\");\n");
	}
	mount_calls(x, b);
	if (x->root_kind == EXPORT_ROOT_CHROOT) {
		buf_printf(b, "\tif (chroot(");
		c_quote(b, x->root_dir);
		buf_printf(b, ") < 0 || chdir(\"/\") < 0)\n\t\tdie(\"chroot\");\n");
	} else if (x->root_kind == EXPORT_ROOT_PIVOT) {
		buf_printf(b, "\tconst char *root = ");
		c_quote(b, x->root_dir);
		buf_printf(b, ";\n\tif (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(root) < 0)\n"
			      "\t\tdie(root);\n\tmount_api_dirs();\n"
			      "\t/* pivot_root(\".\", \".\") stacks the old root on the new; umount takes it off. */\n"
			      "\tif (syscall(SYS_pivot_root, \".\", \".\") < 0 || umount2(\".\", MNT_DETACH) < 0 || chdir(\"/\") < 0)\n"
			      "\t\tdie(\"pivot_root\");\n");
	}
}

/* In the new root, before pivot_root, as nslab's `rootfs`: a new /proc
 * (the old one bound where a user namespace may not mount one), a small
 * /dev of the usual nodes bound from the old one, /sys read-only. */
static void api_dirs_function(struct buf *b)
{
	buf_printf(b, "static int is_dir(const char *path)\n{\n\tstruct stat st;\n\n"
		      "\treturn lstat(path, &st) == 0 && S_ISDIR(st.st_mode);\n}\n\n"
		      "static void mount_dev(void)\n{\n"
		      "\tstatic const char *const nodes[] = {\"null\", \"zero\", \"full\", \"random\", \"urandom\", \"tty\"};\n"
		      "\tstatic const char *const links[][2] = {{\"pts/ptmx\", \"dev/ptmx\"}, {\"/proc/self/fd\", \"dev/fd\"},\n"
		      "\t\t{\"/proc/self/fd/0\", \"dev/stdin\"}, {\"/proc/self/fd/1\", \"dev/stdout\"}, {\"/proc/self/fd/2\", \"dev/stderr\"}};\n"
		      "\tchar node[32], old[32];\n\n"
		      "\tif (mount(\"tmpfs\", \"dev\", \"tmpfs\", MS_NOSUID | MS_STRICTATIME, \"mode=755,size=65536k\") < 0)\n"
		      "\t\tdie(\"mount /dev\");\n"
		      "\tfor (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {\n"
		      "\t\tint fd;\n\n"
		      "\t\tsnprintf(node, sizeof(node), \"dev/%%s\", nodes[i]);\n"
		      "\t\tsnprintf(old, sizeof(old), \"/dev/%%s\", nodes[i]);\n"
		      "\t\tif ((fd = open(node, O_CREAT | O_WRONLY | O_CLOEXEC, 0666)) < 0)\n\t\t\tdie(node);\n"
		      "\t\tclose(fd);\n"
		      "\t\tif (mount(old, node, NULL, MS_BIND, NULL) < 0)\n\t\t\tdie(old);\n\t}\n"
		      "\tif (mkdir(\"dev/pts\", 0755) < 0 || mount(\"devpts\", \"dev/pts\", \"devpts\", MS_NOSUID | MS_NOEXEC,\n"
		      "\t\t\t\t\t\t   \"newinstance,ptmxmode=0666,mode=0620\") < 0)\n"
		      "\t\tdie(\"mount /dev/pts\");\n"
		      "\tif (mkdir(\"dev/shm\", 01777) < 0 ||\n"
		      "\t    mount(\"shm\", \"dev/shm\", \"tmpfs\", MS_NOSUID | MS_NODEV | MS_NOEXEC, \"mode=1777,size=65536k\") < 0)\n"
		      "\t\tdie(\"mount /dev/shm\");\n"
		      "\tfor (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)\n"
		      "\t\tif (symlink(links[i][0], links[i][1]) < 0)\n\t\t\tdie(links[i][1]);\n}\n\n"
		      "static void mount_api_dirs(void)\n{\n"
		      "\tif (is_dir(\"proc\") && mount(\"proc\", \"proc\", \"proc\", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&\n"
		      "\t    mount(\"/proc\", \"proc\", NULL, MS_BIND | MS_REC, NULL) < 0)\n"
		      "\t\tdie(\"mount /proc\");\n"
		      "\tif (is_dir(\"dev\"))\n\t\tmount_dev();\n"
		      "\tif (is_dir(\"sys\") && mount(\"sysfs\", \"sys\", \"sysfs\", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&\n"
		      "\t    (mount(\"/sys\", \"sys\", NULL, MS_BIND | MS_REC, NULL) < 0 ||\n"
		      "\t     mount(NULL, \"sys\", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0))\n"
		      "\t\tdie(\"mount /sys\");\n}\n\n");
}

static void in_lab(const struct export_lab *x, struct buf *b)
{
	bool user = x->isolated & NS_BIT(NS_USER), parent = maps_from_parent(x);

	buf_printf(b, "/* The child: the lab's cgroups and namespaces, then the program. */\n"
		      "static void in_lab(char **argv%s)\n{\n", parent ? ", int ready, int go" : "");
	if (user && !parent)
		buf_printf(b, "\tunsigned uid = geteuid(), gid = getegid();\n");
	if (parent)
		buf_printf(b, "\tchar c;\n");
	if (parent || (user && !parent))
		buf_printf(b, "\n");
	if (any_limit(x))
		buf_printf(b, "\t/* Before the namespaces: from inside a cgroup namespace the move is refused. */\n"
			      "\tcgroups_join();\n");
	if (x->isolated) {
		buf_printf(b, "\tif (unshare(");
		export_clone_flags(x->isolated, b);
		buf_printf(b, ") < 0)\n\t\tdie(\"unshare\");\n");
	}
	if (user && !parent)
		buf_printf(b, "\twrite_maps(\"self\", uid, gid);\n");
	if (parent)
		buf_printf(b, "\t/* Our maps are written from outside: tell, and wait until they are. */\n"
			      "\tif (write(ready, \"u\", 1) != 1 || read(go, &c, 1) != 1)\n\t\tdie(\"waiting for the maps\");\n");
	if (user)
		buf_printf(b, "\tbecome_root();\n");
	lab_steps(x, b);
	buf_printf(b, "\texecvp(argv[0], argv);\n\tdie(argv[0]);\n}\n\n");
}

static void main_function(const struct export_lab *x, struct buf *b)
{
	bool parent = maps_from_parent(x);

	buf_printf(b, "int main(int argc, char **argv)\n{\n\tchar *shell[] = {\"/bin/sh\", NULL};\n"
		      "\tchar **prog = argc > 1 ? argv + 1 : shell;\n\tpid_t child;\n\tint code;\n");
	if (parent)
		buf_printf(b, "\tint ready[2], go[2];\n\tchar c, pid[16];\n\n"
			      "\tif (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)\n\t\tdie(\"pipe\");\n");
	if (any_limit(x))
		buf_printf(b, "\tcgroups_make();\n");
	buf_printf(b, "\tfflush(NULL);\n\tchild = fork();\n\tif (child < 0)\n\t\tdie(\"fork\");\n"
		      "\tif (child == 0)\n\t\tin_lab(prog%s);\n", parent ? ", ready[1], go[0]" : "");
	if (parent)
		buf_printf(b, "\tclose(ready[1]);\n\tif (read(ready[0], &c, 1) != 1)\n\t\treturn wait_for(child);\n"
			      "\tsnprintf(pid, sizeof(pid), \"%%d\", (int)child);\n\twrite_maps(pid);\n"
			      "\tif (write(go[1], \"g\", 1) != 1)\n\t\tdie(\"write\");\n");
	buf_printf(b, "\t/* ^C at the terminal is for the program; we wait and clean up. */\n"
		      "\tsignal(SIGINT, SIG_IGN);\n\tsignal(SIGQUIT, SIG_IGN);\n\tcode = wait_for(child);\n");
	if (any_limit(x))
		buf_printf(b, "\tcgroups_remove();\n");
	buf_printf(b, "\treturn code;\n}\n");
}

void export_c(const struct export_lab *x, struct buf *b)
{
	prologue(x, b);
	if (any_limit(x))
		cgroup_functions(x, b);
	if (x->isolated & NS_BIT(NS_USER))
		user_functions(x, b);
	if (x->root_kind == EXPORT_ROOT_PIVOT)
		api_dirs_function(b);
	in_lab(x, b);
	main_function(x, b);
}
