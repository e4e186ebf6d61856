/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The syscall echo: formatting and writing the lines (see trace.h). */
#include "config.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "lab.h"

#define STR_MAX 32	/* strace's default -s */
#define RING 8
#define RING_SIZE 640
#define CALL_MAX 1536

bool trace_on;
static bool dim;

/* The call text of a fork whose line the child writes; with CLONE_VM the
 * child and its parent share it. And the execve about to be made. */
static struct {
	bool set;
	char text[CALL_MAX];
} pending, exec_pending;

void trace_set(bool on)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	trace_on = on;
	dim = on && isatty(STDERR_FILENO) && (!nc || !*nc) && (!term || strcmp(term, "dumb") != 0);
}

static char *ring_slot(void)
{
	static char ring[RING][RING_SIZE];
	static unsigned next;

	return ring[next++ % RING];
}

/* The whole line in one write(2): another process's line cannot land in
 * the middle of it. What nslab printed before goes out first. */
static void emit(const char *call, const char *result)
{
	char line[CALL_MAX + 256];
	int n;

	n = snprintf(line, sizeof(line), "%s%s = %s%s\n", dim ? "\033[2m" : "", call, result, dim ? "\033[22m" : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	fflush(stdout);
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* stderr gone: nothing to tell it with */
	}
}

const char *trace_errno(int err)
{
	char *s = ring_slot();
	const char *name = strerrorname_np(err);

	if (name)
		snprintf(s, RING_SIZE, "%s (%s)", name, strerror(err));
	else
		snprintf(s, RING_SIZE, "%d (%s)", err, strerror(err));
	return s;
}

static void result_text(long rc, int err, char *out, size_t size)
{
	if (rc < 0)
		snprintf(out, size, "-1 %s", trace_errno(err));
	else
		snprintf(out, size, "%ld", rc);
}

void trace_line(long rc, const char *fmt, ...)
{
	int saved = errno;
	char call[CALL_MAX], result[RING_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	result_text(rc, saved, result, sizeof(result));
	emit(call, result);
	errno = saved;
}

/* ---- processes -------------------------------------------------------------- */

void trace_pending(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pending.text, sizeof(pending.text), fmt, ap);
	va_end(ap);
	pending.set = true;
	errno = saved;
}

/* The PID the parent got back: in a new PID namespace getpid() says 1,
 * while the host's /proc knows this process by its host PID. */
static long host_pid(void)
{
	char link[32];
	ssize_t n = readlinkat(host.proc, "self", link, sizeof(link) - 1);

	if (n <= 0)
		return (long)getpid();
	link[n] = '\0';
	return strtol(link, NULL, 10);
}

void trace_forked(long rc)
{
	int saved = errno;
	char result[RING_SIZE];

	if (!pending.set) {
		errno = saved;
		return;
	}
	pending.set = false;
	if (rc <= 0) {
		result_text(rc < 0 ? -1 : host_pid(), saved, result, sizeof(result));
		emit(pending.text, result);
	}
	errno = saved;
}

