// SPDX-License-Identifier: MIT
/* Network ACLs over the EC2 Query API (spec §8): ACLs, their numbered
 * entries and subnet associations.  Each handler validates (AWS's rules in
 * model/network_acl.c), then honours DryRun, then writes the store; it never
 * touches the kernel — the data plane derives its filters from the rows. */
#include "api/network_acl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "model/network_acl.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "store/network_acl.h"
#include "store/store.h"
#include "store/vpc.h"
#include "util/arena.h"

static int store_failed(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

/* NACL-8: rule 100, all protocols, 0.0.0.0/0, allow. */
static struct nacl_entry allow_all(bool is_egress)
{
	return (struct nacl_entry){ .rule_number = 100, .is_egress = is_egress,
				    .protocol = NACL_PROTO_ALL, .is_allow = true,
				    .cidr = { 0, 0 }, .from_port = -1, .to_port = -1,
				    .icmp_type = -1, .icmp_code = -1 };
}

/* A new ACL row of vpc_id; the default one gets NACL-8's two rules. */
static int create_acl(struct api_call *c, const char *vpc_id, bool is_default,
		      const struct tag_list *tags, struct network_acl *ret)
{
	struct network_acl acl = { .is_default = is_default };

	id_new("acl", acl.head.id);
	snprintf(acl.vpc_id, sizeof(acl.vpc_id), "%s", vpc_id);
	if (store_nacl_insert(c->st, &acl) < 0)
		return store_failed(c);
	if (is_default) {
		struct nacl_entry in = allow_all(false), out = allow_all(true);
		if (store_nacl_entry_insert(c->st, acl.head.id, &in) < 0 ||
		    store_nacl_entry_insert(c->st, acl.head.id, &out) < 0)
			return store_failed(c);
	}
	if (tags && store_tags_set(c->st, acl.head.id, tags) < 0)
		return store_failed(c);
	*ret = acl;
	return 0;
}

int api_nacl_create_default(struct api_call *c, const struct vpc *v)
{
	struct network_acl acl;
	return create_acl(c, v->head.id, true, NULL, &acl);
}

int api_nacl_associate_default(struct api_call *c, const struct subnet *s)
{
	struct nacl_assoc as = { 0 };
	const char *acl_id;
	int r = store_nacl_default_of_vpc(c->st, c->arena, s->vpc_id, &acl_id);

	if (r < 0) /* -ENOENT too: every VPC has its default ACL (VPC-4) */
		return store_failed(c);
	id_new("aclassoc", as.id);
	snprintf(as.subnet_id, sizeof(as.subnet_id), "%s", s->head.id);
	if (store_nacl_assoc_insert(c->st, acl_id, &as) < 0)
		return store_failed(c);
	return 0;
}

int api_nacl_delete_in_vpc(struct api_call *c, const char *vpc_id)
{
	struct network_acl *v;
	size_t n;

	if (store_nacl_list(c->st, c->arena, vpc_id, &v, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++)
		if (store_nacl_delete(c->st, v[i].head.id) < 0)
			return store_failed(c);
	return 0;
}

static int load_acl(struct api_call *c, const char *id, struct network_acl **ret)
{
	int r = store_nacl_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_NACL_NOT_FOUND, id);
	return r < 0 ? store_failed(c) : 0;
}

static int get_acl(struct api_call *c, struct network_acl **ret)
{
	const char *id;
	int r = api_get_id(c, "NetworkAclId", "acl", ERR_NACL_MALFORMED, true, &id);
	return r < 0 ? r : load_acl(c, id, ret);
}

/* XML */

/* NACL-3: the `*` rule every list ends with. */
static const struct nacl_entry *star_rule(bool is_egress)
{
	static const struct nacl_entry star[2] = {
		{ .rule_number = NACL_RULE_DEFAULT_DENY, .is_egress = false,
		  .protocol = NACL_PROTO_ALL, .from_port = -1, .to_port = -1, .icmp_type = -1,
		  .icmp_code = -1 },
		{ .rule_number = NACL_RULE_DEFAULT_DENY, .is_egress = true,
		  .protocol = NACL_PROTO_ALL, .from_port = -1, .to_port = -1, .icmp_type = -1,
		  .icmp_code = -1 },
	};
	return &star[is_egress];
}

static void write_entry(struct api_call *c, const struct nacl_entry *e)
{
	char buf[CIDR_STR_MAX];

	xml_open(c->x, "item");
	xml_int(c->x, "ruleNumber", e->rule_number);
	xml_str(c->x, "protocol", arena_printf(c->arena, "%d", e->protocol));
	xml_str(c->x, "ruleAction", e->is_allow ? "allow" : "deny");
	xml_bool(c->x, "egress", e->is_egress);
	xml_str(c->x, "cidrBlock", cidr_format(&e->cidr, buf));
	if (nacl_protocol_has_icmp(e->protocol)) {
		xml_open(c->x, "icmpTypeCode");
		xml_int(c->x, "code", e->icmp_code);
		xml_int(c->x, "type", e->icmp_type);
		xml_close(c->x);
	}
	if (nacl_protocol_has_ports(e->protocol)) {
		xml_open(c->x, "portRange");
		xml_int(c->x, "from", e->from_port);
		xml_int(c->x, "to", e->to_port);
		xml_close(c->x);
	}
	xml_close(c->x);
}

/* AWS lists the outbound entries first, each direction in rule order and
 * ending with its `*` rule. */
static void write_entries(struct api_call *c, const struct network_acl *acl)
{
	static const bool dirs[] = { true, false };

	xml_open(c->x, "entrySet");
	for (size_t d = 0; d < 2; d++) {
		for (size_t i = 0; i < acl->n_entries; i++)
			if (acl->entries[i].is_egress == dirs[d])
				write_entry(c, &acl->entries[i]);
		write_entry(c, star_rule(dirs[d]));
	}
	xml_close(c->x);
}

static void write_acl(struct api_call *c, const struct network_acl *acl)
{
	xml_str(c->x, "networkAclId", acl->head.id);
	xml_str(c->x, "vpcId", acl->vpc_id);
	xml_bool(c->x, "default", acl->is_default);
	write_entries(c, acl);
	xml_open(c->x, "associationSet");
	for (size_t i = 0; i < acl->n_assocs; i++) {
		xml_open(c->x, "item");
		xml_str(c->x, "networkAclAssociationId", acl->assocs[i].id);
		xml_str(c->x, "networkAclId", acl->head.id);
		xml_str(c->x, "subnetId", acl->assocs[i].subnet_id);
		xml_close(c->x);
	}
	xml_close(c->x);
	api_write_tags(c, &acl->head.tags);
	xml_str(c->x, "ownerId", c->cfg->account_id);
}

/* CreateNetworkAcl, DeleteNetworkAcl */

/* API-17: the ACL an earlier call with this token made, or NULL. */
static int token_acl(struct api_call *c, const char *token, struct network_acl **ret)
{
	const char *id = NULL;
	int r;

	*ret = NULL;
	if (!token)
		return 0;
	r = store_nacl_by_token(c->st, c->arena, token, &id);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return store_failed(c);
	r = store_nacl_get(c->st, c->arena, id, ret);
	if (r == -ENOENT) { /* deleted since: the token may make a new one */
		*ret = NULL;
		return 0;
	}
	return r < 0 ? store_failed(c) : 0;
}

static int create_network_acl(struct api_call *c)
{
	const char *vpc_id, *token = NULL;
	struct tag_list tags = { 0 };
	struct network_acl acl, *t;
	struct vpc *v;
	size_t n;
	int r;

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = api_get_tag_specs(c, "network-acl", &tags)) < 0 ||
	    (r = api_get_client_token(c, &token)) < 0)
		return r;
	r = store_vpc_get(c->st, c->arena, vpc_id, &v);
	if (r == -ENOENT)
		return api_fail(c, ERR_VPC_NOT_FOUND, vpc_id);
	if (r < 0)
		return store_failed(c);
	if ((r = token_acl(c, token, &t)) < 0)
		return r;
	if (t) {
		if (strcmp(t->vpc_id, vpc_id) != 0)
			return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
					arena_printf(c->arena,
						     "The client token '%s' was used with other "
						     "parameters by an earlier request.", token));
		if ((r = api_dry_run(c)) < 0)
			return r;
	} else {
		/* NACL-18 */
		if (store_nacl_count_in_vpc(c->st, vpc_id, &n) < 0)
			return store_failed(c);
		if (n >= c->cfg->limits.nacls_per_vpc)
			return api_fail(c, ERR_NACL_LIMIT);
		if ((r = api_dry_run(c)) < 0 ||
		    (r = create_acl(c, vpc_id, false, &tags, &acl)) < 0)
			return r;
		if (token && store_nacl_token_set(c->st, token, acl.head.id) < 0)
			return store_failed(c);
		if ((r = load_acl(c, acl.head.id, &t)) < 0)
			return r;
	}
	xml_open(c->x, "networkAcl");
	write_acl(c, t);
	xml_close(c->x);
	xml_str(c->x, "clientToken", token);
	return 0;
}

