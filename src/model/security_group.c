// SPDX-License-Identifier: MIT
/* AWS's rules for security-group names and rule fields (spec SG-1, SG-8,
 * SG-14); see security_group.h.  Pure: the API decodes, this file decides. */
#include "model/security_group.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sg_text_check(const char *s)
{
	static const char extra[] = " ._-:/()#,@[]+=&;{}!$*";
	size_t n = 0;
	for (; *s; s++, n++) {
		unsigned char ch = (unsigned char)*s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || strchr(extra, ch);
		if (!ok)
			return -EINVAL;
	}
	return n <= SG_NAME_MAX ? 0 : -EINVAL;
}

int sg_protocol_parse(const char *s, int *ret)
{
	static const struct {
		const char *name;
		int number;
	} names[] = {
		{ "tcp", SG_PROTO_TCP }, { "udp", SG_PROTO_UDP }, { "icmp", SG_PROTO_ICMP },
		{ "icmpv6", 58 },        { "all", SG_PROTO_ALL }, { "-1", SG_PROTO_ALL },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*ret = names[i].number;
			return 0;
		}
	char *end;
	if (!*s || (s[0] == '0' && s[1]) || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > 255)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

const char *sg_protocol_name(int protocol, char out[SG_PROTO_NAME_MAX])
{
	switch (protocol) {
	case SG_PROTO_TCP:
		return "tcp";
	case SG_PROTO_UDP:
		return "udp";
	case SG_PROTO_ICMP:
		return "icmp";
	default:
		snprintf(out, SG_PROTO_NAME_MAX, "%d", protocol);
		return out;
	}
}

bool sg_protocol_has_ports(int protocol)
{
	return protocol == SG_PROTO_TCP || protocol == SG_PROTO_UDP || protocol == SG_PROTO_ICMP;
}

int sg_ports_normalise(int protocol, bool has_from, long from, bool has_to, long to,
		       int *ret_from, int *ret_to, const char **why)
{
	if (protocol == SG_PROTO_TCP || protocol == SG_PROTO_UDP) {
		if (!has_from || !has_to) {
			*why = "Invalid value 'Must specify both from and to ports with TCP/UDP.' "
			       "for portRange.";
			return -EINVAL;
		}
		if (from < 0 || from > 65535 || to < 0 || to > 65535 || from > to) {
			*why = "Invalid TCP/UDP port range: ports must be 0-65535 and FromPort "
			       "must not exceed ToPort.";
			return -EINVAL;
		}
		*ret_from = (int)from;
		*ret_to = (int)to;
		return 0;
	}
	if (protocol == SG_PROTO_ICMP) {
		long type = has_from ? from : -1, code = has_to ? to : -1;
		if (type < -1 || type > 255 || code < -1 || code > 255) {
			*why = "Invalid ICMP type or code: each must be -1..255.";
			return -EINVAL;
		}
		if (type == -1)
			code = -1; /* SG-8: all types means all codes */
		*ret_from = (int)type;
		*ret_to = (int)code;
		return 0;
	}
	/* SG-8: every other protocol covers every port. */
	*ret_from = -1;
	*ret_to = -1;
	return 0;
}

bool sg_rule_same(const struct sg_rule *a, const struct sg_rule *b)
{
	if (a->is_egress != b->is_egress || a->protocol != b->protocol ||
	    a->from_port != b->from_port || a->to_port != b->to_port || a->peer != b->peer)
		return false;
	switch (a->peer) {
	case SG_PEER_CIDR:
		return cidr_equal(&a->cidr, &b->cidr);
	case SG_PEER_GROUP:
		return strcmp(a->ref_group_id, b->ref_group_id) == 0;
	case SG_PEER_PREFIX_LIST:
		return strcmp(a->prefix_list_id, b->prefix_list_id) == 0;
	}
	return false;
}
