// SPDX-License-Identifier: MIT
/* Real packets through a data plane built with the C API alone
 * (dataplane/netns, nl): A —veth— router —veth— B, then a blackhole route in
 * the router.  Proves the baseline (A pings B), then the change (the ping
 * fails), then the reverse.  Namespaces are lvup<pid>-a/r/b, removed by the
 * teardown even on failure; the last test audits that none is left.
 * Needs root, unshare(CLONE_NEWNET) and ping (iputils-ping); skipped
 * otherwise. */
#include <errno.h>
#include <fcntl.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/netns.h"
#include "dataplane/nl.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define RT_MAIN 254
#define BASELINE_DEADLINE_MS 5000

static char prefix[32]; /* "lvup<pid>-" */
static bool can_run;

enum { NS_A, NS_R, NS_B, NS_COUNT };

struct topo {
	char ns[NS_COUNT][NETNS_NAME_MAX];
	bool made[NS_COUNT];
	struct nl *nl[NS_COUNT];
};

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

static bool has_ping(void)
{
	const char *path = getenv("PATH");
	char dir[512], file[600];
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(file, sizeof(file), "%s/ping", dir[0] ? dir : ".");
		if (access(file, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(prefix, sizeof(prefix), "lvup%d-", (int)getpid());
	can_run = geteuid() == 0 && unshare_works() && has_ping();
	if (geteuid() == 0 && !has_ping())
		print_message("skipping: no ping (apt-get install iputils-ping)\n");
	return 0;
}

static int group_teardown(void **state)
{
	char **v;
	size_t n;
	(void)state;
	/* A safety net behind the teardown; nothing_left audits. */
	if (can_run && netns_list(prefix, &v, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			(void)netns_del(v[i]);
		netns_list_free(v, n);
	}
	return 0;
}

static int teardown(void **state)
{
	struct topo *t = *state;
	if (!t)
		return 0;
	for (int i = NS_COUNT - 1; i >= 0; i--) {
		nl_close(t->nl[i]);
		if (t->made[i])
			(void)netns_del(t->ns[i]); /* audited by nothing_left */
	}
	free(t);
	return 0;
}

/* Router end `rdev` (in R) with raddr, peer "eth0" in namespace `i` with
 * addr and a default route through raddr. */
static int wire(struct topo *t, int i, const char *rdev, uint32_t raddr, uint32_t addr)
{
	char err[NL_ERR_MAX] = "";
	struct nl *r = t->nl[NS_R], *h = t->nl[i];
	int fd = netns_open(t->ns[i]), e;
	if (fd < 0)
		return fd;
	e = nl_link_add_veth(r, rdev, "eth0", fd, err);
	close(fd);
	struct nl_route dflt = { .table = RT_MAIN, .gateway = raddr, .dev = "eth0" };
	/* Both ends up before any route, so the routes see a carrier. */
	if (e < 0 || (e = nl_link_set_up(r, rdev, err)) < 0 ||
	    (e = nl_link_set_up(h, "eth0", err)) < 0 || (e = nl_link_set_up(h, "lo", err)) < 0 ||
	    (e = nl_addr_add(r, rdev, raddr, 24, err)) < 0 ||
	    (e = nl_addr_add(h, "eth0", addr, 24, err)) < 0 ||
	    (e = nl_route_replace(h, &dflt, err)) < 0) {
		print_error("wiring %s: %s (%s)\n", rdev, strerror(-e), err);
		return e;
	}
	return 0;
}

static int setup(void **state)
{
	static const char *const suffix[NS_COUNT] = { "a", "r", "b" };
	*state = NULL;
	if (!can_run)
		return 0;
	struct topo *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	*state = t;
	for (int i = 0; i < NS_COUNT; i++) {
		snprintf(t->ns[i], sizeof(t->ns[i]), "%s%s", prefix, suffix[i]);
		if (netns_add(t->ns[i]) < 0)
			goto fail;
		t->made[i] = true;
		if (nl_open(t->ns[i], &t->nl[i]) < 0)
			goto fail;
	}
	if (wire(t, NS_A, "lvra", IP(10, 9, 1, 1), IP(10, 9, 1, 5)) < 0 ||
	    wire(t, NS_B, "lvrb", IP(10, 9, 2, 1), IP(10, 9, 2, 5)) < 0 ||
	    netns_sysctl_set(t->ns[NS_R], "net/ipv4/ip_forward", "1") < 0)
		goto fail;
	return 0;
fail:
	teardown(state); /* cmocka runs no teardown after a failed setup */
	*state = NULL;
	return -1;
}

/* `ping -c1 -W1 dst` inside namespace ns: ping's exit status (0 replied,
 * 1 no reply), or -1 when it could not run. */
static int ping_from(const char *ns, const char *dst)
{
	int status;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = netns_open(ns), null = open("/dev/null", O_WRONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
			_exit(126);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		char host[64];
		snprintf(host, sizeof(host), "%s", dst);
		char *const argv[] = { "ping", "-c1", "-W1", host, NULL };
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls with a deadline, never sleeps (STYLE §9): the first packets may
 * meet a device the kernel has not finished activating (a veth end that
 * came up before its peer gets its qdisc from the link-watch work). */
static bool ping_within(const char *ns, const char *dst, int64_t deadline_ms, int *ret_tries)
{
	int64_t end = now_ms() + deadline_ms;
	int tries = 0;
	do {
		tries++;
		if (ping_from(ns, dst) == 0) {
			*ret_tries = tries;
			return true;
		}
	} while (now_ms() < end);
	*ret_tries = tries;
	return false;
}

static void forward_then_blackhole(void **state)
{
	struct topo *t = *state;
	char err[NL_ERR_MAX] = "", fwd[8];
	int tries;
	if (!t)
		skip();

	assert_int_equal(netns_sysctl_get(t->ns[NS_R], "net/ipv4/ip_forward", fwd, sizeof(fwd)), 0);
	assert_string_equal(fwd, "1");

	/* Baseline: A reaches B through the router. */
	assert_true(ping_within(t->ns[NS_A], "10.9.2.5", BASELINE_DEADLINE_MS, &tries));
	print_message("baseline ping answered on try %d\n", tries);
	/* Once the path is up, one ping is enough. */
	assert_int_equal(ping_from(t->ns[NS_A], "10.9.2.5"), 0);

	/* The change: a blackhole for B in the router's main table. */
	struct nl_route hole = { .table = RT_MAIN, .dst = IP(10, 9, 2, 5), .dst_len = 32,
				 .type = NL_ROUTE_BLACKHOLE };
	assert_int_equal(nl_route_replace(t->nl[NS_R], &hole, err), 0);
	assert_int_equal(ping_from(t->ns[NS_A], "10.9.2.5"), 1);
	/* The router itself still has 10.9.2.1, the other side of it. */
	assert_int_equal(ping_from(t->ns[NS_A], "10.9.2.1"), 0);

	/* The reverse: the blackhole goes, the ping comes back. */
	assert_int_equal(nl_route_del(t->nl[NS_R], &hole, err), 0);
	assert_int_equal(ping_from(t->ns[NS_A], "10.9.2.5"), 0);

	/* Forwarding off in the router stops it too. */
	assert_int_equal(netns_sysctl_set(t->ns[NS_R], "net/ipv4/ip_forward", "0"), 0);
	assert_int_equal(ping_from(t->ns[NS_A], "10.9.2.5"), 1);
}

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
		cmocka_unit_test_setup_teardown(forward_then_blackhole, setup, teardown),
		cmocka_unit_test(nothing_left),
	};
	return cmocka_run_group_tests_name("dataplane_ping", tests, group_setup, group_teardown);
}