static int delete_network_acl(struct api_call *c)
{
	struct network_acl *acl;
	int r;

	if ((r = get_acl(c, &acl)) < 0)
		return r;
	/* NACL-12.  For the default ACL AWS answers InvalidParameterValue,
	 * "cannot delete default network ACL acl-…" (as recalled from live
	 * replies; the spec leaves the code open, no source here confirms it). */
	if (acl->is_default)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "cannot delete default network ACL %s",
					     acl->head.id));
	if (acl->n_assocs)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "The networkAcl '%s' has dependencies and cannot be "
					     "deleted.", acl->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_nacl_delete(c->st, acl->head.id) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

/* Entries */

static int get_rule_number(struct api_call *c, int *ret)
{
	long n = 0;
	int r;

	if (!params_get(c->p, "RuleNumber"))
		return api_fail(c, ERR_MISSING_PARAMETER, "ruleNumber");
	/* NACL-3: 32767 and up are AWS's own. */
	if ((r = api_get_int(c, "RuleNumber", NACL_RULE_MIN, NACL_RULE_MAX, &n)) < 0)
		return r;
	*ret = (int)n;
	return 0;
}

static int get_egress(struct api_call *c, bool *ret)
{
	if (!params_get(c->p, "Egress"))
		return api_fail(c, ERR_MISSING_PARAMETER, "egress");
	return api_get_bool(c, "Egress", ret);
}

