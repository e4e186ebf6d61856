/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The syscall echo: how arguments are rendered and how a line is written,
 * without privileges. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <cmocka.h>

#include "trace.h"

static void strings(void **state)
{
	char long_name[41];

	assert_string_equal(trace_str("foo"), "\"foo\"");
	assert_string_equal(trace_str(""), "\"\"");
	assert_string_equal(trace_str(NULL), "NULL");
	assert_string_equal(trace_str("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
	/* Control bytes in octal, as strace: three digits before a digit. */
	assert_string_equal(trace_str("\033[2J"), "\"\\33[2J\"");
	assert_string_equal(trace_str("\0017"), "\"\\0017\"");
	assert_string_equal(trace_str("\001x"), "\"\\1x\"");
	/* Bytes above ASCII too: a name from the lab cannot drive the terminal. */
	assert_string_equal(trace_str("\xe4\xb8\xad"), "\"\\344\\270\\255\"");
	memset(long_name, 'a', 40);
	long_name[40] = '\0';
	assert_string_equal(trace_str(long_name), "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...");
	long_name[32] = '\0';
	assert_string_equal(trace_str(long_name), "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
	assert_string_equal(trace_strn("ab\0cd", 5), "\"ab\\0cd\"");
}

static void clone_flags(void **state)
{
	assert_string_equal(trace_clone_flags(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | SIGCHLD),
			    "CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|SIGCHLD");
	assert_string_equal(trace_clone_flags(CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD),
			    "CLONE_VM|CLONE_VFORK|CLONE_PARENT|SIGCHLD");
	assert_string_equal(trace_clone_flags(SIGCHLD), "SIGCHLD");
	assert_string_equal(trace_clone_flags(0), "0");
	assert_string_equal(trace_clone_flags(CLONE_NEWUSER), "CLONE_NEWUSER");
	/* What no name covers is shown, in hex. */
	assert_string_equal(trace_clone_flags(CLONE_NEWNET | 0x400000000UL), "CLONE_NEWNET|0x400000000");
}

static void ns_flags(void **state)
{
	assert_string_equal(trace_ns_flags(CLONE_NEWUTS), "CLONE_NEWUTS");
	/* 0x80 is CLONE_NEWTIME here, not a signal. */
	assert_string_equal(trace_ns_flags(CLONE_NEWTIME), "CLONE_NEWTIME");
	assert_string_equal(trace_ns_flags(CLONE_NEWPID | CLONE_NEWTIME), "CLONE_NEWPID|CLONE_NEWTIME");
	assert_string_equal(trace_ns_flags(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
					   CLONE_NEWPID | CLONE_NEWNET),
			    "CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET");
	assert_string_equal(trace_ns_flags(0), "0");
}

static void mount_flags(void **state)
{
	assert_string_equal(trace_ms_flags(MS_REC | MS_PRIVATE), "MS_REC|MS_PRIVATE");
	assert_string_equal(trace_ms_flags(MS_NOSUID | MS_NODEV | MS_NOEXEC), "MS_NOSUID|MS_NODEV|MS_NOEXEC");
	assert_string_equal(trace_ms_flags(MS_BIND | MS_REC), "MS_BIND|MS_REC");
	assert_string_equal(trace_ms_flags(0), "0");
	assert_string_equal(trace_mount_attrs(MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC),
			    "MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC");
	assert_string_equal(trace_mount_attrs(MOUNT_ATTR_RDONLY), "MOUNT_ATTR_RDONLY");
	assert_string_equal(trace_umount_flags(MNT_DETACH), "MNT_DETACH");
	assert_string_equal(trace_umount_flags(UMOUNT_NOFOLLOW), "UMOUNT_NOFOLLOW");
	assert_string_equal(trace_fsconfig_cmd(FSCONFIG_SET_FD), "FSCONFIG_SET_FD");
	assert_string_equal(trace_fsconfig_cmd(FSCONFIG_CMD_CREATE), "FSCONFIG_CMD_CREATE");
	assert_string_equal(trace_fsconfig_cmd(99), "0x63 /* FSCONFIG_??? */");
}

static void other_flags(void **state)
{
	assert_string_equal(trace_open_flags(O_WRONLY | O_NOFOLLOW | O_CLOEXEC), "O_WRONLY|O_NOFOLLOW|O_CLOEXEC");
	assert_string_equal(trace_open_flags(O_RDONLY), "O_RDONLY");
	assert_string_equal(trace_open_flags(O_PATH | O_DIRECTORY | O_CLOEXEC), "O_DIRECTORY|O_CLOEXEC|O_PATH");
	assert_string_equal(trace_ipc_flags(IPC_CREAT | IPC_EXCL | 0644), "IPC_CREAT|IPC_EXCL|0644");
	assert_string_equal(trace_ipc_flags(0600), "0600");
	assert_string_equal(trace_signal(SIGKILL), "SIGKILL");
	assert_string_equal(trace_fd(AT_FDCWD), "AT_FDCWD");
	assert_string_equal(trace_errno(EPERM), "EPERM (Operation not permitted)");
	assert_string_equal(trace_errno(ENOENT), "ENOENT (No such file or directory)");
}

static void argv_lists(void **state)
{
	char *const one[] = {"true", NULL}, *const two[] = {"echo", "a b", NULL}, *const none[] = {NULL};

	assert_string_equal(trace_argv(one), "[\"true\"]");
	assert_string_equal(trace_argv(two), "[\"echo\", \"a b\"]");
	assert_string_equal(trace_argv(none), "[]");
}

/* Eight renders in one line stay valid together. */
static void eight_at_once(void **state)
{
	char line[512];

	snprintf(line, sizeof(line), "%s %s %s %s %s %s %s %s", trace_str("1"), trace_str("2"), trace_str("3"),
		 trace_str("4"), trace_ms_flags(MS_RDONLY), trace_str("6"), trace_str("7"), trace_str("8"));
	assert_string_equal(line, "\"1\" \"2\" \"3\" \"4\" MS_RDONLY \"6\" \"7\" \"8\"");
}

/* What the lines look like on stderr (a file here: not dimmed). */
static char *stderr_of(void (*fn)(void))
{
	static char text[4096];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	ssize_t n;

	assert_non_null(tmp);
	dup2(fileno(tmp), STDERR_FILENO);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fileno(tmp), text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	fclose(tmp);
	return text;
}

static int calls;
static int counted(int rc, int err)
{
	calls++;
	errno = err;
	return rc;
}

static void some_lines(void)
{
	trace_set(true);
	/* The value and errno come through; the call runs once. */
	assert_int_equal(TRACE(counted(0, 0), "unshare(%s)", trace_ns_flags(CLONE_NEWUTS)), 0);
	assert_int_equal(TRACE(counted(-1, EPERM), "sethostname(%s, %d)", trace_str("foo"), 3), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(TRACE_ERR(counted(7, 0), "openat(%s)", "x"), 7);
	assert_int_equal(TRACE_ERR(counted(-1, ENOENT), "openat(%s)", trace_str("x")), -1);
	assert_int_equal(errno, ENOENT);
	trace_set(false);
	assert_int_equal(TRACE(counted(5, 0), "off(%s)", (calls += 100, "x")), 5);
}

static void lines(void **state)
{
	calls = 0;
	assert_string_equal(stderr_of(some_lines), "unshare(CLONE_NEWUTS) = 0\n"
						   "sethostname(\"foo\", 3) = -1 EPERM (Operation not permitted)\n"
						   "openat(\"x\") = -1 ENOENT (No such file or directory)\n");
	/* Five calls, and no argument evaluated while off. */
	assert_int_equal(calls, 5);
}

static void untraced(void)
{
	trace_set(true);
	UNTRACED(TRACE(counted(0, 0), "quiet()"));
	assert_true(trace_on);
	trace_set(false);
}

static void untraced_is_quiet(void **state)
{
	assert_string_equal(stderr_of(untraced), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings),	 cmocka_unit_test(clone_flags),	      cmocka_unit_test(ns_flags),
		cmocka_unit_test(mount_flags),	 cmocka_unit_test(other_flags),	      cmocka_unit_test(argv_lists),
		cmocka_unit_test(eight_at_once), cmocka_unit_test(lines),	      cmocka_unit_test(untraced_is_quiet),
	};

	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
