// SPDX-License-Identifier: MIT
/* `localvpc internet exec [--from IP] -- CMD…`: runs a command on a host of
 * the emulated internet.  Without --from (or with the "My IP" address) that
 * host is this machine itself, which reaches the public pool through the
 * daemon's host link.  Any other address gets a small namespace of its own,
 * <prefix>-x<8 hex>, wired to the inet namespace; only documentation ranges
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are accepted, so nothing
 * here can impersonate a real network. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/executor.h"
#include "cli/paths.h"
#include "compile/compile.h"
#include "dataplane/netns.h"
#include "dataplane/nl.h"
#include "util/cidr.h"

#define XLINK_INET_IP 0xa9fefd01u /* 169.254.253.1: the inet end of a host's link */

static bool documentation_range(uint32_t ip)
{
	static const char *const nets[] = { "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24" };
	for (size_t i = 0; i < 3; i++) {
		struct cidr c;
		if (cidr_parse(nets[i], &c) == 0 && cidr_contains_ip(&c, ip))
			return true;
	}
	return false;
}

/* Builds (idempotently) the namespace of internet host ip. */
static int ensure_host(const char *prefix, uint32_t ip, char ns[DP_NAME_MAX])
{
	char inet[DP_NAME_MAX], link[DP_IFNAME_MAX], err[NL_ERR_MAX] = "";
	struct nl *in = NULL, *xn = NULL;
	struct nl_link l;
	int r;

	compile_ns_inet(prefix, inet);
	if (!netns_exists(inet))
		return -ENOENT; /* the daemon has not built the internet yet */
	snprintf(ns, DP_NAME_MAX, "%s-x%08x", prefix, ip);
	snprintf(link, sizeof(link), "x%08x", ip);
	if ((r = netns_add(ns)) < 0 && r != -EEXIST)
		return r;
	if ((r = nl_open(inet, &in)) < 0 || (r = nl_open(ns, &xn)) < 0)
		goto out;
	if (nl_link_get(in, link, &l) < 0) {
		int fd = netns_open(ns);
		if (fd < 0) {
			r = fd;
			goto out;
		}
		r = nl_link_add_veth(in, link, "eth0", fd, err);
		close(fd);
		if (r < 0 && r != -EEXIST) /* -EEXIST: a concurrent call made it */
			goto out;
	}
	(void)nl_link_set_up(in, link, err);
	(void)nl_link_set_up(xn, "eth0", err);
	(void)nl_link_set_up(xn, "lo", err);
	(void)netns_sysctl_set(ns, "net/ipv6/conf/all/disable_ipv6", "1");
	(void)nl_addr_add(xn, "eth0", ip, 32, err);
	(void)nl_addr_add(in, link, XLINK_INET_IP, 32, err);
	struct nl_route to_inet = { .table = 254, .dst = XLINK_INET_IP, .dst_len = 32,
				    .dev = "eth0", .protocol = NL_PROTO_LOCALVPC, .scope = 253 };
	struct nl_route dflt = { .table = 254, .gateway = XLINK_INET_IP, .dev = "eth0",
				 .protocol = NL_PROTO_LOCALVPC };
	struct nl_route back = { .table = 254, .dst = ip, .dst_len = 32,
				 .protocol = NL_PROTO_LOCALVPC, .scope = 253 };
	snprintf(back.dev, sizeof(back.dev), "%s", link);
	if ((r = nl_route_replace(xn, &to_inet, err)) < 0 ||
	    (r = nl_route_replace(xn, &dflt, err)) < 0 || (r = nl_route_replace(in, &back, err)) < 0)
		goto out;
	r = 0;
out:
	if (r < 0 && err[0])
		fprintf(stderr, "localvpc: kernel: %s\n", err);
	nl_close(in);
	nl_close(xn);
	return r;
}

/* Becomes the command (no fork), so its pid is the caller's to end. */
static int run(const char *ns, char **argv)
{
	if (ns) {
		int fd = netns_open(ns);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror("localvpc: setns");
			return 125;
		}
		close(fd);
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

int cli_internet(int argc, char **argv)
{
	const char *state_dir = args_state_dir(&argc, argv);
	uint32_t ip = 0, my_ip;
	int i = 2;
	char prefix[16], ns[DP_NAME_MAX];

	(void)ip4_parse(HOST_IP_DEFAULT, &my_ip);
	if (argc < 4 || strcmp(argv[1], "exec"))
		goto usage;
	if (!strcmp(argv[i], "--from")) {
		if (i + 1 >= argc || ip4_parse(argv[i + 1], &ip) < 0)
			goto usage;
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--") || i + 1 >= argc)
		goto usage;
	if (!ip || ip == my_ip)
		return run(NULL, argv + i + 1);
	if (!documentation_range(ip)) {
		fprintf(stderr, "localvpc: --from must lie in 192.0.2.0/24, 198.51.100.0/24 or "
				"203.0.113.0/24\n");
		return 2;
	}
	executor_prefix(state_dir, prefix);
	int r = ensure_host(prefix, ip, ns);
	if (r < 0) {
		fprintf(stderr, "localvpc: cannot build internet host %s: %s (is the daemon "
				"running?)\n", argv[i - 1], strerror(-r));
		return 125;
	}
	return run(ns, argv + i + 1);
usage:
	fprintf(stderr, "usage: localvpc internet exec [--state-dir DIR] [--from IP] -- CMD [ARG…]\n");
	return 2;
}
