/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Command lookup (command_find): a word finds the command it names, its
 * alias, or its one unique abbreviation; anything else gives one line
 * (the closest names, or the ambiguous candidates). */
#include "config.h"

#include <string.h>

#include "commands.h"
#include "fuzz.h"

static size_t prefixed(const char *word)
{
	size_t n = 0, len = strlen(word);

	for (size_t i = 0; i < command_count; i++)
		n += len && strncmp(word, command_table[i]->name, len) == 0;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *word = fuzz_str(data, size);
	struct nserr e = {0};
	const struct command *c = command_find(word, &e);

	if (!c) {
		fuzz_check_error(&e);
		FUZZ_ASSERT(prefixed(word) != 1);
		return 0;
	}
	if (strcmp(word, c->name) == 0 || (c->alias && strcmp(word, c->alias) == 0))
		return 0;
	/* An abbreviation: of this command, and of no other. */
	FUZZ_ASSERT(word[0] && strncmp(word, c->name, strlen(word)) == 0);
	FUZZ_ASSERT(prefixed(word) == 1);
	FUZZ_CANARY_IF(strcmp(c->name, "setgroups") == 0 && strcmp(word, "setg") == 0);
	return 0;
}
