// SPDX-License-Identifier: MIT
/* Security groups over the EC2 Query API (spec §7): groups, their rules,
 * and the Describe calls.  Each handler validates (AWS's field rules live in
 * model/security_group.c), honours DryRun, then writes the store; it never
 * touches the kernel — the data plane derives its filters from the rows. */
#include "api/security_group.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/actions.h"
#include "api/bootstrap.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/peering.h"
#include "api/vpc.h"
#include "model/peering.h"
#include "model/security_group.h"
#include "model/vpc.h"
#include "store/security_group.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/id.h"

#define PORT_ARG_MAX 1000000L /* api_get_int bound; the model checks the real ranges */

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static unsigned rules_limit(const struct api_call *c)
{
	return c->cfg->limits.sg_rules_per_direction ? c->cfg->limits.sg_rules_per_direction
						     : SG_RULES_PER_DIRECTION;
}

static int load(struct api_call *c, const char *id, struct security_group **ret)
{
	int r = store_sg_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_SG_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

/* The default VPC's ID into *ret, or VPCIdNotSpecified. */
static int default_vpc_id(struct api_call *c, const char **ret)
{
	struct vpc *v;
	int r = api_default_vpc_find(c, &v);
	if (r == -ENOENT)
		return api_fail(c, ERR_SG_VPC_NOT_SPECIFIED);
	if (r < 0)
		return r;
	*ret = v->head.id;
	return 0;
}

/* The group a call acts on: GroupId, or (where allowed) GroupName, which
 * names a group of the default VPC as in AWS. */
static int get_target(struct api_call *c, bool name_allowed, struct security_group **ret)
{
	const char *id = NULL, *name = NULL, *vpc = NULL;
	int r;
	if ((r = api_get_id(c, "GroupId", "sg", ERR_SG_MALFORMED, false, &id)) < 0)
		return r;
	if (id)
		return load(c, id, ret);
	if (name_allowed && (r = api_get_str(c, "GroupName", false, &name)) < 0)
		return r;
	if (!name)
		return api_fail(c, ERR_MISSING_PARAMETER, name_allowed ? "GroupId or GroupName"
								       : "GroupId");
	if ((r = default_vpc_id(c, &vpc)) < 0)
		return r;
	r = store_sg_find(c->st, c->arena, vpc, name, &id);
	if (r == -ENOENT)
		return api_fail(c, ERR_SG_NOT_FOUND_DEFAULT, name, vpc);
	if (r < 0)
		return internal(c);
	return load(c, id, ret);
}

static const char *arn(struct api_call *c, const char *id)
{
	return arena_printf(c->arena, "arn:aws:ec2:%s:%s:security-group/%s", c->cfg->region,
			    c->cfg->account_id, id);
}

static const char *user_id(const struct api_call *c, const struct sg_rule *r)
{
	return r->ref_user_id[0] ? r->ref_user_id : c->cfg->account_id;
}

static const char *describe_text(const char *s)
{
	return s && *s ? s : NULL; /* AWS omits an empty description */
}

/* ---- Writers ---- */

/* One SecurityGroupRule item body (Authorize, DescribeSecurityGroupRules). */
static void write_rule(struct api_call *c, const struct sg_rule *r, const struct tag_list *tags)
{
	char proto[SG_PROTO_NAME_MAX], buf[CIDR_STR_MAX];
	xml_str(c->x, "securityGroupRuleId", r->id);
	xml_str(c->x, "groupId", r->group_id);
	xml_str(c->x, "groupOwnerId", c->cfg->account_id);
	xml_bool(c->x, "isEgress", r->is_egress);
	xml_str(c->x, "ipProtocol", sg_protocol_name(r->protocol, proto));
	xml_int(c->x, "fromPort", r->from_port);
	xml_int(c->x, "toPort", r->to_port);
	if (r->peer == SG_PEER_CIDR) {
		xml_str(c->x, "cidrIpv4", cidr_format(&r->cidr, buf));
	} else if (r->peer == SG_PEER_GROUP) {
		xml_open(c->x, "referencedGroupInfo");
		xml_str(c->x, "groupId", r->ref_group_id);
		xml_str(c->x, "userId", user_id(c, r));
		xml_close(c->x);
	} else {
		xml_str(c->x, "prefixListId", r->prefix_list_id);
	}
	xml_str(c->x, "description", describe_text(r->description));
	api_write_tags(c, tags);
}

/* SG-10, SG-11: a pair naming a group of a peered VPC shows that VPC, the
 * peering and its status (deleted: the rule is stale). */
static void write_peer_pair(struct api_call *c, const struct sg_rule *r)
{
	const char *mine, *theirs;
	struct peering *p;
	if (store_sg_vpc(c->st, c->arena, r->group_id, &mine) < 0 ||
	    store_sg_vpc(c->st, c->arena, r->ref_group_id, &theirs) < 0 || !strcmp(mine, theirs))
		return;
	if (api_pcx_between(c, mine, theirs, true, &p) < 0 &&
	    api_pcx_between(c, mine, theirs, false, &p) < 0)
		return;
	xml_str(c->x, "peeringStatus", pcx_state_name(p->state));
	xml_str(c->x, "vpcId", theirs);
	xml_str(c->x, "vpcPeeringConnectionId", p->head.id);
}

/* Writes list element `name` with one IpPermission per (protocol, ports)
 * of the rules of direction `egress`, their peers merged (SG-15). */
static void write_perms(struct api_call *c, const char *name, const struct sg_rule *rules,
			size_t n, bool egress)
{
	bool *done = arena_alloc_array(c->arena, n + 1, sizeof(*done));
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct sg_rule *k = &rules[i];
		if (k->is_egress != egress || done[i])
			continue;
		if (!any)
			xml_open(c->x, name);
		any = true;
		char proto[SG_PROTO_NAME_MAX], buf[CIDR_STR_MAX];
		xml_open(c->x, "item");
		xml_str(c->x, "ipProtocol", sg_protocol_name(k->protocol, proto));
		if (sg_protocol_has_ports(k->protocol)) {
			xml_int(c->x, "fromPort", k->from_port);
			xml_int(c->x, "toPort", k->to_port);
		}
		static const enum sg_peer_kind kinds[] = { SG_PEER_GROUP, SG_PEER_CIDR,
							   SG_PEER_PREFIX_LIST };
		static const char *const lists[] = { "groups", "ipRanges", "prefixListIds" };
		for (size_t p = 0; p < 3; p++) {
			bool open = false;
			for (size_t j = i; j < n; j++) {
				const struct sg_rule *r = &rules[j];
				if (r->is_egress != egress || r->protocol != k->protocol ||
				    r->from_port != k->from_port || r->to_port != k->to_port ||
				    r->peer != kinds[p])
					continue;
				done[j] = true;
				if (!open)
					xml_open(c->x, lists[p]);
				open = true;
				xml_open(c->x, "item");
				if (r->peer == SG_PEER_GROUP) {
					xml_str(c->x, "description", describe_text(r->description));
					xml_str(c->x, "groupId", r->ref_group_id);
					xml_str(c->x, "userId", user_id(c, r));
					write_peer_pair(c, r);
				} else if (r->peer == SG_PEER_CIDR) {
					xml_str(c->x, "cidrIp", cidr_format(&r->cidr, buf));
					xml_str(c->x, "description", describe_text(r->description));
				} else {
					xml_str(c->x, "description", describe_text(r->description));
					xml_str(c->x, "prefixListId", r->prefix_list_id);
				}
				xml_close(c->x);
			}
			if (open)
				xml_close(c->x);
			else
				xml_empty(c->x, lists[p]);
			if (p == 1)
				xml_empty(c->x, "ipv6Ranges");
		}
		xml_close(c->x);
	}
	if (any)
		xml_close(c->x);
	else
		xml_empty(c->x, name);
}

