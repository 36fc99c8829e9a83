// SPDX-License-Identifier: MIT
/* `localvpc serve`: opens the state, makes sure the default VPC exists,
 * claims the port, then forks: the unprivileged child serves the EC2 API,
 * the privileged parent the executor (serve_proc.h, priv/drop.h).  Stops
 * cleanly on SIGINT/SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/bootstrap.h"
#include "cli/cli.h"
#include "cli/executor.h"
#include "cli/paths.h"
#include "priv/drop.h"
#include "cli/serve_proc.h"
#include "model/peering.h"
#include "store/store.h"
#include "util/log.h"

struct settings {
	char ip[64];
	unsigned port;
	const char *state_dir;
	const char *region;
	struct cidr pool;
	uint32_t host_ip;
	const char *image_root;
	bool check;
	bool no_dataplane;
	long peering_expiry_s;
	unsigned natgw_conn_limit;   /* 0: AWS's */
	unsigned natgw_idle_timeout_s;
	unsigned eni_conn_limit;     /* 0: 65,536 tracked flows per ENI */
	unsigned sg_rules_limit;     /* 0: AWS's default quota */
	unsigned instance_connect_ttl_s; /* 0: AWS's 60 s */
	unsigned flow_log_interval_s;   /* 0: each flow log's MaxAggregationInterval */
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

/* A whole number 1..1000000, nothing else. */
static int parse_count(const char *s, unsigned *ret)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > 1000000)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: localvpc serve [--listen IP:PORT] [--state-dir DIR] "
			"[--region REGION]\n"
			"                      [--public-pool CIDR] [--host-ip IP] [--image-root DIR]\n"
			"                      [--no-dataplane] [--peering-expiry SECONDS] [--check] [-v]\n"
			"                      [--natgw-conn-limit N] [--natgw-idle-timeout SECONDS]\n"
			"                      [--sg-rules-limit N] [--instance-connect-ttl SECONDS]\n"
			"                      [--flow-log-interval SECONDS] [--eni-conn-limit N]\n");
	return 2;
}

int cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "region", required_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ "public-pool", required_argument, NULL, 'p' },
		{ "host-ip", required_argument, NULL, 'H' },
		{ "image-root", required_argument, NULL, 'i' },
		{ "no-dataplane", no_argument, NULL, 'n' },
		{ "peering-expiry", required_argument, NULL, 'E' },
		{ "natgw-conn-limit", required_argument, NULL, 'C' },
		{ "natgw-idle-timeout", required_argument, NULL, 'T' },
		{ "sg-rules-limit", required_argument, NULL, 'R' },
		{ "instance-connect-ttl", required_argument, NULL, 'K' },
		{ "flow-log-interval", required_argument, NULL, 'F' },
		{ "eni-conn-limit", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct settings set = { .ip = "127.0.0.1", .port = 4580, .state_dir = STATE_DIR_DEFAULT,
				.region = "us-east-1", .image_root = IMAGE_ROOT_DEFAULT,
				.peering_expiry_s = PCX_EXPIRY_S_DEFAULT };
	struct api_ctx ctx;
	char path[PATH_MAX];
	int opt, r, rc;

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
		case 'p':
			if (cidr_parse(optarg, &set.pool) < 0 || set.pool.len > 30) {
				fprintf(stderr, "localvpc: --public-pool takes a CIDR of /30 or wider\n");
				return 2;
			}
			break;
		case 'H':
			if (ip4_parse(optarg, &set.host_ip) < 0) {
				fprintf(stderr, "localvpc: --host-ip takes an IPv4 address\n");
				return 2;
			}
			break;
		case 'i': set.image_root = optarg; break;
		case 'n': set.no_dataplane = true; break;
		case 'E': {
			char *end;
			errno = 0;
			set.peering_expiry_s = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || set.peering_expiry_s < 1) {
				fprintf(stderr, "localvpc: --peering-expiry takes SECONDS (> 0)\n");
				return 2;
			}
			break;
		}
		case 'F':
			/* Tests shorten the flow logs' capture window (60 or 600 s). */
			if (parse_count(optarg, &set.flow_log_interval_s) < 0) {
				fprintf(stderr, "localvpc: --flow-log-interval takes SECONDS"
						" from 1 to 1000000\n");
				return 2;
			}
			break;
		case 'A':
			/* The conntrack allowance per ENI (checklist 8); tests lower it. */
			if (parse_count(optarg, &set.eni_conn_limit) < 0) {
				fprintf(stderr, "localvpc: --eni-conn-limit takes a number"
						" from 1 to 1000000\n");
				return 2;
			}
			break;
		case 'K':
			/* Tests shorten Instance Connect's 60 s key life. */
			if (parse_count(optarg, &set.instance_connect_ttl_s) < 0) {
				fprintf(stderr, "localvpc: --instance-connect-ttl takes SECONDS"
						" from 1 to 1000000\n");
				return 2;
			}
			break;
		case 'C':
		case 'T':
		case 'R': {
			unsigned *dst = opt == 'C'   ? &set.natgw_conn_limit
					: opt == 'T' ? &set.natgw_idle_timeout_s
						     : &set.sg_rules_limit;
			if (parse_count(optarg, dst) < 0) {
				fprintf(stderr, "localvpc: --%s takes a number from 1 to 1000000\n",
					opt == 'C' ? "natgw-conn-limit" : opt == 'T' ? "natgw-idle-timeout"
										: "sg-rules-limit");
				return 2;
			}
			break;
		}
		case 'v': log_set_verbose(1); break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!set.pool.addr)
		(void)cidr_parse(PUBLIC_POOL_DEFAULT, &set.pool);
	if (!set.host_ip)
		(void)ip4_parse(HOST_IP_DEFAULT, &set.host_ip);
	if (!bootstrap_region_known(set.region)) {
		fprintf(stderr, "localvpc: unknown region '%s'\n", set.region);
		return 2;
	}
	ctx.cfg = (struct api_config){
		.region = set.region,
		.account_id = "123456789012",
		.limits = { .vpcs = 5, .cidrs_per_vpc = 5, .subnets_per_vpc = 200, .igws = 5,
			    .route_tables_per_vpc = 200, .routes_per_table = 50,
			    .sgs = 2500, .sg_rules_per_direction = 60,
			    .nacls_per_vpc = 200, .nacl_entries_per_list = 20,
			    .pcx_active_per_vpc = 50,
			    .eips = 5, .natgws_per_az = 5, .natgw_gone_after_s = 3600 },
		.peering_expiry_s = set.peering_expiry_s,
		.instance_connect_ttl_s = set.instance_connect_ttl_s,
		.public_pool = set.pool,
	};
	if (set.sg_rules_limit) /* AWS raises it on request, up to 1,000 */
		ctx.cfg.limits.sg_rules_per_direction = set.sg_rules_limit;
	snprintf(ctx.listen_host, sizeof(ctx.listen_host), strchr(set.ip, ':') ? "[%s]:%u" : "%s:%u",
		 set.ip, set.port);
	ctx.listen_port = set.port;

	/* Checklist 25: the state dir is 0700, whatever the umask. */
	umask(077);
	if (mkdir(set.state_dir, 0700) < 0 && errno != EEXIST) {
		log_warn("serve", -errno, "op=mkdir path=%s", set.state_dir);
		return 1;
	}
	/* Absolute from here on: the sandboxes mount and chdir by these paths
	 * (a relative --state-dir failed every instance's start, EINVAL). */
	static char state_abs[PATH_MAX - 256]; /* room for the files below it */
	char *abs_path = realpath(set.state_dir, NULL);
	if (!abs_path || strlen(abs_path) >= sizeof(state_abs)) {
		log_warn("serve", abs_path ? -ENAMETOOLONG : -errno, "op=realpath path=%s",
			 set.state_dir);
		free(abs_path);
		return 1;
	}
	memcpy(state_abs, abs_path, strlen(abs_path) + 1);
	free(abs_path);
	set.state_dir = state_abs;
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
		printf("peering-expiry %lds\n", set.peering_expiry_s);
		printf("instance-connect-ttl %us\n",
		       set.instance_connect_ttl_s ? set.instance_connect_ttl_s : 60u);
		return 0;
	}
	/* reset finds the daemon (the privileged parent) by this pid. */
	char pidpath[PATH_MAX];
	snprintf(pidpath, sizeof(pidpath), "%s/daemon.pid", set.state_dir);
	FILE *pf = fopen(pidpath, "we");
	if (pf) {
		fprintf(pf, "%ld\n", (long)getpid());
		fclose(pf);
	}
	snprintf(path, sizeof(path), "%s/state.db", set.state_dir);
	/* Schema and default VPC now, then closed: an SQLite connection must
	 * not cross fork(); each process opens its own after it. */
	if ((r = store_open(path, &ctx.st)) < 0) {
		fprintf(stderr, "localvpc: cannot open state %s: %s\n", path, strerror(-r));
		return 1;
	}
	r = bootstrap_default_vpc(&ctx);
	store_close(ctx.st);
	ctx.st = NULL;
	if (r < 0) {
		fprintf(stderr, "localvpc: cannot create the default VPC\n");
		return 1;
	}
	char prefix[16], boot[PATH_MAX + 16], init[PATH_MAX];
	executor_prefix(set.state_dir, prefix);
	struct executor_settings es = {
		.state_dir = set.state_dir,
		.cs = { .prefix = prefix, .host_ip = set.host_ip,
			.inet_ip = (set.host_ip & 0xffffff00u) | 0xfe, .host_len = 24,
			.public_pool = set.pool, .region = set.region,
			.account_id = ctx.cfg.account_id,
			.natgw_conn_limit = set.natgw_conn_limit,
			.natgw_idle_timeout_s = set.natgw_idle_timeout_s,
			.eni_conn_limit = set.eni_conn_limit },
		.image_root = set.image_root,
		.init_path = init,
		.boot_path = boot,
		.db_path = path,
		.flow_log_interval_s = set.flow_log_interval_s,
	};
	if (!set.no_dataplane) {
		/* The data plane needs root: namespaces, netlink, nftables. */
		if (geteuid() != 0) {
			fprintf(stderr, "localvpc: the data plane needs root (or --no-dataplane)\n");
			return 1;
		}
		snprintf(boot, sizeof(boot), "%s/boot.sh", set.state_dir);
		if (paths_init_binary(init, sizeof(init)) < 0 || paths_write_boot(boot) < 0) {
			fprintf(stderr, "localvpc: cannot find localvpc-init next to the binary\n");
			return 1;
		}
	}
	struct api_proc ap = { .ctx = &ctx, .db_path = path, .drop = geteuid() == 0 };
	if (ap.drop && priv_drop_lookup(&ap.uid, &ap.gid) < 0) {
		fprintf(stderr, "localvpc: no unprivileged user '%s' to run the API as\n",
			PRIV_DROP_USER);
		return 1;
	}
	r = serve_bind(set.ip, set.port, &ap.listen_fd);
	if (r < 0) {
		fprintf(stderr, "localvpc: cannot listen on %s: %s\n", ctx.listen_host, strerror(-r));
		return 1;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_warn("serve", -errno, "op=socketpair");
		close(ap.listen_fd);
		return 1;
	}
	/* Signals are taken synchronously (signalfd, sigwait) in both
	 * processes; no thread of either ever sees them.  Blocked before the
	 * fork, so the child and every thread inherit the mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Fork before any thread exists (libmicrohttpd's, the executor's). */
	ap.parent = getpid();
	ap.chan = sv[1];
	pid_t child = fork();
	if (child < 0) {
		log_warn("serve", -errno, "op=fork");
		return 1;
	}
	if (child == 0) {
		close(sv[0]);
		return serve_api_proc(&ap);
	}
	close(sv[1]);
	close(ap.listen_fd);
	struct priv_proc pp = { .es = set.no_dataplane ? NULL : &es, .chan = sv[0],
				.child = child, .listen_host = ctx.listen_host,
				.state_dir = set.state_dir, .region = set.region, .prefix = prefix };
	rc = serve_priv_proc(&pp);
	close(sv[0]);
	return rc;
}
