// SPDX-License-Identifier: MIT
/* rtnetlink over libmnl (STYLE §6): links, addresses, routes and rules in
 * one network namespace per handle.  Every request asks for an ACK, checks
 * the sequence number and copies the kernel's extended-ACK text into `err`
 * (when non-NULL), as iproute2 shows the kernel's own words.  IPv4 only. */
#ifndef DATAPLANE_NL_H
#define DATAPLANE_NL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NL_ERR_MAX 256
#define NL_IFNAME_MAX 16

struct nl;

struct nl_link {
	char name[NL_IFNAME_MAX];
	int ifindex;
	bool is_up;
	char kind[16];   /* "veth", "" when unknown */
	uint8_t mac[6];
};

enum nl_route_type { NL_ROUTE_UNICAST, NL_ROUTE_BLACKHOLE, NL_ROUTE_UNREACHABLE };

struct nl_route {
	uint32_t table;    /* RT_TABLE_MAIN = 254 */
	uint32_t dst;      /* host order */
	uint8_t dst_len;
	enum nl_route_type type;
	uint32_t gateway;  /* 0 = none (host order) */
	char dev[NL_IFNAME_MAX]; /* "" = none */
	uint8_t protocol;  /* RTPROT_*; ours use NL_PROTO_LOCALVPC */
	uint8_t scope;     /* RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253 */
};

struct nl_rule {
	uint32_t priority;
	uint32_t fwmark, fwmask; /* 0/0 = not matched */
	uint32_t dst;            /* host order */
	uint8_t dst_len;         /* 0 = any */
	uint32_t table;
};

/* Marks the routes localvpc owns, so the reconciler never touches others. */
#define NL_PROTO_LOCALVPC 0x4c /* 'L'; RTPROT values ≥ 0x1e are free */

/* Opens a rtnetlink socket inside namespace `netns` (NULL: the caller's). */
int nl_open(const char *netns, struct nl **ret);
void nl_close(struct nl *nl);

/* A veth pair: `name` here, `peer` moved into namespace peer_netns_fd
 * (-1: stays here).  Both are created down. */
int nl_link_add_veth(struct nl *nl, const char *name, const char *peer, int peer_netns_fd,
		     char err[NL_ERR_MAX]);
int nl_link_del(struct nl *nl, const char *name, char err[NL_ERR_MAX]);
int nl_link_set_up(struct nl *nl, const char *name, char err[NL_ERR_MAX]);
int nl_link_set_mac(struct nl *nl, const char *name, const uint8_t mac[6], char err[NL_ERR_MAX]);
int nl_link_rename(struct nl *nl, const char *name, const char *new_name, char err[NL_ERR_MAX]);
/* Every link of the namespace; free with free(). */
int nl_link_list(struct nl *nl, struct nl_link **ret, size_t *ret_n);
/* 0 and *ret when the link exists, -ENODEV otherwise. */
int nl_link_get(struct nl *nl, const char *name, struct nl_link *ret);

int nl_addr_add(struct nl *nl, const char *dev, uint32_t addr, uint8_t len, char err[NL_ERR_MAX]);
int nl_addr_del(struct nl *nl, const char *dev, uint32_t addr, uint8_t len, char err[NL_ERR_MAX]);
/* IPv4 addresses of dev (host order, with prefix lengths); free with free(). */
int nl_addr_list(struct nl *nl, const char *dev, uint32_t **ret_addr, uint8_t **ret_len,
		 size_t *ret_n);

/* Adds or replaces (NLM_F_REPLACE) a route. */
int nl_route_replace(struct nl *nl, const struct nl_route *r, char err[NL_ERR_MAX]);
int nl_route_del(struct nl *nl, const struct nl_route *r, char err[NL_ERR_MAX]);
/* IPv4 routes of one table with protocol `protocol` (0: any); free with free(). */
int nl_route_list(struct nl *nl, uint32_t table, uint8_t protocol, struct nl_route **ret,
		  size_t *ret_n);

int nl_rule_add(struct nl *nl, const struct nl_rule *r, char err[NL_ERR_MAX]);
int nl_rule_del(struct nl *nl, const struct nl_rule *r, char err[NL_ERR_MAX]);
/* IPv4 rules whose priority lies in [prio_min, prio_max]; free with free(). */
int nl_rule_list(struct nl *nl, uint32_t prio_min, uint32_t prio_max, struct nl_rule **ret,
		 size_t *ret_n);

#endif
