/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ipcmk, ipcs, ipcrm: System V IPC objects, made with the System V calls in
 * the lab's IPC namespace and listed as util-linux's ipcs lists them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "args.h"
#include "commands.h"
#include "trace.h"

enum ipc_kind { IPC_MSG, IPC_SHM, IPC_SEM, IPC_KINDS };

static const char *const ipc_option[IPC_KINDS] = {"-q", "-m", "-s"};
static const char *const ipc_title[IPC_KINDS] = {
	N_("Message Queues"), N_("Shared Memory Segments"), N_("Semaphore Arrays")};
static const char *const ipc_noun[IPC_KINDS] = {
	N_("message queue"), N_("shared memory segment"), N_("semaphore array")};

#define SEMMSL_MAX 32000

struct ipc_req {
	bool want[IPC_KINDS];
	uint64_t shm_size;
	unsigned long nsems;
	unsigned mode;
	struct {
		enum ipc_kind kind;
		unsigned long id;
	} rm[16];		      /* ipcrm, in the order given */
	int nrm;
	bool all;		      /* ipcrm -a */
};

static int need_lab_ipc(struct nslab *app, const char *cmd, struct nserr *e)
{
	if (lab_isolated(app->lab) & NS_BIT(NS_IPC))
		return 0;
	nserr_set(e, 0, _("%s: the lab still shares the host's IPC namespace, so this would change the host's objects"), cmd);
	return nserr_hint(e, _("`unshare ipc` first"));
}

/* ---- ipcmk ------------------------------------------------------------------ */

static key_t random_key(void)
{
	key_t k = 0;

	while (k == IPC_PRIVATE)
		if (getrandom(&k, sizeof(k), 0) != sizeof(k))
			k = (key_t)getpid();
	return k;
}

static int ipcmk_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct ipc_req *r = arg;
	int flags = IPC_CREAT | IPC_EXCL | (int)r->mode, id;
	key_t key;

	if (r->want[IPC_MSG]) {
		key = random_key();
		if ((id = TRACE(msgget(key, flags), "msgget(%#x, %s)", (unsigned)key, trace_ipc_flags(flags))) < 0)
			return nserr_set(e, errno, "msgget");
		buf_printf(out, _("Message queue id: %d\n"), id);
	}
	if (r->want[IPC_SHM]) {
		key = random_key();
		if ((id = TRACE(shmget(key, r->shm_size, flags), "shmget(%#x, %llu, %s)", (unsigned)key,
				(unsigned long long)r->shm_size, trace_ipc_flags(flags))) < 0) {
			nserr_set(e, errno, "shmget");
			return errno == EINVAL ? nserr_hint(e, _("the size is above the lab's kernel.shmmax")) : -1;
		}
		buf_printf(out, _("Shared memory id: %d\n"), id);
	}
	if (r->want[IPC_SEM]) {
		key = random_key();
		if ((id = TRACE(semget(key, (int)r->nsems, flags), "semget(%#x, %lu, %s)", (unsigned)key, r->nsems,
				trace_ipc_flags(flags))) < 0)
			return nserr_set(e, errno, "semget");
		buf_printf(out, _("Semaphore id: %d\n"), id);
	}
	return 0;
}

static int ipcmk_value(const char *o, const char *v, struct ipc_req *r, struct nserr *e)
{
	if (o[1] == 'M') {
		r->want[IPC_SHM] = true;
		return parse_size(v, (uint64_t)1 << 46, &r->shm_size, e);
	}
	if (o[1] == 'S') {
		r->want[IPC_SEM] = true;
		if (parse_uint(v, _("number of semaphores"), SEMMSL_MAX, &r->nsems, e) < 0)
			return -1;
		if (r->nsems == 0)
			return nserr_set(e, 0, _("a semaphore array needs at least 1 semaphore"));
		return 0;
	}
	return parse_mode(v, &r->mode, e);
}

static int ipcmk_parse(int argc, char **argv, struct ipc_req *r, struct nserr *e)
{
	r->mode = 0644;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (strcmp(o, "-Q") == 0) {
			r->want[IPC_MSG] = true;
			continue;
		}
		if (strcmp(o, "-M") != 0 && strcmp(o, "-S") != 0 && strcmp(o, "-p") != 0)
			return command_usage_error(&cmd_ipcmk, e, _("unknown option"));
		if (i + 1 >= argc)
			return command_usage_error(&cmd_ipcmk, e, _("option needs a value"));
		if (ipcmk_value(o, argv[++i], r, e) < 0)
			return nserr_prefix(e, "ipcmk");
	}
	if (!r->want[IPC_MSG] && !r->want[IPC_SHM] && !r->want[IPC_SEM])
		return command_usage_error(&cmd_ipcmk, e, _("say what to make"));
	return 0;
}

