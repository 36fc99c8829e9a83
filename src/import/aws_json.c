// SPDX-License-Identifier: MIT
/* The aws CLI's JSON → struct snapshot; see aws_json.h.  Parses with
 * json-c, copies every string it keeps onto the arena and frees the
 * documents before returning.  Decides no AWS rule: it only transcribes
 * what AWS printed (the analyzer decides). */
#include "import/aws_json.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/snapshot.h"
#include "util/arena.h"
#include "util/cidr.h"

#define FILE_MAX (64u << 20)
#define JSON_DEPTH_MAX 64

static const char *const names[AWS_JSON_KINDS] = {
	[AWS_JSON_VPCS] = "vpcs",
	[AWS_JSON_SUBNETS] = "subnets",
	[AWS_JSON_ROUTE_TABLES] = "route-tables",
	[AWS_JSON_SECURITY_GROUPS] = "security-groups",
	[AWS_JSON_NETWORK_ACLS] = "network-acls",
	[AWS_JSON_INSTANCES] = "instances",
	[AWS_JSON_NETWORK_INTERFACES] = "network-interfaces",
	[AWS_JSON_INTERNET_GATEWAYS] = "internet-gateways",
	[AWS_JSON_NAT_GATEWAYS] = "nat-gateways",
	[AWS_JSON_PEERINGS] = "vpc-peering-connections",
};

/* The top-level list each document holds. */
static const char *const list_keys[AWS_JSON_KINDS] = {
	[AWS_JSON_VPCS] = "Vpcs",
	[AWS_JSON_SUBNETS] = "Subnets",
	[AWS_JSON_ROUTE_TABLES] = "RouteTables",
	[AWS_JSON_SECURITY_GROUPS] = "SecurityGroups",
	[AWS_JSON_NETWORK_ACLS] = "NetworkAcls",
	[AWS_JSON_INSTANCES] = "Reservations",
	[AWS_JSON_NETWORK_INTERFACES] = "NetworkInterfaces",
	[AWS_JSON_INTERNET_GATEWAYS] = "InternetGateways",
	[AWS_JSON_NAT_GATEWAYS] = "NatGateways",
	[AWS_JSON_PEERINGS] = "VpcPeeringConnections",
};

const char *import_aws_json_name(enum aws_json_kind k)
{
	return k < AWS_JSON_KINDS ? names[k] : NULL;
}

struct ctx {
	struct arena *a;
	struct snapshot *s;
	const char *file; /* the document being read, for messages */
	char where[ID_MAX]; /* the resource being read (its ID), "" before one */
	char *err;
	size_t errlen;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c, const char *fmt, ...)
{
	if (c->failed)
		return -EINVAL;
	c->failed = true;
	int k = snprintf(c->err, c->errlen, "%s.json: %s%s", c->file, c->where,
			 c->where[0] ? ": " : "");
	if (k >= 0 && (size_t)k < c->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* ---- typed field access (absent = NULL / the default) ---- */

static json_object *field(const json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static const char *str(struct ctx *c, const json_object *o, const char *key)
{
	json_object *v = field(o, key);
	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		fail(c, "%s: expected a string", key);
		return NULL;
	}
	return json_object_get_string(v);
}

static const char *str_dup(struct ctx *c, const json_object *o, const char *key, const char *def)
{
	const char *v = str(c, o, key);
	return arena_strdup(c->a, v ? v : def);
}

/* Copies field key into out (size bytes); "" when absent. */
static void id_copy(struct ctx *c, const json_object *o, const char *key, char *out, size_t size)
{
	const char *v = str(c, o, key);
	out[0] = '\0';
	if (!v)
		return;
	if (strlen(v) >= size) {
		fail(c, "%s: \"%.40s…\" is too long", key, v);
		return;
	}
	memcpy(out, v, strlen(v) + 1);
}

static bool boolean(struct ctx *c, const json_object *o, const char *key, bool def)
{
	json_object *v = field(o, key);
	if (!v)
		return def;
	if (!json_object_is_type(v, json_type_boolean)) {
		fail(c, "%s: expected true or false", key);
		return def;
	}
	return json_object_get_boolean(v);
}

static int integer(struct ctx *c, const json_object *o, const char *key, int lo, int hi, int def)
{
	json_object *v = field(o, key);
	if (!v)
		return def;
	if (!json_object_is_type(v, json_type_int)) {
		fail(c, "%s: expected an integer", key);
		return def;
	}
	int64_t n = json_object_get_int64(v);
	if (n < lo || n > hi) {
		fail(c, "%s: %lld is out of range", key, (long long)n);
		return def;
	}
	return (int)n;
}

/* The array at key (absent: 0 items); a non-array is an error. */
static size_t array(struct ctx *c, const json_object *o, const char *key, json_object **ret)
{
	json_object *v = field(o, key);
	*ret = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array)) {
		fail(c, "%s: expected a list", key);
		return 0;
	}
	*ret = v;
	return json_object_array_length(v);
}

static json_object *item(json_object *arr, size_t i)
{
	return json_object_array_get_idx(arr, i);
}

static void cidr_of(struct ctx *c, const json_object *o, const char *key, struct cidr *ret)
{
	const char *v = str(c, o, key);
	memset(ret, 0, sizeof(*ret));
	if (v && cidr_parse(v, ret) < 0)
		fail(c, "%s: \"%.40s\" is not an IPv4 CIDR block", key, v);
}