static void write_group(struct api_call *c, const struct security_group *g)
{
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_str(c->x, "groupId", g->head.id);
	xml_str(c->x, "groupName", g->name);
	xml_str(c->x, "groupDescription", g->description);
	xml_str(c->x, "vpcId", g->vpc_id);
	xml_str(c->x, "securityGroupArn", arn(c, g->head.id));
	write_perms(c, "ipPermissions", g->rules, g->n_rules, false);
	write_perms(c, "ipPermissionsEgress", g->rules, g->n_rules, true);
	api_write_tags(c, &g->head.tags);
}

/* ---- Groups ---- */

static int insert_rule(struct api_call *c, struct sg_rule *r, const struct tag_list *tags)
{
	id_new("sgr", r->id);
	if (store_sg_rule_insert(c->st, r) < 0 || (tags && store_tags_set(c->st, r->id, tags) < 0))
		return internal(c);
	return 0;
}

static struct sg_rule all_to_world(const char *group_id)
{
	struct sg_rule r = { .is_egress = true, .protocol = SG_PROTO_ALL, .from_port = -1,
			     .to_port = -1, .peer = SG_PEER_CIDR, .description = "" };
	snprintf(r.group_id, sizeof(r.group_id), "%s", group_id);
	return r;
}

/* Inserts a group with the outbound rule every group starts with (SG-3, SG-4). */
static int create_group(struct api_call *c, const char *vpc_id, const char *name,
			const char *description, const char *id)
{
	struct sg_rule out = all_to_world(id);
	if (store_sg_insert(c->st, id, vpc_id, name, description) < 0)
		return internal(c);
	return insert_rule(c, &out, NULL);
}

int api_sg_create_default(struct api_call *c, const struct vpc *v)
{
	char sg[ID_MAX];
	id_new("sg", sg);
	int r = create_group(c, v->head.id, "default", "default VPC security group", sg);
	if (r < 0)
		return r;
	/* SG-3: inbound all protocols from the group itself. */
	struct sg_rule in = { .protocol = SG_PROTO_ALL, .from_port = -1, .to_port = -1,
			      .peer = SG_PEER_GROUP, .description = "" };
	snprintf(in.group_id, sizeof(in.group_id), "%s", sg);
	snprintf(in.ref_group_id, sizeof(in.ref_group_id), "%s", sg);
	return insert_rule(c, &in, NULL);
}

int api_sg_delete_in_vpc(struct api_call *c, const char *vpc_id)
{
	return store_sg_delete_in_vpc(c->st, vpc_id) < 0 ? api_fail(c, ERR_INTERNAL) : 0;
}

static int bad_value(struct api_call *c, const char *param, const char *value)
{
	return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
			arena_printf(c->arena, "Value (%s) for parameter %s is invalid.", value,
				     param));
}

