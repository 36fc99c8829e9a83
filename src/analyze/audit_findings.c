// SPDX-License-Identifier: MIT
/* The exposure audit's findings (see audit_internal.h): a finding under
 * construction (struct pending) is keyed by its code and what to change —
 * a rule, an interface — so one rule open on many instances is one
 * finding naming them; their words and aws CLI fixes are built here, as
 * are the two read straight off the exposures and routes:
 * SSH_OPEN_TO_WORLD / RDP_OPEN_TO_WORLD and NAT_SOURCE_DEST_CHECK.  The
 * bastion findings live in audit_bastion.c.  Codes are stable (audit.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/audit_internal.h"
#include "model/snapshot.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

struct pending *audit_pend(struct work *k, struct pendings *p, const char *code, const void *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].key == key && !strcmp(p->v[i].code, code))
			return &p->v[i];
	ARENA_RESERVE(k->w, p->v, p->n, p->cap);
	struct pending *x = &p->v[p->n++];
	memset(x, 0, sizeof(*x));
	x->code = code;
	x->key = key;
	return x;
}

void audit_pend_id(struct work *k, struct pending *x, const char *id)
{
	for (size_t i = 0; i < x->n_ids; i++)
		if (!strcmp(x->ids[i], id))
			return;
	ARENA_RESERVE(k->w, x->ids, x->n_ids, x->cap_ids);
	x->ids[x->n_ids++] = id;
}

/* "i-1, i-2 and 3 more". */
static const char *id_list(struct work *k, const struct pending *x)
{
	const char *s = "";
	size_t shown = x->n_ids < 3 ? x->n_ids : 3;
	for (size_t i = 0; i < shown; i++)
		s = arena_printf(k->a, "%s%s%s", s, i ? ", " : "", x->ids[i]);
	if (x->n_ids > shown)
		s = arena_printf(k->a, "%s and %zu more", s, x->n_ids - shown);
	return s;
}

const char *audit_eni_label(const struct eni *e)
{
	return e->instance_id[0] ? e->instance_id : e->head.id;
}

const char *audit_group_label(struct work *k, const char *gid)
{
	const struct security_group *g = audit_group_of(k, gid, NULL);
	return g && g->name && *g->name ? arena_printf(k->a, "%s (%s)", gid, g->name)
					: arena_strdup(k->a, gid);
}

/* By its rule ID, or (an imported rule has none) by its exact permission;
 * and a reminder when the rule admits more than the one port. */
const char *audit_revoke_cmd(struct work *k, const char *gid, const struct sg_rule *r, int port)
{
	char pfx[CIDR_STR_MAX], proto[SG_PROTO_NAME_MAX];
	const char *cmd;
	if (*r->id) {
		cmd = arena_printf(k->a,
				   "aws ec2 revoke-security-group-ingress --group-id %s "
				   "--security-group-rule-ids %s",
				   gid, r->id);
	} else {
		const char *peer =
			r->peer == SG_PEER_GROUP
				? arena_printf(k->a, "UserIdGroupPairs=[{GroupId=%s}]", r->ref_group_id)
				: arena_printf(k->a, "IpRanges=[{CidrIp=%s}]", cidr_format(&r->cidr, pfx));
		const char *ports = sg_protocol_has_ports(r->protocol)
					    ? arena_printf(k->a, "FromPort=%d,ToPort=%d,", r->from_port,
							   r->to_port)
					    : "";
		cmd = arena_printf(k->a,
				   "aws ec2 revoke-security-group-ingress --group-id %s "
				   "--ip-permissions 'IpProtocol=%s,%s%s'",
				   gid, sg_protocol_name(r->protocol, proto), ports, peer);
	}
	if (r->protocol == SG_PROTO_TCP && r->from_port == port && r->to_port == port)
		return cmd;
	return arena_printf(k->a, "%s (it admits more than tcp/%d: add back what else it should)",
			    cmd, port);
}

const struct sg_rule *audit_other_admit(const struct security_group *g, const struct sg_rule *r,
					int port, const char *peer_group)
{
	for (size_t i = 0; g && i < g->n_rules; i++) {
		const struct sg_rule *o = &g->rules[i];
		bool tcp = o->protocol == SG_PROTO_ALL ||
			   (o->protocol == SG_PROTO_TCP && o->from_port <= port && port <= o->to_port);
		if (o == r || o->is_egress || !tcp)
			continue;
		if (peer_group ? o->peer == SG_PEER_GROUP && !strcmp(o->ref_group_id, peer_group)
			       : o->peer == SG_PEER_CIDR && o->cidr.len > 0)
			return o;
	}
	return NULL;
}

/* SSH_OPEN_TO_WORLD, RDP_OPEN_TO_WORLD: a confirmed tcp exposure of the
 * port from 0.0.0.0/0, per rule. */