static uint32_t ip_of(struct ctx *c, const json_object *o, const char *key)
{
	const char *v = str(c, o, key);
	uint32_t ip = 0;
	if (v && ip4_parse(v, &ip) < 0)
		fail(c, "%s: \"%.40s\" is not an IPv4 address", key, v);
	return ip;
}

/* Tags (most resources) or TagSet (network interfaces). */
static void tags(struct ctx *c, const json_object *o, struct res_head *h)
{
	json_object *arr;
	size_t n = array(c, o, "Tags", &arr);
	if (!arr)
		n = array(c, o, "TagSet", &arr);
	h->tags.v = n ? arena_alloc_array(c->a, n, sizeof(*h->tags.v)) : NULL;
	h->tags.n = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *t = item(arr, i);
		const char *k = str(c, t, "Key");
		if (!k)
			continue;
		h->tags.v[h->tags.n].key = arena_strdup(c->a, k);
		h->tags.v[h->tags.n++].value = str_dup(c, t, "Value", "");
	}
}

/* A resource's head: its ID (required) and tags; seq keeps file order. */
static int head(struct ctx *c, const json_object *o, const char *id_key, struct res_head *h)
{
	c->where[0] = '\0';
	if (!json_object_is_type(o, json_type_object))
		return fail(c, "an item is not an object");
	id_copy(c, o, id_key, h->id, sizeof(h->id));
	if (!c->failed && !h->id[0])
		return fail(c, "an item has no %s", id_key);
	memcpy(c->where, h->id, sizeof(c->where));
	h->seq = 0;
	tags(c, o, h);
	return c->failed ? -EINVAL : 0;
}

/* ---- one function per document ---- */

static void read_vpcs(struct ctx *c, json_object *arr, size_t n)
{
	c->s->vpcs = arena_alloc_array(c->a, n ? n : 1, sizeof(struct vpc));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *as;
		struct vpc *v = &c->s->vpcs[c->s->n_vpcs++];
		if (head(c, o, "VpcId", &v->head) < 0)
			return;
		v->head.seq = (int64_t)i + 1;
		cidr_of(c, o, "CidrBlock", &v->cidr);
		id_copy(c, o, "DhcpOptionsId", v->dhcp_options_id, sizeof(v->dhcp_options_id));
		v->tenancy = str_dup(c, o, "InstanceTenancy", "default");
		v->is_default = boolean(c, o, "IsDefault", false);
		v->dns_support = true;
		size_t na = array(c, o, "CidrBlockAssociationSet", &as);
		v->assocs = arena_alloc_array(c->a, na + 1, sizeof(*v->assocs));
		for (size_t k = 0; k < na; k++) {
			json_object *x = item(as, k);
			struct vpc_cidr_assoc *b = &v->assocs[v->n_assocs];
			const char *st = str(c, field(x, "CidrBlockState"), "State");
			id_copy(c, x, "AssociationId", b->id, sizeof(b->id));
			cidr_of(c, x, "CidrBlock", &b->cidr);
			/* AWS: only an associated block routes. */
			b->state = !st || !strcmp(st, "associated") ? CIDR_ASSOCIATED
								    : CIDR_DISASSOCIATED;
			b->is_primary = cidr_equal(&b->cidr, &v->cidr);
			v->n_assocs++;
		}
		if (!v->n_assocs) { /* an older CLI: the primary block alone */
			v->assocs[0].cidr = v->cidr;
			v->assocs[0].state = CIDR_ASSOCIATED;
			v->assocs[0].is_primary = true;
			v->n_assocs = 1;
		}
	}
}

static void read_subnets(struct ctx *c, json_object *arr, size_t n)
{
	c->s->subnets = arena_alloc_array(c->a, n ? n : 1, sizeof(struct subnet));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i);
		struct subnet *v = &c->s->subnets[c->s->n_subnets++];
		if (head(c, o, "SubnetId", &v->head) < 0)
			return;
		v->head.seq = (int64_t)i + 1;
		id_copy(c, o, "VpcId", v->vpc_id, sizeof(v->vpc_id));
		cidr_of(c, o, "CidrBlock", &v->cidr);
		id_copy(c, o, "AvailabilityZone", v->az, sizeof(v->az));
		id_copy(c, o, "AvailabilityZoneId", v->az_id, sizeof(v->az_id));
		v->default_for_az = boolean(c, o, "DefaultForAz", false);
		v->map_public_ip = boolean(c, o, "MapPublicIpOnLaunch", false);
	}
}

