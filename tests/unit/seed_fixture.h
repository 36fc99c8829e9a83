// SPDX-License-Identifier: MIT
/* The seed article's VPC as a hand-built snapshot, for test_semantics.c and
 * test_analyze.c (header-only: each test includes it once).
 *
 *   vpc-a 10.0.0.0/16, igw-a attached
 *     subnet-pub  10.0.0.0/24  rtb-pub: local, 0.0.0.0/0 → igw-a
 *     subnet-priv 10.0.1.0/24  rtb-main (main): local, 0.0.0.0/0 → i-nat
 *     acl-default on both: rule 100 allow all, in and out
 *     i-bastion  10.0.0.12  198.18.0.1  sg-bastion: in tcp 22 from 192.0.2.1/32; out all
 *     i-nat      10.0.0.20  198.18.0.2  sg-nat: in all from 10.0.1.0/24; out all;
 *                                       source/dest check off
 *     i-internal 10.0.1.5   —           sg-internal: in tcp 22 from sg-bastion; out all
 *   vpc-b 10.1.0.0/16 (only with fx_peer()): pcx-ab active with vpc-a
 *     subnet-b 10.1.0.0/24  rtb-b (main): local, 0.0.0.0/0 → pcx-ab
 *     i-peer 10.1.0.7  sg-peer: out all */
#ifndef SEED_FIXTURE_H
#define SEED_FIXTURE_H
#include <string.h>

#include "model/snapshot.h"
#include "util/cidr.h"

struct fx {
	struct vpc_cidr_assoc vassoc[2];
	struct vpc vpcs[2];
	struct subnet subnets[3];
	struct route routes[3][3];
	struct rtb_assoc rassoc[3];
	struct route_table rtbs[3];
	struct igw igw;
	struct tag tags[4];
	struct instance inst[4];
	struct eni enis[4];
	const char *groups[4][1];
	struct sg_rule rules[4][4];
	struct security_group sgs[4];
	struct nacl_entry entries[2][4];
	struct nacl_assoc nassoc[2][3];
	struct network_acl nacls[2];
	struct peering pcx;
	struct nat_gateway natgw;
	struct snapshot s;
};

enum { FX_BASTION, FX_NAT, FX_INTERNAL, FX_PEER };

static inline void fx_cp(char *d, const char *s)
{
	memmove(d, s, strlen(s) + 1);
}

static inline struct cidr fx_cidr(const char *s)
{
	struct cidr c = { 0 };
	(void)cidr_parse(s, &c);
	return c;
}

static inline uint32_t fx_ip(const char *s)
{
	uint32_t ip = 0;
	(void)ip4_parse(s, &ip);
	return ip;
}

static inline struct sg_rule fx_rule(const char *group, bool egress, int proto, int from, int to,
				     const char *cidr_or_group)
{
	struct sg_rule r;
	memset(&r, 0, sizeof(r));
	fx_cp(r.group_id, group);
	r.is_egress = egress;
	r.protocol = proto;
	r.from_port = from;
	r.to_port = to;
	r.description = "";
	if (!strncmp(cidr_or_group, "sg-", 3)) {
		r.peer = SG_PEER_GROUP;
		fx_cp(r.ref_group_id, cidr_or_group);
	} else {
		r.cidr = fx_cidr(cidr_or_group);
	}
	snprintf(r.id, sizeof(r.id), "sgr-%s-%d", group + 3, (int)egress);
	return r;
}

static inline struct nacl_entry fx_entry(int number, bool egress, int proto, bool allow,
					 const char *cidr, int from, int to)
{
	return (struct nacl_entry){ .rule_number = number, .is_egress = egress,
				    .protocol = proto, .is_allow = allow,
				    .cidr = fx_cidr(cidr), .from_port = from, .to_port = to,
				    .icmp_type = -1, .icmp_code = -1 };
}

