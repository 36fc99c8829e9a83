// SPDX-License-Identifier: MIT
/* dataplane/netns, nl and nft against the real kernel: each test gets two
 * private namespaces named lvut<pid>-<n>a/b (so parallel runs never meet)
 * that its teardown deletes even when the test failed.  Needs root and
 * unshare(CLONE_NEWNET); every test is skipped without them. */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dataplane/netns.h"
#include "dataplane/nft.h"
#include "dataplane/nl.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define TABLE 1000

static char prefix[32]; /* "lvut<pid>-" */
static bool can_run;
static unsigned counter;

struct fx {
	char a[NETNS_NAME_MAX], b[NETNS_NAME_MAX];
	bool has_a, has_b;
	struct nl *na, *nb;
};

/* Root alone is not enough (a container may forbid unshare): try it in a
 * child, which then ends, so this process never leaves its namespace. */
static bool unshare_works(void)
{
	int status;
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Removes every namespace of this run (a safety net behind the teardowns). */
static void sweep(void)
{
	char **v;
	size_t n;
	if (netns_list(prefix, &v, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		(void)netns_del(v[i]); /* best effort; the last test audits */
	netns_list_free(v, n);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(prefix, sizeof(prefix), "lvut%d-", (int)getpid());
	can_run = geteuid() == 0 && unshare_works();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (can_run)
		sweep();
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	nl_close(f->na);
	nl_close(f->nb);
	nft_forget(f->a); /* a kept nft context would keep the namespace alive */
	nft_forget(f->b);
	if (f->has_a)
		(void)netns_del(f->a); /* checked by the last test's audit */
	if (f->has_b)
		(void)netns_del(f->b);
	free(f);
	return 0;
}

/* Two fresh namespaces with a handle in each; state stays NULL (and the
 * test skips) when the kernel is out of reach. */
static int setup(void **state)
{
	*state = NULL;
	if (!can_run)
		return 0;
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	counter++;
	snprintf(f->a, sizeof(f->a), "%s%ua", prefix, counter);
	snprintf(f->b, sizeof(f->b), "%s%ub", prefix, counter);
	*state = f;
	if (netns_add(f->a) < 0)
		goto fail;
	f->has_a = true;
	if (netns_add(f->b) < 0)
		goto fail;
	f->has_b = true;
	if (nl_open(f->a, &f->na) < 0 || nl_open(f->b, &f->nb) < 0)
		goto fail;
	return 0;
fail:
	/* cmocka runs no teardown after a failed setup. */
	teardown(state);
	*state = NULL;
	return -1;
}

static struct fx *fx(void **state)
{
	if (!*state)
		skip();
	return *state;
}

static ino_t ns_inode(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static int where_am_i(void *arg)
{
	*(ino_t *)arg = ns_inode("/proc/thread-self/ns/net");
	return 42;
}

static void netns_basics(void **state)
{
	struct fx *f = fx(state);
	char path[128], **v;
	size_t n;
	ino_t inside = 0, here = ns_inode("/proc/thread-self/ns/net");

	assert_true(netns_exists(f->a));
	assert_int_equal(netns_add(f->a), -EEXIST);
	assert_int_equal(netns_add("a/b"), -EINVAL);
	assert_int_equal(netns_add(""), -EINVAL);
	assert_int_equal(netns_add(".."), -EINVAL);

	/* An `ip netns`-style name: a bind mount of an nsfs file. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", f->a);
	assert_int_not_equal(ns_inode(path), here);

	/* netns_run enters, runs, returns fn's value and comes back. */
	assert_int_equal(netns_run(f->a, where_am_i, &inside), 42);
	assert_int_equal(inside, ns_inode(path));
	assert_int_equal(ns_inode("/proc/thread-self/ns/net"), here);
	assert_int_equal(netns_run(NULL, where_am_i, &inside), 42);
	assert_int_equal(inside, here);

	/* Missing namespaces. */
	char missing[NETNS_NAME_MAX];
	snprintf(missing, sizeof(missing), "%smissing", prefix);
	assert_false(netns_exists(missing));
	assert_int_equal(netns_run(missing, where_am_i, &inside), -ENOENT);
	assert_int_equal(ns_inode("/proc/thread-self/ns/net"), here);
	assert_int_equal(netns_open(missing), -ENOENT);
	assert_int_equal(netns_del(missing), -ENOENT);
	struct nl *nl = NULL;
	assert_int_equal(nl_open(missing, &nl), -ENOENT);
	assert_null(nl);

	/* Listed, sorted, by prefix. */
	char pfx[NETNS_NAME_MAX];
	snprintf(pfx, sizeof(pfx), "%s%u", prefix, counter);
	assert_int_equal(netns_list(pfx, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], f->a);
	assert_string_equal(v[1], f->b);
	netns_list_free(v, n);

	/* A socket made inside stays inside. */
	int fd = netns_socket(f->a, AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(ns_inode("/proc/thread-self/ns/net"), here);
	close(fd);
}

static void veth_across_namespaces(void **state)
{
	struct fx *f = fx(state);
	char err[NL_ERR_MAX];
	struct nl_link l, *links;
	size_t n;
	const uint8_t mac[6] = { 0x02, 0x4c, 0x56, 0x00, 0x00, 0x01 };

	int fd = netns_open(f->b);
	assert_true(fd >= 0);
	assert_int_equal(nl_link_add_veth(f->na, "lvua0", "lvub0", fd, err), 0);
	assert_int_equal(nl_link_add_veth(f->na, "lvua0", "lvub9", fd, err), -EEXIST);
	close(fd);
	assert_int_equal(nl_link_add_veth(f->na, "lvu-much-too-long", "x", -1, err), -EINVAL);

	/* One end here, the other there, both down. */
	assert_int_equal(nl_link_get(f->na, "lvua0", &l), 0);
	assert_string_equal(l.name, "lvua0");
	assert_string_equal(l.kind, "veth");
	assert_false(l.is_up);
	assert_true(l.ifindex > 0);
	assert_int_equal(nl_link_get(f->na, "lvub0", &l), -ENODEV);
	assert_int_equal(nl_link_get(f->nb, "lvub0", &l), 0);
	assert_string_equal(l.kind, "veth");
	assert_false(l.is_up);

	assert_int_equal(nl_link_set_up(f->na, "lvua0", err), 0);
	assert_int_equal(nl_link_set_up(f->nb, "lvub0", err), 0);
	assert_int_equal(nl_link_get(f->nb, "lvub0", &l), 0);
	assert_true(l.is_up);

	assert_int_equal(nl_link_set_mac(f->na, "lvua0", mac, err), 0);
	assert_int_equal(nl_link_get(f->na, "lvua0", &l), 0);
	assert_memory_equal(l.mac, mac, 6);

	/* Measured: a veth can be renamed while up. */
	assert_int_equal(nl_link_rename(f->na, "lvua0", "lvua1", err), 0);
	assert_int_equal(nl_link_get(f->na, "lvua0", &l), -ENODEV);
	assert_int_equal(nl_link_get(f->na, "lvua1", &l), 0);
	assert_true(l.is_up);

	/* A fresh namespace holds lo, down, and now our end. */
	assert_int_equal(nl_link_list(f->na, &links, &n), 0);
	assert_int_equal(n, 2);
	bool seen_lo = false, seen_veth = false;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(links[i].name, "lo"))
			seen_lo = !links[i].is_up;
		if (!strcmp(links[i].name, "lvua1"))
			seen_veth = !strcmp(links[i].kind, "veth") && links[i].is_up;
	}
	free(links);
	assert_true(seen_lo);
	assert_true(seen_veth);

	/* Deleting one end takes the other with it. */
	assert_int_equal(nl_link_del(f->na, "lvua1", err), 0);
	assert_int_equal(nl_link_get(f->na, "lvua1", &l), -ENODEV);
	assert_int_equal(nl_link_get(f->nb, "lvub0", &l), -ENODEV);
	assert_int_equal(nl_link_del(f->na, "lvua1", err), -ENODEV);
}

/* A veth pair inside A, lvua0 up with 10.1.0.1/24. */
static void veth_with_address(struct fx *f)
{
	char err[NL_ERR_MAX];
	assert_int_equal(nl_link_add_veth(f->na, "lvua0", "lvua0p", -1, err), 0);
	assert_int_equal(nl_link_set_up(f->na, "lvua0p", err), 0);
	assert_int_equal(nl_link_set_up(f->na, "lvua0", err), 0);
	assert_int_equal(nl_addr_add(f->na, "lvua0", IP(10, 1, 0, 1), 24, err), 0);
}

static bool has_addr(struct nl *nl, const char *dev, uint32_t addr, uint8_t len)
{
	uint32_t *a;
	uint8_t *l;
	size_t n;
	bool found = false;
	assert_int_equal(nl_addr_list(nl, dev, &a, &l, &n), 0);
	for (size_t i = 0; i < n; i++)
		found |= a[i] == addr && l[i] == len;
	free(a);
	free(l);
	return found;
}

static void addresses(void **state)
{
	struct fx *f = fx(state);
	char err[NL_ERR_MAX];
	uint32_t *a;
	uint8_t *l;
	size_t n;

	veth_with_address(f);
	assert_int_equal(nl_addr_add(f->na, "lvua0", IP(10, 1, 1, 1), 30, err), 0);
	assert_int_equal(nl_addr_list(f->na, "lvua0", &a, &l, &n), 0);
	assert_int_equal(n, 2);
	free(a);
	free(l);
	assert_true(has_addr(f->na, "lvua0", IP(10, 1, 0, 1), 24));
	assert_true(has_addr(f->na, "lvua0", IP(10, 1, 1, 1), 30));

	/* Measured: the kernel's words for a duplicate, through extended ACK. */
	assert_int_equal(nl_addr_add(f->na, "lvua0", IP(10, 1, 0, 1), 24, err), -EEXIST);
	assert_string_equal(err, "ipv4: Address already assigned");

	assert_int_equal(nl_addr_del(f->na, "lvua0", IP(10, 1, 1, 1), 30, err), 0);
	assert_false(has_addr(f->na, "lvua0", IP(10, 1, 1, 1), 30));
	assert_true(has_addr(f->na, "lvua0", IP(10, 1, 0, 1), 24));
	assert_int_equal(nl_addr_del(f->na, "lvua0", IP(10, 1, 1, 1), 30, err), -EADDRNOTAVAIL);

	/* The peer end has none; a missing device is -ENODEV. */
	assert_int_equal(nl_addr_list(f->na, "lvua0p", &a, &l, &n), 0);
	assert_int_equal(n, 0);
	free(a);
	free(l);
	assert_int_equal(nl_addr_list(f->na, "lvunone", &a, &l, &n), -ENODEV);
	assert_int_equal(nl_addr_add(f->na, "lvunone", IP(10, 1, 2, 1), 24, err), -ENODEV);
}

static const struct nl_route *find_route(const struct nl_route *v, size_t n, uint32_t dst,
					 uint8_t len)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].dst == dst && v[i].dst_len == len)
			return &v[i];
	return NULL;
}