static int ipcmk_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct ipc_req r = {0};
	struct buf out = {0};
	int rc;

	if (ipcmk_parse(argc, argv, &r, e) < 0 || need_lab_ipc(app, "ipcmk", e) < 0)
		return -1;
	rc = lab_call(app->lab, 0, ipcmk_in_lab, &r, &out, e);
	if (out.s)
		fputs(out.s, stdout);
	buf_free(&out);
	return rc;
}

static const char *const ipcmk_words[] = {"-Q", "-M", "-S", "-p", NULL};

const struct command cmd_ipcmk = {
	.name = "ipcmk", .usage = "-Q | -M SIZE | -S NSEMS [-p MODE]",
	.help = N_("make a System V message queue, shared memory segment or semaphore array"),
	.min_args = 1, .max_args = 7, .run = ipcmk_run,
	.complete = COMPLETE_WORDS, .words = ipcmk_words,
};

/* ---- ipcs ------------------------------------------------------------------- */

static const char *owner_name(unsigned long uid, char *tmp, size_t size)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	if (pw)
		return pw->pw_name;
	snprintf(tmp, size, "%lu", uid);
	return tmp;
}

/* One /proc/sysvipc line, laid out as util-linux's ipcs does. */
static void ipcs_row(enum ipc_kind k, const char *line, struct buf *out)
{
	unsigned long long a[16] = {0};
	int key, n;
	char tmp[32];

	n = sscanf(line, "%d %llu %llo %llu %llu %llu %llu %llu %llu %llu %llu", &key, &a[0], &a[1], &a[2], &a[3],
		   &a[4], &a[5], &a[6], &a[7], &a[8], &a[9]);
	if (n < 8)
		return;
	buf_printf(out, "0x%08x %-10llu ", (unsigned)key, a[0]);
	switch (k) {
	case IPC_MSG: /* key msqid perms cbytes qnum lspid lrpid uid */
		buf_printf(out, "%-10s %-10llo %-12llu %-12llu\n", owner_name(a[6], tmp, sizeof(tmp)), a[1] & 0777,
			   a[2], a[3]);
		break;
	case IPC_SHM: /* key shmid perms size cpid lpid nattch uid */
		buf_printf(out, "%-10s %-10llo %-10llu %-10llu %-6s %-6s\n", owner_name(a[6], tmp, sizeof(tmp)),
			   a[1] & 0777, a[2], a[5], (a[1] & SHM_DEST) ? "dest" : "",
			   (a[1] & SHM_LOCKED) ? "locked" : "");
		break;
	default: /* key semid perms nsems uid */
		buf_printf(out, "%-10s %-10llo %-10llu\n", owner_name(a[3], tmp, sizeof(tmp)), a[1] & 0777, a[2]);
		break;
	}
}

/* One section: /proc/sysvipc shows the IPC namespace of whoever opens it. */
static int ipcs_section(int k, struct buf *out, struct nserr *e)
{
	static const char *const files[] = {"sysvipc/msg", "sysvipc/shm", "sysvipc/sem"};
	static const char *const headers[] = {
		"key        msqid      owner      perms      used-bytes   messages    \n",
		"key        shmid      owner      perms      bytes      nattch     status      \n",
		"key        semid      owner      perms      nsems     \n"};
	_cleanup_fclose_ FILE *f = NULL;
	char line[512];
	int fd = openat(host.proc, files[k], O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		nserr_set(e, errno, _("cannot read /proc/%s"), files[k]);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf_printf(out, "\n------ %s --------\n%s", _(ipc_title[k]), headers[k]);
	if (!fgets(line, sizeof(line), f)) /* the file's own header */
		return 0;
	while (fgets(line, sizeof(line), f))
		ipcs_row((enum ipc_kind)k, line, out);
	return 0;
}

static int ipcs_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct ipc_req *r = arg;

	for (int k = 0; k < IPC_KINDS; k++)
		if (r->want[k] && ipcs_section(k, out, e) < 0)
			return -1;
	/* As util-linux: a blank line before each section and one at the end. */
	buf_add(out, "\n", 1);
	return 0;
}

static int ipcs_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct ipc_req r = {0};
	struct buf out = {0};
	int rc;

	for (int i = 1; i < argc; i++) {
		int k;
		for (k = 0; k < IPC_KINDS && strcmp(argv[i], ipc_option[k]) != 0; k++)
			;
		if (k < IPC_KINDS)
			r.want[k] = true;
		else if (strcmp(argv[i], "-a") == 0)
			r.want[IPC_MSG] = r.want[IPC_SHM] = r.want[IPC_SEM] = true;
		else
			return command_usage_error(&cmd_ipcs, e, _("unknown option"));
	}
	if (!r.want[IPC_MSG] && !r.want[IPC_SHM] && !r.want[IPC_SEM])
		r.want[IPC_MSG] = r.want[IPC_SHM] = r.want[IPC_SEM] = true;
	rc = lab_call(app->lab, 0, ipcs_in_lab, &r, &out, e);
	if (out.s)
		fputs(out.s, stdout);
	buf_free(&out);
	return rc;
}