static int create_sg(struct api_call *c)
{
	const char *raw, *description, *vpc_id = NULL;
	struct tag_list tags = { 0 };
	struct vpc *v;
	bool taken;
	size_t n;
	int r;

	if ((r = api_get_str(c, "GroupName", true, &raw)) < 0 ||
	    (r = api_get_str(c, "GroupDescription", true, &description)) < 0 ||
	    (r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, false, &vpc_id)) < 0 ||
	    (r = api_get_tag_specs(c, "security-group", &tags)) < 0)
		return r;
	/* SG-1: trailing spaces of the name are dropped. */
	size_t len = strlen(raw);
	while (len && raw[len - 1] == ' ')
		len--;
	const char *name = arena_strndup(c->arena, raw, len);
	if (!*name)
		return api_fail(c, ERR_MISSING_PARAMETER, "GroupName");
	if (!*description)
		return api_fail(c, ERR_MISSING_PARAMETER, "GroupDescription");
	if (sg_text_check(name) < 0)
		return bad_value(c, "GroupName", name);
	if (sg_text_check(description) < 0)
		return bad_value(c, "GroupDescription", description);
	if (strncasecmp(name, "sg-", 3) == 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Group names may not be in the format sg-*.");
	if (strcasecmp(name, "default") == 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Cannot use reserved security group name: default");
	if (!vpc_id && (r = default_vpc_id(c, &vpc_id)) < 0)
		return r;
	if ((r = api_vpc_load(c, vpc_id, &v)) < 0)
		return r;
	if (store_sg_name_taken(c->st, vpc_id, name, &taken) < 0)
		return internal(c);
	if (taken)
		return api_fail(c, ERR_SG_DUPLICATE, name, vpc_id);
	if (store_sg_count(c->st, &n) < 0)
		return internal(c);
	if (c->cfg->limits.sgs && n >= c->cfg->limits.sgs)
		return api_fail(c, ERR_SG_LIMIT);
	if ((r = api_dry_run(c)) < 0)
		return r;
	char id[ID_MAX];
	id_new("sg", id);
	if ((r = create_group(c, vpc_id, name, description, id)) < 0)
		return r;
	if (store_tags_set(c->st, id, &tags) < 0)
		return internal(c);
	xml_str(c->x, "groupId", id);
	xml_str(c->x, "securityGroupArn", arn(c, id));
	api_write_tags(c, &tags);
	return 0;
}

static int delete_sg(struct api_call *c)
{
	struct security_group *g;
	const char *other;
	size_t n;
	int r;

	if ((r = get_target(c, true, &g)) < 0)
		return r;
	if (strcmp(g->name, "default") == 0)
		return api_fail(c, ERR_SG_CANNOT_DELETE, g->head.id);
	if (store_sg_eni_count(c->st, g->head.id, &n) < 0)
		return internal(c);
	if (n)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena, "resource %s has a dependent object",
					     g->head.id));
	r = store_sg_referenced_by(c->st, c->arena, g->head.id, &other);
	if (r == 0)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "resource %s has a dependent object (referenced by a "
					     "rule of %s)",
					     g->head.id, other));
	if (r != -ENOENT)
		return internal(c);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_sg_delete(c->st, g->head.id) < 0)
		return internal(c);
	api_write_return(c);
	xml_str(c->x, "groupId", g->head.id);
	return 0;
}

/* ---- Parsing rules ---- */

struct rule_set {
	struct sg_rule *v;
	size_t n, cap;
};

static struct sg_rule *rule_add(struct api_call *c, struct rule_set *s,
				const struct sg_rule *base)
{
	ARENA_RESERVE(c->arena, s->v, s->n, s->cap);
	s->v[s->n] = *base;
	return &s->v[s->n++];
}

/* The value of <list>.<i>.<field>, or NULL. */
static const char *param(struct api_call *c, const char *list, size_t i, const char *field)
{
	return params_get(c->p, arena_printf(c->arena, "%s.%zu.%s", list, i, field));
}

static int get_description(struct api_call *c, const char *name, const char **ret)
{
	const char *d = params_get(c->p, name);
	if (!d) {
		*ret = "";
		return 0;
	}
	if (sg_text_check(d) < 0)
		return bad_value(c, name, d);
	*ret = d;
	return 0;
}

/* Resolves a referenced group (ID or, in g's VPC, name) into r. */
static int resolve_ref(struct api_call *c, const struct security_group *g, const char *id,
		       const char *name, const char *user, bool must_exist, struct sg_rule *r)
{
	const char *vpc;
	int e;
	if (user && *user && strcmp(user, c->cfg->account_id) != 0)
		return api_fail(c, ERR_SG_NOT_FOUND, id ? id : name ? name : user);
	if (id) {
		if (!id_has_prefix(id, "sg") || strlen(id) >= ID_MAX)
			return api_fail(c, ERR_SG_MALFORMED, id);
		e = store_sg_vpc(c->st, c->arena, id, &vpc);
		if (e == -ENOENT && must_exist)
			return api_fail(c, ERR_SG_NOT_FOUND, id);
		if (e < 0 && e != -ENOENT)
			return internal(c);
		/* SG-10: the same VPC, or a VPC peered with it through an active
		 * peering (same region, same account). */
		struct peering *p;
		if (e == 0 && must_exist && strcmp(vpc, g->vpc_id) != 0) {
			int f = api_pcx_between(c, vpc, g->vpc_id, true, &p);
			if (f == -ENOENT)
				return api_fail(c, ERR_SG_OTHER_NETWORK);
			if (f < 0)
				return f;
		}
	} else {
		e = store_sg_find(c->st, c->arena, g->vpc_id, name, &id);
		if (e == -ENOENT)
			return api_fail(c, ERR_SG_NOT_FOUND_ID, name, g->vpc_id);
		if (e < 0)
			return internal(c);
	}
	r->peer = SG_PEER_GROUP;
	snprintf(r->ref_group_id, sizeof(r->ref_group_id), "%s", id);
	return 0;
}

static int get_port(struct api_call *c, const char *name, bool *has, long *ret)
{
	*has = params_get(c->p, name) != NULL;
	return api_get_int(c, name, -PORT_ARG_MAX, PORT_ARG_MAX, ret);
}

