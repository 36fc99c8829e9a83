// SPDX-License-Identifier: MIT
/* The result of a network insights analysis in AWS's shape: the analyzer's
 * hops and explanations (analyze/) become PathComponents and Explanations
 * with the deciding security-group rule, ACL entry or route spelled out
 * from the snapshot the analysis ran on.  Kept as JSON (see
 * network_insights.h) and written back as XML.  Decides no rule itself:
 * the route shown is the one semantics/ picks for the packet. */
#include "api/network_insights.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "api/call.h"
#include "model/igw.h"
#include "model/instance.h"
#include "model/network_acl.h"
#include "model/route_table.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "semantics/route.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

struct builder {
	struct api_call *c;
	const struct snapshot *s;
	const struct probe *p;
};

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

/* AWS's ARN resource type for an AWS::EC2:: type or an ID prefix. */
static const char *arn_type(const char *id)
{
	static const struct {
		const char *prefix, *type;
	} t[] = {
		{ "i-", "instance" },	     { "eni-", "network-interface" },
		{ "sg-", "security-group" }, { "acl-", "network-acl" },
		{ "rtb-", "route-table" },   { "igw-", "internet-gateway" },
		{ "nat-", "natgateway" },    { "pcx-", "vpc-peering-connection" },
		{ "subnet-", "subnet" },     { "vpc-", "vpc" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strncmp(id, t[i].prefix, strlen(t[i].prefix)))
			return t[i].type;
	return "resource";
}

static json_object *component(struct builder *b, const char *id, const char *name)
{
	json_object *o = json_object_new_object();
	add(o, "id", jstr(id));
	add(o, "arn", jstr(arena_printf(b->c->arena, "arn:aws:ec2:%s:%s:%s/%s", b->c->cfg->region,
					b->c->cfg->account_id, arn_type(id), id)));
	if (name && *name)
		add(o, "name", jstr(name));
	return o;
}

static const char *proto_text(struct builder *b, int p)
{
	if (p < 0)
		return "all";
	const char *n = p == 6 ? "tcp" : p == 17 ? "udp" : p == 1 ? "icmp" : NULL;
	return n ? n : arena_printf(b->c->arena, "%d", p);
}

static json_object *port_range(int from, int to)
{
	json_object *o = json_object_new_object();
	add(o, "from", json_object_new_int(from));
	add(o, "to", json_object_new_int(to));
	return o;
}

static json_object *cidr_obj(const struct cidr *c)
{
	char buf[CIDR_STR_MAX];
	return jstr(cidr_format(c, buf));
}

static json_object *header(const struct hop *h)
{
	char ip[IP4_STR_MAX];
	json_object *o = json_object_new_object(), *v;
	v = json_object_new_array();
	json_object_array_add(v, jstr(ip4_format(h->dst_ip, ip)));
	add(o, "destinationAddressSet", v);
	v = json_object_new_array();
	json_object_array_add(v, port_range(h->dst_port, h->dst_port));
	add(o, "destinationPortRangeSet", v);
	char pb[8];
	snprintf(pb, sizeof(pb), "%d", h->protocol);
	add(o, "protocol", jstr(pb));
	v = json_object_new_array();
	json_object_array_add(v, jstr(ip4_format(h->src_ip, ip)));
	add(o, "sourceAddressSet", v);
	v = json_object_new_array();
	json_object_array_add(v, port_range(h->src_port, h->src_port));
	add(o, "sourcePortRangeSet", v);
	return o;
}

static const struct sg_rule *find_sg_rule(struct builder *b, const char *sg_id, const char *rule_id)
{
	const struct security_group *g = sem_group(b->s, sg_id);
	for (size_t i = 0; g && i < g->n_rules; i++)
		if (!strcmp(g->rules[i].id, rule_id))
			return &g->rules[i];
	return NULL;
}

static const struct network_acl *find_acl(struct builder *b, const char *id)
{
	for (size_t i = 0; i < b->s->n_nacls; i++)
		if (!strcmp(b->s->nacls[i].head.id, id))
			return &b->s->nacls[i];
	return NULL;
}

static const struct route_table *find_rtb(struct builder *b, const char *id)
{
	for (size_t i = 0; i < b->s->n_rtbs; i++)
		if (!strcmp(b->s->rtbs[i].head.id, id))
			return &b->s->rtbs[i];
	return NULL;
}

static const struct igw *find_igw(struct builder *b, const char *id)
{
	for (size_t i = 0; i < b->s->n_igws; i++)
		if (!strcmp(b->s->igws[i].head.id, id))
			return &b->s->igws[i];
	return NULL;
}

static json_object *sg_rule_obj(struct builder *b, const struct sg_rule *r)
{
	json_object *o = json_object_new_object();
	if (r->peer == SG_PEER_CIDR)
		add(o, "cidr", cidr_obj(&r->cidr));
	add(o, "direction", jstr(r->is_egress ? "egress" : "ingress"));
	if (r->peer == SG_PEER_GROUP)
		add(o, "securityGroupId", jstr(r->ref_group_id));
	if ((r->protocol == 6 || r->protocol == 17) && r->from_port >= 0)
		add(o, "portRange", port_range(r->from_port, r->to_port));
	if (r->peer == SG_PEER_PREFIX_LIST)
		add(o, "prefixListId", jstr(r->prefix_list_id));
	add(o, "protocol", jstr(proto_text(b, r->protocol)));
	return o;
}

static json_object *acl_rule_obj(struct builder *b, const struct nacl_entry *e)
{
	json_object *o = json_object_new_object();
	add(o, "cidr", cidr_obj(&e->cidr));
	add(o, "egress", json_object_new_boolean(e->is_egress));
	if ((e->protocol == 6 || e->protocol == 17) && e->from_port >= 0)
		add(o, "portRange", port_range(e->from_port, e->to_port));
	add(o, "protocol", jstr(proto_text(b, e->protocol)));
	add(o, "ruleAction", jstr(e->is_allow ? "allow" : "deny"));
	add(o, "ruleNumber", json_object_new_int(e->rule_number));
	return o;
}

static json_object *route_obj(struct builder *b, const struct route_table *t, const struct route *r)
{
	static const char *const target_key[ROUTE_TARGET_COUNT] = {
		[ROUTE_LOCAL] = "gatewayId",
		[ROUTE_GATEWAY] = "gatewayId",
		[ROUTE_NAT_GATEWAY] = "natGatewayId",
		[ROUTE_INSTANCE] = "instanceId",
		[ROUTE_NETWORK_INTERFACE] = "networkInterfaceId",
		[ROUTE_VPC_PEERING] = "vpcPeeringConnectionId",
		[ROUTE_EGRESS_ONLY_IGW] = "egressOnlyInternetGatewayId",
	};
	json_object *o = json_object_new_object();
	add(o, "destinationCidr", cidr_obj(&r->dest));
	add(o, target_key[r->target], jstr(r->target == ROUTE_LOCAL ? "local" : r->target_id));
	add(o, "origin", jstr(r->origin ? r->origin : ROUTE_ORIGIN_ROUTE));
	add(o, "state", jstr(sem_route_state(b->s, t, r)));
	return o;
}

/* The ENI behind a component ID (an instance's primary ENI), or NULL. */
static const struct eni *eni_of(struct builder *b, const char *id)
{
	if (!strncmp(id, "i-", 2))
		return sem_primary_eni(b->s, id);
	return sem_eni(b->s, id);
}

/* The VPC (and subnet, for ENIs) a component belongs to. */
static void add_place(struct builder *b, json_object *o, const char *id)
{
	const char *vpc = NULL, *subnet = NULL;
	const struct eni *e;
	const struct security_group *g;
	const struct network_acl *acl;
	const struct route_table *t;
	const struct igw *gw;
	if ((!strncmp(id, "i-", 2) || !strncmp(id, "eni-", 4)) && (e = eni_of(b, id))) {
		vpc = e->vpc_id;
		subnet = e->subnet_id;
	} else if ((g = sem_group(b->s, id))) {
		vpc = g->vpc_id;
	} else if ((acl = find_acl(b, id))) {
		vpc = acl->vpc_id;
	} else if ((t = find_rtb(b, id))) {
		vpc = t->vpc_id;
	} else if ((gw = find_igw(b, id)) && gw->vpc_id[0]) {
		vpc = gw->vpc_id;
	}
	if (subnet && *subnet)
		add(o, "subnet", component(b, subnet, NULL));
	if (vpc && *vpc)
		add(o, "vpc", component(b, vpc, NULL));
}

static bool same_packet(const struct hop *x, const struct hop *y)
{
	return x->src_ip == y->src_ip && x->dst_ip == y->dst_ip && x->src_port == y->src_port &&
	       x->dst_port == y->dst_port;
}

static json_object *hop_obj(struct builder *b, const struct hop *v, size_t n, size_t i)
{
	const struct hop *h = &v[i];
	json_object *o = json_object_new_object();
	add(o, "sequenceNumber", json_object_new_int((int)i + 1));
	add(o, "component", component(b, h->component_id, h->name));
	if (h->rule_id[0]) {
		const struct sg_rule *r = find_sg_rule(b, h->component_id, h->rule_id);
		if (r)
			add(o, "securityGroupRule", sg_rule_obj(b, r));
	}
	if (h->acl_rule_number >= 0) {
		const struct network_acl *acl = find_acl(b, h->component_id);
		bool egress = h->direction && !strcmp(h->direction, "egress");
		for (size_t k = 0; acl && k < acl->n_entries; k++)
			if (acl->entries[k].rule_number == h->acl_rule_number &&
			    acl->entries[k].is_egress == egress) {
				add(o, "aclRule", acl_rule_obj(b, &acl->entries[k]));
				break;
			}
	}
	if (!strcmp(h->component_type, "AWS::EC2::RouteTable") && h->allowed) {
		const struct route_table *t = find_rtb(b, h->component_id);
		const struct route *r = t ? sem_route_lookup(t, h->dst_ip) : NULL;
		if (r)
			add(o, "routeTableRoute", route_obj(b, t, r));
	}
	/* Headers where the packet starts, ends, or is rewritten (NAT). */
	if (i == 0 || !same_packet(h, &v[i - 1]))
		add(o, "outboundHeader", header(h));
	if (i + 1 == n && h->allowed)
		add(o, "inboundHeader", header(h));
	add_place(b, o, h->component_id);
	return o;
}

static json_object *hops_obj(struct builder *b, const struct hop *v, size_t n)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, hop_obj(b, v, n, i));
	return arr;
}