void audit_findings_world(struct work *k, struct pendings *p)
{
	static const struct {
		int port;
		const char *code, *name;
	} svc[] = { { PORT_SSH, "SSH_OPEN_TO_WORLD", "SSH" }, { PORT_RDP, "RDP_OPEN_TO_WORLD", "RDP" } };
	for (size_t i = 0; i < k->n_exp; i++) {
		const struct audit_exposure *x = &k->exp[i];
		for (size_t v = 0; v < 2; v++) {
			if (x->protocol != 6 || x->from_port > svc[v].port || x->to_port < svc[v].port)
				continue;
			for (size_t j = 0; j < x->n_admits; j++) {
				const struct audit_admit *m = &x->admits[j];
				if (strcmp(m->source, "0.0.0.0/0"))
					continue;
				struct pending *f = audit_pend(k, p, svc[v].code, m->sg_rule);
				audit_pend_id(k, f, x->instance_id[0] ? x->instance_id : x->eni_id);
				if (f->what)
					continue;
				f->severity = AUDIT_HIGH;
				f->resource_id = m->group_id;
				f->what = arena_printf(k->a, "%s admits %s: %s is open to the whole "
							     "internet on",
						       audit_group_label(k, m->group_id), m->rule,
						       svc[v].name);
				const struct sg_rule *keep =
					audit_other_admit(audit_group_of(k, m->group_id, NULL),
							  m->sg_rule, svc[v].port, NULL);
				const char *revoke =
					audit_revoke_cmd(k, m->group_id, m->sg_rule, svc[v].port);
				char pfx[CIDR_STR_MAX];
				if (keep)
					f->fix = arena_printf(k->a, "revoke it (%s stays admitted): %s",
							      cidr_format(&keep->cidr, pfx), revoke);
				else
					f->fix = arena_printf(
						k->a,
						"admit %s only from your own address: %s; aws ec2 "
						"authorize-security-group-ingress --group-id %s "
						"--protocol tcp --port %d --cidr MY.IP.AD.DR/32",
						svc[v].name, revoke, m->group_id, svc[v].port);
			}
		}
	}
}

/* Bastions: instances the internet reaches on SSH. */

/* NAT_SOURCE_DEST_CHECK: ENI-4 drops what a checked interface would
 * forward, so a route to it is a dead end. */
void audit_findings_nat(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	char pfx[CIDR_STR_MAX];
	for (size_t ti = 0; ti < s->n_rtbs; ti++) {
		const struct route_table *t = &s->rtbs[ti];
		if (!audit_in_scope(k, t->vpc_id))
			continue;
		for (size_t ri = 0; ri < t->n_routes; ri++) {
			const struct route *r = &t->routes[ri];
			const struct eni *e = NULL;
			if (r->target == ROUTE_INSTANCE) {
				for (size_t i = 0; i < s->n_enis && !e; i++)
					if (!strcmp(s->enis[i].instance_id, r->target_id) &&
					    s->enis[i].device_index == 0)
						e = &s->enis[i];
			} else if (r->target == ROUTE_NETWORK_INTERFACE) {
				e = sem_eni(s, r->target_id);
			}
			if (!e || !sem_eni_checks_src_dst(e))
				continue;
			struct pending *f = audit_pend(k, p, "NAT_SOURCE_DEST_CHECK", e);
			f->severity = AUDIT_HIGH;
			f->resource_id = audit_eni_label(e);
			f->what = arena_printf(k->a, "%s has its source/destination check on: it drops "
						     "every packet it would forward, so the routes to "
						     "it lead nowhere:",
					       audit_eni_label(e));
			f->fix = e->instance_id[0]
					 ? arena_printf(k->a,
							"turn the check off: aws ec2 "
							"modify-instance-attribute --instance-id %s "
							"--no-source-dest-check",
							e->instance_id)
					 : arena_printf(k->a,
							"turn the check off: aws ec2 "
							"modify-network-interface-attribute "
							"--network-interface-id %s --no-source-dest-check",
							e->head.id);
			audit_pend_id(k, f,
				      arena_printf(k->a, "%s in %s", cidr_format(&r->dest, pfx),
						   t->head.id));
		}
	}
}


static int cmp_finding(const void *x, const void *y)
{
	const struct audit_finding *a = x, *b = y;
	int c = (int)b->severity - (int)a->severity;
	if (!c)
		c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->resource_id, b->resource_id);
}

void audit_findings_emit(struct work *k, const struct pendings *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct pending *x = &p->v[i];
		ARENA_RESERVE(k->a, k->fnd, k->n_fnd, k->cap_fnd);
		struct audit_finding *f = &k->fnd[k->n_fnd++];
		f->code = x->code;
		f->severity = x->severity;
		snprintf(f->resource_id, sizeof(f->resource_id), "%s", x->resource_id);
		f->text = arena_printf(k->a, "%s %s.", x->what, id_list(k, x));
		f->fix = x->fix;
	}
	if (k->n_fnd)
		qsort(k->fnd, k->n_fnd, sizeof(*k->fnd), cmp_finding);
}