/* The protocol and ports of a rule from <prefix>IpProtocol/FromPort/ToPort. */
static int get_proto_ports(struct api_call *c, const char *prefix, struct sg_rule *base)
{
	const char *pname = arena_printf(c->arena, "%sIpProtocol", prefix);
	const char *proto, *why;
	bool has_from, has_to;
	long from = -1, to = -1;
	int r;
	if ((r = api_get_str(c, pname, true, &proto)) < 0)
		return r;
	if (sg_protocol_parse(proto, &base->protocol) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Invalid value '%s' for IP protocol. Unknown protocol.",
					     proto));
	const char *from_name = arena_printf(c->arena, "%sFromPort", prefix);
	const char *to_name = arena_printf(c->arena, "%sToPort", prefix);
	if ((r = get_port(c, from_name, &has_from, &from)) < 0 ||
	    (r = get_port(c, to_name, &has_to, &to)) < 0)
		return r;
	if (sg_ports_normalise(base->protocol, has_from, from, has_to, to, &base->from_port,
			       &base->to_port, &why) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE, why);
	return 0;
}

/* IpPermissions.N.{…}: one rule per peer (SG-7, SG-13). */
static int parse_permission(struct api_call *c, const struct security_group *g, bool must_exist,
			    const char *prefix, struct sg_rule *base, struct rule_set *out)
{
	size_t before = out->n;
	int r;
	if ((r = get_proto_ports(c, prefix, base)) < 0)
		return r;
	if (params_has_prefix(c->p, arena_printf(c->arena, "%sIpv6Ranges", prefix)))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 security group rules are not supported by localvpc");
	const char *list = arena_printf(c->arena, "%sIpRanges", prefix);
	for (size_t i = 1, n = params_list_len(c->p, list); i <= n; i++) {
		struct sg_rule *rule = rule_add(c, out, base);
		const char *cidr = param(c, list, i, "CidrIp");
		if (!cidr)
			return api_fail(c, ERR_MISSING_PARAMETER,
					arena_printf(c->arena, "%s.%zu.CidrIp", list, i));
		if (cidr_parse(cidr, &rule->cidr) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "CIDR block %s is malformed", cidr));
		rule->peer = SG_PEER_CIDR;
		if ((r = get_description(c, arena_printf(c->arena, "%s.%zu.Description", list, i),
					 &rule->description)) < 0)
			return r;
	}
	/* botocore sends UserIdGroupPairs as Groups.N (locationName "groups"). */
	static const char *const pair_lists[] = { "Groups", "UserIdGroupPairs" };
	for (size_t l = 0; l < 2; l++) {
		list = arena_printf(c->arena, "%s%s", prefix, pair_lists[l]);
		for (size_t i = 1, n = params_list_len(c->p, list); i <= n; i++) {
			struct sg_rule *rule = rule_add(c, out, base);
			const char *id = param(c, list, i, "GroupId");
			const char *name = param(c, list, i, "GroupName");
			const char *user = param(c, list, i, "UserId");
			const char *pcx = param(c, list, i, "VpcPeeringConnectionId");
			if (pcx && (!id_has_prefix(pcx, "pcx") || strlen(pcx) >= ID_MAX))
				return api_fail(c, ERR_PCX_MALFORMED, pcx);
			/* The peering is found from the two groups' VPCs; a given
			 * ID must name a visible one. */
			struct peering *named;
			if (pcx && (r = api_pcx_load(c, pcx, &named)) < 0)
				return r;
			if (!id && !name)
				return api_fail(c, ERR_MISSING_PARAMETER,
						arena_printf(c->arena, "%s.%zu.GroupId", list, i));
			if ((r = resolve_ref(c, g, id, name, user, must_exist, rule)) < 0 ||
			    (r = get_description(c,
						 arena_printf(c->arena, "%s.%zu.Description", list,
							      i),
						 &rule->description)) < 0)
				return r;
		}
	}
	list = arena_printf(c->arena, "%sPrefixListIds", prefix);
	for (size_t i = 1, n = params_list_len(c->p, list); i <= n; i++) {
		const char *pl;
		if ((r = api_get_id(c, arena_printf(c->arena, "%s.%zu.PrefixListId", list, i), "pl",
				    ERR_PREFIX_LIST_MALFORMED, true, &pl)) < 0)
			return r;
		/* No managed or customer prefix lists exist in localvpc yet. */
		return api_fail(c, ERR_PREFIX_LIST_NOT_FOUND, pl);
	}
	if (out->n == before)
		return api_fail(c, ERR_MISSING_PARAMETER,
				"source specification: include source security group or CIDR "
				"information");
	return 0;
}

/* The legacy flat form: IpProtocol, FromPort, ToPort and CidrIp or
 * SourceSecurityGroupName (+ SourceSecurityGroupOwnerId). */
