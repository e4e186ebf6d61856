/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export: the quoting (through a real sh), and the generators on made-up
 * labs: the script parses (sh -n), the program compiles (cc -Wall -Werror
 * -fsyntax-only), the JSON parses and says what the lab is. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "export.h"
#include "util.h"

static const char *const nasty[] = {
	"plain", "", "a b", "it's", "a'b\"c\\d", "$(reboot)", "`id`", "*?[", "-n", "a=b", "~root",
	"line\nbreak", "tab\there", "esc\033[31mred", "\001\002\177", "caf\xc3\xa9", "bad\xff byte", "%s%n",
	"trail\n", "\n", "a\n\nb", "x\n\033", "\n\xc3\xa9'", "a\n\n",
};

/* What sh makes of the quoted word: printf %s WORD. */
static char *through_sh(const char *quoted)
{
	_cleanup_free_ char *cmd = xasprintf("printf %%s %s", quoted);
	char *argv[] = {"sh", "-c", cmd, NULL};
	struct buf out = {0};
	char chunk[256];
	int p[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execv("/bin/sh", argv);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		buf_add(&out, chunk, (size_t)n);
	close(p[0]);
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!out.s)
		buf_add(&out, "", 0);
	return out.s;
}

static void sh_quote_round_trip(void **s)
{
	for (size_t i = 0; i < ARRAY_SIZE(nasty); i++) {
		struct buf q = {0};
		sh_quote(&q, nasty[i]);
		/* Printed, it must not drive a terminal, nor break the line
		 * but where the word itself ends with newlines. */
		size_t len = strlen(nasty[i]);
		bool ends_nl = len && nasty[i][len - 1] == '\n';
		for (size_t j = 0; j < q.len; j++) {
			unsigned char c = (unsigned char)q.s[j];
			assert_true(c >= 0x20 || (c == '\n' && ends_nl) || c == '\t');
			assert_true(c != 0x7f);
		}
		_cleanup_free_ char *back = through_sh(q.s);
		assert_string_equal(back, nasty[i]);
		buf_free(&q);
	}
	(void)s;
}

static void sh_quote_shapes(void **s)
{
	struct buf q = {0};

	sh_quote(&q, "/tmp/x-1.2");
	assert_string_equal(q.s, "/tmp/x-1.2");
	q.len = 0;
	sh_quote(&q, "it's");
	assert_string_equal(q.s, "'it'\\''s'");
	q.len = 0;
	sh_quote(&q, "");
	assert_string_equal(q.s, "''");
	q.len = 0;
	sh_quote(&q, "a\033b");
	assert_string_equal(q.s, "'a'\"$(printf '\\033')\"'b'");
	buf_free(&q);
	(void)s;
}

static void c_quote_shapes(void **s)
{
	struct buf q = {0};

	c_quote(&q, "a\"b\\c?" "?=d\n\033\xc3\xa9");
	assert_string_equal(q.s, "\"a\\\"b\\\\c\\?\\?=d\\012\\033\\303\\251\"");
	q.len = 0;
	c_quote(&q, "");
	assert_string_equal(q.s, "\"\"");
	buf_free(&q);
	(void)s;
}

static void hostname_rule(void **s)
{
	assert_true(hostname_tool_accepts("lab1"));
	assert_true(hostname_tool_accepts("a-b.example.org"));
	assert_false(hostname_tool_accepts(""));
	assert_false(hostname_tool_accepts("-a"));
	assert_false(hostname_tool_accepts("a-"));
	assert_false(hostname_tool_accepts("a..b"));
	assert_false(hostname_tool_accepts(".a"));
	assert_false(hostname_tool_accepts("a b"));
	assert_false(hostname_tool_accepts("it's"));
	(void)s;
}

/* ---- made-up labs ------------------------------------------------------------ */

static struct export_mount mounts[] = {
	{EXPORT_PROC, NULL, "/proc", true},
	{EXPORT_TMPFS, NULL, "/tmp/a b'c", false},
	{EXPORT_BIND, "/etc/\"x\"", "/mnt/\\y", false},
	{EXPORT_UMOUNT, NULL, "/dev/mqueue", false},
};

static struct export_veth veths[] = {{"eth0", "nsl1v0", "10.77.1.2/24", "10.77.1.1/24", ""}};

static struct export_lab *lab_with(unsigned isolated, bool ranges, bool limits, bool extras)
{
	struct export_lab *x = xcalloc(1, sizeof(*x));