/* A route's target: the one *Id field AWS filled in. */
static void route_target(struct ctx *c, const json_object *o, struct route *r)
{
	static const struct {
		const char *key;
		enum route_target t;
	} keys[] = {
		{"NatGatewayId", ROUTE_NAT_GATEWAY},
		{"VpcPeeringConnectionId", ROUTE_VPC_PEERING},
		{"EgressOnlyInternetGatewayId", ROUTE_EGRESS_ONLY_IGW},
		{"InstanceId", ROUTE_INSTANCE},
		{"NetworkInterfaceId", ROUTE_NETWORK_INTERFACE},
		{"GatewayId", ROUTE_GATEWAY},
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *v = str(c, o, keys[k].key);
		if (!v)
			continue;
		if (keys[k].t == ROUTE_GATEWAY && !strcmp(v, "local")) {
			r->target = ROUTE_LOCAL;
			snprintf(r->target_id, sizeof(r->target_id), "local");
			return;
		}
		r->target = keys[k].t;
		id_copy(c, o, keys[k].key, r->target_id, sizeof(r->target_id));
		/* AWS prints both InstanceId and NetworkInterfaceId for a route to
		 * an instance; the instance is what the route names. */
		if (keys[k].t == ROUTE_INSTANCE)
			id_copy(c, o, "NetworkInterfaceId", r->eni_id, sizeof(r->eni_id));
		return;
	}
	/* A route through something we do not model (a transit gateway, a
	 * VPN, a prefix list's carrier…): it goes nowhere here. */
	static const char *const other[] = {"TransitGatewayId", "LocalGatewayId",
					    "CarrierGatewayId"};
	const char *t = NULL;
	r->target = ROUTE_GATEWAY;
	r->is_blackhole = true;
	for (size_t k = 0; k < sizeof(other) / sizeof(other[0]) && !t; k++)
		t = str(c, o, other[k]);
	snprintf(r->target_id, sizeof(r->target_id), "%s", t ? t : "unknown");
}

static void read_rtbs(struct ctx *c, json_object *arr, size_t n)
{
	c->s->rtbs = arena_alloc_array(c->a, n ? n : 1, sizeof(struct route_table));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *rs, *as;
		struct route_table *t = &c->s->rtbs[c->s->n_rtbs++];
		if (head(c, o, "RouteTableId", &t->head) < 0)
			return;
		t->head.seq = (int64_t)i + 1;
		id_copy(c, o, "VpcId", t->vpc_id, sizeof(t->vpc_id));
		size_t nr = array(c, o, "Routes", &rs);
		t->routes = arena_alloc_array(c->a, nr ? nr : 1, sizeof(*t->routes));
		for (size_t k = 0; k < nr && !c->failed; k++) {
			json_object *x = item(rs, k);
			if (!str(c, x, "DestinationCidrBlock"))
				continue; /* IPv6 or prefix-list routes: IPv4 only here */
			struct route *r = &t->routes[t->n_routes++];
			cidr_of(c, x, "DestinationCidrBlock", &r->dest);
			route_target(c, x, r);
			const char *origin = str(c, x, "Origin");
			r->origin = origin && !strcmp(origin, "CreateRouteTable")
					    ? ROUTE_ORIGIN_TABLE
					    : ROUTE_ORIGIN_ROUTE;
			const char *state = str(c, x, "State");
			if (state && !strcmp(state, "blackhole"))
				r->is_blackhole = true;
		}
		size_t na = array(c, o, "Associations", &as);
		t->assocs = arena_alloc_array(c->a, na ? na : 1, sizeof(*t->assocs));
		for (size_t k = 0; k < na && !c->failed; k++) {
			json_object *x = item(as, k);
			const char *st = str(c, field(x, "AssociationState"), "State");
			if (st && strcmp(st, "associated"))
				continue;
			struct rtb_assoc *b = &t->assocs[t->n_assocs++];
			id_copy(c, x, "RouteTableAssociationId", b->id, sizeof(b->id));
			id_copy(c, x, "SubnetId", b->subnet_id, sizeof(b->subnet_id));
			id_copy(c, x, "GatewayId", b->gateway_id, sizeof(b->gateway_id));
			b->is_main = boolean(c, x, "Main", false);
		}
	}
}

static int sg_proto(struct ctx *c, const json_object *o)
{
	const char *p = str(c, o, "IpProtocol");
	int v = SG_PROTO_ALL;
	if (!p || !strcmp(p, "-1"))
		return SG_PROTO_ALL;
	if (sg_protocol_parse(p, &v) < 0)
		fail(c, "IpProtocol: \"%.20s\" is not a protocol", p);
	return v;
}