static int parse_flat(struct api_call *c, const struct security_group *g, bool must_exist,
		      struct sg_rule *base, struct rule_set *out)
{
	const char *cidr = params_get(c->p, "CidrIp");
	const char *src = params_get(c->p, "SourceSecurityGroupName");
	const char *owner = params_get(c->p, "SourceSecurityGroupOwnerId");
	bool has_proto = params_get(c->p, "IpProtocol") != NULL;
	int r;
	if (cidr && src)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"CidrIp cannot be used with SourceSecurityGroupName");
	if (!cidr && !src)
		return api_fail(c, ERR_MISSING_PARAMETER,
				"source specification: include source security group or CIDR "
				"information");
	if (has_proto && (r = get_proto_ports(c, "", base)) < 0)
		return r;
	if (cidr) {
		if (!has_proto)
			return api_fail(c, ERR_MISSING_PARAMETER, "IpProtocol");
		struct sg_rule *rule = rule_add(c, out, base);
		if (cidr_parse(cidr, &rule->cidr) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "CIDR block %s is malformed", cidr));
		rule->peer = SG_PEER_CIDR;
		return 0;
	}
	struct sg_rule ref = *base;
	if ((r = resolve_ref(c, g, NULL, src, owner, must_exist, &ref)) < 0)
		return r;
	if (has_proto) {
		rule_add(c, out, &ref);
		return 0;
	}
	/* AWS: a source group alone grants full ICMP, TCP and UDP access. */
	static const int protos[][3] = { { SG_PROTO_ICMP, -1, -1 },
					 { SG_PROTO_TCP, 0, 65535 },
					 { SG_PROTO_UDP, 0, 65535 } };
	for (size_t i = 0; i < 3; i++) {
		struct sg_rule *rule = rule_add(c, out, &ref);
		rule->protocol = protos[i][0];
		rule->from_port = protos[i][1];
		rule->to_port = protos[i][2];
	}
	return 0;
}

static bool has_flat(const struct api_call *c)
{
	static const char *const names[] = { "IpProtocol", "FromPort", "ToPort", "CidrIp",
					     "SourceSecurityGroupName",
					     "SourceSecurityGroupOwnerId" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (params_get(c->p, names[i]))
			return true;
	return false;
}

/* Every rule the call names by properties, for group g and one direction.
 * must_exist: referenced groups must exist (false for revoking stale rules). */
static int parse_rules(struct api_call *c, const struct security_group *g, bool egress,
		       bool must_exist, struct rule_set *out)
{
	struct sg_rule base = { .is_egress = egress, .peer = SG_PEER_CIDR, .description = "" };
	snprintf(base.group_id, sizeof(base.group_id), "%s", g->head.id);
	size_t n = params_list_len(c->p, "IpPermissions");
	if (n && has_flat(c))
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"IpPermissions cannot be used with IpProtocol, FromPort, ToPort, "
				"CidrIp or SourceSecurityGroupName");
	if (!n)
		return has_flat(c) ? parse_flat(c, g, must_exist, &base, out) : 0;
	for (size_t i = 1; i <= n; i++) {
		int r = parse_permission(c, g, must_exist,
					 arena_printf(c->arena, "IpPermissions.%zu.", i), &base,
					 out);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *rule_text(struct api_call *c, const struct sg_rule *r)
{
	char proto[SG_PROTO_NAME_MAX], buf[CIDR_STR_MAX];
	const char *peer = r->peer == SG_PEER_CIDR    ? cidr_format(&r->cidr, buf)
			   : r->peer == SG_PEER_GROUP ? r->ref_group_id
						      : r->prefix_list_id;
	char *text = arena_printf(c->arena, "peer: %s, %s, from port: %d, to port: %d, ALLOW",
				  peer, sg_protocol_name(r->protocol, proto), r->from_port,
				  r->to_port);
	/* AWS writes the protocol in capitals ("TCP"); the peer may be an sg- ID. */
	char *p = strstr(text, ", ") + 2;
	for (; *p && *p != ','; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return text;
}

static size_t count_direction(const struct security_group *g, bool egress)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n_rules; i++)
		n += g->rules[i].is_egress == egress;
	return n;
}

/* ---- Authorize / Revoke ---- */

static int authorize(struct api_call *c, bool egress)
{
	struct security_group *g;
	struct rule_set want = { 0 };
	struct tag_list tags = { 0 };
	int r;

	if ((r = get_target(c, !egress, &g)) < 0 ||
	    (r = parse_rules(c, g, egress, true, &want)) < 0 ||
	    (r = api_get_tag_specs(c, "security-group-rule", &tags)) < 0)
		return r;
	if (!want.n)
		return api_fail(c, ERR_MISSING_PARAMETER, "IpPermissions");
	/* SG-13: any duplicate refuses the whole call. */
	for (size_t i = 0; i < want.n; i++) {
		for (size_t j = 0; j < g->n_rules; j++)
			if (sg_rule_same(&want.v[i], &g->rules[j]))
				return api_fail(c, ERR_PERMISSION_DUPLICATE,
						rule_text(c, &want.v[i]));
		for (size_t j = 0; j < i; j++)
			if (sg_rule_same(&want.v[i], &want.v[j]))
				return api_fail(c, ERR_PERMISSION_DUPLICATE,
						rule_text(c, &want.v[i]));
	}
	if (count_direction(g, egress) + want.n > rules_limit(c))
		return api_fail(c, ERR_SG_RULES_LIMIT);
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < want.n; i++)
		if ((r = insert_rule(c, &want.v[i], &tags)) < 0)
			return r;
	api_write_return(c);
	xml_open(c->x, "securityGroupRuleSet");
	for (size_t i = 0; i < want.n; i++) {
		xml_open(c->x, "item");
		write_rule(c, &want.v[i], &tags);
		xml_close(c->x);
	}
	xml_close(c->x);
	return 0;
}

static int authorize_ingress(struct api_call *c)
{
	return authorize(c, false);
}

static int authorize_egress(struct api_call *c)
{
	return authorize(c, true);
}

static const struct sg_rule *find_rule(const struct security_group *g, const char *id)
{
	for (size_t i = 0; i < g->n_rules; i++)
		if (strcmp(g->rules[i].id, id) == 0)
			return &g->rules[i];
	return NULL;
}

