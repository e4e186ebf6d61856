/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the libFuzzer targets in fuzz/ share: properties that abort with a
 * message (libFuzzer then saves the input that broke them), the canary,
 * and turning bytes into the strings and argument vectors nslab's parsers
 * take. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test that failed: a crash, with the input. */
#define FUZZ_ASSERT(cond)                                                                           \
	do {                                                                                        \
		if (!(cond)) {                                                                      \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                    \
		}                                                                                   \
	} while (0)

/* The canary: built with -DFUZZ_CANARY, a target aborts on one rare input
 * that it can reach only through the code under test (the parser must
 * accept it and yield that result). fuzz/run.sh requires each canary build
 * to find it within a time limit, so a fuzzer that does not run, does not
 * mutate or does not report crashes cannot pass. The normal build has no
 * canary. */
#ifdef FUZZ_CANARY
#define FUZZ_CANARY_IF(cond)                                                       \
	do {                                                                       \
		if (cond) {                                                        \
			fprintf(stderr, "FUZZ CANARY FOUND at %s:%d\n", __FILE__, __LINE__); \
			abort();                                                   \
		}                                                                  \
	} while (0)
#else
#define FUZZ_CANARY_IF(cond) \
	do {                 \
	} while (0)
#endif

/* The bytes as a string, up to the first NUL (free it). */
char *fuzz_str(const uint8_t *data, size_t size);
/* The bytes as an nslab line: 0 and P filled if it parses, else -1. */
int fuzz_parse(const uint8_t *data, size_t size, struct parsed *p);
/* A failure's error: a message, and message and hint each one line of
 * text with no control byte (what the user's input put there is escaped). */
void fuzz_check_error(const struct nserr *e);
/* Strict UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
int fuzz_utf8_valid(const char *s, size_t n);