	snprintf(x->name, sizeof(x->name), "t");
	x->isolated = isolated;
	x->host_uid = x->host_gid = 1000;
	if (isolated & NS_BIT(NS_UTS)) {
		x->set_hostname = x->set_domainname = true;
		snprintf(x->hostname, sizeof(x->hostname), "we'ird \"host\\ \033x");
		snprintf(x->domainname, sizeof(x->domainname), "dom ain");
	}
	x->uid.n = x->gid.n = 1;
	x->uid.line[0] = x->gid.line[0] = ranges ? (struct idmap_line){0, 100000, 65536} : (struct idmap_line){0, 1000, 1};
	if (ranges) {
		x->uid.n = 2;
		x->uid.line[1] = (struct idmap_line){65536, 0, 1};
	}
	x->setgroups_deny = true;
	if (limits) {
		x->has[CG_MEMORY] = x->has[CG_PIDS] = x->has[CG_CPU] = true;
		x->mem_max = 64 << 20;
		x->pids_max = 50;
		x->cpu_quota = 50000;
		x->cpu_period = 100000;
		for (int c = 0; c < CG_CTL_COUNT; c++) {
			x->cg_version[c] = c == CG_CPU ? 2 : 1;
			snprintf(x->cg_mount[c], sizeof(x->cg_mount[c]), c == CG_CPU ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup/%s",
				 c == CG_MEMORY ? "memory" : "pids");
		}
	}
	if (isolated & NS_BIT(NS_MNT)) {
		x->nmounts = ARRAY_SIZE(mounts);
		x->mounts = mounts;
	}
	if (extras) {
		x->clock_set[EXPORT_MONOTONIC] = x->clock_set[EXPORT_BOOTTIME] = true;
		x->clock_sec[EXPORT_MONOTONIC] = 3600;
		x->clock_sec[EXPORT_BOOTTIME] = -60;
		x->root_kind = EXPORT_ROOT_PIVOT;
		x->root_dir = "/srv/root dir";
		x->nveth = 1;
		x->veth = veths;
		x->ipc_objects = 2;
	}
	return x;
}

static const unsigned lab_masks[] = {
	0, NS_BIT(NS_UTS), NS_BIT(NS_USER) | NS_BIT(NS_UTS),
	NS_BIT(NS_MNT) | NS_BIT(NS_PID), NS_BIT(NS_TIME), NS_ALL,
};

/* Run TOOL on TEXT saved in a file: its exit status. */
static int check_with(const char *tool, const char *suffix, const struct buf *text)
{
	char path[] = "/tmp/nslab-test-export.XXXXXX";
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text->s, text->len), (ssize_t)text->len);
	close(fd);
	_cleanup_free_ char *named = xasprintf("%s%s", path, suffix);
	assert_int_equal(rename(path, named), 0);
	_cleanup_free_ char *cmd = xasprintf("%s %s", tool, named);
	rc = system(cmd);
	unlink(named);
	return rc;
}

static void each_lab(void (*fn)(const struct export_lab *x))
{
	for (size_t m = 0; m < ARRAY_SIZE(lab_masks); m++)
		for (int variant = 0; variant < 4; variant++) {
			struct export_lab *x = lab_with(lab_masks[m], variant & 1, variant & 2, m + 1 == ARRAY_SIZE(lab_masks));
			fn(x);
			free(x);
		}
}

static void sh_parses(const struct export_lab *x)
{
	struct buf b = {0};

	export_sh(x, &b);
	assert_int_equal(check_with("sh -n", ".sh", &b), 0);
	buf_free(&b);
}

static void script_parses(void **s)
{
	each_lab(sh_parses);
	(void)s;
}

static void c_compiles(const struct export_lab *x)
{
	struct buf b = {0};

	export_c(x, &b);
	assert_int_equal(check_with("cc -Wall -Werror -O2 -c -o /dev/null", ".c", &b), 0);
	buf_free(&b);
}

static void program_compiles(void **s)
{
	if (system("command -v cc >/dev/null 2>&1") != 0)
		skip();
	each_lab(c_compiles);
	(void)s;
}

static const char *last_line(const struct buf *b)
{
	const char *end = b->s + b->len - 1, *p = end;

	while (p > b->s && p[-1] != '\n')
		p--;
	return p;
}

static void unshare_line(void **s)
{
	struct export_lab *x = lab_with(NS_BIT(NS_USER) | NS_BIT(NS_UTS) | NS_BIT(NS_PID), false, true, false);
	char *argv[] = {"prog", "it's", NULL};
	struct buf b = {0};

	export_unshare(x, argv, &b);
	assert_non_null(strstr(b.s, "# not in this line: the lab's cgroup limits"));
	assert_true(strncmp(last_line(&b), "unshare --map-root-user --uts --pid --fork sh -c ", 48) == 0);
	assert_non_null(strstr(last_line(&b), " sh prog 'it'\\''s'\n"));
	free(x);
	buf_free(&b);
	x = lab_with(NS_BIT(NS_USER), true, false, false);
	export_unshare(x, NULL, &b);
	assert_non_null(strstr(b.s, "unshare --user --map-users=100000,0,65536 --map-groups=100000,0,65536 --setuid=0 --setgid=0\n"));
	assert_non_null(strstr(b.s, "# unshare(1) takes one range per map"));
	free(x);
	buf_free(&b);
	(void)s;
}