static inline void fx_instance(struct fx *f, int i, const char *id, const char *eni,
			       const char *name, int vpc, int subnet, const char *ip,
			       const char *pub, const char *sg)
{
	struct instance *in = &f->inst[i];
	struct eni *e = &f->enis[i];
	fx_cp(in->head.id, id);
	f->tags[i] = (struct tag){ "Name", name };
	in->head.tags = (struct tag_list){ &f->tags[i], 1 };
	fx_cp(in->vpc_id, f->vpcs[vpc].head.id);
	fx_cp(in->subnet_id, f->subnets[subnet].head.id);
	in->state = INSTANCE_RUNNING;
	in->eni = e;
	fx_cp(e->head.id, eni);
	e->head.seq = 10 + i;
	fx_cp(e->vpc_id, in->vpc_id);
	fx_cp(e->subnet_id, in->subnet_id);
	fx_cp(e->instance_id, id);
	e->private_ip = fx_ip(ip);
	e->public_ip = pub ? fx_ip(pub) : 0;
	e->source_dest_check = true;
	e->device_index = 0;
	e->interface_type = "interface";
	f->groups[i][0] = sg;
	e->group_ids = f->groups[i];
	e->n_groups = 1;
	fx_cp(f->sgs[i].head.id, sg);
	fx_cp(f->sgs[i].vpc_id, in->vpc_id);
	f->sgs[i].rules = f->rules[i];
}

static inline void fx_rtb(struct fx *f, int t, const char *id, int vpc, const char *subnet_id,
			  size_t n_routes)
{
	struct route_table *r = &f->rtbs[t];
	fx_cp(r->head.id, id);
	r->head.seq = t + 1;
	fx_cp(r->vpc_id, f->vpcs[vpc].head.id);
	r->routes = f->routes[t];
	r->n_routes = n_routes;
	f->routes[t][0] = (struct route){ .dest = f->vpcs[vpc].cidr, .target = ROUTE_LOCAL,
					  .target_id = "local" };
	f->rassoc[t] = (struct rtb_assoc){ .is_main = subnet_id == NULL };
	if (subnet_id)
		fx_cp(f->rassoc[t].subnet_id, subnet_id);
	r->assocs = &f->rassoc[t];
	r->n_assocs = 1;
}

