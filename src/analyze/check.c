// SPDX-License-Identifier: MIT
/* One component judged for one packet, with AWS's explanation code and the
 * smallest fix; see check.h.  The verdicts are semantics/'s.  Pure. */
#include "analyze/check.h"

#include <stdio.h>
#include <string.h>

#include "analyze/path.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"

/* ---- security groups ---------------------------------------------------- */

/* A first-party ENI's groups in one direction for a new flow; returns
 * false when they drop it (recorded, and the walk goes on: other blockers
 * are worth knowing too). */
bool check_sg(struct path_ctx *c, const struct eni *e, bool is_egress, const struct path_pkt *k)
{
	if (!sem_eni_has_groups(e))
		return true;
	const char *dir = is_egress ? "egress" : "ingress";
	const char *first = e->n_groups ? e->group_ids[0] : "";
	const struct security_group *g0 = sem_group(c->s, first);
	if (c->in_return) {
		path_hop(c, T_SG, first, g0 ? g0->name : "", true,
		    "return traffic of an allowed flow (stateful)", k)
			->direction = dir;
		return true;
	}
	struct sem_sg_rules r;
	sem_sg_flatten(c->a, c->s, e, is_egress, &r);
	uint32_t peer_ip = is_egress ? k->dst : k->src;
	const struct sem_sg_entry *m = sem_sg_allows(&r, peer_ip, k->proto, k->dport, k->code);
	if (m) {
		struct hop *h = path_hop(c, T_SG, m->group->head.id, m->group->name, true,
				    sem_sg_rule_text(c->a, m->rule), k);
		h->direction = dir;
		snprintf(h->rule_id, sizeof(h->rule_id), "%s", m->rule->id);
		return true;
	}
	const struct eni *peer = path_eni_near(c, peer_ip, e->vpc_id);
	const char *peer_groups = peer ? path_groups(c, peer) : "";
	const char *peer_txt = *peer_groups ? arena_printf(c->a, "%s (%s)", path_ip(c, peer_ip),
							   peer_groups)
					    : path_ip(c, peer_ip);
	const char *rule = arena_printf(c->a, "no rule admits %s %s %s", path_flow(c, k),
					is_egress ? "to" : "from", peer_txt);
	path_hop(c, T_SG, first, g0 ? g0->name : "", false, rule, k)->direction = dir;
	/* The smallest change: one rule in the ENI's first group, naming the
	 * peer's group when it has one (what the seed does), else its /32. */
	const char *peer_ref = peer && peer->n_groups
				       ? peer->group_ids[0]
				       : arena_printf(c->a, "%s/32", path_ip(c, peer_ip));
	const char *fix = arena_printf(c->a, "add %s %s %s %s to %s", dir, path_flow(c, k),
				       is_egress ? "to" : "from", peer_ref, first);
	if (k->proto == 6 || k->proto == 17)
		fix = arena_printf(c->a,
				   "%s (aws ec2 authorize-security-group-%s --group-id %s "
				   "--protocol %s --port %d --%s %s)",
				   fix, dir, first, path_proto_name(k->proto), k->dport,
				   peer && peer->n_groups ? "source-group" : "cidr", peer_ref);
	struct explanation *x = path_explain(
		c, "ENI_SG_RULES_MISMATCH", T_SG, first, dir,
		arena_printf(c->a, "None of the %s rules of %s (%s) on %s admit %s %s %s.", dir,
			     path_groups(c, e), g0 ? g0->name : "", e->head.id, path_flow(c, k),
			     is_egress ? "to" : "from", peer_txt),
		fix);
	snprintf(x->eni_id, sizeof(x->eni_id), "%s", e->head.id);
	return false;
}

/* ---- network ACLs --------------------------------------------------------- */

static int free_rule_number(struct sem_nacl_match *v, size_t n, int below)
{
	for (int k = below - 1; k >= 1; k--) {
		bool used = false;
		for (size_t i = 0; i < n && !used; i++)
			used = v[i].rule_number == k;
		if (!used)
			return k;
	}
	return 0;
}

/* The ACL of subnet_id in one direction for packet k; false when it
 * denies (recorded; the walk goes on). */
