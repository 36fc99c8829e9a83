// SPDX-License-Identifier: MIT
/* GROUP_SPOOFABLE (security checklist 34): a rule that admits a group
 * admits by the packet's source address, as the data plane matches it
 * (compile/sg.c maps ip saddr to the sender's groups), and an interface
 * with its source/destination check off may send from any address.  So
 * such an interface passes every rule that admits a group whose members
 * share its VPC, whatever its own groups.  Reported where one packet is
 * the whole conversation — UDP, ICMP, any protocol but TCP, or all
 * traffic — since the replies go to the real member: a TCP handshake
 * from a spoofed address does not complete, a datagram is delivered. */
#include <string.h>

#include "analyze/audit_internal.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "semantics/snap.h"
#include "util/arena.h"

#define PROTO_TCP 6

static bool carries(const struct eni *e, const char *gid)
{
	for (size_t i = 0; i < e->n_groups; i++)
		if (!strcmp(e->group_ids[i], gid))
			return true;
	return false;
}

/* A running interface of vpc_id other than not, carrying gid. */
static bool has_member(const struct snapshot *s, const char *vpc_id, const char *gid,
		       const struct eni *not)
{
	for (size_t i = 0; i < s->n_enis; i++) {
		const struct eni *e = &s->enis[i];
		if (e != not && !strcmp(e->vpc_id, vpc_id) && sem_eni_running(s, e) && carries(e, gid))
			return true;
	}
	return false;
}

static const char *proto_words(struct work *k, const struct sg_rule *r)
{
	if (r->protocol == SG_PROTO_ALL)
		return "all traffic";
	if (r->protocol == 17)
		return r->from_port == r->to_port ? arena_printf(k->a, "udp/%d", r->from_port)
						  : arena_printf(k->a, "udp/%d-%d", r->from_port,
								 r->to_port);
	if (r->protocol == 1)
		return "icmp";
	return arena_printf(k->a, "protocol %d", r->protocol);
}

static void scan_spoofer(struct work *k, struct pendings *p, const struct eni *x)
{
	const struct snapshot *s = k->s;
	for (size_t gi = 0; gi < s->n_sgs; gi++) {
		const struct security_group *g = &s->sgs[gi];
		if (strcmp(g->vpc_id, x->vpc_id) || !has_member(s, x->vpc_id, g->head.id, x))
			continue;
		for (size_t ri = 0; ri < g->n_rules; ri++) {
			const struct sg_rule *r = &g->rules[ri];
			if (r->is_egress || r->peer != SG_PEER_GROUP || r->ref_user_id[0] ||
			    r->protocol == PROTO_TCP || carries(x, r->ref_group_id) ||
			    !has_member(s, x->vpc_id, r->ref_group_id, x))
				continue;
			struct pending *f = audit_pend(k, p, "GROUP_SPOOFABLE", x);
			if (!f->what) {
				f->severity = AUDIT_MEDIUM;
				f->resource_id = audit_eni_label(x);
				f->what = arena_printf(
					k->a,
					"%s has its source/destination check off, so it can send "
					"from a group member's address, and a rule that admits a "
					"group admits by source address; one-way traffic it sends "
					"so passes",
					audit_eni_label(x));
				f->fix = arena_printf(
					k->a,
					"where a group must be trusted, admit it over TCP only or "
					"by the members' own addresses, or turn the check back on "
					"if %s does not forward: aws ec2 modify-instance-attribute "
					"--instance-id %s --source-dest-check",
					audit_eni_label(x), x->instance_id);
			}
			audit_pend_id(k, f,
				      arena_printf(k->a, "%s from %s in %s", proto_words(k, r),
						   audit_group_label(k, r->ref_group_id),
						   audit_group_label(k, g->head.id)));
		}
	}
}

void audit_spoof_groups(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	for (size_t i = 0; i < s->n_enis; i++) {
		const struct eni *x = &s->enis[i];
		if (!x->instance_id[0] || sem_eni_checks_src_dst(x) || !audit_in_scope(k, x->vpc_id) ||
		    !sem_eni_running(s, x))
			continue;
		scan_spoofer(k, p, x);
	}
}
