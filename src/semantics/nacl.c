// SPDX-License-Identifier: MIT
/* Network ACL semantics; see nacl.h.  Pure. */
#include "semantics/nacl.h"

#include <stdlib.h>
#include <string.h>

#include "model/network_acl.h"
#include "model/snapshot.h"
#include "util/arena.h"

const struct network_acl *sem_nacl_of_subnet(const struct snapshot *s, const char *subnet_id)
{
	for (size_t i = 0; i < s->n_nacls; i++)
		for (size_t k = 0; k < s->nacls[i].n_assocs; k++)
			if (!strcmp(s->nacls[i].assocs[k].subnet_id, subnet_id))
				return &s->nacls[i];
	return NULL;
}

static int cmp_rule(const void *x, const void *y)
{
	const struct sem_nacl_match *a = x, *b = y;
	return a->rule_number - b->rule_number;
}

size_t sem_nacl_entries(struct arena *a, const struct network_acl *acl, bool is_egress,
			struct sem_nacl_match **ret)
{
	struct sem_nacl_match *v = arena_alloc_array(a, acl->n_entries + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < acl->n_entries; i++) {
		const struct nacl_entry *e = &acl->entries[i];
		if (e->is_egress != is_egress)
			continue;
		struct sem_nacl_match *m = &v[n++];
		m->rule_number = e->rule_number;
		m->is_egress = e->is_egress;
		m->is_allow = e->is_allow;
		m->cidr = e->cidr;
		m->protocol = e->protocol;
		m->has_ports = (e->protocol == NACL_PROTO_TCP || e->protocol == NACL_PROTO_UDP) &&
			       e->from_port >= 0;
		m->port_lo = e->from_port;
		m->port_hi = e->to_port;
		m->has_icmp_type = e->protocol == NACL_PROTO_ICMP && e->icmp_type >= 0;
		m->has_icmp_code = m->has_icmp_type && e->icmp_code >= 0;
		m->icmp_type = e->icmp_type;
		m->icmp_code = e->icmp_code;
	}
	/* The store keeps them ordered; stable either way (numbers are
	 * unique per direction, NACL-5). */
	qsort(v, n, sizeof(*v), cmp_rule);
	*ret = v;
	return n;
}

const struct sem_nacl_match *sem_nacl_eval(const struct sem_nacl_match *v, size_t n,
					   uint32_t src, uint32_t dst, int protocol, int port,
					   int icmp_code)
{
	for (size_t i = 0; i < n; i++) {
		const struct sem_nacl_match *m = &v[i];
		if (m->cidr.len && !cidr_contains_ip(&m->cidr, m->is_egress ? dst : src))
			continue;
		if (m->protocol != NACL_PROTO_ALL && m->protocol != protocol)
			continue;
		if (m->has_ports && (port < m->port_lo || port > m->port_hi))
			continue;
		if (m->has_icmp_type && port != m->icmp_type)
			continue;
		if (m->has_icmp_code && icmp_code != m->icmp_code)
			continue;
		return m;
	}
	return NULL;
}

bool sem_nacl_applies(const char *src_subnet_id, const char *dst_subnet_id)
{
	return !src_subnet_id || !dst_subnet_id || strcmp(src_subnet_id, dst_subnet_id);
}

const char *sem_nacl_text(struct arena *a, const struct sem_nacl_match *m)
{
	char pfx[CIDR_STR_MAX];
	const char *proto = m->protocol == NACL_PROTO_ALL ? "all traffic"
			    : nacl_protocol_name(m->protocol)
				    ? nacl_protocol_name(m->protocol)
				    : arena_printf(a, "protocol %d", m->protocol);
	const char *ports = "";
	if (m->has_ports)
		ports = m->port_lo == m->port_hi ? arena_printf(a, " %d", m->port_lo)
						 : arena_printf(a, " %d-%d", m->port_lo, m->port_hi);
	else if (m->has_icmp_type)
		ports = m->has_icmp_code ? arena_printf(a, " type %d code %d", m->icmp_type,
							m->icmp_code)
					 : arena_printf(a, " type %d", m->icmp_type);
	return arena_printf(a, "rule %d %s %s%s %s %s", m->rule_number,
			    m->is_allow ? "allow" : "deny", proto, ports,
			    m->is_egress ? "to" : "from", cidr_format(&m->cidr, pfx));
}