/* One of the structure members Name.Member, or Alias.Member (the spelling
 * of the model's member name, which some clients send). */
static const char *member_name(struct api_call *c, const char *name, const char *alias,
			       const char *member)
{
	const char *key = arena_printf(c->arena, "%s.%s", name, member);
	if (!params_get(c->p, key) && alias) {
		const char *alt = arena_printf(c->arena, "%s.%s", alias, member);
		if (params_get(c->p, alt))
			return alt;
	}
	return key;
}

/* A required integer member in [min, max]. */
static int get_member_int(struct api_call *c, const char *name, const char *alias,
			  const char *member, const char *what, long min, long max, int *ret)
{
	const char *key = member_name(c, name, alias, member);
	long v = 0;
	int r;

	if (!params_get(c->p, key))
		return api_fail(c, ERR_MISSING_PARAMETER, what);
	if ((r = api_get_int(c, key, min, max, &v)) < 0)
		return r;
	*ret = (int)v;
	return 0;
}

/* True when any member of the structure Name (or Alias) is given. */
static bool has_struct(struct api_call *c, const char *name, const char *alias,
		       const char *m1, const char *m2)
{
	const char *names[] = { name, alias };
	for (size_t i = 0; i < 2; i++)
		if (names[i] &&
		    (params_get(c->p, arena_printf(c->arena, "%s.%s", names[i], m1)) ||
		     params_get(c->p, arena_printf(c->arena, "%s.%s", names[i], m2))))
			return true;
	return false;
}

/* NACL-4: Protocol, RuleAction, CidrBlock and what the protocol needs:
 * tcp/udp a PortRange, icmp an IcmpTypeCode (-1 = all); other protocols
 * ignore both.  The two "required for" codes are unverified against AWS. */
