// SPDX-License-Identifier: MIT
/* Internal to analyze/: the state of one walk (analyze.c) and the helpers
 * that record hops and explanations (path.c) and judge one component with
 * its fix (check.c).  A walk appends hops to the forward list, or to the
 * return list while in_return is set; every string lives on the walk's
 * arena.  Pure. */
#ifndef ANALYZE_PATH_H
#define ANALYZE_PATH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"

struct eni;
struct igw;
struct peering;
struct res_head;
struct vpc;

#define T_SG "AWS::EC2::SecurityGroup"
#define T_ACL "AWS::EC2::NetworkAcl"
#define T_RTB "AWS::EC2::RouteTable"
#define T_IGW "AWS::EC2::InternetGateway"
#define T_NATGW "AWS::EC2::NatGateway"
#define T_INSTANCE "AWS::EC2::Instance"
#define T_ENI "AWS::EC2::NetworkInterface"
#define T_PCX "AWS::EC2::VpcPeeringConnection"

#define DEPTH_MAX 6 /* router crossings: NAT instance, NAT gateway, hairpin… */

struct path_pkt {
	uint32_t src, dst;
	int sport, dport; /* ICMP: dport is the type */
	int proto;
	int code;         /* ICMP code */
};

enum path_point { PATH_ENI, PATH_IGW, PATH_PCX };

/* One crossing of a VPC router. */
struct path_seg {
	enum path_point in, out;
	const struct eni *in_eni, *out_eni;
	const struct igw *igw_in, *igw_out;
	const struct peering *pcx_in, *pcx_out;
	struct path_pkt pkt; /* the header inside the router */
};

struct path_ctx {
	const struct snapshot *s;
	struct arena *a;
	const struct probe *p;
	bool in_return;
	struct hop *fwd, *ret;
	size_t n_fwd, cap_fwd, n_ret, cap_ret;
	struct explanation *why;
	size_t n_why, cap_why;
	struct path_seg segs[DEPTH_MAX + 2];
	size_t n_segs;
	struct path_seg cur;   /* the crossing under way */
	const char *notes;
	/* What "arrived" means: the destination's private IPv4 (an ENI), or
	 * the internet host reached through an internet gateway. */
	const struct eni *dst_eni;
	uint32_t dst_internet_ip;
	const struct igw *dst_igw; /* EP_IGW as destination */
	bool arrived;
	/* Return path: the NAT instance a reply detours through on its way
	 * to that instance's own public IP (analyze.c, return_seg). */
	const struct eni *nat_detour;
};

/* The Name tag of a resource, "" when it has none. */
const char *path_tag_name(const struct res_head *h);
/* Appends a hop (forward or return list) for packet k; returns it for the
 * caller to add rule_id, direction or acl_rule_number. */
struct hop *path_hop(struct path_ctx *c, const char *type, const char *id, const char *name,
		       bool allowed, const char *rule, const struct path_pkt *k);
/* Appends an explanation, with its smallest fix (NULL when none); returns
 * it for the caller to add eni_id. */
struct explanation *path_explain(struct path_ctx *c, const char *code, const char *type,
				 const char *id, const char *direction, const char *text,
				 const char *suggestion);
/* Adds an assumption to the analysis's notes (once). */
void path_note(struct path_ctx *c, const char *text);
/* Formatting on the walk's arena: an address; "tcp/22", "icmp type 8". */
const char *path_ip(struct path_ctx *c, uint32_t ip);
const char *path_flow(struct path_ctx *c, const struct path_pkt *k);
const char *path_proto_name(int p);
/* The ENI holding private ip in vpc_id or a VPC actively peered with it
 * (where a group reference can name it, SG-10), or NULL. */
const struct eni *path_eni_near(struct path_ctx *c, uint32_t ip, const char *vpc_id);
const char *path_groups(struct path_ctx *c, const struct eni *e);
const struct vpc *path_vpc(struct path_ctx *c, const char *id);
bool path_vpc_holds(const struct vpc *v, uint32_t ip);
/* How an ENI is shown: its instance, NAT gateway or itself. */
const char *path_eni_type(const struct eni *e);
const char *path_eni_id(struct path_ctx *c, const struct eni *e);
const char *path_eni_name(struct path_ctx *c, const struct eni *e);

#endif