/* One IpPermissions item → one sg_rule per peer, as AWS's own rules are. */
static void read_permission(struct ctx *c, struct security_group *g, json_object *o, bool is_egress,
			    struct sg_rule **v, size_t *n, size_t *cap)
{
	json_object *ranges, *pairs, *pls;
	size_t nr = array(c, o, "IpRanges", &ranges);
	size_t np = array(c, o, "UserIdGroupPairs", &pairs);
	size_t nl = array(c, o, "PrefixListIds", &pls);
	struct sg_rule base;
	memset(&base, 0, sizeof(base));
	snprintf(base.group_id, sizeof(base.group_id), "%s", g->head.id);
	base.is_egress = is_egress;
	base.protocol = sg_proto(c, o);
	if (base.protocol == SG_PROTO_TCP || base.protocol == SG_PROTO_UDP ||
	    base.protocol == SG_PROTO_ICMP) {
		base.from_port = integer(c, o, "FromPort", -1, 65535, -1);
		base.to_port = integer(c, o, "ToPort", -1, 65535, -1);
		if (base.protocol != SG_PROTO_ICMP && base.from_port < 0) {
			base.from_port = 0;
			base.to_port = 65535;
		}
	} else {
		base.from_port = base.to_port = -1;
	}
	for (size_t k = 0; k < nr + np + nl && !c->failed; k++) {
		ARENA_RESERVE(c->a, *v, *n, *cap);
		struct sg_rule *r = &(*v)[(*n)++];
		*r = base;
		json_object *x;
		/* A peer without its address or group must fail: a zeroed
		 * struct cidr would read as 0.0.0.0/0, open to everyone. */
		const char *need;
		if (k < nr) {
			x = item(ranges, k);
			r->peer = SG_PEER_CIDR;
			need = "IpRanges[].CidrIp";
			cidr_of(c, x, "CidrIp", &r->cidr);
		} else if (k < nr + np) {
			x = item(pairs, k - nr);
			r->peer = SG_PEER_GROUP;
			need = "UserIdGroupPairs[].GroupId";
			id_copy(c, x, "GroupId", r->ref_group_id, sizeof(r->ref_group_id));
			id_copy(c, x, "UserId", r->ref_user_id, sizeof(r->ref_user_id));
		} else {
			x = item(pls, k - nr - np);
			r->peer = SG_PEER_PREFIX_LIST;
			need = "PrefixListIds[].PrefixListId";
			id_copy(c, x, "PrefixListId", r->prefix_list_id, sizeof(r->prefix_list_id));
		}
		if (!c->failed &&
		    !str(c, x, k < nr ? "CidrIp" : k < nr + np ? "GroupId" : "PrefixListId")) {
			fail(c, "%s: missing", need);
			break;
		}
		r->description = str_dup(c, x, "Description", "");
	}
}

static void read_sgs(struct ctx *c, json_object *arr, size_t n)
{
	c->s->sgs = arena_alloc_array(c->a, n ? n : 1, sizeof(struct security_group));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *perms;
		struct security_group *g = &c->s->sgs[c->s->n_sgs++];
		if (head(c, o, "GroupId", &g->head) < 0)
			return;
		g->head.seq = (int64_t)i + 1;
		id_copy(c, o, "VpcId", g->vpc_id, sizeof(g->vpc_id));
		g->name = str_dup(c, o, "GroupName", "");
		g->description = str_dup(c, o, "Description", "");
		size_t cap = 0;
		for (int e = 0; e < 2; e++) {
			size_t np =
				array(c, o, e ? "IpPermissionsEgress" : "IpPermissions", &perms);
			for (size_t k = 0; k < np && !c->failed; k++)
				read_permission(c, g, item(perms, k), e, &g->rules, &g->n_rules,
						&cap);
		}
	}
}

static int cmp_entry(const void *x, const void *y)
{
	const struct nacl_entry *a = x, *b = y;
	if (a->is_egress != b->is_egress)
		return a->is_egress - b->is_egress;
	return a->rule_number - b->rule_number;
}

static void read_nacls(struct ctx *c, json_object *arr, size_t n)
{
	c->s->nacls = arena_alloc_array(c->a, n ? n : 1, sizeof(struct network_acl));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *es, *as;
		struct network_acl *l = &c->s->nacls[c->s->n_nacls++];
		if (head(c, o, "NetworkAclId", &l->head) < 0)
			return;
		l->head.seq = (int64_t)i + 1;
		id_copy(c, o, "VpcId", l->vpc_id, sizeof(l->vpc_id));
		l->is_default = boolean(c, o, "IsDefault", false);
		size_t ne = array(c, o, "Entries", &es);
		l->entries = arena_alloc_array(c->a, ne ? ne : 1, sizeof(*l->entries));
		for (size_t k = 0; k < ne && !c->failed; k++) {
			json_object *x = item(es, k);
			/* IPv6 entries (Ipv6CidrBlock, and their own `*` rule
			 * 32768) do not apply to IPv4 packets. */
			if (!str(c, x, "CidrBlock"))
				continue;
			if (!field(x, "RuleNumber")) {
				fail(c, "Entries[%zu]: no RuleNumber", k);
				break;
			}
			int num = integer(c, x, "RuleNumber", 1, 32767, 32767);
			/* AWS: the `*` rule (32767) is the implicit deny the
			 * semantics apply after the last numbered entry. */
			if (num == 32767)
				continue;
			struct nacl_entry *e = &l->entries[l->n_entries++];
			e->rule_number = num;
			e->is_egress = boolean(c, x, "Egress", false);
			const char *p = str(c, x, "Protocol"), *act = str(c, x, "RuleAction");
			if (!p || nacl_protocol_parse(p, &e->protocol) < 0)
				fail(c, "Protocol: \"%.20s\" is not a protocol", p ? p : "");
			e->is_allow = act && !strcmp(act, "allow");
			cidr_of(c, x, "CidrBlock", &e->cidr);
			json_object *pr = field(x, "PortRange"), *ic = field(x, "IcmpTypeCode");
			e->from_port = integer(c, pr, "From", 0, 65535, -1);
			e->to_port = integer(c, pr, "To", 0, 65535, -1);
			e->icmp_type = integer(c, ic, "Type", -1, 255, -1);
			e->icmp_code = integer(c, ic, "Code", -1, 255, -1);
		}
		qsort(l->entries, l->n_entries, sizeof(*l->entries), cmp_entry);
		size_t na = array(c, o, "Associations", &as);
		l->assocs = arena_alloc_array(c->a, na ? na : 1, sizeof(*l->assocs));
		for (size_t k = 0; k < na && !c->failed; k++) {
			json_object *x = item(as, k);
			struct nacl_assoc *b = &l->assocs[l->n_assocs++];
			id_copy(c, x, "NetworkAclAssociationId", b->id, sizeof(b->id));
			id_copy(c, x, "SubnetId", b->subnet_id, sizeof(b->subnet_id));
		}
	}
}

