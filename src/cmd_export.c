/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export: the lab so far as an unshare(1) line, a shell script, a C
 * program or an OCI bundle (the generators are in export_*.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "export.h"

static int write_out(const char *path, const struct buf *text, mode_t mode, struct nserr *e)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	_cleanup_free_ char *p = escaped(path);

	if (fd < 0 || write_full(fd, text->s, text->len) != (ssize_t)text->len || fchmod(fd, mode) < 0) {
		nserr_set(e, errno, _("export: cannot write %s"), p);
		return nserr_hint(e, _("give a file in a directory you may write to"));
	}
	return 0;
}

/* Print TEXT, or write it to FILE when one is given and say how to use
 * it: SH, or how to build and run a C program. */
static int emit(struct nslab *app, const struct buf *text, const char *file, bool sh, struct nserr *e)
{
	_cleanup_free_ char *f = file ? escaped(file) : NULL;

	if (!file) {
		fwrite(text->s, 1, text->len, stdout);
		return 0;
	}
	if (write_out(file, text, sh ? 0755 : 0644, e) < 0)
		return -1;
	if (sh)
		app_note(app, _("wrote %s: run it with `sh %s [PROGRAM [ARGS...]]`"), f, f);
	else
		app_note(app, _("wrote %s: build it with `cc -Wall -o lab %s`, then run `./lab [PROGRAM [ARGS...]]`"), f, f);
	return 0;
}

/* An empty directory to fill, or a new one; *MADE says which. */
static int bundle_dir(const char *dir, bool *made, struct nserr *e)
{
	_cleanup_free_ char *d = escaped(dir);
	DIR *dd;
	struct dirent *de;
	int entries = 0;

	*made = mkdir(dir, 0755) == 0;
	if (*made)
		return 0;
	if (errno != EEXIST || !(dd = opendir(dir))) {
		nserr_set(e, errno, _("export oci: cannot make %s"), d);
		return nserr_hint(e, _("give a new directory, or an empty one"));
	}
	while ((de = readdir(dd)))
		entries += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(dd);
	if (entries) {
		nserr_set(e, 0, _("export oci: %s is not empty"), d);
		return nserr_hint(e, _("give a new directory, or an empty one"));
	}
	return 0;
}

static int export_oci(struct nslab *app, const struct export_lab *x, const char *dir, char *const *argv,
		      struct nserr *e)
{
	_cleanup_free_ char *rootfs = xasprintf("%s/rootfs", dir), *config = xasprintf("%s/config.json", dir);
	_cleanup_free_ char *d = escaped(dir);
	struct buf json = {0}, notes = {0};
	unsigned commands = 0;
	bool made;
	int rc = -1;

	if (bundle_dir(dir, &made, e) < 0)
		return -1;
	if (x->root_kind == EXPORT_ROOT_NONE && export_busybox_root(rootfs, NULL, &commands, e) < 0) {
		nserr_prefix(e, "export oci");
		goto out;
	}
	export_oci_config(x, x->root_kind == EXPORT_ROOT_NONE ? "rootfs" : x->root_dir, argv, &json, &notes);
	if (write_out(config, &json, 0644, e) < 0)
		goto out;
	for (char *line = notes.s ? strtok(notes.s, "\n") : NULL; line; line = strtok(NULL, "\n"))
		app_note(app, "%s", line);
	if (x->root_kind == EXPORT_ROOT_NONE)
		app_note(app, _("%s: config.json, and rootfs/ with busybox (%u commands); as root: crun run -b %s ID"), d,
			 commands, d);
	else
		app_note(app, _("%s: config.json, whose root is the lab's; as root: crun run -b %s ID"), d, d);
	rc = 0;
out:
	if (rc < 0 && made) {
		export_remove_tree(dir);
	} else if (rc < 0) {
		export_remove_tree(rootfs);
		unlink(config);
	}
	buf_free(&json);
	buf_free(&notes);
	return rc;
}

static int export_form(struct nslab *app, const struct export_lab *x, int argc, char **argv, struct nserr *e)
{
	const char *form = argv[1];
	struct buf text = {0};
	int rc;

	if (strcmp(form, "unshare") == 0) {
		export_unshare(x, argc > 2 ? argv + 2 : NULL, &text);
		rc = emit(app, &text, NULL, false, e);
	} else if (strcmp(form, "sh") == 0) {
		export_sh(x, &text);
		rc = emit(app, &text, argc > 2 ? argv[2] : NULL, true, e);
	} else if (strcmp(form, "c") == 0) {
		export_c(x, &text);
		rc = emit(app, &text, argc > 2 ? argv[2] : NULL, false, e);
	} else {
		rc = export_oci(app, x, argv[2], argc > 3 ? argv + 3 : NULL, e);
	}
	buf_free(&text);
	return rc;
}

static int export_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	static const char *const forms[] = {"unshare", "sh", "c", "oci"};
	struct export_lab *x = NULL;
	size_t f = 0;
	int rc;

	while (f < ARRAY_SIZE(forms) && strcmp(argv[1], forms[f]) != 0)
		f++;
	if (f == ARRAY_SIZE(forms)) {
		_cleanup_free_ char *w = escaped(argv[1]);
		nserr_set(e, 0, _("export: unknown form '%s'"), w);
		return nserr_hint(e, _("usage: export %s"), cmd_export.usage);
	}
	if ((f == 1 || f == 2) && argc > 3)
		return command_usage_error(&cmd_export, e, _("too many arguments"));
	if (f == 3 && argc < 3)
		return command_usage_error(&cmd_export, e, _("missing argument"));
	if (export_gather(app->lab, &x, e) < 0)
		return nserr_prefix(e, "export");
	rc = export_form(app, x, argc, argv, e);
	export_free(x);
	return rc;
}

static const char *const export_words[] = {"unshare", "sh", "c", "oci", NULL};

const struct command cmd_export = {
	.name = "export", .usage = "unshare [PROGRAM [ARGS]] | sh [FILE] | c [FILE] | oci DIR [PROGRAM [ARGS]]",
	.help = N_("the lab as an unshare(1) line, a shell script, a C program or an OCI bundle"),
	.min_args = 1, .max_args = -1, .run = export_run,
	.complete = COMPLETE_WORDS, .words = export_words,
};