static int revoke(struct api_call *c, bool egress)
{
	struct security_group *g;
	struct rule_set want = { 0 }, unknown = { 0 };
	struct vpc *v;
	const char **ids;
	size_t n_ids;
	int r;

	if ((r = get_target(c, !egress, &g)) < 0 ||
	    (r = api_get_id_list(c, "SecurityGroupRuleId", "sgr", ERR_SGR_MALFORMED, &ids,
				 &n_ids)) < 0 ||
	    (r = parse_rules(c, g, egress, false, &want)) < 0 ||
	    (r = api_vpc_load(c, g->vpc_id, &v)) < 0)
		return r;
	if (!n_ids && !want.n)
		return api_fail(c, ERR_MISSING_PARAMETER,
				"Either 'ipPermissions' or 'securityGroupRuleIds' should be "
				"provided.");
	bool *gone = arena_alloc_array(c->arena, g->n_rules + 1, sizeof(*gone));
	for (size_t i = 0; i < n_ids; i++) {
		const struct sg_rule *rule = find_rule(g, ids[i]);
		if (!rule || rule->is_egress != egress)
			return api_fail(c, ERR_SGR_NOT_FOUND, ids[i]);
		gone[rule - g->rules] = true;
	}
	for (size_t i = 0; i < want.n; i++) {
		bool matched = false;
		for (size_t j = 0; j < g->n_rules; j++)
			if (sg_rule_same(&want.v[i], &g->rules[j]))
				matched = gone[j] = true;
		if (matched)
			continue;
		/* SG-14: the default VPC answers success and lists the misses. */
		if (!v->is_default)
			return api_fail(c, ERR_PERMISSION_NOT_FOUND);
		rule_add(c, &unknown, &want.v[i]);
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t j = 0; j < g->n_rules; j++)
		if (gone[j] && store_sg_rule_delete(c->st, g->rules[j].id) < 0)
			return internal(c);
	api_write_return(c);
	if (unknown.n)
		write_perms(c, "unknownIpPermissionSet", unknown.v, unknown.n, egress);
	return 0;
}

static int revoke_ingress(struct api_call *c)
{
	return revoke(c, false);
}

static int revoke_egress(struct api_call *c)
{
	return revoke(c, true);
}

/* ---- ModifySecurityGroupRules / UpdateSecurityGroupRuleDescriptions ---- */

/* SecurityGroupRule.N.SecurityGroupRule.{…} into r (keeping ID, group and
 * direction). */
static int parse_rule_request(struct api_call *c, const struct security_group *g,
			      const char *prefix, struct sg_rule *r)
{
	const char *cidr = params_get(c->p, arena_printf(c->arena, "%sCidrIpv4", prefix));
	const char *ref = params_get(c->p, arena_printf(c->arena, "%sReferencedGroupId", prefix));
	const char *pl = params_get(c->p, arena_printf(c->arena, "%sPrefixListId", prefix));
	int e;
	if (params_get(c->p, arena_printf(c->arena, "%sCidrIpv6", prefix)))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 security group rules are not supported by localvpc");
	if ((e = get_proto_ports(c, prefix, r)) < 0 ||
	    (e = get_description(c, arena_printf(c->arena, "%sDescription", prefix),
				 &r->description)) < 0)
		return e;
	if (!!cidr + !!ref + !!pl != 1)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Exactly one of CidrIpv4, ReferencedGroupId or PrefixListId is "
				"required");
	r->ref_group_id[0] = r->ref_user_id[0] = r->prefix_list_id[0] = '\0';
	memset(&r->cidr, 0, sizeof(r->cidr));
	if (cidr) {
		r->peer = SG_PEER_CIDR;
		if (cidr_parse(cidr, &r->cidr) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "CIDR block %s is malformed", cidr));
		return 0;
	}
	if (ref)
		return resolve_ref(c, g, ref, NULL, NULL, true, r);
	if (!id_has_prefix(pl, "pl"))
		return api_fail(c, ERR_PREFIX_LIST_MALFORMED, pl);
	return api_fail(c, ERR_PREFIX_LIST_NOT_FOUND, pl);
}