static bool runnable(const char *path)
{
	struct stat st;

	return access(path, X_OK) == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where execvp() will find FILE, as it looks: PATH of nslab's own
 * environment, the first executable regular file. False: nowhere. */
static bool find_program(const char *file, char *out, size_t size)
{
	const char *path = getenv("PATH");

	snprintf(out, size, "%s", file);
	if (strchr(file, '/'))
		return runnable(file);
	for (const char *p = path ? path : "/bin:/usr/bin"; *p;) {
		const char *end = strchrnul(p, ':');
		char cand[PATH_MAX];
		snprintf(cand, sizeof(cand), "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "", file);
		if (runnable(cand)) {
			snprintf(out, size, "%s", cand);
			return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

void trace_exec(char *const *argv, char *const *envp)
{
	extern char **environ;
	char *const *env = envp ? envp : environ;
	char path[PATH_MAX];
	int vars = 0;
	bool found;

	if (!trace_on)
		return;
	while (env && env[vars])
		vars++;
	found = find_program(argv[0], path, sizeof(path));
	snprintf(exec_pending.text, sizeof(exec_pending.text), "execve(%s, %s, %p /* %d vars */)", trace_str(path),
		 trace_argv(argv), (const void *)env, vars);
	exec_pending.set = true;
	/* Once it works the program runs at once, and a line written after
	 * could come after its output: written now, when nothing is left
	 * that would make it fail but the rarest of errors (trace_exec_failed
	 * then adds the truth). */
	if (found)
		emit(exec_pending.text, "0");
}

void trace_exec_failed(void)
{
	int saved = errno;
	char result[RING_SIZE];

	if (exec_pending.set) {
		exec_pending.set = false;
		result_text(-1, saved, result, sizeof(result));
		emit(exec_pending.text, result);
	}
	errno = saved;
}

/* ---- files ------------------------------------------------------------------ */

int trace_write_file(int dirfd, const char *path, int extra, const char *text)
{
	int flags = O_WRONLY | O_CLOEXEC | extra;
	_cleanup_close_ int fd = TRACE_ERR(openat(dirfd, path, flags), "openat(%s, %s, %s)", trace_fd(dirfd),
					   trace_str(path), trace_open_flags(flags));
	size_t n = strlen(text);

	if (fd < 0)
		return -1;
	/* /proc and cgroup files take one write; a short one is a failure. */
	if (TRACE(write(fd, text, n), "write(%s, %s, %zu)", trace_fd(fd), trace_str(text), n) != (ssize_t)n)
		return -1;
	return 0;
}

/* ---- rendering -------------------------------------------------------------- */

/* S (N bytes) quoted and escaped as strace does, into OUT. */
static void quote(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0, shown = n < STR_MAX ? n : STR_MAX;

	out[o++] = '"';
	for (size_t i = 0; i < shown && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t"
			: c == '\r' ? "\\r" : c == '\v' ? "\\v" : c == '\f' ? "\\f" : NULL;
		if (esc)
			o += (size_t)snprintf(out + o, size - o, "%s", esc);
		else if (c >= ' ' && c < 0x7f)
			out[o++] = (char)c;
		else /* octal, three digits when a digit follows */
			o += (size_t)snprintf(out + o, size - o, i + 1 < shown && s[i + 1] >= '0' && s[i + 1] <= '7'
						  ? "\\%03o" : "\\%o", c);
	}
	snprintf(out + o, size - o, "\"%s", n > shown ? "..." : "");
}

const char *trace_strn(const char *s, size_t n)
{
	char *out;

	if (!s)
		return "NULL";
	out = ring_slot();
	quote(s, n, out, RING_SIZE);
	return out;
}

const char *trace_str(const char *s)
{
	return s ? trace_strn(s, strlen(s)) : "NULL";
}

const char *trace_fd(int fd)
{
	char *out = ring_slot(), link[RING_SIZE - 32], name[32];
	ssize_t n;

	if (fd == AT_FDCWD)
		return "AT_FDCWD";
	snprintf(name, sizeof(name), "self/fd/%d", fd);
	n = host.proc >= 0 ? readlinkat(host.proc, name, link, sizeof(link) - 1) : -1;
	if (n <= 0) {
		snprintf(out, RING_SIZE, "%d", fd);
		return out;
	}
	link[n] = '\0';
	snprintf(out, RING_SIZE, "%d<%s>", fd, link);
	return out;
}

struct flag_name {
	unsigned long bit;
	const char *name;
};

/* Names joined with |, what no name covers in hex, ZERO for none. */
static char *flag_text(const struct flag_name *t, size_t n, unsigned long v, const char *zero)
{
	char *out = ring_slot();
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (t[i].bit && (v & t[i].bit) == t[i].bit) {
			o += (size_t)snprintf(out + o, RING_SIZE - o, "%s%s", o ? "|" : "", t[i].name);
			v &= ~t[i].bit;
		}
	if (v)
		o += (size_t)snprintf(out + o, RING_SIZE - o, "%s%#lx", o ? "|" : "", v);
	if (!o)
		snprintf(out, RING_SIZE, "%s", zero);
	return out;
}

#define FLAG(x) {(unsigned long)(x), #x}
#define FLAGS(t, v) flag_text(t, ARRAY_SIZE(t), v, "0")

static const struct flag_name clone_names[] = {
	FLAG(CLONE_VM), FLAG(CLONE_FS), FLAG(CLONE_FILES), FLAG(CLONE_SIGHAND), FLAG(CLONE_PIDFD),
	FLAG(CLONE_PTRACE), FLAG(CLONE_VFORK), FLAG(CLONE_PARENT), FLAG(CLONE_THREAD), FLAG(CLONE_NEWNS),
	FLAG(CLONE_SYSVSEM), FLAG(CLONE_SETTLS), FLAG(CLONE_PARENT_SETTID), FLAG(CLONE_CHILD_CLEARTID),
	FLAG(CLONE_UNTRACED), FLAG(CLONE_CHILD_SETTID), FLAG(CLONE_NEWCGROUP), FLAG(CLONE_NEWUTS),
	FLAG(CLONE_NEWIPC), FLAG(CLONE_NEWUSER), FLAG(CLONE_NEWPID), FLAG(CLONE_NEWNET), FLAG(CLONE_IO),
};

const char *trace_clone_flags(unsigned long flags)
{
	char *out = ring_slot();
	int sig = (int)(flags & 0xff);
	const char *rest = FLAGS(clone_names, flags & ~0xffUL);

	if (!sig)
		return rest;
	snprintf(out, RING_SIZE, "%s%s%s", flags & ~0xffUL ? rest : "", flags & ~0xffUL ? "|" : "", trace_signal(sig));
	return out;
}

const char *trace_ns_flags(unsigned long flags)
{
	char *out = ring_slot();
	const char *rest = FLAGS(clone_names, flags & ~(unsigned long)CLONE_NEWTIME);

	if (!(flags & CLONE_NEWTIME))
		return rest;
	snprintf(out, RING_SIZE, "%s%sCLONE_NEWTIME", flags & ~(unsigned long)CLONE_NEWTIME ? rest : "",
		 flags & ~(unsigned long)CLONE_NEWTIME ? "|" : "");
	return out;
}

const char *trace_signal(int sig)
{
	char *out = ring_slot();
	const char *name = sigabbrev_np(sig);

	if (name)
		snprintf(out, RING_SIZE, "SIG%s", name);
	else
		snprintf(out, RING_SIZE, "%d", sig);
	return out;
}

static const struct flag_name ms_names[] = {
	FLAG(MS_RDONLY), FLAG(MS_NOSUID), FLAG(MS_NODEV), FLAG(MS_NOEXEC), FLAG(MS_SYNCHRONOUS),
	FLAG(MS_REMOUNT), FLAG(MS_MANDLOCK), FLAG(MS_DIRSYNC), FLAG(MS_NOSYMFOLLOW), FLAG(MS_NOATIME),
	FLAG(MS_NODIRATIME), FLAG(MS_BIND), FLAG(MS_MOVE), FLAG(MS_REC), FLAG(MS_SILENT),
	FLAG(MS_POSIXACL), FLAG(MS_UNBINDABLE), FLAG(MS_PRIVATE), FLAG(MS_SLAVE), FLAG(MS_SHARED),
	FLAG(MS_RELATIME), FLAG(MS_KERNMOUNT), FLAG(MS_I_VERSION), FLAG(MS_STRICTATIME), FLAG(MS_LAZYTIME),
};

const char *trace_ms_flags(unsigned long flags)
{
	return FLAGS(ms_names, flags);
}

static const struct flag_name attr_names[] = {
	FLAG(MOUNT_ATTR_RDONLY), FLAG(MOUNT_ATTR_NOSUID), FLAG(MOUNT_ATTR_NODEV), FLAG(MOUNT_ATTR_NOEXEC),
	FLAG(MOUNT_ATTR_NOATIME), FLAG(MOUNT_ATTR_STRICTATIME), FLAG(MOUNT_ATTR_NODIRATIME),
	FLAG(MOUNT_ATTR_IDMAP), FLAG(MOUNT_ATTR_NOSYMFOLLOW),
};

const char *trace_mount_attrs(unsigned long attrs)
{
	return FLAGS(attr_names, attrs);
}

static const struct flag_name umount_names[] = {
	FLAG(MNT_FORCE), FLAG(MNT_DETACH), FLAG(MNT_EXPIRE), FLAG(UMOUNT_NOFOLLOW),
};

const char *trace_umount_flags(int flags)
{
	return FLAGS(umount_names, (unsigned long)flags);
}

static const struct flag_name open_names[] = {
	FLAG(O_CREAT), FLAG(O_EXCL), FLAG(O_NOCTTY), FLAG(O_TRUNC), FLAG(O_APPEND), FLAG(O_NONBLOCK),
	FLAG(O_DIRECTORY), FLAG(O_NOFOLLOW), FLAG(O_CLOEXEC), FLAG(O_PATH),
};

const char *trace_open_flags(int flags)
{
	static const char *const modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	char *out = ring_slot();
	unsigned long rest = (unsigned long)flags & ~(unsigned long)O_ACCMODE;

	/* O_PATH ignores the access mode, which is 0 then. */
	if ((flags & O_PATH) && !(flags & O_ACCMODE))
		return FLAGS(open_names, rest);
	snprintf(out, RING_SIZE, "%s%s%s", modes[flags & O_ACCMODE], rest ? "|" : "", rest ? FLAGS(open_names, rest) : "");
	return out;
}

const char *trace_fsconfig_cmd(unsigned cmd)
{
	static const char *const names[] = {"FSCONFIG_SET_FLAG", "FSCONFIG_SET_STRING", "FSCONFIG_SET_BINARY",
					    "FSCONFIG_SET_PATH", "FSCONFIG_SET_PATH_EMPTY", "FSCONFIG_SET_FD",
					    "FSCONFIG_CMD_CREATE", "FSCONFIG_CMD_RECONFIGURE", "FSCONFIG_CMD_CREATE_EXCL"};
	char *out;

	if (cmd < ARRAY_SIZE(names))
		return names[cmd];
	out = ring_slot();
	snprintf(out, RING_SIZE, "%#x /* FSCONFIG_??? */", cmd);
	return out;
}

static const struct flag_name ipc_names[] = {FLAG(IPC_CREAT), FLAG(IPC_EXCL), FLAG(IPC_NOWAIT)};

const char *trace_ipc_flags(int flags)
{
	char *out = ring_slot();
	unsigned long rest = (unsigned long)flags & ~0777UL;

	if (!rest)
		snprintf(out, RING_SIZE, "%#o", flags & 0777);
	else
		snprintf(out, RING_SIZE, "%s|%#o", FLAGS(ipc_names, rest), flags & 0777);
	return out;
}

const char *trace_argv(char *const *argv)
{
	char *out = ring_slot(), one[STR_MAX * 4 + 8];
	size_t o = 0;

	o += (size_t)snprintf(out, RING_SIZE, "[");
	for (int i = 0; argv && argv[i]; i++) {
		quote(argv[i], strlen(argv[i]), one, sizeof(one));
		if (o + strlen(one) + 8 >= RING_SIZE) {
			o += (size_t)snprintf(out + o, RING_SIZE - o, "%s...", i ? ", " : "");
			break;
		}
		o += (size_t)snprintf(out + o, RING_SIZE - o, "%s%s", i ? ", " : "", one);
	}
	snprintf(out + o, RING_SIZE - o, "]");
	return out;
}