static size_t count_routes(struct nl *nl, uint32_t table, uint8_t protocol)
{
	struct nl_route *v;
	size_t n;
	assert_int_equal(nl_route_list(nl, table, protocol, &v, &n), 0);
	free(v);
	return n;
}

static void routes_in_table_1000(void **state)
{
	struct fx *f = fx(state);
	char err[NL_ERR_MAX];
	struct nl_route *v;
	const struct nl_route *r;
	size_t n;

	veth_with_address(f);
	struct nl_route gw = { .table = TABLE, .dst = IP(10, 20, 0, 0), .dst_len = 16,
			       .gateway = IP(10, 1, 0, 2), .dev = "lvua0" };
	struct nl_route link = { .table = TABLE, .dst = IP(10, 21, 0, 0), .dst_len = 16,
				 .dev = "lvua0", .scope = RT_SCOPE_LINK };
	struct nl_route hole = { .table = TABLE, .dst = IP(10, 22, 0, 0), .dst_len = 16,
				 .type = NL_ROUTE_BLACKHOLE };
	struct nl_route unr = { .table = TABLE, .dst = IP(10, 23, 0, 0), .dst_len = 16,
				.type = NL_ROUTE_UNREACHABLE };
	/* Someone else's route in the same table: listed only unfiltered,
	 * never deleted by a delete of ours. */
	struct nl_route foreign = { .table = TABLE, .dst = IP(10, 24, 0, 0), .dst_len = 16,
				    .type = NL_ROUTE_BLACKHOLE, .protocol = RTPROT_STATIC };
	assert_int_equal(nl_route_replace(f->na, &gw, err), 0);
	assert_int_equal(nl_route_replace(f->na, &link, err), 0);
	assert_int_equal(nl_route_replace(f->na, &hole, err), 0);
	assert_int_equal(nl_route_replace(f->na, &unr, err), 0);
	assert_int_equal(nl_route_replace(f->na, &foreign, err), 0);
	/* Replace is idempotent. */
	assert_int_equal(nl_route_replace(f->na, &hole, err), 0);

	assert_int_equal(nl_route_list(f->na, TABLE, NL_PROTO_LOCALVPC, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_non_null(r = find_route(v, n, gw.dst, 16));
	assert_int_equal(r->table, TABLE);
	assert_int_equal(r->type, NL_ROUTE_UNICAST);
	assert_int_equal(r->gateway, IP(10, 1, 0, 2));
	assert_string_equal(r->dev, "lvua0");
	assert_int_equal(r->protocol, NL_PROTO_LOCALVPC);
	assert_int_equal(r->scope, RT_SCOPE_UNIVERSE);
	assert_non_null(r = find_route(v, n, link.dst, 16));
	assert_int_equal(r->type, NL_ROUTE_UNICAST);
	assert_int_equal(r->gateway, 0);
	assert_string_equal(r->dev, "lvua0");
	assert_int_equal(r->scope, RT_SCOPE_LINK);
	assert_non_null(r = find_route(v, n, hole.dst, 16));
	assert_int_equal(r->type, NL_ROUTE_BLACKHOLE);
	assert_string_equal(r->dev, "");
	assert_non_null(r = find_route(v, n, unr.dst, 16));
	assert_int_equal(r->type, NL_ROUTE_UNREACHABLE);
	assert_null(find_route(v, n, foreign.dst, 16));
	free(v);
	assert_int_equal(count_routes(f->na, TABLE, 0), 5);
	/* The main table holds the kernel's own routes, none of ours. */
	assert_int_equal(count_routes(f->na, RT_TABLE_MAIN, NL_PROTO_LOCALVPC), 0);
	assert_true(count_routes(f->na, RT_TABLE_MAIN, 0) >= 1);

	/* Replace moves the gateway in place. */
	gw.gateway = IP(10, 1, 0, 3);
	assert_int_equal(nl_route_replace(f->na, &gw, err), 0);
	assert_int_equal(nl_route_list(f->na, TABLE, NL_PROTO_LOCALVPC, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_non_null(r = find_route(v, n, gw.dst, 16));
	assert_int_equal(r->gateway, IP(10, 1, 0, 3));
	free(v);

	/* Deletes take ours; the foreign route survives a delete of ours. */
	struct nl_route foreign_as_ours = foreign;
	foreign_as_ours.protocol = 0;
	assert_int_equal(nl_route_del(f->na, &foreign_as_ours, err), -ESRCH);
	assert_int_equal(nl_route_del(f->na, &gw, err), 0);
	assert_int_equal(nl_route_del(f->na, &link, err), 0);
	assert_int_equal(nl_route_del(f->na, &hole, err), 0);
	assert_int_equal(nl_route_del(f->na, &unr, err), 0);
	assert_int_equal(nl_route_del(f->na, &unr, err), -ESRCH);
	assert_int_equal(count_routes(f->na, TABLE, NL_PROTO_LOCALVPC), 0);
	assert_int_equal(count_routes(f->na, TABLE, 0), 1);
	assert_int_equal(nl_route_del(f->na, &foreign, err), 0);
	assert_int_equal(count_routes(f->na, TABLE, 0), 0);

	/* A small table goes through rtm_table as well. */
	struct nl_route small = { .table = 100, .dst = IP(10, 25, 0, 0), .dst_len = 16,
				  .type = NL_ROUTE_BLACKHOLE };
	assert_int_equal(nl_route_replace(f->na, &small, err), 0);
	assert_int_equal(nl_route_list(f->na, 100, NL_PROTO_LOCALVPC, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].table, 100);
	free(v);

	/* A default route (dst_len 0) through the gateway. */
	struct nl_route dflt = { .table = TABLE, .gateway = IP(10, 1, 0, 2), .dev = "lvua0" };
	assert_int_equal(nl_route_replace(f->na, &dflt, err), 0);
	assert_int_equal(nl_route_list(f->na, TABLE, NL_PROTO_LOCALVPC, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].dst, 0);
	assert_int_equal(v[0].dst_len, 0);
	free(v);
}

static void kernel_error_text(void **state)
{
	struct fx *f = fx(state);
	char err[NL_ERR_MAX];

	veth_with_address(f);
	/* Measured: a gateway no connected route reaches is ENETUNREACH with
	 * "Nexthop has invalid gateway", with or without a device. */
	struct nl_route r = { .table = TABLE, .dst = IP(10, 20, 0, 0), .dst_len = 16,
			      .gateway = IP(192, 0, 2, 1) };
	assert_int_equal(nl_route_replace(f->na, &r, err), -ENETUNREACH);
	assert_string_equal(err, "Nexthop has invalid gateway");
	snprintf(r.dev, sizeof(r.dev), "lvua0");
	assert_int_equal(nl_route_replace(f->na, &r, err), -ENETUNREACH);
	assert_string_equal(err, "Nexthop has invalid gateway");

	/* A success clears err; so does an error without text. */
	r.gateway = IP(10, 1, 0, 2);
	assert_int_equal(nl_route_replace(f->na, &r, err), 0);
	assert_string_equal(err, "");
	/* The socket is still in step after errors. */
	assert_int_equal(count_routes(f->na, TABLE, NL_PROTO_LOCALVPC), 1);
	snprintf(r.dev, sizeof(r.dev), "lvunone");
	assert_int_equal(nl_route_replace(f->na, &r, err), -ENODEV);
}

static const struct nl_rule *find_rule(const struct nl_rule *v, size_t n, uint32_t prio)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].priority == prio)
			return &v[i];
	return NULL;
}

static void rules(void **state)
{
	struct fx *f = fx(state);
	char err[NL_ERR_MAX];
	struct nl_rule *v;
	const struct nl_rule *r;
	size_t n;

	const struct nl_rule want[] = {
		{ .priority = 100, .fwmark = 0x10, .fwmask = 0xff, .table = 1000 },
		{ .priority = 101, .dst = IP(10, 30, 0, 0), .dst_len = 16, .table = 1001 },
		{ .priority = 102, .fwmark = 0x1, .fwmask = 0x7fffffff, .dst = IP(10, 31, 0, 0),
		  .dst_len = 16, .table = 1002 },
		/* "mark 0/0xffffffff": only unmarked packets, which is not 0/0. */
		{ .priority = 103, .fwmark = 0, .fwmask = 0xffffffff, .table = 1003 },
		{ .priority = 104, .table = 100 },
	};
	const size_t n_want = sizeof(want) / sizeof(want[0]);
	for (size_t i = 0; i < n_want; i++)
		assert_int_equal(nl_rule_add(f->na, &want[i], err), 0);
	assert_int_equal(nl_rule_add(f->na, &want[0], err), -EEXIST);

	assert_int_equal(nl_rule_list(f->na, 100, 199, &v, &n), 0);
	assert_int_equal(n, n_want);
	for (size_t i = 0; i < n_want; i++) {
		assert_non_null(r = find_rule(v, n, want[i].priority));
		assert_int_equal(r->fwmark, want[i].fwmark);
		assert_int_equal(r->fwmask, want[i].fwmask);
		assert_int_equal(r->dst, want[i].dst);
		assert_int_equal(r->dst_len, want[i].dst_len);
		assert_int_equal(r->table, want[i].table);
	}
	free(v);

	/* The kernel's own three (0 local, 32766 main, 32767 default). */
	assert_int_equal(nl_rule_list(f->na, 0, UINT32_MAX, &v, &n), 0);
	assert_int_equal(n, n_want + 3);
	assert_non_null(r = find_rule(v, n, 32766));
	assert_int_equal(r->table, RT_TABLE_MAIN);
	assert_int_equal(r->fwmask, 0);
	free(v);

	for (size_t i = 0; i < n_want; i++)
		assert_int_equal(nl_rule_del(f->na, &want[i], err), 0);
	assert_int_equal(nl_rule_del(f->na, &want[0], err), -ENOENT);
	assert_int_equal(nl_rule_list(f->na, 100, 199, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
}

static void sysctls(void **state)
{
	struct fx *f = fx(state);
	char host[16], inside[16], tiny[2];

	assert_int_equal(netns_sysctl_get(NULL, "net/ipv4/ip_forward", host, sizeof(host)), 0);
	assert_int_equal(netns_sysctl_set(f->a, "net/ipv4/ip_forward", "1"), 0);
	assert_int_equal(netns_sysctl_get(f->a, "net/ipv4/ip_forward", inside, sizeof(inside)), 0);
	assert_string_equal(inside, "1");
	/* Measured: a new namespace starts with forwarding off. */
	assert_int_equal(netns_sysctl_get(f->b, "net/ipv4/ip_forward", inside, sizeof(inside)), 0);
	assert_string_equal(inside, "0");
	char after[16];
	assert_int_equal(netns_sysctl_get(NULL, "net/ipv4/ip_forward", after, sizeof(after)), 0);
	assert_string_equal(after, host);

	/* Per-device keys of the namespace's own devices. */
	assert_int_equal(netns_sysctl_set(f->a, "net/ipv4/conf/lo/rp_filter", "2"), 0);
	assert_int_equal(netns_sysctl_get(f->a, "net/ipv4/conf/lo/rp_filter", inside, sizeof(inside)),
			 0);
	assert_string_equal(inside, "2");

	assert_int_equal(netns_sysctl_get(f->a, "net/ipv4/../../kernel/hostname", inside,
					  sizeof(inside)), -EINVAL);
	assert_int_equal(netns_sysctl_get(f->a, "/net/ipv4/ip_forward", inside, sizeof(inside)),
			 -EINVAL);
	assert_int_equal(netns_sysctl_get(f->a, "net/ipv4/no_such_key", inside, sizeof(inside)),
			 -ENOENT);
	assert_int_equal(netns_sysctl_set(f->a, "net/ipv4/ip_forward", "x"), -EINVAL);
	/* "net.ipv4.ip_local_port_range" is two numbers: too long for 2 bytes. */
	assert_int_equal(netns_sysctl_get(f->a, "net/ipv4/ip_local_port_range", tiny, sizeof(tiny)),
			 -ENOBUFS);
}

/* netns_sysctl_get_many: the same answers, path by path, as one read each
 * — inside the namespace, with errors kept to their own path. */
static void sysctls_in_one_visit(void **state)
{
	struct fx *f = fx(state);
	assert_int_equal(netns_sysctl_set(f->a, "net/ipv4/conf/lo/rp_filter", "2"), 0);
	assert_int_equal(netns_sysctl_set(f->a, "net/ipv4/ip_forward", "1"), 0);
	const char *paths[] = { "net/ipv4/conf/lo/rp_filter",    "net/ipv4/ip_forward",
				"net/ipv4/conf/lo/no_such_key",  "net/ipv4/conf/lo/send_redirects",
				"net/ipv4/../../kernel/hostname", "net/ipv4/conf/nodev/rp_filter",
				"net/ipv4/ip_local_port_range" };
	size_t n = sizeof(paths) / sizeof(paths[0]);
	char out[7][4];
	int rc[7];
	assert_int_equal(netns_sysctl_get_many(f->a, paths, n, &out[0][0], sizeof(out[0]), rc), 0);
	assert_int_equal(rc[0], 0);
	assert_string_equal(out[0], "2");
	assert_int_equal(rc[1], 0);
	assert_string_equal(out[1], "1"); /* the namespace's, not the host's */
	assert_int_equal(rc[2], -ENOENT);
	assert_int_equal(rc[3], 0);
	assert_string_equal(out[3], "1");
	assert_int_equal(rc[4], -EINVAL);
	assert_int_equal(rc[5], -ENOENT);
	assert_int_equal(rc[6], -ENOBUFS); /* two numbers do not fit 4 bytes */
	char one[4];
	for (size_t i = 0; i < n; i++)
		if (rc[i] == 0) {
			assert_int_equal(netns_sysctl_get(f->a, paths[i], one, sizeof(one)), 0);
			assert_string_equal(one, out[i]);
		}
	assert_int_equal(netns_sysctl_get_many("lvut-no-such-ns", paths, n, &out[0][0],
					       sizeof(out[0]), rc),
			 -ENOENT);
}

static void nftables(void **state)
{
	struct fx *f = fx(state);
	char err[1024], *out = NULL;

	/* Measured: nftables 1.0.6 wants ";" or a newline after a chain's "}"
	 * ("…; } }" is a syntax error there, accepted by later versions). */
	const char *table =
		"table inet lvut { chain c { type filter hook forward priority 0; policy accept; }; }";
	assert_int_equal(nft_run(f->a, table, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(nft_list_table(f->a, "inet", "lvut", &out), 0);
	assert_non_null(strstr(out, "table inet lvut"));
	assert_non_null(strstr(out, "chain c"));
	assert_non_null(strstr(out, "type filter hook forward priority filter; policy accept;"));
	free(out);
	out = NULL;

	/* It lives in A only: not in B, not on the host. */
	assert_int_equal(nft_list_table(f->b, "inet", "lvut", &out), -ENOENT);
	assert_int_equal(nft_list_table(NULL, "inet", "lvut", &out), -ENOENT);
	assert_null(out);

	/* A syntax error: -EINVAL with libnftables' words; nothing applied. */
	assert_int_equal(nft_run(f->a, "table inet lvut { chain d { bogus } }", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "syntax error"));
	assert_int_equal(nft_list_table(f->a, "inet", "lvut", &out), 0);
	assert_null(strstr(out, "chain d"));
	free(out);
	out = NULL;

	/* Names become part of a command and must not extend it. */
	assert_int_equal(nft_list_table(f->a, "inet", "lvut; flush ruleset", &out), -EINVAL);
	assert_int_equal(nft_list_table(f->a, "inet6", "lvut", &out), -EINVAL);
	assert_null(out);

	/* Flush + contents in one buffer is one batch. */
	assert_int_equal(nft_run(f->a,
				 "add table inet lvut\ndelete table inet lvut\n"
				 "table inet lvut { chain e { type filter hook input priority 0; }; }",
				 err, sizeof(err)), 0);
	assert_int_equal(nft_list_table(f->a, "inet", "lvut", &out), 0);
	assert_null(strstr(out, "chain c"));
	assert_non_null(strstr(out, "chain e"));
	free(out);
	assert_int_equal(nft_run(f->a, "delete table inet lvut", NULL, 0), 0);
	assert_int_equal(nft_list_table(f->a, "inet", "lvut", &out), -ENOENT);
}

/* nft_run() keeps its context per namespace: a name deleted and made
 * again is another namespace, and changes must land in the new one. */
static void nft_kept_context_follows_namespace(void **state)
{
	struct fx *f = fx(state);
	char err[1024], *out = NULL;

	assert_int_equal(nft_run(f->a, "add table inet lvut", err, sizeof(err)), 0);
	assert_int_equal(netns_del(f->a), 0);
	assert_int_equal(netns_add(f->a), 0);
	assert_int_equal(nft_run(f->a, "add table inet lvut2", err, sizeof(err)), 0);
	assert_int_equal(nft_list_table(f->a, "inet", "lvut2", &out), 0);
	free(out);
	out = NULL;
	assert_int_equal(nft_list_table(f->a, "inet", "lvut", &out), -ENOENT);

	/* A name gone: a change fails, it goes to no namespace kept alive. */
	assert_int_equal(netns_del(f->a), 0);
	f->has_a = false;
	nft_prune();
	assert_int_equal(nft_run(f->a, "add table inet lvut3", err, sizeof(err)), -ENOENT);
	assert_null(out);
}

/* Runs last: every teardown before it has removed its namespaces. */
static void nothing_left(void **state)
{
	char **v;
	size_t n;
	(void)state;
	if (!can_run)
		skip();
	assert_int_equal(netns_list(prefix, &v, &n), 0);
	for (size_t i = 0; i < n; i++)
		print_error("left behind: %s\n", v[i]);
	netns_list_free(v, n);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(netns_basics, setup, teardown),
		cmocka_unit_test_setup_teardown(veth_across_namespaces, setup, teardown),
		cmocka_unit_test_setup_teardown(addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(routes_in_table_1000, setup, teardown),
		cmocka_unit_test_setup_teardown(kernel_error_text, setup, teardown),
		cmocka_unit_test_setup_teardown(rules, setup, teardown),
		cmocka_unit_test_setup_teardown(sysctls_in_one_visit, setup, teardown),
		cmocka_unit_test_setup_teardown(sysctls, setup, teardown),
		cmocka_unit_test_setup_teardown(nftables, setup, teardown),
		cmocka_unit_test_setup_teardown(nft_kept_context_follows_namespace, setup, teardown),
		cmocka_unit_test(nothing_left),
	};
	return cmocka_run_group_tests_name("nl", tests, group_setup, group_teardown);
}