static struct eni *eni_find(struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_enis; i++)
		if (!strcmp(s->enis[i].head.id, id))
			return &s->enis[i];
	return NULL;
}

/* One network interface, from describe-network-interfaces or from an
 * instance's NetworkInterfaces (instance_id given then). */
static void read_eni(struct ctx *c, const json_object *o, const char *instance_id, size_t *cap)
{
	char id[ID_MAX], outer[ID_MAX];
	json_object *gs;
	id_copy(c, o, "NetworkInterfaceId", id, sizeof(id));
	if (!c->failed && !id[0])
		fail(c, "an interface has no NetworkInterfaceId");
	if (c->failed || eni_find(c->s, id))
		return; /* the first description wins */
	memcpy(outer, c->where, sizeof(outer));
	ARENA_RESERVE(c->a, c->s->enis, c->s->n_enis, *cap);
	struct eni *e = &c->s->enis[c->s->n_enis++];
	memset(e, 0, sizeof(*e));
	head(c, o, "NetworkInterfaceId", &e->head);
	e->head.seq = (int64_t)c->s->n_enis;
	id_copy(c, o, "SubnetId", e->subnet_id, sizeof(e->subnet_id));
	id_copy(c, o, "VpcId", e->vpc_id, sizeof(e->vpc_id));
	e->private_ip = ip_of(c, o, "PrivateIpAddress");
	id_copy(c, o, "MacAddress", e->mac, sizeof(e->mac));
	json_object *at = field(o, "Attachment");
	if (instance_id)
		snprintf(e->instance_id, sizeof(e->instance_id), "%s", instance_id);
	else
		id_copy(c, at, "InstanceId", e->instance_id, sizeof(e->instance_id));
	id_copy(c, at, "AttachmentId", e->attachment_id, sizeof(e->attachment_id));
	e->device_index = at ? integer(c, at, "DeviceIndex", 0, 1024, 0) : -1;
	const char *ast = str(c, at, "Status");
	if (ast && (!strcmp(ast, "detached") || !strcmp(ast, "detaching")) && !instance_id) {
		e->instance_id[0] = '\0';
		e->device_index = -1;
	}
	e->source_dest_check = boolean(c, o, "SourceDestCheck", true);
	e->public_ip = ip_of(c, field(o, "Association"), "PublicIp");
	e->description = str_dup(c, o, "Description", "");
	const char *t = str(c, o, "InterfaceType");
	e->interface_type = arena_strdup(c->a, t ? t : "interface");
	e->delete_on_termination = boolean(c, at, "DeleteOnTermination", true);
	size_t ng = array(c, o, "Groups", &gs);
	e->group_ids = arena_alloc_array(c->a, ng ? ng : 1, sizeof(*e->group_ids));
	e->group_names = arena_alloc_array(c->a, ng ? ng : 1, sizeof(*e->group_names));
	for (size_t k = 0; k < ng && !c->failed; k++) {
		json_object *g = item(gs, k);
		const char *gid = str(c, g, "GroupId");
		if (!gid)
			continue;
		e->group_ids[e->n_groups] = arena_strdup(c->a, gid);
		e->group_names[e->n_groups++] = str_dup(c, g, "GroupName", "");
	}
	id_copy(c, o, "AvailabilityZone", e->az, sizeof(e->az));
	if (!c->failed)
		memcpy(c->where, outer, sizeof(c->where));
}

static void read_enis(struct ctx *c, json_object *arr, size_t n, size_t *cap)
{
	for (size_t i = 0; i < n && !c->failed; i++)
		read_eni(c, item(arr, i), NULL, cap);
}

