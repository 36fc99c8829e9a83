// SPDX-License-Identifier: MIT
/* The desired kernel state of one daemon, as compile/ derives it from a
 * snapshot of the store: namespaces with their links, addresses, routes,
 * rules, sysctls and one nftables table each, plus the instances that must
 * run and what their metadata service says.  Plain data on an arena; the
 * data plane makes the kernel match it and decides nothing itself. */
#ifndef COMPILE_DESIRED_H
#define COMPILE_DESIRED_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/id.h"

struct pushed_key;

#define DP_NAME_MAX 64
#define DP_IFNAME_MAX 16

enum dp_ns_kind { DP_NS_INET, DP_NS_ROUTER, DP_NS_INSTANCE, DP_NS_NATGW };

enum dp_route_type { DP_ROUTE_UNICAST, DP_ROUTE_BLACKHOLE, DP_ROUTE_UNREACHABLE };

struct dp_route {
	uint32_t table;
	uint32_t dst; /* host order */
	uint8_t dst_len;
	enum dp_route_type type;
	uint32_t gateway; /* 0: none */
	char dev[DP_IFNAME_MAX]; /* "": none */
	uint32_t metric;
};

struct dp_rule {
	uint32_t priority;
	uint32_t fwmark, fwmask;
	uint32_t dst;
	uint8_t dst_len;
	uint32_t table;
};

struct dp_addr {
	char dev[DP_IFNAME_MAX];
	uint32_t addr;
	uint8_t len;
};

/* A veth pair created from this namespace; `peer` lives in `peer_ns`. */
struct dp_link {
	char name[DP_IFNAME_MAX];
	char peer[DP_IFNAME_MAX];
	char peer_ns[DP_NAME_MAX]; /* "" = the host's namespace */
	uint8_t peer_mac[6];
	bool has_peer_mac;
};

struct dp_sysctl {
	char path[96];  /* below /proc/sys, e.g. "net/ipv4/ip_forward" */
	char value[16];
};

struct dp_ns {
	char name[DP_NAME_MAX]; /* "" = the host's own namespace */
	enum dp_ns_kind kind;
	char vpc_id[ID_MAX];     /* routers */
	struct dp_link *links;
	size_t n_links;
	struct dp_addr *addrs;
	size_t n_addrs;
	struct dp_route *routes; /* all owned by localvpc (protocol NL_PROTO_LOCALVPC) */
	size_t n_routes;
	struct dp_rule *rules;   /* priorities in [DP_RULE_PRIO_MIN, DP_RULE_PRIO_MAX] */
	size_t n_rules;
	struct dp_sysctl *sysctls;
	size_t n_sysctls;
	const char *nft;         /* the whole `table inet <prefix>` text, or NULL */
};

#define DP_RULE_PRIO_MIN 100
#define DP_RULE_PRIO_MAX 29999

/* What the metadata service answers for one ENI (spec §15). */
struct dp_imds {
	uint32_t mark;              /* set on the ENI's packets to 169.254.169.254 */
	char instance_id[ID_MAX];
	char eni_id[ID_MAX];
	char image_id[ID_MAX];
	char reservation_id[ID_MAX];
	char instance_type[32];
	char az[32];
	char region[32];
	char account_id[16];
	char mac[18];
	char subnet_id[ID_MAX];
	char vpc_id[ID_MAX];
	char subnet_cidr[20];
	char vpc_cidr[20];
	uint32_t private_ip;
	uint32_t public_ip;         /* 0: none */
	char hostname[96];          /* private DNS name */
	char public_hostname[96];   /* "" when none */
	const char *key_name;       /* NULL when none */
	const char *public_key;     /* OpenSSH line, NULL when none */
	const void *user_data;
	size_t user_data_size;
	const char **group_ids;
	size_t n_groups;
	bool tokens_required;
	bool endpoint_enabled;
	int hop_limit;
	int launch_index;
	int64_t launch_time;
	/* EC2 Instance Connect: keys pushed for this instance, expired ones
	 * too (compile has no clock: the service checks expires_at when it
	 * answers).  Borrowed from the snapshot. */
	const struct pushed_key *pushed_keys;
	size_t n_pushed_keys;
};

struct dp_instance {
	char id[ID_MAX];
	char netns[DP_NAME_MAX];
	char hostname[32];
	bool run;                 /* false: stopped (keep its disk and network) */
	int64_t boot_gen;
	const char *public_key;   /* for ec2-user, or NULL */
	const void *user_data;
	size_t user_data_size;
};

struct dp_desired {
	char prefix[16];          /* kernel-object prefix, e.g. "lv3f2a" */
	struct dp_ns *ns;         /* ns[0] is the host's own namespace */
	size_t n_ns;
	struct dp_instance *instances;
	size_t n_instances;
	struct dp_imds *imds;
	size_t n_imds;
};

#endif
