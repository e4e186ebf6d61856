/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>
#include <wctype.h>

void fclosep(void *fp)
{
	FILE **f = fp;
	if (*f)
		fclose(*f);
}

static _noreturn_ void oom(void)
{
	static const char msg[] = "nslab: out of memory\n";
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

static void buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	b->cap = (b->len + more + 1) * 2;
	b->s = xrealloc(b->s, b->cap);
}

/* gcc 12's -fanalyzer loses buf_reserve's guarantee (b->s is allocated
 * whenever cap > len + n) across escape_text's loop and reports b->s as
 * NULL here; it is not. */
#ifndef __clang__
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-null-argument"
#endif
void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}
#ifndef __clang__
#pragma GCC diagnostic pop
#endif

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_free(struct buf *b)
{
	free(b->s);
	*b = (struct buf){0};
}

void escape_text(struct buf *b, const char *s, size_t n)
{
	mbstate_t st = {0};

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			buf_add(b, s + i, 1);
			i++;
			continue;
		}
		if (c >= 0x80) {
			wchar_t wc;
			size_t k = mbrtowc(&wc, s + i, n - i, &st);
			if (k != (size_t)-1 && k != (size_t)-2 && k > 0 && iswprint((wint_t)wc)) {
				buf_add(b, s + i, k);
				i += k;
				continue;
			}
			memset(&st, 0, sizeof(st));
		}
		if (c == '\\')
			buf_add(b, "\\\\", 2);
		else
			buf_printf(b, "\\x%02x", c);
		i++;
	}
	if (!b->s)
		buf_add(b, "", 0);
}

char *escaped(const char *s)
{
	struct buf b = {0};
	escape_text(&b, s, strlen(s));
	return b.s;
}

int text_fit(const char *s, size_t n, int room, size_t *bytes)
{
	mbstate_t st = {0};
	int w = 0;
	size_t i = 0;

	while (i < n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		int cw = 1;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			k = 1;
			memset(&st, 0, sizeof(st));
		} else if ((cw = wcwidth(wc)) < 0) {
			cw = 1;
		}
		if (w + cw > room)
			break;
		w += cw;
		i += k;
	}
	*bytes = i;
	return w;
}

void print_column(const char *word, int width)
{
	size_t bytes;
	int w = text_fit(word, strlen(word), width - 1, &bytes);

	printf("%.*s%*s", (int)bytes, word, width - w, "");
}

ssize_t read_full(int fd, void *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, (char *)p + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

ssize_t write_full(int fd, const void *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = write(fd, (const char *)p + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

/* Read a /proc or /sys file into OUT, NUL-terminated and without the
 * trailing newline. Returns the length or -1 with errno set. */
int read_small_file(int dirfd, const char *path, char *out, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_full(fd, out, size - 1);
	if (n < 0)
		return -1;
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	return (int)n;
}

int write_file(int dirfd, const char *path, const char *text)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(text);

	if (fd < 0)
		return -1;
	/* /proc files take one write; a short one is a failure. */
	if (write(fd, text, n) != (ssize_t)n)
		return -1;
	return 0;
}

bool is_executable_on_path(const char *name)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (!*name)
		return false;
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 && stat(name, &st) == 0 && S_ISREG(st.st_mode);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		_cleanup_free_ char *full = xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (end > p && access(full, X_OK) == 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			return true;
		if (!*end)
			return false;
		p = end;
	}
}