bool check_acl(struct path_ctx *c, const char *subnet_id, bool is_egress, const struct path_pkt *k)
{
	const struct network_acl *acl = sem_nacl_of_subnet(c->s, subnet_id);
	const char *dir = is_egress ? "egress" : "ingress";
	if (!acl)
		return true; /* nothing applies, as in the data plane */
	struct sem_nacl_match *v;
	size_t n = sem_nacl_entries(c->a, acl, is_egress, &v);
	const struct sem_nacl_match *m =
		sem_nacl_eval(v, n, k->src, k->dst, k->proto, k->dport, k->code);
	const char *rule = m ? sem_nacl_text(c->a, m) : "rule * (32767) deny all traffic";
	struct hop *h = path_hop(c, T_ACL, acl->head.id, path_tag_name(&acl->head), m && m->is_allow, rule, k);
	h->direction = dir;
	h->acl_rule_number = m ? m->rule_number : NACL_RULE_DEFAULT_DENY;
	if (m && m->is_allow)
		return true;
	/* Replies go to the client's ephemeral port: the rule to add opens
	 * 1024-65535, as AWS's documentation advises. */
	uint32_t peer = is_egress ? k->dst : k->src;
	const char *what = (k->proto == 6 || k->proto == 17) && c->in_return
				   ? arena_printf(c->a, "%s 1024-65535", path_proto_name(k->proto))
			   : k->proto == 6 || k->proto == 17
				   ? arena_printf(c->a, "%s %d", path_proto_name(k->proto), k->dport)
				   : path_flow(c, k);
	int number;
	const char *where;
	if (m) {
		number = free_rule_number(v, n, m->rule_number);
		where = arena_printf(c->a, " ahead of rule %d (deny)", m->rule_number);
	} else {
		int top = 0;
		for (size_t i = 0; i < n; i++)
			top = v[i].rule_number > top ? v[i].rule_number : top;
		number = top < 32000 ? (top / 100 + 1) * 100 : free_rule_number(v, n, 32767);
		where = "";
	}
	const char *fix = arena_printf(c->a, "add to %s an %s allow rule %d for %s %s %s/32%s",
				       acl->head.id, is_egress ? "outbound" : "inbound", number, what,
				       is_egress ? "to" : "from", path_ip(c, peer), where);
	const char *match =
		k->proto == 6 || k->proto == 17
			? arena_printf(c->a, "--protocol %s --port-range From=%d,To=%d",
				       path_proto_name(k->proto), c->in_return ? 1024 : k->dport,
				       c->in_return ? 65535 : k->dport)
		: k->proto == 1 ? arena_printf(c->a, "--protocol icmp --icmp-type-code Type=%d,Code=-1",
					       k->dport)
				: arena_printf(c->a, "--protocol %d", k->proto);
	fix = arena_printf(c->a,
			   "%s (aws ec2 create-network-acl-entry --network-acl-id %s --%s "
			   "--rule-number %d %s --cidr-block %s/32 --rule-action allow)",
			   fix, acl->head.id, is_egress ? "egress" : "ingress", number, match,
			   path_ip(c, peer));
	path_explain(c, "SUBNET_ACL_RESTRICTION", T_ACL, acl->head.id, dir,
		arena_printf(c->a, "%s of %s (%s) %s %s %s %s: %s.",
			     is_egress ? "The outbound rules" : "The inbound rules", acl->head.id,
			     subnet_id, c->in_return ? "drop the replies" : "drop", path_flow(c, k),
			     is_egress ? "to" : "from", path_ip(c, peer), rule),
		fix);
	return false;
}

/* NACL-13: ACLs apply only when the packet crosses a subnet boundary. */
bool check_acls_between(struct path_ctx *c, const struct eni *from, const struct eni *to,
			 const struct path_pkt *k)
{
	bool ok = true;
	if (from && to && !sem_nacl_applies(from->subnet_id, to->subnet_id))
		return true;
	if (from)
		ok &= check_acl(c, from->subnet_id, true, k);
	if (to)
		ok &= check_acl(c, to->subnet_id, false, k);
	return ok;
}

/* ENI-4: packets a checked ENI sends must come from its address, and
 * packets it receives must be for it. */
bool check_src_dst(struct path_ctx *c, const struct eni *e, bool sending, const struct path_pkt *k)
{
	uint32_t addr = sending ? k->src : k->dst;
	if (!sem_eni_checks_src_dst(e) || addr == e->private_ip)
		return true;
	path_hop(c, T_ENI, e->head.id, path_eni_name(c, e), false,
	    arena_printf(c->a, "source/destination check: %s %s is not its address %s",
			 sending ? "source" : "destination", path_ip(c, addr),
			 path_ip(c, e->private_ip)),
	    k);
	path_explain(c, "ENI_SOURCE_DEST_CHECK_RESTRICTION", T_ENI, e->head.id, NULL,
		arena_printf(c->a,
			     "%s has its source/destination check on: it %s only packets %s its "
			     "own address %s.",
			     e->head.id, sending ? "sends" : "receives", sending ? "from" : "for",
			     path_ip(c, e->private_ip)),
		e->instance_id[0]
			? arena_printf(c->a,
				       "turn off the source/destination check of %s (aws ec2 "
				       "modify-instance-attribute --instance-id %s "
				       "--no-source-dest-check)",
				       e->instance_id, e->instance_id)
			: arena_printf(c->a,
				       "turn off the source/destination check of %s (aws ec2 "
				       "modify-network-interface-attribute --network-interface-id "
				       "%s --no-source-dest-check)",
				       e->head.id, e->head.id));
	return false;
}

bool check_running(struct path_ctx *c, const struct eni *e, const struct path_pkt *k)
{
	if (sem_eni_running(c->s, e))
		return true;
	const char *id = path_eni_id(c, e);
	path_hop(c, path_eni_type(e), id, path_eni_name(c, e), false, "not running", k);
	path_explain(c, "BAD_STATE", path_eni_type(e), id, NULL,
		arena_printf(c->a, "%s is not running: nothing answers or forwards.", id),
		arena_printf(c->a, "start %s", id));
	return false;
}