/* The ENI an explanation about a group or the path's end concerns: the
 * destination's for ingress, the source's otherwise. */
static const struct eni *end_eni(struct builder *b, bool ingress)
{
	const struct endpoint *ep = ingress ? &b->p->dst : &b->p->src;
	if (ep->kind == EP_INSTANCE || ep->kind == EP_ENI)
		return eni_of(b, ep->id);
	if (ep->kind == EP_IP)
		return sem_eni_by_ip(b->s, ep->ip);
	return NULL;
}

static json_object *explanation_obj(struct builder *b, const struct explanation *x)
{
	json_object *o = json_object_new_object();
	const char *id = x->component_id;
	add(o, "explanationCode", jstr(x->code));
	if (x->direction)
		add(o, "direction", jstr(x->direction));
	if (*id)
		add(o, "component", component(b, id, NULL));
	const char *t = x->component_type;
	if (!strcmp(t, "AWS::EC2::SecurityGroup")) {
		const struct security_group *g = sem_group(b->s, id);
		add(o, "securityGroup", component(b, id, g ? g->name : NULL));
		/* The interface whose groups decided (a NAT instance's in the
		 * middle of the path, say), else the path's end. */
		const struct eni *e =
			*x->eni_id ? eni_of(b, x->eni_id)
				   : end_eni(b, !x->direction || !strcmp(x->direction, "ingress"));
		json_object *set = json_object_new_array();
		for (size_t i = 0; e && i < e->n_groups; i++)
			json_object_array_add(set, component(b, e->group_ids[i], e->group_names[i]));
		if (!e)
			json_object_array_add(set, component(b, id, g ? g->name : NULL));
		add(o, "securityGroupSet", set);
		if (e)
			add(o, "networkInterface", component(b, e->head.id, NULL));
	} else if (!strcmp(t, "AWS::EC2::NetworkAcl")) {
		add(o, "acl", component(b, id, NULL));
	} else if (!strcmp(t, "AWS::EC2::RouteTable")) {
		add(o, "routeTable", component(b, id, NULL));
	} else if (!strcmp(t, "AWS::EC2::InternetGateway")) {
		add(o, "internetGateway", component(b, id, NULL));
	} else if (!strcmp(t, "AWS::EC2::NatGateway")) {
		add(o, "natGateway", component(b, id, NULL));
	} else if (!strcmp(t, "AWS::EC2::VpcPeeringConnection")) {
		add(o, "vpcPeeringConnection", component(b, id, NULL));
	} else if (!strcmp(t, "AWS::EC2::NetworkInterface") && *id) {
		add(o, "networkInterface", component(b, id, NULL));
	}
	if (*id)
		add_place(b, o, id);
	return o;
}