static json_object *get(json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}

static void oci_config(void **s)
{
	struct export_lab *x = lab_with(NS_ALL, true, true, true);
	struct buf b = {0}, notes = {0};
	json_object *c, *ns, *ms;
	char *argv[] = {"/probe", NULL};

	export_oci_config(x, "rootfs", argv, &b, &notes);
	c = json_tokener_parse(b.s);
	assert_non_null(c);
	assert_string_equal(json_object_get_string(get(c, "hostname")), x->hostname);
	assert_string_equal(json_object_get_string(get(c, "domainname")), "dom ain");
	assert_false(json_object_get_boolean(get(c, "process.terminal")));
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.memory.limit")), 64 << 20);
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.pids.limit")), 50);
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.cpu.quota")), 50000);
	assert_int_equal(json_object_get_int64(get(c, "linux.timeOffsets.boottime.secs")), -60);
	assert_non_null(json_object_object_get_ex(get(c, "annotations"), "run.oci.timens_offset", &ns));
	assert_string_equal(json_object_get_string(ns), "monotonic 3600 0\nboottime -60 0\n");
	assert_int_equal(json_object_array_length(get(c, "linux.uidMappings")), 2);
	ns = get(c, "linux.namespaces");
	assert_int_equal(json_object_array_length(ns), NS_COUNT);
	ms = get(c, "mounts");
	for (size_t i = 0; i < json_object_array_length(ms); i++) {
		const char *d = json_object_get_string(get(json_object_array_get_idx(ms, i), "destination"));
		assert_string_not_equal(d, "/dev/mqueue"); /* the lab unmounted it */
	}
	assert_string_equal(json_object_get_string(get(c, "root.path")), "rootfs");
	assert_non_null(strstr(notes.s, "veth"));
	json_object_put(c);
	free(x);
	buf_free(&b);
	buf_free(&notes);
	(void)s;
}

/* What the fs and net features add: a veth made straight into the held
 * namespace under a name of the script's own, /proc in a pivoted root,
 * the overlay said to be left out in every form. */
static void fs_and_net(void **s)
{
	struct export_lab *x = lab_with(NS_BIT(NS_MNT) | NS_BIT(NS_PID) | NS_BIT(NS_NET), false, false, true);
	struct buf b = {0}, notes = {0};

	x->nmounts = 0;
	x->root_proc = true;
	export_sh(x, &b);
	assert_non_null(strstr(b.s, "far=nslx$$v1\nip link add \"$far\" type veth peer name eth0 netns \"$holder\"\n"));
	assert_non_null(strstr(b.s, "ip addr add 10.77.1.1/24 dev \"$far\"\n"));
	assert_non_null(strstr(b.s, "--net ip addr add 10.77.1.2/24 dev eth0\n"));
	assert_null(strstr(b.s, "nsl1v0\n"));
	assert_non_null(strstr(b.s, "ivot_root . .")); /* after a newline, which printf writes */
	b.len = 0;
	export_unshare(x, NULL, &b);
	assert_non_null(strstr(b.s, " --mount-proc --monotonic=3600 --boottime=-60 '--root=/srv/root dir'"));
	assert_non_null(strstr(b.s, "# not in this line: the lab's veth pairs"));
	b.len = 0;
	x->root_kind = EXPORT_ROOT_NONE;
	x->overlay = x->overlay_root = true;
	export_unshare(x, NULL, &b);
	assert_non_null(strstr(b.s, "# not reproduced: the lab's root, its overlay"));
	b.len = 0;
	export_sh(x, &b);
	assert_non_null(strstr(b.s, "\n# Not reproduced: the lab's root, its overlay"));
	b.len = 0;
	export_c(x, &b);
	assert_non_null(strstr(b.s, "\n * Not reproduced: the lab's root, its overlay"));
	b.len = 0;
	export_oci_config(x, "rootfs", NULL, &b, &notes);
	assert_non_null(strstr(notes.s, "not reproduced: the lab's root, its overlay"));
	assert_non_null(strstr(notes.s, "OCI has no veth"));
	free(x);
	buf_free(&b);
	buf_free(&notes);
	(void)s;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sh_quote_round_trip), cmocka_unit_test(sh_quote_shapes),
		cmocka_unit_test(c_quote_shapes),     cmocka_unit_test(hostname_rule),
		cmocka_unit_test(script_parses),      cmocka_unit_test(program_compiles),
		cmocka_unit_test(unshare_line),	      cmocka_unit_test(oci_config),
		cmocka_unit_test(fs_and_net),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
