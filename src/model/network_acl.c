// SPDX-License-Identifier: MIT
/* Network-ACL rules of AWS that need no state (spec §8): protocol names and
 * numbers, which fields a protocol uses, lookups in an ACL's entry list.
 * Pure: no I/O, no globals. */
#include "model/network_acl.h"

#include <errno.h>
#include <strings.h>

static const struct {
	const char *name;
	int number;
} proto_names[] = {
	{ "all", NACL_PROTO_ALL },  { "icmp", NACL_PROTO_ICMP }, { "tcp", NACL_PROTO_TCP },
	{ "udp", NACL_PROTO_UDP },  { "icmpv6", 58 },
};

int nacl_protocol_parse(const char *s, int *ret)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (strcasecmp(s, proto_names[i].name) == 0) {
			*ret = proto_names[i].number;
			return 0;
		}
	if (s[0] == '-' && s[1] == '1' && !s[2]) {
		*ret = NACL_PROTO_ALL;
		return 0;
	}
	if (!s[0] || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || p - s >= 3)
			return -EINVAL;
		n = n * 10 + (*p - '0');
	}
	if (n > 255)
		return -EINVAL;
	*ret = n;
	return 0;
}

const char *nacl_protocol_name(int p)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].number == p)
			return proto_names[i].name;
	return NULL;
}

bool nacl_protocol_has_ports(int p)
{
	return p == NACL_PROTO_TCP || p == NACL_PROTO_UDP;
}

bool nacl_protocol_has_icmp(int p)
{
	return p == NACL_PROTO_ICMP;
}

const struct nacl_entry *nacl_entry_find(const struct network_acl *acl, bool is_egress,
					 int rule_number)
{
	for (size_t i = 0; i < acl->n_entries; i++)
		if (acl->entries[i].is_egress == is_egress &&
		    acl->entries[i].rule_number == rule_number)
			return &acl->entries[i];
	return NULL;
}

size_t nacl_entry_count(const struct network_acl *acl, bool is_egress)
{
	size_t n = 0;
	for (size_t i = 0; i < acl->n_entries; i++)
		n += acl->entries[i].is_egress == is_egress;
	return n;
}