const char *api_ni_result_build(struct api_call *c, const struct snapshot *s,
				const struct probe *p, const struct analysis *an)
{
	struct builder b = { .c = c, .s = s, .p = p };
	json_object *root = json_object_new_object();
	add(root, "networkPathFound", json_object_new_boolean(an->found));
	add(root, "forwardPathComponentSet", hops_obj(&b, an->fwd, an->n_fwd));
	add(root, "returnPathComponentSet", hops_obj(&b, an->ret, an->n_ret));
	json_object *why = json_object_new_array();
	for (size_t i = 0; i < an->n_why; i++)
		json_object_array_add(why, explanation_obj(&b, &an->why[i]));
	add(root, "explanationSet", why);
	const char *out = arena_strdup(c->arena, json_object_to_json_string_ext(
							 root, JSON_C_TO_STRING_PLAIN |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}

static void write_value(struct api_call *c, const char *name, json_object *v);

static void write_members(struct api_call *c, json_object *o)
{
	json_object_object_foreach(o, key, val)
		write_value(c, key, val);
}

static void write_value(struct api_call *c, const char *name, json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		break;
	case json_type_boolean:
		xml_bool(c->x, name, json_object_get_boolean(v));
		break;
	case json_type_int:
		xml_int(c->x, name, json_object_get_int64(v));
		break;
	case json_type_string:
		xml_str(c->x, name, json_object_get_string(v));
		break;
	case json_type_object:
		xml_open(c->x, name);
		write_members(c, v);
		xml_close(c->x);
		break;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		if (!n) {
			xml_empty(c->x, name);
			break;
		}
		xml_open(c->x, name);
		for (size_t i = 0; i < n; i++)
			write_value(c, "item", json_object_array_get_idx(v, i));
		xml_close(c->x);
		break;
	}
	case json_type_double:
		break; /* never written by api_ni_result_build() */
	}
}

int api_ni_result_write(struct api_call *c, const char *doc)
{
	json_object *root = json_tokener_parse(doc);
	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EIO;
	}
	write_members(c, root);
	json_object_put(root);
	return 0;
}
