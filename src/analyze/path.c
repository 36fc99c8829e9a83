// SPDX-License-Identifier: MIT
/* Recording a walk: hops, explanations, notes, and the lookups and words
 * they share; see path.h.  Pure. */
#include "analyze/path.h"

#include <stdio.h>
#include <string.h>

#include "model/snapshot.h"
#include "semantics/snap.h"
#include "util/arena.h"

/* ---- recording ---------------------------------------------------------- */

const char *path_tag_name(const struct res_head *h)
{
	for (size_t i = 0; i < h->tags.n; i++)
		if (!strcmp(h->tags.v[i].key, "Name"))
			return h->tags.v[i].value;
	return "";
}

struct hop *path_hop(struct path_ctx *c, const char *type, const char *id, const char *name,
		       bool allowed, const char *rule, const struct path_pkt *k)
{
	struct hop *h;
	if (c->in_return) {
		ARENA_RESERVE(c->a, c->ret, c->n_ret, c->cap_ret);
		h = &c->ret[c->n_ret++];
	} else {
		ARENA_RESERVE(c->a, c->fwd, c->n_fwd, c->cap_fwd);
		h = &c->fwd[c->n_fwd++];
	}
	memset(h, 0, sizeof(*h));
	h->component_type = type;
	snprintf(h->component_id, sizeof(h->component_id), "%s", id);
	h->name = name ? name : "";
	h->allowed = allowed;
	h->rule = rule ? rule : "";
	h->acl_rule_number = -1;
	h->src_ip = k->src;
	h->dst_ip = k->dst;
	h->src_port = k->sport;
	h->dst_port = k->dport;
	h->protocol = k->proto;
	return h;
}

struct explanation *path_explain(struct path_ctx *c, const char *code, const char *type,
				 const char *id, const char *direction, const char *text,
				 const char *suggestion)
{
	ARENA_RESERVE(c->a, c->why, c->n_why, c->cap_why);
	struct explanation *x = &c->why[c->n_why++];
	memset(x, 0, sizeof(*x));
	x->code = code;
	x->component_type = type;
	snprintf(x->component_id, sizeof(x->component_id), "%s", id);
	x->direction = direction;
	x->text = text;
	x->is_return = c->in_return;
	x->suggestion = suggestion;
	return x;
}

void path_note(struct path_ctx *c, const char *text)
{
	if (strstr(c->notes, text))
		return;
	c->notes = *c->notes ? arena_printf(c->a, "%s; %s", c->notes, text) : text;
}

const char *path_ip(struct path_ctx *c, uint32_t ip)
{
	char b[IP4_STR_MAX];
	return arena_strdup(c->a, ip4_format(ip, b));
}

/* "tcp/22", "udp/53", "icmp type 8", "protocol 47". */
const char *path_flow(struct path_ctx *c, const struct path_pkt *k)
{
	if (k->proto == 6 || k->proto == 17)
		return arena_printf(c->a, "%s/%d", k->proto == 6 ? "tcp" : "udp", k->dport);
	if (k->proto == 1)
		return arena_printf(c->a, "icmp type %d", k->dport);
	return arena_printf(c->a, "protocol %d", k->proto);
}

const char *path_proto_name(int p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == 1 ? "icmp" : "-1";
}

/* ---- lookups -------------------------------------------------------------- */

/* The ENI holding private ip in vpc_id or a VPC actively peered with it
 * (where a group reference can name it, SG-10), or NULL. */
const struct eni *path_eni_near(struct path_ctx *c, uint32_t ip, const char *vpc_id)
{
	const struct eni *e = sem_eni_by_ip(c->s, ip);
	if (e && (!strcmp(e->vpc_id, vpc_id) || sem_vpcs_peered(c->s, e->vpc_id, vpc_id)))
		return e;
	return NULL;
}

const char *path_groups(struct path_ctx *c, const struct eni *e)
{
	const char *s = "";
	for (size_t i = 0; e && i < e->n_groups; i++)
		s = arena_printf(c->a, "%s%s%s", s, i ? ", " : "", e->group_ids[i]);
	return s;
}

const struct vpc *path_vpc(struct path_ctx *c, const char *id)
{
	return sem_vpc(c->s, id);
}

bool path_vpc_holds(const struct vpc *v, uint32_t ip)
{
	for (size_t i = 0; v && i < v->n_assocs; i++)
		if (v->assocs[i].state == CIDR_ASSOCIATED && cidr_contains_ip(&v->assocs[i].cidr, ip))
			return true;
	return false;
}

/* ---- ENIs ----------------------------------------------------------------- */

const char *path_eni_type(const struct eni *e)
{
	return e->instance_id[0] ? T_INSTANCE : sem_eni_is_natgw(e) ? T_NATGW : T_ENI;
}

const char *path_eni_id(struct path_ctx *c, const struct eni *e)
{
	if (e->instance_id[0])
		return e->instance_id;
	const struct nat_gateway *g = sem_natgw_of_eni(c->s, e);
	return g ? g->head.id : e->head.id;
}

const char *path_eni_name(struct path_ctx *c, const struct eni *e)
{
	const struct instance *in = e->instance_id[0] ? sem_instance(c->s, e->instance_id) : NULL;
	return in ? path_tag_name(&in->head) : path_tag_name(&e->head);
}
