/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/floor.c: measuring helpers for bench/bench.sh.
 *
 *   floor setns N PID NS...   the C floor of `run true`: hold the namespace
 *                             fds of PID, then N times fork + setns into
 *                             each + fork + exec /bin/true + wait, timing
 *                             every iteration; prints "median p10 p90 mean"
 *                             in ms.  NS "all" means every type PID has
 *                             (a type that is our own user namespace is
 *                             skipped: setns into it is EINVAL).
 *   floor stamps PATTERN CMD... run CMD with stdout on a pipe, timestamp
 *                             every output line ending with PATTERN and
 *                             print "median p10 p90 mean" in ms of the gaps
 *                             between consecutive ones (with nslab -x FILE
 *                             each gap is one command: echo, parse, run).
 *   floor rss N CMD...        run CMD N times (stdout/stderr to /dev/null)
 *                             and print the median peak RSS in KiB
 *                             (wait4's ru_maxrss) and the median CPU time
 *                             in ms (user + system, with the children it
 *                             waited for: hardly moved by other load).
 *   floor alternate N A... -- B...
 *                             run command A and command B in turn, N times
 *                             each (which goes first alternates), stdout
 *                             and stderr to /dev/null, timing the wall time
 *                             of every run (fork to wait); prints "median
 *                             p10 p90" in ms for A, then the same for B.
 *                             Run by run, so that a machine that drifts
 *                             (a virtual one) weighs on both alike.
 * With FLOOR_RAW set in the environment, setns and stamps print every
 * sample (ms, one a line) instead of the summary; setns then adds a line
 * "# cpu MS": CPU time (user + system of all processes) per iteration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_stats(double *v, size_t n)
{
	double sum = 0;

	if (n == 0) {
		fprintf(stderr, "floor: no samples\n");
		exit(1);
	}
	if (getenv("FLOOR_RAW")) {
		/* every sample, one a line, for the caller to pool rounds */
		for (size_t i = 0; i < n; i++)
			printf("%.4f\n", v[i]);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	printf("%.4f %.4f %.4f %.4f\n", med, v[n / 10], v[n - 1 - n / 10], sum / n);
}

static double tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

static const struct {
	const char *name;
	int flag;
} types[] = {
	/* user last: joining it first would drop the host's privileges. */
	{"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
	{"net", CLONE_NEWNET},	     {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},
	{"time", CLONE_NEWTIME},     {"user", CLONE_NEWUSER},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

static int do_setns(int argc, char **argv)
{
	int fds[NTYPES], flags[NTYPES], nfd = 0;
	long n = atol(argv[0]);
	const char *pid = argv[1];
	bool all = argc == 3 && strcmp(argv[2], "all") == 0;

	if (n <= 0)
		return 2;
	for (size_t t = 0; t < NTYPES; t++) {
		bool want = all;
		for (int i = 2; i < argc && !want; i++)
			want = strcmp(argv[i], types[t].name) == 0;
		if (!want)
			continue;
		char path[64], self[64];
		struct stat a, b;
		snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, types[t].name);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", types[t].name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		if (types[t].flag == CLONE_NEWUSER && stat(self, &b) == 0 && fstat(fd, &a) == 0 &&
		    a.st_ino == b.st_ino) {
			close(fd);
			continue;
		}
		fds[nfd] = fd;
		flags[nfd++] = types[t].flag;
	}
	double *v = calloc(n, sizeof(double));
	if (!v)
		die("calloc");
	char *const targv[] = {"true", NULL};
	struct rusage r0, r1, s0, s1;
	getrusage(RUSAGE_CHILDREN, &r0);
	getrusage(RUSAGE_SELF, &s0);
	for (long i = 0; i < n; i++) {
		int st;
		double t0 = now_ms();
		pid_t c = fork();
		if (c < 0)
			die("fork");
		if (c == 0) {
			for (int k = 0; k < nfd; k++)
				if (setns(fds[k], flags[k]) < 0)
					_exit(100 + k);
			pid_t g = fork();
			if (g < 0)
				_exit(98);
			if (g == 0) {
				execv("/bin/true", targv);
				_exit(127);
			}
			if (waitpid(g, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				_exit(99);
			_exit(0);
		}
		if (waitpid(c, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "floor: iteration failed (status 0x%x)\n", st);
			free(v);
			return 1;
		}
		v[i] = now_ms() - t0;
	}
	getrusage(RUSAGE_CHILDREN, &r1);
	getrusage(RUSAGE_SELF, &s1);
	print_stats(v, n);
	if (getenv("FLOOR_RAW"))
		printf("# cpu %.4f\n", (tv_ms(r1.ru_utime) + tv_ms(r1.ru_stime) - tv_ms(r0.ru_utime) -
					  tv_ms(r0.ru_stime) + tv_ms(s1.ru_utime) + tv_ms(s1.ru_stime) -
					  tv_ms(s0.ru_utime) - tv_ms(s0.ru_stime)) / n);
	free(v);
	return 0;
}

static int do_stamps(int argc, char **argv)
{
	(void)argc;
	const char *pat = argv[0];
	size_t plen = strlen(pat), cap = 1024, n = 0, len = 0;
	double *v = malloc(cap * sizeof(double)), last = -1;
	char buf[65536];
	int p[2], st;

	if (!v)
		die("malloc");
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe2");
	pid_t c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		dup2(p[1], STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t r = read(p[0], buf + len, sizeof(buf) - 1 - len);
		double t = now_ms();
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
		char *s = buf, *nl;
		while ((nl = memchr(s, '\n', buf + len - s))) {
			size_t l = nl - s;
			if (l >= plen && memcmp(nl - plen, pat, plen) == 0) {
				if (last >= 0) {
					if (n == cap) {
						double *w = realloc(v, (cap *= 2) * sizeof(double));
						if (!w)
							die("realloc");
						v = w;
					}
					v[n++] = t - last;
				}
				last = t;
			}
			s = nl + 1;
		}
		len = buf + len - s;
		memmove(buf, s, len);
		if (len == sizeof(buf) - 1)
			len = 0;
	}
	if (waitpid(c, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "floor: %s failed (status 0x%x)\n", argv[1], st);
		free(v);
		return 1;
	}
	print_stats(v, n);
	free(v);
	return 0;
}

/* ARGV started with stdin, stdout and stderr on /dev/null. */
static pid_t spawn_quiet(char **argv)
{
	pid_t c = fork();

	if (c < 0)
		die("fork");
	if (c == 0) {
		int fd = open("/dev/null", O_RDWR);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	return c;
}

static bool failed(int st, const char *name)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return false;
	fprintf(stderr, "floor: %s failed (status 0x%x)\n", name, st);
	return true;
}

static int do_rss(int argc, char **argv)
{
	long n = atol(argv[0]);

	(void)argc;
	if (n <= 0 || n > 10000)
		return 2;
	double rss[n], cpu[n];
	for (long i = 0; i < n; i++) {
		struct rusage ru;
		int st;
		pid_t c = spawn_quiet(argv + 1);
		/* The child's own figures plus those of the descendants it
		 * waited for (helpers, the lab's init, the program). */
		if (wait4(c, &st, 0, &ru) < 0)
			die("wait4");
		if (failed(st, argv[1]))
			return 1;
		rss[i] = ru.ru_maxrss;
		cpu[i] = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
	}
	qsort(rss, n, sizeof(*rss), cmp_double);
	qsort(cpu, n, sizeof(*cpu), cmp_double);
	printf("%.0f %.3f\n", rss[n / 2], cpu[n / 2]);
	return 0;
}

/* One run of ARGV, stdio on /dev/null: its wall time in ms. */
static double timed_run(char **argv)
{
	double t0 = now_ms();
	int st;
	pid_t c = spawn_quiet(argv);

	if (waitpid(c, &st, 0) < 0)
		die("waitpid");
	if (failed(st, argv[0]))
		exit(1);
	return now_ms() - t0;
}

static int do_alternate(int argc, char **argv)
{
	long n = atol(argv[0]), warm = 10;
	char **a = argv + 1, **b = NULL;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			b = argv + i + 1;
		}
	if (n <= 0 || n > 100000 || !b || !a[0] || !b[0])
		return 2;
	double *ta = calloc(n, sizeof(double)), *tb = calloc(n, sizeof(double));
	if (!ta || !tb)
		die("calloc");
	for (long i = -warm; i < n; i++) {
		bool a_first = i % 2 == 0;
		double x = timed_run(a_first ? a : b), y = timed_run(a_first ? b : a);
		if (i >= 0) {
			ta[i] = a_first ? x : y;
			tb[i] = a_first ? y : x;
		}
	}
	qsort(ta, n, sizeof(*ta), cmp_double);
	qsort(tb, n, sizeof(*tb), cmp_double);
	printf("%.4f %.4f %.4f %.4f %.4f %.4f\n", ta[n / 2], ta[n / 10], ta[n - 1 - n / 10], tb[n / 2], tb[n / 10],
	       tb[n - 1 - n / 10]);
	free(ta);
	free(tb);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "setns") == 0)
		return do_setns(argc - 2, argv + 2);
	if (argc >= 4 && strcmp(argv[1], "stamps") == 0)
		return do_stamps(argc - 2, argv + 2);
	if (argc >= 4 && strcmp(argv[1], "rss") == 0)
		return do_rss(argc - 2, argv + 2);
	if (argc >= 6 && strcmp(argv[1], "alternate") == 0)
		return do_alternate(argc - 2, argv + 2);
	fprintf(stderr, "usage: floor setns N PID NS...|all\n"
			"       floor stamps PATTERN CMD...\n"
			"       floor rss N CMD...\n"
			"       floor alternate N A... -- B...\n");
	return 2;
}
