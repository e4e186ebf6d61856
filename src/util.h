/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_ __attribute__((noreturn))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
void fclosep(void *fp);

/* Hand ownership over: the cleanup attribute then finds NULL or -1. */
static inline void *steal_pointer(void *pp)
{
	void **p = pp, *v = *p;
	*p = NULL;
	return v;
}
static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

/* Out of memory is not an error nslab can teach anything with: abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);

/* A growable string, for output that is built up and printed once. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_printf(struct buf *b, const char *fmt, ...) _printf_(2, 3);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_free(struct buf *b);

/* Make lab-supplied text safe for a terminal: control bytes and invalid
 * UTF-8 become \xNN, so a hostname cannot drive the screen. */
void escape_text(struct buf *b, const char *s, size_t n);
char *escaped(const char *s);

/* How much of S (N bytes) fits in ROOM terminal columns: the width it
 * takes, and in *bytes the length of that part. Wide characters count 2. */
int text_fit(const char *s, size_t n, int room, size_t *bytes);
/* WORD (as much as fits), then spaces to WIDTH terminal columns, at least
 * one: a column of a table whose heading may be a translated, wide word. */
void print_column(const char *word, int width);

ssize_t read_full(int fd, void *p, size_t n);
ssize_t write_full(int fd, const void *p, size_t n);
int read_small_file(int dirfd, const char *path, char *out, size_t size);
int write_file(int dirfd, const char *path, const char *text);
bool is_executable_on_path(const char *name);