static inline void fx_build(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	const char *vid[2] = { "vpc-a", "vpc-b" }, *vc[2] = { "10.0.0.0/16", "10.1.0.0/16" };
	for (int i = 0; i < 2; i++) {
		fx_cp(f->vpcs[i].head.id, vid[i]);
		f->vassoc[i] = (struct vpc_cidr_assoc){ .cidr = fx_cidr(vc[i]),
							.state = CIDR_ASSOCIATED,
							.is_primary = true };
		f->vpcs[i].cidr = f->vassoc[i].cidr;
		f->vpcs[i].assocs = &f->vassoc[i];
		f->vpcs[i].n_assocs = 1;
	}
	const char *sid[3] = { "subnet-pub", "subnet-priv", "subnet-b" };
	const char *sc[3] = { "10.0.0.0/24", "10.0.1.0/24", "10.1.0.0/24" };
	for (int i = 0; i < 3; i++) {
		fx_cp(f->subnets[i].head.id, sid[i]);
		snprintf(f->subnets[i].vpc_id, sizeof(f->subnets[i].vpc_id), "%s",
			 vid[i == 2 ? 1 : 0]);
		f->subnets[i].cidr = fx_cidr(sc[i]);
	}
	snprintf(f->igw.head.id, sizeof(f->igw.head.id), "igw-a");
	snprintf(f->igw.vpc_id, sizeof(f->igw.vpc_id), "vpc-a");
	fx_rtb(f, 0, "rtb-pub", 0, "subnet-pub", 2);
	f->routes[0][1] = (struct route){ .dest = fx_cidr("0.0.0.0/0"), .target = ROUTE_GATEWAY,
					  .target_id = "igw-a" };
	fx_rtb(f, 1, "rtb-main", 0, NULL, 2);
	f->routes[1][1] = (struct route){ .dest = fx_cidr("0.0.0.0/0"), .target = ROUTE_INSTANCE,
					  .target_id = "i-nat" };
	fx_instance(f, FX_BASTION, "i-bastion", "eni-bastion", "Bastion", 0, 0, "10.0.0.12",
		    "198.18.0.1", "sg-bastion");
	fx_instance(f, FX_NAT, "i-nat", "eni-nat", "NAT", 0, 0, "10.0.0.20", "198.18.0.2",
		    "sg-nat");
	fx_instance(f, FX_INTERNAL, "i-internal", "eni-internal", "Internal", 0, 1, "10.0.1.5",
		    NULL, "sg-internal");
	f->enis[FX_NAT].source_dest_check = false;
	f->sgs[0].name = "Bastion Security Group";
	f->sgs[1].name = "NAT Security Group";
	f->sgs[2].name = "Internal Instance";
	f->rules[0][0] = fx_rule("sg-bastion", false, 6, 22, 22, "192.0.2.1/32");
	f->rules[0][1] = fx_rule("sg-bastion", true, -1, -1, -1, "0.0.0.0/0");
	f->sgs[0].n_rules = 2;
	f->rules[1][0] = fx_rule("sg-nat", false, -1, -1, -1, "10.0.1.0/24");
	f->rules[1][1] = fx_rule("sg-nat", true, -1, -1, -1, "0.0.0.0/0");
	f->sgs[1].n_rules = 2;
	f->rules[2][0] = fx_rule("sg-internal", false, 6, 22, 22, "sg-bastion");
	f->rules[2][1] = fx_rule("sg-internal", true, -1, -1, -1, "0.0.0.0/0");
	f->sgs[2].n_rules = 2;
	/* The default ACL of vpc-a on both subnets. */
	snprintf(f->nacls[0].head.id, sizeof(f->nacls[0].head.id), "acl-default");
	snprintf(f->nacls[0].vpc_id, sizeof(f->nacls[0].vpc_id), "vpc-a");
	f->nacls[0].is_default = true;
	f->entries[0][0] = fx_entry(100, false, -1, true, "0.0.0.0/0", -1, -1);
	f->entries[0][1] = fx_entry(100, true, -1, true, "0.0.0.0/0", -1, -1);
	f->nacls[0].entries = f->entries[0];
	f->nacls[0].n_entries = 2;
	snprintf(f->nassoc[0][0].subnet_id, ID_MAX, "subnet-pub");
	snprintf(f->nassoc[0][1].subnet_id, ID_MAX, "subnet-priv");
	f->nacls[0].assocs = f->nassoc[0];
	f->nacls[0].n_assocs = 2;
	f->s = (struct snapshot){ .vpcs = f->vpcs, .n_vpcs = 1, .subnets = f->subnets,
				  .n_subnets = 2, .rtbs = f->rtbs, .n_rtbs = 2, .igws = &f->igw,
				  .n_igws = 1, .instances = f->inst, .n_instances = 3,
				  .enis = f->enis, .n_enis = 3, .sgs = f->sgs, .n_sgs = 3,
				  .nacls = f->nacls, .n_nacls = 1 };
}

/* A custom ACL acl-priv on subnet-priv with the given entries. */
static inline void fx_priv_acl(struct fx *f, const struct nacl_entry *v, size_t n)
{
	snprintf(f->nacls[1].head.id, sizeof(f->nacls[1].head.id), "acl-priv");
	snprintf(f->nacls[1].vpc_id, sizeof(f->nacls[1].vpc_id), "vpc-a");
	memcpy(f->entries[1], v, n * sizeof(*v));
	f->nacls[1].entries = f->entries[1];
	f->nacls[1].n_entries = n;
	snprintf(f->nassoc[1][0].subnet_id, ID_MAX, "subnet-priv");
	f->nacls[1].assocs = f->nassoc[1];
	f->nacls[1].n_assocs = 1;
	f->nacls[0].n_assocs = 1; /* the default keeps subnet-pub */
	f->s.n_nacls = 2;
}