static int get_entry_fields(struct api_call *c, struct nacl_entry *e)
{
	const char *proto, *action;
	int r;

	if (params_get(c->p, "Ipv6CidrBlock"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 network ACL entries are not supported by localvpc");
	if ((r = api_get_str(c, "Protocol", true, &proto)) < 0 ||
	    (r = api_get_str(c, "RuleAction", true, &action)) < 0)
		return r;
	if (nacl_protocol_parse(proto, &e->protocol) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for protocol. Must be "
						       "a protocol number or -1, tcp, udp or icmp.",
					     proto));
	if (strcmp(action, "allow") && strcmp(action, "deny"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value (%s) for parameter ruleAction is "
						       "invalid. Must be allow or deny.", action));
	e->is_allow = strcmp(action, "allow") == 0;
	if (!params_get(c->p, "CidrBlock"))
		return api_fail(c, ERR_MISSING_PARAMETER, "cidrBlock");
	if ((r = api_get_cidr(c, "CidrBlock", true, &e->cidr)) < 0)
		return r;
	e->from_port = e->to_port = e->icmp_type = e->icmp_code = -1;
	if (nacl_protocol_has_ports(e->protocol)) {
		if (!has_struct(c, "PortRange", NULL, "From", "To"))
			return api_fail(c, ERR_MISSING_PARAMETER, "portRange");
		if ((r = get_member_int(c, "PortRange", NULL, "From", "portRange.from", 0, 65535,
					&e->from_port)) < 0 ||
		    (r = get_member_int(c, "PortRange", NULL, "To", "portRange.to", 0, 65535,
					&e->to_port)) < 0)
			return r;
		if (e->from_port > e->to_port)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid port range %d-%d: from "
							       "must not exceed to.",
						     e->from_port, e->to_port));
	} else if (nacl_protocol_has_icmp(e->protocol)) {
		if (!has_struct(c, "Icmp", "IcmpTypeCode", "Type", "Code"))
			return api_fail(c, ERR_MISSING_PARAMETER, "icmpTypeCode");
		if ((r = get_member_int(c, "Icmp", "IcmpTypeCode", "Type", "icmpTypeCode.type", -1,
					255, &e->icmp_type)) < 0 ||
		    (r = get_member_int(c, "Icmp", "IcmpTypeCode", "Code", "icmpTypeCode.code", -1,
					255, &e->icmp_code)) < 0)
			return r;
	}
	return 0;
}

/* What the three entry calls share: the ACL, the direction and the number. */
struct entry_req {
	struct network_acl *acl;
	struct nacl_entry e;
	const struct nacl_entry *have;
	const char *key; /* "100 (egress)" style, for the messages */
};

static int get_entry_req(struct api_call *c, bool with_fields, struct entry_req *q)
{
	const char *id;
	int r;

	memset(q, 0, sizeof(*q));
	if ((r = api_get_id(c, "NetworkAclId", "acl", ERR_NACL_MALFORMED, true, &id)) < 0 ||
	    (r = get_rule_number(c, &q->e.rule_number)) < 0 ||
	    (r = get_egress(c, &q->e.is_egress)) < 0)
		return r;
	if (with_fields && (r = get_entry_fields(c, &q->e)) < 0)
		return r;
	if ((r = load_acl(c, id, &q->acl)) < 0)
		return r;
	q->have = nacl_entry_find(q->acl, q->e.is_egress, q->e.rule_number);
	q->key = arena_printf(c->arena, "%d (%s)", q->e.rule_number,
			      q->e.is_egress ? "egress" : "ingress");
	return 0;
}

