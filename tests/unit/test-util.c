/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Growable strings, escaping for the terminal, full reads and writes,
 * small files and PATH lookups. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "util.h"

static bool have_utf8;

static void require_utf8(void)
{
	if (!have_utf8)
		skip();
}

/* escape_text of exactly N bytes, compared with WANT. */
static void expect_escape_n(const char *s, size_t n, const char *want)
{
	struct buf b = {0};

	escape_text(&b, s, n);
	assert_non_null(b.s);
	assert_string_equal(b.s, want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

static void expect_escape(const char *s, const char *want)
{
	char *got = escaped(s);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	expect_escape_n(s, strlen(s), want);
}

/* ---- buf ------------------------------------------------------------------------------ */

static void buf_add_appends(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_add(&b, "abc", 3);
	assert_string_equal(b.s, "abc");
	assert_int_equal(b.len, 3);
	buf_add(&b, "defgh", 2);
	assert_string_equal(b.s, "abcde");
	assert_int_equal(b.len, 5);
	assert_true(b.cap > b.len);
	buf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void buf_add_empty(void **state)
{
	struct buf b = {0};

	(void)state;
	/* Adding nothing still leaves a string that can be printed. */
	buf_add(&b, "", 0);
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void buf_add_binary(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b", 4);
	buf_free(&b);
}

static void buf_add_grows(void **state)
{
	struct buf b = {0};
	char chunk[1000];

	(void)state;
	for (int i = 0; i < 2000; i++) {
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		buf_add(&b, chunk, sizeof(chunk));
	}
	assert_int_equal(b.len, 2000 * sizeof(chunk));
	assert_int_equal(strlen(b.s), b.len);
	assert_int_equal(b.s[0], 'a');
	assert_int_equal(b.s[1999 * 1000], 'a' + 1999 % 26);
	buf_free(&b);
}

static void buf_printf_formats(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_printf(&b, "%s=%d", "x", 42);
	assert_string_equal(b.s, "x=42");
	buf_printf(&b, "%s", "");
	assert_string_equal(b.s, "x=42");
	buf_printf(&b, ",%05.1f,%c,%%", 3.14159, 'z');
	assert_string_equal(b.s, "x=42,003.1,z,%");
	assert_int_equal(b.len, strlen(b.s));
	buf_add(&b, "!", 1);
	buf_printf(&b, "%lu", 18446744073709551615ul);
	assert_string_equal(b.s, "x=42,003.1,z,%!18446744073709551615");
	buf_free(&b);
}

static void buf_printf_empty_first(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_printf(&b, "%s", "");
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	buf_free(&b);
}

static void buf_printf_long(void **state)
{
	struct buf b = {0};
	char *big = test_malloc(100001);

	(void)state;
	memset(big, 'q', 100000);
	big[100000] = '\0';
	buf_add(&b, "<", 1);
	buf_printf(&b, "%s>%s", big, big);
	assert_int_equal(b.len, 200002);
	assert_int_equal(strlen(b.s), 200002);
	assert_int_equal(b.s[100001], '>');
	assert_int_equal(b.s[200001], 'q');
	buf_free(&b);
	test_free(big);
}

static void asprintf_and_steal(void **state)
{
	char *s = xasprintf("%s-%d", "lab", 7);
	char *owner = s;
	int fd = 5;

	(void)state;
	assert_string_equal(s, "lab-7");
	assert_ptr_equal(steal_pointer(&owner), s);
	assert_null(owner);
	assert_int_equal(steal_fd(&fd), 5);
	assert_int_equal(fd, -1);
	free(s);
}

/* ---- escape_text -------------------------------------------------------------------------- */

static void escape_plain(void **state)
{
	char all[96];
	size_t n = 0;

	(void)state;
	expect_escape("hello world", "hello world");
	expect_escape("", "");
	/* Every printable ASCII byte but the backslash stays itself. */
	for (int c = 0x20; c < 0x7f; c++)
		if (c != '\\')
			all[n++] = (char)c;
	all[n] = '\0';
	expect_escape(all, all);
}

static void escape_backslash(void **state)
{
	(void)state;
	expect_escape("\\", "\\\\");
	expect_escape("a\\x41", "a\\\\x41"); /* not confused with an escape */
	expect_escape("\\\\", "\\\\\\\\");
}

static void escape_control_bytes(void **state)
{
	(void)state;
	expect_escape("\t", "\\x09");
	expect_escape("a\nb", "a\\x0ab");
	expect_escape("\r", "\\x0d");
	expect_escape("\x1b[2J", "\\x1b[2J");
	expect_escape("\x7f", "\\x7f");
	expect_escape("\x01\x1f", "\\x01\\x1f");
	for (int c = 1; c < 0x20; c++) {
		char in[2] = {(char)c, 0}, want[8];
		snprintf(want, sizeof(want), "\\x%02x", c);
		expect_escape(in, want);
	}
}

static void escape_nul_byte(void **state)
{
	(void)state;
	expect_escape_n("a\0b", 3, "a\\x00b");
	expect_escape_n("\0", 1, "\\x00");
}

static void escape_respects_length(void **state)
{
	(void)state;
	expect_escape_n("abc", 2, "ab");
	expect_escape_n("abc", 0, "");
	/* A character cut by N is invalid, not read past N. */
	expect_escape_n("实", 2, "\\xe5\\xae");
}

static void escape_appends(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_add(&b, "x:", 2);
	escape_text(&b, "\n", 1);
	assert_string_equal(b.s, "x:\\x0a");
	buf_free(&b);
}

static void escape_utf8_kept(void **state)
{
	(void)state;
	require_utf8();
	expect_escape("实验室", "实验室");
	expect_escape("hostname 实验室-1", "hostname 实验室-1");
	expect_escape("héllo wörld", "héllo wörld");
	expect_escape("€ ß ñ", "€ ß ñ");
	expect_escape("🙂", "🙂");
	expect_escape("日本語\\", "日本語\\\\");
}

static void escape_invalid_utf8(void **state)
{
	(void)state;
	require_utf8();
	expect_escape("\xff", "\\xff");
	expect_escape("\x80", "\\x80");
	expect_escape("\xc3", "\\xc3");		   /* cut short at the end */
	expect_escape("\xc3(", "\\xc3(");	   /* bad continuation */
	expect_escape("\xe5\xae", "\\xe5\\xae"); /* 实 without its last byte */
	expect_escape("\xe5\xae" "a", "\\xe5\\xae" "a");
	expect_escape("\xc0\xaf", "\\xc0\\xaf");		 /* overlong '/' */
	expect_escape("\xe0\x80\xaf", "\\xe0\\x80\\xaf");	 /* overlong */
	expect_escape("\xed\xa0\x80", "\\xed\\xa0\\x80");	 /* a surrogate */
	expect_escape("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	expect_escape("\xfe\xff", "\\xfe\\xff");
}

static void escape_invalid_then_valid(void **state)
{
	(void)state;
	require_utf8();
	/* After a bad byte, decoding starts afresh. */
	expect_escape("a\xffé", "a\\xffé");
	expect_escape("\xe5实", "\\xe5实");
	expect_escape("实\xe5", "实\\xe5");
	expect_escape("é\x80é", "é\\x80é");
}

static void escape_every_lone_high_byte(void **state)
{
	(void)state;
	/* No byte from 0x80 to 0xff is valid UTF-8 on its own. */
	for (int c = 0x80; c <= 0xff; c++) {
		char in[2] = {(char)c, 0}, want[8];
		snprintf(want, sizeof(want), "\\x%02x", c);
		expect_escape(in, want);
	}
}

static void escape_c1_controls(void **state)
{
	(void)state;
	require_utf8();
	/* U+009B is CSI, U+0085 NEL: well-formed UTF-8, still controls. */
	expect_escape("\xc2\x9b" "2J", "\\xc2\\x9b" "2J");
	expect_escape("\xc2\x85", "\\xc2\\x85");
	expect_escape("\xc2\x80", "\\xc2\\x80");
}

/* Whatever the input, the output holds no byte a terminal acts on. */
static void assert_terminal_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
}

static void escape_all_bytes_safe(void **state)
{
	char in[256];
	struct buf b = {0};

	(void)state;
	for (int i = 0; i < 256; i++)
		in[i] = (char)i;
	escape_text(&b, in, sizeof(in));
	assert_int_equal(strlen(b.s), b.len);
	assert_terminal_safe(b.s);
	/* 32 controls, NUL, DEL and the backslash change; so does each high byte. */
	assert_memory_equal(b.s, "\\x00\\x01", 8);
	assert_non_null(strstr(b.s, " !\"#"));
	assert_non_null(strstr(b.s, "[\\\\]"));
	assert_non_null(strstr(b.s, "}~\\x7f\\x80\\x81"));
	buf_free(&b);
}

static void escape_c_locale(void **state)
{
	char *saved = xstrdup(setlocale(LC_ALL, NULL));
	char *got;

	(void)state;
	/* Without a UTF-8 locale, bytes that are not ASCII cannot be
	 * checked: they are shown escaped, never raw. */
	assert_non_null(setlocale(LC_ALL, "C"));
	got = escaped("é\x1b\xc2\x9b");
	assert_terminal_safe(got);
	assert_null(strstr(got, "\x9b"));
	free(got);
	setlocale(LC_ALL, saved);
	free(saved);
}

static void escape_one_mib(void **state)
{
	size_t n = 1 << 20;
	char *in = test_malloc(n);
	struct buf b = {0};

	(void)state;
	for (size_t i = 0; i < n; i++)
		in[i] = (char)(i % 7 == 0 ? '\n' : 'a');
	escape_text(&b, in, n);
	/* Each newline (one byte in seven, rounded up) becomes four bytes. */
	size_t nl = (n + 6) / 7;
	assert_int_equal(b.len, n + 3 * nl);
	buf_free(&b);
	test_free(in);
}

/* ---- read_full / write_full --------------------------------------------------------------- */

static void pipe_round_trip(void **state)
{
	int fds[2];
	char out[100];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write_full(fds[1], "hello, lab", 10), 10);
	assert_int_equal(write_full(fds[1], "", 0), 0);
	close(fds[1]);
	/* Ask for more than there is: a short count at end of file. */
	memset(out, 0, sizeof(out));
	assert_int_equal(read_full(fds[0], out, sizeof(out)), 10);
	assert_memory_equal(out, "hello, lab", 10);
	assert_int_equal(read_full(fds[0], out, sizeof(out)), 0);
	close(fds[0]);
}

static void read_zero_bytes(void **state)
{
	int fds[2];
	char c;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	/* Nothing asked, nothing read: it must not block on the empty pipe. */
	assert_int_equal(read_full(fds[0], &c, 0), 0);
	close(fds[0]);
	close(fds[1]);
}

static void bad_fd(void **state)
{
	char c = 'x';

	(void)state;
	errno = 0;
	assert_int_equal(read_full(-1, &c, 1), -1);
	assert_int_equal(errno, EBADF);
	errno = 0;
	assert_int_equal(write_full(-1, &c, 1), -1);
	assert_int_equal(errno, EBADF);
}

static void write_to_closed_pipe(void **state)
{
	int fds[2];
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	errno = 0;
	assert_int_equal(write_full(fds[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(fds[1]);
	signal(SIGPIPE, old);
}

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

/* Interrupt the caller every few milliseconds, without SA_RESTART, so
 * that reads and writes see EINTR and partial counts. */
static void start_ticking(void)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	struct itimerval it = {{0, 2000}, {0, 2000}};

	ticks = 0;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void stop_ticking(void)
{
	struct itimerval it = {{0, 0}, {0, 0}};

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

static void big_transfer_with_signals(void **state)
{
	size_t n = 4 << 20;
	char *src = test_malloc(n), *dst = test_malloc(n + 1);
	int fds[2], status;
	pid_t pid;

	(void)state;
	for (size_t i = 0; i < n; i++)
		src[i] = (char)(i * 131 + i / 4096);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The child writes slowly enough that the parent blocks. */
		close(fds[0]);
		start_ticking();
		ssize_t w = write_full(fds[1], src, n);
		_exit(w == (ssize_t)n ? 0 : 1);
	}
	close(fds[1]);
	start_ticking();
	ssize_t r = read_full(fds[0], dst, n + 1);
	stop_ticking();
	close(fds[0]);
	assert_int_equal(r, n);
	assert_memory_equal(dst, src, n);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	test_free(src);
	test_free(dst);
}

static void read_interrupted_then_data(void **state)
{
	int fds[2], status;
	char out[5];
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		usleep(100 * 1000);
		_exit(write_full(fds[1], "12345", 5) == 5 ? 0 : 1);
	}
	close(fds[1]);
	start_ticking();
	ssize_t r = read_full(fds[0], out, sizeof(out));
	stop_ticking();
	close(fds[0]);
	/* The read was interrupted (ticks) and resumed, not given up. */
	assert_true(ticks > 0);
	assert_int_equal(r, 5);
	assert_memory_equal(out, "12345", 5);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- read_small_file / write_file --------------------------------------------------------- */

static int tmp_dir(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/nslab-unit-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(path));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void put(int dirfd, const char *name, const char *text, mode_t mode)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write_full(fd, text, strlen(text)), (ssize_t)strlen(text));
	fchmod(fd, mode);
	close(fd);
}

static void small_files(void **state)
{
	char path[256], out[64];
	int dirfd = tmp_dir(path, sizeof(path));

	(void)state;
	put(dirfd, "a", "hello\n", 0644);
	assert_int_equal(read_small_file(dirfd, "a", out, sizeof(out)), 5);
	assert_string_equal(out, "hello");

	put(dirfd, "a", "two\nlines\n\n\n", 0644);
	assert_int_equal(read_small_file(dirfd, "a", out, sizeof(out)), 9);
	assert_string_equal(out, "two\nlines");

	put(dirfd, "a", "", 0644);
	assert_int_equal(read_small_file(dirfd, "a", out, sizeof(out)), 0);
	assert_string_equal(out, "");

	/* Too long for OUT: cut, still terminated. */
	put(dirfd, "a", "abcdefgh", 0644);
	assert_int_equal(read_small_file(dirfd, "a", out, 4), 3);
	assert_string_equal(out, "abc");

	errno = 0;
	assert_int_equal(read_small_file(dirfd, "missing", out, sizeof(out)), -1);
	assert_int_equal(errno, ENOENT);

	/* write_file writes to an existing file and creates none. */
	assert_int_equal(write_file(dirfd, "a", "0 1000 1\n"), 0);
	assert_int_equal(read_small_file(dirfd, "a", out, sizeof(out)), 8);
	assert_string_equal(out, "0 1000 1");
	errno = 0;
	assert_int_equal(write_file(dirfd, "new", "x"), -1);
	assert_int_equal(errno, ENOENT);

	unlinkat(dirfd, "a", 0);
	close(dirfd);
	rmdir(path);
}

/* ---- is_executable_on_path ----------------------------------------------------------------- */

static void executables(void **state)
{
	char path[256], *saved = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	int dirfd = tmp_dir(path, sizeof(path));
	char *list;

	(void)state;
	put(dirfd, "prog", "#!/bin/sh\n", 0755);
	put(dirfd, "plain", "text\n", 0644);
	assert_int_equal(mkdirat(dirfd, "subdir", 0755), 0);

	list = xasprintf("/nonexistent::%s", path);
	setenv("PATH", list, 1);
	assert_true(is_executable_on_path("prog"));
	assert_false(is_executable_on_path("plain"));  /* not executable */
	assert_false(is_executable_on_path("subdir")); /* a directory */
	assert_false(is_executable_on_path("nslab-no-such-program"));
	assert_false(is_executable_on_path(""));
	free(list);

	/* A name with a slash is a path, PATH or not. */
	list = xasprintf("%s/prog", path);
	setenv("PATH", "/nonexistent", 1);
	assert_true(is_executable_on_path(list));
	assert_false(is_executable_on_path("prog"));
	assert_false(is_executable_on_path("/"));
	assert_false(is_executable_on_path("/etc/passwd"));
	free(list);

	/* No PATH: the usual directories. */
	unsetenv("PATH");
	assert_true(is_executable_on_path("sh"));

	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	unlinkat(dirfd, "prog", 0);
	unlinkat(dirfd, "plain", 0);
	unlinkat(dirfd, "subdir", AT_REMOVEDIR);
	close(dirfd);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_add_appends),
		cmocka_unit_test(buf_add_empty),
		cmocka_unit_test(buf_add_binary),
		cmocka_unit_test(buf_add_grows),
		cmocka_unit_test(buf_printf_formats),
		cmocka_unit_test(buf_printf_empty_first),
		cmocka_unit_test(buf_printf_long),
		cmocka_unit_test(asprintf_and_steal),
		cmocka_unit_test(escape_plain),
		cmocka_unit_test(escape_backslash),
		cmocka_unit_test(escape_control_bytes),
		cmocka_unit_test(escape_nul_byte),
		cmocka_unit_test(escape_respects_length),
		cmocka_unit_test(escape_appends),
		cmocka_unit_test(escape_utf8_kept),
		cmocka_unit_test(escape_invalid_utf8),
		cmocka_unit_test(escape_invalid_then_valid),
		cmocka_unit_test(escape_every_lone_high_byte),
		cmocka_unit_test(escape_c1_controls),
		cmocka_unit_test(escape_all_bytes_safe),
		cmocka_unit_test(escape_c_locale),
		cmocka_unit_test(escape_one_mib),
		cmocka_unit_test(pipe_round_trip),
		cmocka_unit_test(read_zero_bytes),
		cmocka_unit_test(bad_fd),
		cmocka_unit_test(write_to_closed_pipe),
		cmocka_unit_test(big_transfer_with_signals),
		cmocka_unit_test(read_interrupted_then_data),
		cmocka_unit_test(small_files),
		cmocka_unit_test(executables),
	};

	/* As nslab runs: the user's locale, here a UTF-8 one where there is. */
	have_utf8 = setlocale(LC_ALL, "C.UTF-8") || setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
