// SPDX-License-Identifier: MIT
/* Network ACLs (spec §8): stateless, numbered rules, first match wins, a
 * final deny (rule 32767, not stored: every list ends with it).  Applied
 * where traffic crosses a subnet's boundary.  Plain data.  Pure. */
#ifndef MODEL_NETWORK_ACL_H
#define MODEL_NETWORK_ACL_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "util/cidr.h"

#define NACL_RULE_MIN 1
#define NACL_RULE_MAX 32766
#define NACL_RULE_DEFAULT_DENY 32767 /* NACL-3: the `*` rule */
#define NACL_PROTO_ALL -1

struct nacl_entry {
	int rule_number;     /* 1..32766 */
	bool is_egress;
	int protocol;        /* NACL_PROTO_ALL or an IANA number */
	bool is_allow;
	struct cidr cidr;    /* source for inbound, destination for outbound */
	int from_port;       /* tcp/udp; -1 when not given */
	int to_port;
	int icmp_type;       /* icmp; -1 = all */
	int icmp_code;
};

struct nacl_assoc {
	char id[ID_MAX];        /* "aclassoc-…" */
	char subnet_id[ID_MAX];
};

struct network_acl {
	struct res_head head;
	char vpc_id[ID_MAX];
	bool is_default;
	struct nacl_entry *entries;  /* ordered by (is_egress, rule_number) */
	size_t n_entries;
	struct nacl_assoc *assocs;
	size_t n_assocs;
};

#define NACL_PROTO_ICMP 1
#define NACL_PROTO_TCP 6
#define NACL_PROTO_UDP 17

/* NACL-4: a Protocol parameter — "-1", a decimal IANA number 0..255 (no
 * sign, no leading zeros) or one of the names AWS also takes ("all", "tcp",
 * "udp", "icmp", "icmpv6", any case) — into *ret.  Returns 0 or -EINVAL. */
int nacl_protocol_parse(const char *s, int *ret);
/* The name AWS's entry.protocol filter also accepts for p, or NULL. */
const char *nacl_protocol_name(int p);
/* NACL-4: tcp and udp match on ports, icmp on type and code; every other
 * protocol ignores both. */
bool nacl_protocol_has_ports(int p);
bool nacl_protocol_has_icmp(int p);
/* The entry of acl with this direction and number, or NULL.  Borrowed. */
const struct nacl_entry *nacl_entry_find(const struct network_acl *acl, bool is_egress,
					 int rule_number);
/* Stored entries of one direction (the `*` rule not counted). */
size_t nacl_entry_count(const struct network_acl *acl, bool is_egress);

#endif