static int create_network_acl_entry(struct api_call *c)
{
	struct entry_req q;
	int r;

	if ((r = get_entry_req(c, true, &q)) < 0)
		return r;
	/* NACL-5 */
	if (q.have)
		return api_fail(c, ERR_NACL_ENTRY_EXISTS, q.key);
	/* NACL-18: the `*` rule counts against the limit. */
	if (nacl_entry_count(q.acl, q.e.is_egress) + 1 >= c->cfg->limits.nacl_entries_per_list)
		return api_fail(c, ERR_NACL_ENTRY_LIMIT);
	if ((r = api_dry_run(c)) < 0)
		return r;
	r = store_nacl_entry_insert(c->st, q.acl->head.id, &q.e);
	if (r == -EEXIST)
		return api_fail(c, ERR_NACL_ENTRY_EXISTS, q.key);
	if (r < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

static int replace_network_acl_entry(struct api_call *c)
{
	struct entry_req q;
	int r;

	if ((r = get_entry_req(c, true, &q)) < 0)
		return r;
	/* NACL-6 */
	if (!q.have)
		return api_fail(c, ERR_NACL_ENTRY_NOT_FOUND, q.key);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_nacl_entry_update(c->st, q.acl->head.id, &q.e) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

static int delete_network_acl_entry(struct api_call *c)
{
	struct entry_req q;
	int r;

	if ((r = get_entry_req(c, false, &q)) < 0)
		return r;
	/* NACL-6 */
	if (!q.have)
		return api_fail(c, ERR_NACL_ENTRY_NOT_FOUND, q.key);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_nacl_entry_delete(c->st, q.acl->head.id, q.e.is_egress, q.e.rule_number) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

/* ReplaceNetworkAclAssociation */

static int replace_network_acl_association(struct api_call *c)
{
	const char *assoc_id;
	struct nacl_assoc as;
	char old_acl_id[ID_MAX];
	struct network_acl *old, *acl;
	char new_id[ID_MAX];
	int r;

	if ((r = api_get_str(c, "AssociationId", true, &assoc_id)) < 0 ||
	    (r = get_acl(c, &acl)) < 0)
		return r;
	r = strlen(assoc_id) < ID_MAX && id_has_prefix(assoc_id, "aclassoc")
		    ? store_nacl_assoc_get(c->st, assoc_id, &as, old_acl_id)
		    : -ENOENT;
	if (r == -ENOENT)
		return api_fail(c, ERR_NACL_ASSOC_NOT_FOUND, assoc_id);
	if (r < 0)
		return store_failed(c);
	if ((r = load_acl(c, old_acl_id, &old)) < 0)
		return r;
	/* NACL-11: a subnet moves between ACLs of its own VPC only. */
	if (strcmp(old->vpc_id, acl->vpc_id) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Network ACL association %s and network ACL %s belong "
					     "to different networks", assoc_id, acl->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	id_new("aclassoc", new_id);
	if (store_nacl_assoc_move(c->st, assoc_id, new_id, acl->head.id) < 0)
		return store_failed(c);
	xml_str(c->x, "newAssociationId", new_id);
	return 0;
}

/* DescribeNetworkAcls (NACL-19) */

static const char *const nacl_filters[] = {
	"association.association-id",
	"association.network-acl-id",
	"association.subnet-id",
	"default",
	"entry.cidr",
	"entry.egress",
	"entry.icmp.code",
	"entry.icmp.type",
	"entry.ipv6-cidr",
	"entry.port-range.from",
	"entry.port-range.to",
	"entry.protocol",
	"entry.rule-action",
	"entry.rule-number",
	"network-acl-id",
	"owner-id",
	"vpc-id",
	NULL,
};

static void entry_values(struct api_call *c, const struct nacl_entry *e, const char *name,
			 struct strv *out)
{
	char buf[CIDR_STR_MAX];

	if (!strcmp(name, "cidr"))
		strv_add(c, out, arena_strdup(c->arena, cidr_format(&e->cidr, buf)));
	else if (!strcmp(name, "egress"))
		strv_add_bool(c, out, e->is_egress);
	else if (!strcmp(name, "icmp.code") && nacl_protocol_has_icmp(e->protocol))
		strv_add(c, out, arena_printf(c->arena, "%d", e->icmp_code));
	else if (!strcmp(name, "icmp.type") && nacl_protocol_has_icmp(e->protocol))
		strv_add(c, out, arena_printf(c->arena, "%d", e->icmp_type));
	else if (!strcmp(name, "port-range.from") && nacl_protocol_has_ports(e->protocol))
		strv_add(c, out, arena_printf(c->arena, "%d", e->from_port));
	else if (!strcmp(name, "port-range.to") && nacl_protocol_has_ports(e->protocol))
		strv_add(c, out, arena_printf(c->arena, "%d", e->to_port));
	else if (!strcmp(name, "protocol")) {
		/* The filter takes "tcp", "udp", "icmp" or a number. */
		strv_add(c, out, arena_printf(c->arena, "%d", e->protocol));
		strv_add(c, out, nacl_protocol_name(e->protocol));
	} else if (!strcmp(name, "rule-action"))
		strv_add(c, out, e->is_allow ? "allow" : "deny");
	else if (!strcmp(name, "rule-number"))
		strv_add(c, out, arena_printf(c->arena, "%d", e->rule_number));
}

static void nacl_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct network_acl *acl = item;

	if (!strncmp(name, "entry.", 6)) {
		for (size_t i = 0; i < acl->n_entries; i++)
			entry_values(c, &acl->entries[i], name + 6, out);
		entry_values(c, star_rule(false), name + 6, out);
		entry_values(c, star_rule(true), name + 6, out);
	} else if (!strncmp(name, "association.", 12)) {
		for (size_t i = 0; i < acl->n_assocs; i++) {
			if (!strcmp(name + 12, "association-id"))
				strv_add(c, out, acl->assocs[i].id);
			else if (!strcmp(name + 12, "network-acl-id"))
				strv_add(c, out, acl->head.id);
			else if (!strcmp(name + 12, "subnet-id"))
				strv_add(c, out, acl->assocs[i].subnet_id);
		}
	} else if (!strcmp(name, "default")) {
		strv_add_bool(c, out, acl->is_default);
	} else if (!strcmp(name, "network-acl-id")) {
		strv_add(c, out, acl->head.id);
	} else if (!strcmp(name, "owner-id")) {
		strv_add(c, out, c->cfg->account_id);
	} else if (!strcmp(name, "vpc-id")) {
		strv_add(c, out, acl->vpc_id);
	}
}

static void nacl_item(struct api_call *c, const void *item)
{
	write_acl(c, item);
}

static int describe_network_acls(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "NetworkAclId",
		.id_prefix = "acl",
		.malformed = ERR_NACL_MALFORMED,
		.not_found = ERR_NACL_NOT_FOUND,
		.filters = nacl_filters,
		.max_results_min = 5, /* API-22 */
		.max_results_max = 1000,
		.set_name = "networkAclSet",
		.item_size = sizeof(struct network_acl),
		.values = nacl_values,
		.write = nacl_item,
	};
	struct network_acl *v;
	size_t n;

	if (store_nacl_list(c->st, c->arena, NULL, &v, &n) < 0)
		return store_failed(c);
	return api_describe(c, &spec, v, n);
}

#define ENTRY_PARAMS                                                                          \
	"NetworkAclId", "RuleNumber", "Egress", "Protocol", "RuleAction", "CidrBlock",        \
		"Ipv6CidrBlock", "PortRange", "Icmp", "IcmpTypeCode"

const struct api_action api_network_acl_actions[] = {
	{ "CreateNetworkAcl", create_network_acl,
	  API_PARAMS("VpcId", "TagSpecification", "ClientToken") },
	{ "DeleteNetworkAcl", delete_network_acl, API_PARAMS("NetworkAclId") },
	{ "DescribeNetworkAcls", describe_network_acls,
	  API_PARAMS("NetworkAclId", "Filter", "MaxResults", "NextToken") },
	{ "CreateNetworkAclEntry", create_network_acl_entry, API_PARAMS(ENTRY_PARAMS) },
	{ "ReplaceNetworkAclEntry", replace_network_acl_entry, API_PARAMS(ENTRY_PARAMS) },
	{ "DeleteNetworkAclEntry", delete_network_acl_entry,
	  API_PARAMS("NetworkAclId", "RuleNumber", "Egress") },
	{ "ReplaceNetworkAclAssociation", replace_network_acl_association,
	  API_PARAMS("AssociationId", "NetworkAclId") },
	{ NULL, NULL, NULL },
};