static int modify_rules(struct api_call *c)
{
	struct security_group *g;
	const char *gid;
	int r;
	if ((r = api_get_id(c, "GroupId", "sg", ERR_SG_MALFORMED, true, &gid)) < 0 ||
	    (r = load(c, gid, &g)) < 0)
		return r;
	size_t n = params_list_len(c->p, "SecurityGroupRule");
	if (!n)
		return api_fail(c, ERR_MISSING_PARAMETER, "SecurityGroupRule");
	struct sg_rule *upd = arena_alloc_array(c->arena, n, sizeof(*upd));
	for (size_t i = 0; i < n; i++) {
		const char *id, *pre = arena_printf(c->arena, "SecurityGroupRule.%zu.", i + 1);
		if ((r = api_get_id(c, arena_printf(c->arena, "%sSecurityGroupRuleId", pre), "sgr",
				    ERR_SGR_MALFORMED, true, &id)) < 0)
			return r;
		const struct sg_rule *old = find_rule(g, id);
		if (!old)
			return api_fail(c, ERR_SGR_NOT_FOUND, id);
		upd[i] = *old;
		if ((r = parse_rule_request(c, g, arena_printf(c->arena, "%sSecurityGroupRule.", pre),
					    &upd[i])) < 0)
			return r;
	}
	/* The result must not hold the same rule twice. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < g->n_rules; j++) {
			bool replaced = false;
			for (size_t k = 0; k < n && !replaced; k++)
				replaced = strcmp(upd[k].id, g->rules[j].id) == 0;
			if (!replaced && sg_rule_same(&upd[i], &g->rules[j]))
				return api_fail(c, ERR_PERMISSION_DUPLICATE, rule_text(c, &upd[i]));
		}
		for (size_t k = 0; k < i; k++)
			if (sg_rule_same(&upd[i], &upd[k]))
				return api_fail(c, ERR_PERMISSION_DUPLICATE, rule_text(c, &upd[i]));
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (store_sg_rule_update(c->st, &upd[i]) < 0)
			return internal(c);
	api_write_return(c);
	return 0;
}

static int update_descriptions(struct api_call *c, bool egress)
{
	struct security_group *g;
	struct rule_set want = { 0 };
	int r;
	if ((r = get_target(c, true, &g)) < 0 || (r = parse_rules(c, g, egress, false, &want)) < 0)
		return r;
	size_t n = params_list_len(c->p, "SecurityGroupRuleDescription");
	if (!n && !want.n)
		return api_fail(c, ERR_MISSING_PARAMETER, "IpPermissions");
	struct sg_rule *upd = arena_alloc_array(c->arena, n + want.n + 1, sizeof(*upd));
	size_t n_upd = 0;
	for (size_t i = 1; i <= n; i++) {
		const char *id;
		const char *pre = arena_printf(c->arena, "SecurityGroupRuleDescription.%zu.", i);
		if ((r = api_get_id(c, arena_printf(c->arena, "%sSecurityGroupRuleId", pre), "sgr",
				    ERR_SGR_MALFORMED, true, &id)) < 0)
			return r;
		const struct sg_rule *old = find_rule(g, id);
		if (!old || old->is_egress != egress)
			return api_fail(c, ERR_SGR_NOT_FOUND, id);
		upd[n_upd] = *old;
		if ((r = get_description(c, arena_printf(c->arena, "%sDescription", pre),
					 &upd[n_upd].description)) < 0)
			return r;
		n_upd++;
	}
	for (size_t i = 0; i < want.n; i++) {
		const struct sg_rule *old = NULL;
		for (size_t j = 0; j < g->n_rules && !old; j++)
			if (sg_rule_same(&want.v[i], &g->rules[j]))
				old = &g->rules[j];
		if (!old)
			return api_fail(c, ERR_PERMISSION_NOT_FOUND);
		upd[n_upd] = *old;
		upd[n_upd++].description = want.v[i].description;
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n_upd; i++)
		if (store_sg_rule_update(c->st, &upd[i]) < 0)
			return internal(c);
	api_write_return(c);
	return 0;
}

static int update_descriptions_ingress(struct api_call *c)
{
	return update_descriptions(c, false);
}

static int update_descriptions_egress(struct api_call *c)
{
	return update_descriptions(c, true);
}

/* ---- DescribeSecurityGroups ---- */

/* A group as the Describe engine sees it, with the whole list beside it so
 * that ip-permission.group-name can name referenced groups. */
struct sg_item {
	struct security_group g;
	const struct sg_item *all;
	size_t n_all;
};

#define PERM_FILTERS(p)                                                                    \
	p "cidr", p "from-port", p "to-port", p "protocol", p "group-id", p "group-name",  \
		p "prefix-list-id", p "user-id", p "ipv6-cidr"

static const char *const sg_filters[] = {
	"description", "group-id", "group-name", "owner-id", "vpc-id",
	PERM_FILTERS("ip-permission."), PERM_FILTERS("egress.ip-permission."), NULL,
};

static const char *group_name_of(const struct sg_item *it, const char *id)
{
	for (size_t i = 0; i < it->n_all; i++)
		if (strcmp(it->all[i].g.head.id, id) == 0)
			return it->all[i].g.name;
	return NULL;
}

static void perm_values(struct api_call *c, const struct sg_item *it, bool egress,
			const char *field, struct strv *out)
{
	char proto[SG_PROTO_NAME_MAX], buf[CIDR_STR_MAX];
	for (size_t i = 0; i < it->g.n_rules; i++) {
		const struct sg_rule *r = &it->g.rules[i];
		if (r->is_egress != egress)
			continue;
		if (!strcmp(field, "cidr") && r->peer == SG_PEER_CIDR)
			strv_add(c, out, arena_strdup(c->arena, cidr_format(&r->cidr, buf)));
		else if (!strcmp(field, "from-port"))
			strv_add(c, out, arena_printf(c->arena, "%d", r->from_port));
		else if (!strcmp(field, "to-port"))
			strv_add(c, out, arena_printf(c->arena, "%d", r->to_port));
		else if (!strcmp(field, "protocol"))
			strv_add(c, out,
				 arena_strdup(c->arena, sg_protocol_name(r->protocol, proto)));
		else if (!strcmp(field, "group-id") && r->peer == SG_PEER_GROUP)
			strv_add(c, out, r->ref_group_id);
		else if (!strcmp(field, "group-name") && r->peer == SG_PEER_GROUP)
			strv_add(c, out, group_name_of(it, r->ref_group_id));
		else if (!strcmp(field, "prefix-list-id") && r->peer == SG_PEER_PREFIX_LIST)
			strv_add(c, out, r->prefix_list_id);
		else if (!strcmp(field, "user-id") && r->peer == SG_PEER_GROUP)
			strv_add(c, out, user_id(c, r));
	}
}

static void sg_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct sg_item *it = item;
	if (!strcmp(name, "description"))
		strv_add(c, out, it->g.description);
	else if (!strcmp(name, "group-id"))
		strv_add(c, out, it->g.head.id);
	else if (!strcmp(name, "group-name"))
		strv_add(c, out, it->g.name);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, it->g.vpc_id);
	else if (!strncmp(name, "ip-permission.", 14))
		perm_values(c, it, false, name + 14, out);
	else if (!strncmp(name, "egress.ip-permission.", 21))
		perm_values(c, it, true, name + 21, out);
}

