/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Argument checks: pure functions, tested without privileges. Each fills
 * the error's message with what was wrong and its hint with what is right. */
#include <stdint.h>

#include "err.h"

int check_uts_name(const char *name, struct nserr *e);
/* 4096, 4K, 1M, 2G (binary units). */
int parse_size(const char *s, uint64_t max, uint64_t *out, struct nserr *e);
/* A permission mode in octal, at most 0777. */
int parse_mode(const char *s, unsigned *out, struct nserr *e);
/* A non-negative decimal number up to max. */
int parse_uint(const char *s, const char *what, unsigned long max, unsigned long *out, struct nserr *e);
/* An absolute path, no NUL: where a mount goes. */
int check_abs_path(const char *path, const char *what, struct nserr *e);
