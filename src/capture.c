/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>

#include "commands.h"

int capture_command(struct nslab *app, int argc, char **argv, struct buf *out, struct nserr *e)
{
	_cleanup_close_ int mem = memfd_create("nslab-capture", MFD_CLOEXEC);
	_cleanup_close_ int saved = -1;
	bool terminal = app->terminal;
	char chunk[4096];
	ssize_t n;
	int rc;

	if (mem < 0)
		return nserr_set(e, errno, "memfd_create");
	fflush(stdout);
	saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved < 0 || dup2(mem, STDOUT_FILENO) < 0)
		return nserr_set(e, errno, _("cannot capture the output"));
	/* Not the terminal's foreground dance: output goes to a file. */
	app->terminal = false;
	rc = command_dispatch(app, argc, argv, e);
	app->terminal = terminal;
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	if (lseek(mem, 0, SEEK_SET) == 0)
		while ((n = read(mem, chunk, sizeof(chunk))) > 0)
			buf_add(out, chunk, (size_t)n);
	if (!out->s)
		buf_add(out, "", 0);
	return rc;
}
