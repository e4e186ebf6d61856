/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Addresses, interface names and veth's options: no privileges needed. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "netaddr.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void good_prefixes(void **s)
{
	struct ipv4_prefix p;
	struct nserr e = {0};
	char out[24];

	assert_int_equal(parse_ipv4_prefix("10.77.1.2/24", &p, &e), 0);
	assert_int_equal(p.addr, IP(10, 77, 1, 2));
	assert_int_equal(p.len, 24);
	assert_int_equal(parse_ipv4_prefix("192.168.9.1/30", &p, &e), 0);
	ipv4_prefix_str(p, out, sizeof(out));
	assert_string_equal(out, "192.168.9.1/30");
	assert_int_equal(parse_ipv4_prefix("10.0.0.1/8", &p, &e), 0);
}

static void bad_prefixes(void **s)
{
	static const char *const bad[] = {
		"10.0.0.1",	  "10.0.0.1/",	   "10.0.0.1/x",  "10.0.0.1/33",  "10.0.0.1/31", "10.0.0.1/7",
		"10.0.0.1/-1",	  "300.1.1.1/24",  "10.1/24",	  "hello/24",	  "10.0.0.0/24", "10.0.0.255/24",
		"127.0.0.2/8",	  "224.0.0.1/24",  "0.1.2.3/8",	  "10.0.0.1/0024x", "",		 "/24",
		"10.0.0.1/24/24", "10.0.0.01/24",  "10.0.0.3/30",
	};
	struct ipv4_prefix p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nserr e = {0};
		if (parse_ipv4_prefix(bad[i], &p, &e) == 0)
			fail_msg("accepted '%s'", bad[i]);
		assert_true(e.msg[0] != '\0');
	}
}

static void ifnames(void **s)
{
	struct nserr e = {0};

	assert_int_equal(check_ifname("eth0", &e), 0);
	assert_int_equal(check_ifname("abcdefghijklmno", &e), 0); /* 15 */
	assert_int_equal(check_ifname("abcdefghijklmnop", &e), -1);
	assert_non_null(strstr(e.msg, "16 bytes"));
	assert_int_equal(check_ifname("", &e), -1);
	assert_int_equal(check_ifname(".", &e), -1);
	assert_int_equal(check_ifname("a/b", &e), -1);
	assert_int_equal(check_ifname("a:b", &e), -1);
	assert_int_equal(check_ifname("a b", &e), -1);
	assert_int_equal(check_ifname("-x", &e), -1);
}

static void overlap(void **s)
{
	struct ipv4_prefix a = {IP(10, 0, 0, 1), 8}, b = {IP(10, 77, 1, 0), 24}, c = {IP(10, 77, 2, 1), 24};

	assert_true(ipv4_overlap(a, b));
	assert_true(ipv4_overlap(b, a));
	assert_false(ipv4_overlap(b, c));
}

static int parse(const char *line, struct veth_req *r, struct nserr *e)
{
	char buf[256], *argv[16];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < 16; w = strtok(NULL, " "))
		argv[argc++] = w;
	return veth_parse(argc, argv, r, e);
}

static void veth_options(void **s)
{
	struct veth_req r;
	struct nserr e = {0};

	assert_int_equal(parse("", &r, &e), 0);
	assert_null(r.name);
	assert_null(r.to);
	assert_int_equal(parse("eth5 --to lab2 --host 10.1.1.1/24 --lab=10.1.1.2/24", &r, &e), 0);
	assert_string_equal(r.name, "eth5");
	assert_string_equal(r.to, "lab2");
	assert_true(r.has_peer && r.has_lab);
	assert_int_equal(r.peer.addr, IP(10, 1, 1, 1));
	assert_int_equal(parse("--peer 10.1.1.1/24 --host 10.1.1.3/24", &r, &e), -1);
	assert_int_equal(parse("--to", &r, &e), -1);
	assert_int_equal(parse("--bogus", &r, &e), -1);
	assert_int_equal(parse("a b", &r, &e), -1);
	assert_int_equal(parse("--lab 10.1.1.1", &r, &e), -1);
	assert_int_equal(parse("abcdefghijklmnopq", &r, &e), -1);
}

static void addresses(void **s)
{
	struct ipv4_prefix used[] = {{IP(127, 0, 0, 1), 8}, {IP(10, 77, 1, 9), 24}, {IP(10, 77, 2, 1), 16 + 8}};
	struct veth_req r = {0};
	struct nserr e = {0};

	/* Defaults: the first free 10.77.N.0/24, far end .1, lab end .2. */
	assert_int_equal(veth_addresses(&r, used, 3, &e), 0);
	assert_int_equal(r.peer.addr, IP(10, 77, 3, 1));
	assert_int_equal(r.lab.addr, IP(10, 77, 3, 2));
	/* A host on 10.0.0.0/8 leaves no default. */
	struct ipv4_prefix ten = {IP(10, 0, 0, 1), 8};
	r = (struct veth_req){0};
	assert_int_equal(veth_addresses(&r, &ten, 1, &e), -1);
	/* One given: the other is its neighbour. */
	r = (struct veth_req){.has_peer = true, .peer = {IP(10, 9, 0, 1), 30}};
	assert_int_equal(veth_addresses(&r, NULL, 0, &e), 0);
	assert_int_equal(r.lab.addr, IP(10, 9, 0, 2));
	r = (struct veth_req){.has_lab = true, .lab = {IP(10, 9, 0, 2), 30}};
	assert_int_equal(veth_addresses(&r, NULL, 0, &e), 0);
	assert_int_equal(r.peer.addr, IP(10, 9, 0, 1));
	/* Both: one subnet, two addresses. */
	r = (struct veth_req){.has_lab = true, .lab = {IP(10, 9, 0, 2), 24}, .has_peer = true, .peer = {IP(10, 9, 1, 1), 24}};
	assert_int_equal(veth_addresses(&r, NULL, 0, &e), -1);
	r.peer = r.lab;
	assert_int_equal(veth_addresses(&r, NULL, 0, &e), -1);
	r.peer = (struct ipv4_prefix){IP(10, 9, 0, 1), 25};
	assert_int_equal(veth_addresses(&r, NULL, 0, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_prefixes), cmocka_unit_test(bad_prefixes), cmocka_unit_test(ifnames),
		cmocka_unit_test(overlap),	 cmocka_unit_test(veth_options), cmocka_unit_test(addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