/* vpc-b peered with vpc-a (state st); its main table routes 0/0 to the
 * peering; i-peer in it; sg-internal also admits tcp 22 from 10.1.0.0/16
 * and rtb-main routes 10.1.0.0/16 to the peering. */
static inline void fx_peer(struct fx *f, enum pcx_state st)
{
	snprintf(f->pcx.head.id, sizeof(f->pcx.head.id), "pcx-ab");
	snprintf(f->pcx.requester_vpc, ID_MAX, "vpc-a");
	snprintf(f->pcx.accepter_vpc, ID_MAX, "vpc-b");
	f->pcx.state = st;
	f->s.pcxs = &f->pcx;
	f->s.n_pcxs = 1;
	f->s.n_vpcs = 2;
	f->s.n_subnets = 3;
	fx_rtb(f, 2, "rtb-b", 1, NULL, 2);
	f->routes[2][1] = (struct route){ .dest = fx_cidr("0.0.0.0/0"),
					  .target = ROUTE_VPC_PEERING, .target_id = "pcx-ab" };
	f->s.n_rtbs = 3;
	f->routes[1][2] = (struct route){ .dest = fx_cidr("10.1.0.0/16"),
					  .target = ROUTE_VPC_PEERING, .target_id = "pcx-ab" };
	f->rtbs[1].n_routes = 3;
	fx_instance(f, FX_PEER, "i-peer", "eni-peer", "Peer", 1, 2, "10.1.0.7", NULL, "sg-peer");
	f->rules[3][0] = fx_rule("sg-peer", true, -1, -1, -1, "0.0.0.0/0");
	f->rules[3][1] = fx_rule("sg-peer", false, -1, -1, -1, "10.0.0.0/16");
	f->sgs[3].n_rules = 2;
	f->sgs[3].name = "Peer";
	f->rules[2][2] = fx_rule("sg-internal", false, 6, 22, 22, "10.1.0.0/16");
	f->sgs[2].n_rules = 3;
	f->s.n_instances = 4;
	f->s.n_enis = 4;
	f->s.n_sgs = 4;
	snprintf(f->nassoc[0][2].subnet_id, ID_MAX, "subnet-b");
	f->nacls[0].n_assocs = 3; /* one ACL for the test's sake */
}

/* A NAT gateway nat-a in subnet-pub (10.0.0.99, EIP 198.18.0.9; its ENI
 * in slot FX_PEER) instead of the NAT instance: rtb-main 0/0 → nat-a. */
static inline void fx_natgw(struct fx *f, enum natgw_state st)
{
	struct eni *e = &f->enis[FX_PEER];
	memset(e, 0, sizeof(*e));
	fx_cp(e->head.id, "eni-natgw");
	fx_cp(e->vpc_id, "vpc-a");
	fx_cp(e->subnet_id, "subnet-pub");
	e->private_ip = fx_ip("10.0.0.99");
	e->public_ip = fx_ip("198.18.0.9");
	e->interface_type = "nat_gateway";
	e->device_index = -1;
	memset(&f->natgw, 0, sizeof(f->natgw));
	fx_cp(f->natgw.head.id, "nat-a");
	fx_cp(f->natgw.subnet_id, "subnet-pub");
	fx_cp(f->natgw.vpc_id, "vpc-a");
	fx_cp(f->natgw.eni_id, "eni-natgw");
	f->natgw.private_ip = e->private_ip;
	f->natgw.public_ip = e->public_ip;
	f->natgw.state = st;
	f->s.natgws = &f->natgw;
	f->s.n_natgws = 1;
	f->s.n_enis = 4;
	f->routes[1][1] = (struct route){ .dest = fx_cidr("0.0.0.0/0"),
					  .target = ROUTE_NAT_GATEWAY, .target_id = "nat-a" };
}

#endif