static void read_instances(struct ctx *c, json_object *arr, size_t n, size_t *eni_cap)
{
	size_t cap = 0;
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *res = item(arr, i), *ins;
		size_t ni = array(c, res, "Instances", &ins);
		for (size_t k = 0; k < ni && !c->failed; k++) {
			json_object *o = item(ins, k), *nis;
			ARENA_RESERVE(c->a, c->s->instances, c->s->n_instances, cap);
			struct instance *in = &c->s->instances[c->s->n_instances++];
			memset(in, 0, sizeof(*in));
			if (head(c, o, "InstanceId", &in->head) < 0)
				return;
			in->head.seq = (int64_t)c->s->n_instances;
			id_copy(c, res, "ReservationId", in->reservation_id,
				sizeof(in->reservation_id));
			id_copy(c, o, "ImageId", in->image_id, sizeof(in->image_id));
			id_copy(c, o, "InstanceType", in->instance_type, sizeof(in->instance_type));
			id_copy(c, o, "SubnetId", in->subnet_id, sizeof(in->subnet_id));
			id_copy(c, o, "VpcId", in->vpc_id, sizeof(in->vpc_id));
			id_copy(c, field(o, "Placement"), "AvailabilityZone", in->az,
				sizeof(in->az));
			const char *key = str(c, o, "KeyName");
			in->key_name = key ? arena_strdup(c->a, key) : NULL;
			const char *st = str(c, field(o, "State"), "Name");
			in->state = INSTANCE_RUNNING;
			if (st && instance_state_parse(st, &in->state) < 0)
				fail(c, "State.Name: \"%.20s\" is not an instance state", st);
			in->http_tokens = "optional";
			in->http_endpoint = "enabled";
			in->hop_limit = 1;
			size_t nn = array(c, o, "NetworkInterfaces", &nis);
			for (size_t j = 0; j < nn && !c->failed; j++)
				read_eni(c, item(nis, j), in->head.id, eni_cap);
			/* A terminated instance prints no interfaces; one with a
			 * private IP but no NetworkInterfaces (a trimmed file)
			 * gets its primary ENI from the top-level fields. */
			if (!nn && str(c, o, "PrivateIpAddress") && in->subnet_id[0]) {
				ARENA_RESERVE(c->a, c->s->enis, c->s->n_enis, *eni_cap);
				struct eni *e = &c->s->enis[c->s->n_enis++];
				memset(e, 0, sizeof(*e));
				snprintf(e->head.id, sizeof(e->head.id), "eni-of-%.50s",
					 in->head.id);
				e->head.seq = (int64_t)c->s->n_enis;
				memcpy(e->subnet_id, in->subnet_id, sizeof(e->subnet_id));
				memcpy(e->vpc_id, in->vpc_id, sizeof(e->vpc_id));
				memcpy(e->instance_id, in->head.id, sizeof(e->instance_id));
				memcpy(e->az, in->az, sizeof(e->az));
				e->private_ip = ip_of(c, o, "PrivateIpAddress");
				e->public_ip = ip_of(c, o, "PublicIpAddress");
				e->source_dest_check = boolean(c, o, "SourceDestCheck", true);
				e->description = "";
				e->interface_type = "interface";
				json_object *gs;
				size_t ng = array(c, o, "SecurityGroups", &gs);
				e->group_ids = arena_alloc_array(c->a, ng ? ng : 1, sizeof(char *));
				e->group_names =
					arena_alloc_array(c->a, ng ? ng : 1, sizeof(char *));
				for (size_t g = 0; g < ng && !c->failed; g++) {
					const char *gid = str(c, item(gs, g), "GroupId");
					if (!gid)
						continue;
					e->group_ids[e->n_groups] = arena_strdup(c->a, gid);
					e->group_names[e->n_groups++] =
						str_dup(c, item(gs, g), "GroupName", "");
				}
			}
		}
	}
}

static void read_igws(struct ctx *c, json_object *arr, size_t n)
{
	c->s->igws = arena_alloc_array(c->a, n ? n : 1, sizeof(struct igw));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *ats;
		struct igw *g = &c->s->igws[c->s->n_igws++];
		if (head(c, o, "InternetGatewayId", &g->head) < 0)
			return;
		g->head.seq = (int64_t)i + 1;
		size_t na = array(c, o, "Attachments", &ats);
		for (size_t k = 0; k < na && !c->failed; k++) {
			json_object *x = item(ats, k);
			const char *st = str(c, x, "State");
			/* AWS prints "available" for an attached internet gateway. */
			if (!st || !strcmp(st, "available") || !strcmp(st, "attached"))
				id_copy(c, x, "VpcId", g->vpc_id, sizeof(g->vpc_id));
		}
	}
}

static void read_natgws(struct ctx *c, json_object *arr, size_t n, size_t *eni_cap)
{
	c->s->natgws = arena_alloc_array(c->a, n ? n : 1, sizeof(struct nat_gateway));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i), *ads;
		struct nat_gateway *g = &c->s->natgws[c->s->n_natgws++];
		if (head(c, o, "NatGatewayId", &g->head) < 0)
			return;
		g->head.seq = (int64_t)i + 1;
		id_copy(c, o, "SubnetId", g->subnet_id, sizeof(g->subnet_id));
		id_copy(c, o, "VpcId", g->vpc_id, sizeof(g->vpc_id));
		const char *ct = str(c, o, "ConnectivityType");
		g->is_private = ct && !strcmp(ct, "private");
		const char *st = str(c, o, "State");
		g->state = NATGW_AVAILABLE;
		if (st && natgw_state_parse(st, &g->state) < 0)
			fail(c, "State: \"%.20s\" is not a NAT gateway state", st);
		size_t na = array(c, o, "NatGatewayAddresses", &ads);
		json_object *x = na ? item(ads, 0) : NULL;
		id_copy(c, x, "AllocationId", g->allocation_id, sizeof(g->allocation_id));
		id_copy(c, x, "NetworkInterfaceId", g->eni_id, sizeof(g->eni_id));
		g->private_ip = ip_of(c, x, "PrivateIp");
		g->public_ip = ip_of(c, x, "PublicIp");
		if (c->failed || !g->eni_id[0])
			continue;
		struct eni *e = eni_find(c->s, g->eni_id);
		/* AWS: a deleted or failed NAT gateway's interface is deleted
		 * with it (the listing keeps its addresses for an hour); its
		 * private IP may already belong to someone else. */
		bool is_gone = g->state == NATGW_DELETED || g->state == NATGW_DELETING ||
			       g->state == NATGW_FAILED;
		if (!e && is_gone)
			continue;
		if (!e) { /* network-interfaces.json left out: AWS's requester-managed ENI
			   */
			ARENA_RESERVE(c->a, c->s->enis, c->s->n_enis, *eni_cap);
			e = &c->s->enis[c->s->n_enis++];
			memset(e, 0, sizeof(*e));
			memcpy(e->head.id, g->eni_id, sizeof(e->head.id));
			e->head.seq = (int64_t)c->s->n_enis;
			memcpy(e->subnet_id, g->subnet_id, sizeof(e->subnet_id));
			memcpy(e->vpc_id, g->vpc_id, sizeof(e->vpc_id));
			e->private_ip = g->private_ip;
			e->device_index = 1;
			e->description =
				arena_printf(c->a, "Interface for NAT Gateway %s", g->head.id);
			e->group_ids = e->group_names = NULL;
		}
		e->interface_type = "nat_gateway";
		e->source_dest_check = false;
		e->public_ip = g->public_ip;
	}
}

