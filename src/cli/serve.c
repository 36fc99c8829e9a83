// SPDX-License-Identifier: MIT
/* `localvpc serve`: opens the state, makes sure the default VPC exists,
 * listens for the EC2 API and stops cleanly on SIGINT/SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api.h"
#include "api/bootstrap.h"
#include "api/server.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/log.h"

struct settings {
	char ip[64];
	unsigned port;
	const char *state_dir;
	const char *region;
	bool check;
};

static int parse_listen(const char *s, struct settings *set)
{
	const char *colon = strrchr(s, ':');
	char *end;
	if (!colon || (size_t)(colon - s) >= sizeof(set->ip))
		return -EINVAL;
	const char *host = s;
	size_t hn = (size_t)(colon - s);
	if (host[0] == '[' && hn >= 2 && host[hn - 1] == ']') {
		host++;
		hn -= 2;
	}
	memcpy(set->ip, host, hn);
	set->ip[hn] = '\0';
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || errno || port == 0 || port > 65535)
		return -EINVAL;
	set->port = (unsigned)port;
	return 0;
}

static bool is_loopback(const char *ip)
{
	struct in_addr a;
	struct in6_addr a6;
	if (inet_pton(AF_INET, ip, &a) == 1)
		return (ntohl(a.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

static int usage(void)
{
	fprintf(stderr, "usage: localvpc serve [--listen IP:PORT] [--state-dir DIR] "
			"[--region REGION] [--check] [-v]\n");
	return 2;
}

int cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "region", required_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct settings set = { .ip = "127.0.0.1", .port = 4580, .state_dir = STATE_DIR_DEFAULT,
				.region = "us-east-1" };
	struct api_ctx ctx;
	struct api_server *srv = NULL;
	char path[PATH_MAX];
	int opt, r, rc = 1;

	memset(&ctx, 0, sizeof(ctx));
	while ((opt = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (parse_listen(optarg, &set) < 0) {
				fprintf(stderr, "localvpc: --listen takes IP:PORT, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 's': set.state_dir = optarg; break;
		case 'r': set.region = optarg; break;
		case 'c': set.check = true; break;
		case 'v': log_set_verbose(1); break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!bootstrap_region_known(set.region)) {
		fprintf(stderr, "localvpc: unknown region '%s'\n", set.region);
		return 2;
	}
	ctx.cfg = (struct api_config){
		.region = set.region,
		.account_id = "123456789012",
		.limits = { .vpcs = 5, .cidrs_per_vpc = 5, .subnets_per_vpc = 200, .igws = 5,
			    .route_tables_per_vpc = 200, .routes_per_table = 50 },
	};
	snprintf(ctx.listen_host, sizeof(ctx.listen_host), strchr(set.ip, ':') ? "[%s]:%u" : "%s:%u",
		 set.ip, set.port);
	ctx.listen_port = set.port;

	/* Checklist 25: the state dir is 0700, whatever the umask. */
	umask(077);
	if (mkdir(set.state_dir, 0700) < 0 && errno != EEXIST) {
		log_warn("serve", -errno, "op=mkdir path=%s", set.state_dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/credentials", set.state_dir);
	r = api_load_credentials(&ctx, path);
	if (r == -ENOENT) {
		/* Checklist 19: the development pair only on loopback. */
		if (!is_loopback(set.ip)) {
			fprintf(stderr,
				"localvpc: refusing to listen on %s without credentials: write "
				"\"ACCESS_KEY SECRET\" lines to %s (mode 0600)\n",
				set.ip, path);
			return 1;
		}
		snprintf(ctx.creds[0].access_key, sizeof(ctx.creds[0].access_key), "test");
		snprintf(ctx.creds[0].secret, sizeof(ctx.creds[0].secret), "test");
		ctx.n_creds = 1;
	} else if (r < 0) {
		fprintf(stderr, "localvpc: %s: %s\n", path,
			r == -EPERM ? "must not be readable by group or others (chmod 600)"
				    : "unreadable or malformed");
		return 1;
	}
	if (set.check) {
		printf("listen %s\nstate-dir %s\nregion %s\ncredentials %s (%zu keys)\n",
		       ctx.listen_host, set.state_dir, set.region,
		       r == -ENOENT ? "development pair test/test" : path, ctx.n_creds);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/state.db", set.state_dir);
	if (store_open(path, &ctx.st) < 0) {
		fprintf(stderr, "localvpc: cannot open state %s\n", path);
		return 1;
	}
	if (bootstrap_default_vpc(&ctx) < 0) {
		fprintf(stderr, "localvpc: cannot create the default VPC\n");
		goto out;
	}

	/* Signals are taken synchronously here; the server thread never sees them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	r = api_server_start(&ctx, set.ip, set.port, &srv);
	if (r < 0) {
		fprintf(stderr, "localvpc: cannot listen on %s: %s\n", ctx.listen_host, strerror(-r));
		goto out;
	}
	log_info("serve", "listen=%s state_dir=%s region=%s", ctx.listen_host, set.state_dir,
		 set.region);
	int sig;
	sigwait(&sigs, &sig);
	log_info("serve", "signal=%d msg=\"stopping\"", sig);
	rc = 0;
out:
	api_server_stop(srv);
	store_close(ctx.st);
	return rc;
}