static void sg_item_write(struct api_call *c, const void *item)
{
	write_group(c, &((const struct sg_item *)item)->g);
}

static int describe_sgs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "GroupId",
		.id_prefix = "sg",
		.malformed = ERR_SG_MALFORMED,
		.not_found = ERR_SG_NOT_FOUND,
		.filters = sg_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "securityGroupInfo",
		.item_size = sizeof(struct sg_item),
		.values = sg_values,
		.write = sg_item_write,
	};
	struct security_group *g;
	const char **names;
	size_t n, n_names;
	int r;
	if ((r = api_get_str_list(c, "GroupName", &names, &n_names)) < 0)
		return r;
	if (store_sg_list(c->st, c->arena, NULL, &g, &n) < 0)
		return internal(c);
	struct sg_item *all = arena_alloc_array(c->arena, n + 1, sizeof(*all));
	for (size_t i = 0; i < n; i++)
		all[i] = (struct sg_item){ .g = g[i], .all = all, .n_all = n };
	if (!n_names)
		return api_describe(c, &spec, all, n);
	/* GroupName.N names groups of the default VPC (AWS). */
	const char *vpc = NULL;
	if ((r = default_vpc_id(c, &vpc)) < 0)
		return r;
	struct sg_item *chosen = arena_alloc_array(c->arena, n + 1, sizeof(*chosen));
	size_t n_chosen = 0;
	for (size_t k = 0; k < n_names; k++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(all[i].g.vpc_id, vpc) && !strcmp(all[i].g.name, names[k]);
		if (!found)
			return api_fail(c, ERR_SG_NOT_FOUND_DEFAULT, names[k], vpc);
	}
	for (size_t i = 0; i < n; i++) {
		bool wanted = false;
		for (size_t k = 0; k < n_names && !wanted; k++)
			wanted = !strcmp(all[i].g.vpc_id, vpc) && !strcmp(all[i].g.name, names[k]);
		if (wanted)
			chosen[n_chosen++] = all[i];
	}
	return api_describe(c, &spec, chosen, n_chosen);
}

/* ---- DescribeSecurityGroupRules ---- */

static const char *const sgr_filters[] = { "group-id", "security-group-rule-id", NULL };

static void sgr_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct sg_rule_entry *e = item;
	if (!strcmp(name, "group-id"))
		strv_add(c, out, e->rule.group_id);
	else if (!strcmp(name, "security-group-rule-id"))
		strv_add(c, out, e->head.id);
}

static void sgr_write(struct api_call *c, const void *item)
{
	const struct sg_rule_entry *e = item;
	write_rule(c, &e->rule, &e->head.tags);
}

static int describe_rules(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "SecurityGroupRuleId",
		.id_prefix = "sgr",
		.malformed = ERR_SGR_MALFORMED,
		.not_found = ERR_SGR_NOT_FOUND,
		.filters = sgr_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "securityGroupRuleSet",
		.item_size = sizeof(struct sg_rule_entry),
		.values = sgr_values,
		.write = sgr_write,
	};
	struct sg_rule_entry *v;
	size_t n;
	if (store_sg_rule_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	return api_describe(c, &spec, v, n);
}

#define FLAT_PARAMS                                                                       \
	"IpPermissions", "IpProtocol", "FromPort", "ToPort", "CidrIp", "SourceSecurityGroupName", \
		"SourceSecurityGroupOwnerId"

const struct api_action api_security_group_actions[] = {
	{ "CreateSecurityGroup", create_sg,
	  API_PARAMS("GroupName", "GroupDescription", "VpcId", "TagSpecification") },
	{ "DeleteSecurityGroup", delete_sg, API_PARAMS("GroupId", "GroupName") },
	{ "DescribeSecurityGroups", describe_sgs,
	  API_PARAMS("GroupId", "GroupName", "Filter", "MaxResults", "NextToken") },
	{ "DescribeSecurityGroupRules", describe_rules,
	  API_PARAMS("SecurityGroupRuleId", "Filter", "MaxResults", "NextToken") },
	{ "AuthorizeSecurityGroupIngress", authorize_ingress,
	  API_PARAMS("GroupId", "GroupName", FLAT_PARAMS, "TagSpecification") },
	{ "AuthorizeSecurityGroupEgress", authorize_egress,
	  API_PARAMS("GroupId", FLAT_PARAMS, "TagSpecification") },
	{ "RevokeSecurityGroupIngress", revoke_ingress,
	  API_PARAMS("GroupId", "GroupName", FLAT_PARAMS, "SecurityGroupRuleId") },
	{ "RevokeSecurityGroupEgress", revoke_egress,
	  API_PARAMS("GroupId", FLAT_PARAMS, "SecurityGroupRuleId") },
	{ "ModifySecurityGroupRules", modify_rules, API_PARAMS("GroupId", "SecurityGroupRule") },
	{ "UpdateSecurityGroupRuleDescriptionsIngress", update_descriptions_ingress,
	  API_PARAMS("GroupId", "GroupName", "IpPermissions", "SecurityGroupRuleDescription") },
	{ "UpdateSecurityGroupRuleDescriptionsEgress", update_descriptions_egress,
	  API_PARAMS("GroupId", "GroupName", "IpPermissions", "SecurityGroupRuleDescription") },
	{ NULL, NULL, NULL },
};