static void read_pcxs(struct ctx *c, json_object *arr, size_t n)
{
	c->s->pcxs = arena_alloc_array(c->a, n ? n : 1, sizeof(struct peering));
	for (size_t i = 0; i < n && !c->failed; i++) {
		json_object *o = item(arr, i);
		struct peering *p = &c->s->pcxs[c->s->n_pcxs++];
		if (head(c, o, "VpcPeeringConnectionId", &p->head) < 0)
			return;
		p->head.seq = (int64_t)i + 1;
		id_copy(c, field(o, "RequesterVpcInfo"), "VpcId", p->requester_vpc,
			sizeof(p->requester_vpc));
		id_copy(c, field(o, "AccepterVpcInfo"), "VpcId", p->accepter_vpc,
			sizeof(p->accepter_vpc));
		const char *st = str(c, field(o, "Status"), "Code");
		p->state = PCX_ACTIVE;
		if (st && pcx_state_parse(st, &p->state) < 0)
			fail(c, "Status.Code: \"%.20s\" is not a peering state", st);
		p->state_message = str_dup(c, field(o, "Status"), "Message", "");
	}
}

/* Every instance points at its ENIs, in device-index order. */
static void link_instances(struct ctx *c)
{
	struct snapshot *s = c->s;
	for (size_t i = 0; i < s->n_instances; i++) {
		struct instance *in = &s->instances[i];
		size_t n = 0;
		for (size_t k = 0; k < s->n_enis; k++)
			n += !strcmp(s->enis[k].instance_id, in->head.id);
		in->enis = arena_alloc_array(c->a, n ? n : 1, sizeof(*in->enis));
		for (size_t k = 0; k < s->n_enis; k++) {
			struct eni *e = &s->enis[k];
			if (strcmp(e->instance_id, in->head.id))
				continue;
			if (e->device_index < 0)
				e->device_index = 0;
			if (!e->az[0])
				memcpy(e->az, in->az, sizeof(e->az));
			size_t j = in->n_enis++;
			for (; j > 0 && in->enis[j - 1]->device_index > e->device_index; j--)
				in->enis[j] = in->enis[j - 1];
			in->enis[j] = e;
		}
		in->eni = in->n_enis ? in->enis[0] : NULL;
	}
	for (size_t k = 0; k < s->n_enis; k++) {
		struct eni *e = &s->enis[k];
		for (size_t j = 0; !e->az[0] && j < s->n_subnets; j++)
			if (!strcmp(s->subnets[j].head.id, e->subnet_id))
				memcpy(e->az, s->subnets[j].az, sizeof(e->az));
	}
}

/* Parses one document: an object holding list_keys[k].  Returns the
 * document (free with json_object_put) or NULL with the error set. */