static const char *const ipcs_words[] = {"-q", "-m", "-s", "-a", NULL};

const struct command cmd_ipcs = {
	.name = "ipcs", .usage = "[-q] [-m] [-s] [-a]",
	.help = N_("list the lab's System V IPC objects"),
	.min_args = 0, .max_args = 4, .run = ipcs_run,
	.complete = COMPLETE_WORDS, .words = ipcs_words,
};

/* ---- ipcrm ------------------------------------------------------------------ */

static int remove_one(enum ipc_kind k, int id)
{
	if (k == IPC_MSG)
		return TRACE(msgctl(id, IPC_RMID, NULL), "msgctl(%d, IPC_RMID, NULL)", id);
	if (k == IPC_SHM)
		return TRACE(shmctl(id, IPC_RMID, NULL), "shmctl(%d, IPC_RMID, NULL)", id);
	return TRACE(semctl(id, 0, IPC_RMID), "semctl(%d, 0, IPC_RMID)", id);
}

static int ipcrm_all(struct buf *out, struct nserr *e)
{
	static const char *const files[] = {"sysvipc/msg", "sysvipc/shm", "sysvipc/sem"};

	for (int k = 0; k < IPC_KINDS; k++) {
		_cleanup_fclose_ FILE *f = NULL;
		char line[512];
		int fd = openat(host.proc, files[k], O_RDONLY | O_CLOEXEC), key, id, n = 0;
		if (fd < 0 || !(f = fdopen(fd, "r")))
			return nserr_set(e, errno, _("cannot read /proc/%s"), files[k]);
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%d %d", &key, &id) == 2 && remove_one((enum ipc_kind)k, id) == 0)
				n++;
		buf_printf(out, _("removed %d %s(s)\n"), n, _(ipc_noun[k]));
	}
	return 0;
}

static int ipcrm_in_lab(void *arg, struct buf *out, struct nserr *e)
{
	const struct ipc_req *r = arg;

	if (r->all)
		return ipcrm_all(out, e);
	for (int i = 0; i < r->nrm; i++) {
		enum ipc_kind k = r->rm[i].kind;
		unsigned long id = r->rm[i].id;
		if (remove_one(k, (int)id) == 0)
			continue;
		if (errno == EINVAL || errno == EIDRM) {
			nserr_set(e, 0, _("ipcrm: no %s with id %lu in the lab"), _(ipc_noun[k]), id);
			return nserr_hint(e, _("`ipcs %s` lists them"), ipc_option[k]);
		}
		return nserr_set(e, errno, _("ipcrm: cannot remove %s %lu"), _(ipc_noun[k]), id);
	}
	return 0;
}

static int ipcrm_parse(int argc, char **argv, struct ipc_req *r, struct nserr *e)
{
	for (int i = 1; i < argc; i++) {
		int k;
		if (strcmp(argv[i], "-a") == 0) {
			r->all = true;
			continue;
		}
		for (k = 0; k < IPC_KINDS && strcmp(argv[i], ipc_option[k]) != 0; k++)
			;
		if (k == IPC_KINDS)
			return command_usage_error(&cmd_ipcrm, e, _("unknown option"));
		if (i + 1 >= argc)
			return command_usage_error(&cmd_ipcrm, e, _("option needs an id"));
		if (r->nrm == (int)ARRAY_SIZE(r->rm))
			return command_usage_error(&cmd_ipcrm, e, _("too many ids"));
		r->rm[r->nrm].kind = (enum ipc_kind)k;
		if (parse_uint(argv[++i], "id", 0x7fffffff, &r->rm[r->nrm++].id, e) < 0)
			return nserr_prefix(e, "ipcrm");
	}
	return 0;
}

static int ipcrm_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct ipc_req r = {0};
	struct buf out = {0};
	int rc;

	if (ipcrm_parse(argc, argv, &r, e) < 0 || need_lab_ipc(app, "ipcrm", e) < 0)
		return -1;
	rc = lab_call(app->lab, 0, ipcrm_in_lab, &r, &out, e);
	if (out.s)
		fputs(out.s, stdout);
	buf_free(&out);
	return rc;
}

static const char *const ipcrm_words[] = {"-q", "-m", "-s", "-a", NULL};

const struct command cmd_ipcrm = {
	.name = "ipcrm", .usage = "-q ID | -m ID | -s ID | -a",
	.help = N_("remove System V IPC objects from the lab"),
	.min_args = 1, .max_args = 32, .run = ipcrm_run,
	.complete = COMPLETE_WORDS, .words = ipcrm_words,
};