static json_object *parse(struct ctx *c, enum aws_json_kind k, const char *text, size_t len,
			  json_object **list, size_t *n)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH_MAX);
	json_object *doc = NULL;
	*list = NULL;
	*n = 0;
	if (!tok) {
		fail(c, "out of memory");
		return NULL;
	}
	if (len > INT_MAX) {
		fail(c, "too large");
		goto out;
	}
	/* The aws CLI prints RFC 8259 JSON; json-c's lax default would also
	 * take comments and trailing commas.  Measured: json-c 0.16's strict
	 * mode still takes single-quoted names and NaN. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	if (memchr(text, '\0', len)) {
		fail(c, "malformed JSON: a NUL byte");
		goto out;
	}
	doc = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	if (!doc && e == json_tokener_continue)
		e = json_tokener_error_parse_eof;
	if (!doc || e != json_tokener_success) {
		fail(c, "malformed JSON at byte %zu: %s", json_tokener_get_parse_end(tok),
		     json_tokener_error_desc(e));
		goto bad;
	}
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t' && text[i] != '\r') {
			fail(c, "malformed JSON: trailing data at byte %zu", i);
			goto bad;
		}
	if (!json_object_is_type(doc, json_type_object)) {
		fail(c, "expected an object with \"%s\" (the aws CLI's --output json)",
		     list_keys[k]);
		goto bad;
	}
	if (!field(doc, list_keys[k])) {
		fail(c, "no \"%s\" list: not the output of aws ec2 describe-%s", list_keys[k],
		     names[k]);
		goto bad;
	}
	*n = array(c, doc, list_keys[k], list);
	if (c->failed)
		goto bad;
	goto out;
bad:
	json_object_put(doc);
	doc = NULL;
out:
	json_tokener_free(tok);
	return doc;
}

int import_aws_json_buffers(const struct aws_json_input *in, struct arena *a, struct snapshot *ret,
			    char *err, size_t errlen)
{
	struct snapshot s;
	struct ctx c = {.a = a, .s = &s, .err = err, .errlen = errlen};
	json_object *docs[AWS_JSON_KINDS] = {NULL}, *lists[AWS_JSON_KINDS] = {NULL};
	size_t n[AWS_JSON_KINDS] = {0}, eni_cap = 0;
	memset(&s, 0, sizeof(s));
	if (errlen)
		err[0] = '\0';
	if (!in->text[AWS_JSON_VPCS]) {
		c.file = names[AWS_JSON_VPCS];
		fail(&c, "missing (aws ec2 describe-vpcs --output json > vpcs.json)");
		return -EINVAL;
	}
	for (int k = 0; k < AWS_JSON_KINDS && !c.failed; k++) {
		c.file = names[k];
		c.where[0] = '\0';
		if (in->text[k])
			docs[k] = parse(&c, (enum aws_json_kind)k, in->text[k], in->len[k],
					&lists[k], &n[k]);
	}
	/* Interfaces first: describe-network-interfaces is the fuller view,
	 * then the instances add what it left out, then NAT gateways. */
	static const enum aws_json_kind order[] = {
		AWS_JSON_VPCS,         AWS_JSON_SUBNETS,
		AWS_JSON_ROUTE_TABLES, AWS_JSON_SECURITY_GROUPS,
		AWS_JSON_NETWORK_ACLS, AWS_JSON_NETWORK_INTERFACES,
		AWS_JSON_INSTANCES,    AWS_JSON_INTERNET_GATEWAYS,
		AWS_JSON_NAT_GATEWAYS, AWS_JSON_PEERINGS,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && !c.failed; i++) {
		enum aws_json_kind k = order[i];
		c.file = names[k];
		c.where[0] = '\0';
		switch (k) {
		case AWS_JSON_VPCS:
			read_vpcs(&c, lists[k], n[k]);
			break;
		case AWS_JSON_SUBNETS:
			read_subnets(&c, lists[k], n[k]);
			break;
		case AWS_JSON_ROUTE_TABLES:
			read_rtbs(&c, lists[k], n[k]);
			break;
		case AWS_JSON_SECURITY_GROUPS:
			read_sgs(&c, lists[k], n[k]);
			break;
		case AWS_JSON_NETWORK_ACLS:
			read_nacls(&c, lists[k], n[k]);
			break;
		case AWS_JSON_NETWORK_INTERFACES:
			read_enis(&c, lists[k], n[k], &eni_cap);
			break;
		case AWS_JSON_INSTANCES:
			read_instances(&c, lists[k], n[k], &eni_cap);
			break;
		case AWS_JSON_INTERNET_GATEWAYS:
			read_igws(&c, lists[k], n[k]);
			break;
		case AWS_JSON_NAT_GATEWAYS:
			read_natgws(&c, lists[k], n[k], &eni_cap);
			break;
		case AWS_JSON_PEERINGS:
			read_pcxs(&c, lists[k], n[k]);
			break;
		case AWS_JSON_KINDS:
			break;
		}
	}
	if (!c.failed)
		link_instances(&c);
	for (int k = 0; k < AWS_JSON_KINDS; k++)
		json_object_put(docs[k]);
	if (c.failed)
		return -EINVAL;
	*ret = s;
	return 0;
}

/* Reads dir/name into the arena; -ENOENT when absent. */
static int read_file(const char *dir, const char *name, struct arena *a, const char **ret,
		     size_t *ret_len)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, r = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > FILE_MAX) {
		r = -EFBIG;
		goto out;
	}
	char *buf = arena_alloc(a, (size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : -EIO;
			goto out;
		}
		got += (size_t)k;
	}
	*ret = buf;
	*ret_len = got;
out:
	close(fd);
	return r;
}

int import_aws_json(const char *dir, struct arena *a, struct snapshot *ret, char *err,
		    size_t errlen)
{
	struct aws_json_input in;
	struct stat st;
	memset(&in, 0, sizeof(in));
	int r = stat(dir, &st) < 0 ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
	if (r < 0) {
		snprintf(err, errlen, "%s", strerror(-r));
		return -ENOENT;
	}
	for (int k = 0; k < AWS_JSON_KINDS; k++) {
		char name[64];
		r = -ENOENT;
		for (int verb = 0; verb < 2 && r == -ENOENT; verb++) {
			snprintf(name, sizeof(name), "%s%s.json", verb ? "describe-" : "",
				 names[k]);
			r = read_file(dir, name, a, &in.text[k], &in.len[k]);
		}
		if (r == -ENOENT) {
			in.text[k] = NULL;
			if (k == AWS_JSON_VPCS) {
				snprintf(err, errlen,
					 "no vpcs.json or describe-vpcs.json (aws ec2 "
					 "describe-vpcs --output json > vpcs.json)");
				return -ENOENT;
			}
			continue;
		}
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", name,
				 r == -EFBIG ? "not a regular file of at most 64 MiB"
					     : strerror(-r));
			return -EIO;
		}
	}
	return import_aws_json_buffers(&in, a, ret, err, errlen);
}
