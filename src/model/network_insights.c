// SPDX-License-Identifier: MIT
/* Network insights paths and analyses: names and AWS's rules on them; see
 * network_insights.h.  Pure. */
#include "model/network_insights.h"

#include <errno.h>
#include <string.h>

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

enum ni_res ni_res_of_id(const char *id)
{
	/* AWS: a path's ends are instances, ENIs, gateways, endpoints,
	 * peerings, transit gateways or VPN gateways. */
	static const char *const unsupported[] = { "tgw-", "tgw-attach-", "vpce-", "vgw-",
						   "pcx-", "nat-", "vpn-" };
	if (has_prefix(id, "i-"))
		return NI_RES_INSTANCE;
	if (has_prefix(id, "eni-"))
		return NI_RES_ENI;
	if (has_prefix(id, "igw-"))
		return NI_RES_IGW;
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (has_prefix(id, unsupported[i]))
			return NI_RES_UNSUPPORTED;
	return NI_RES_INVALID;
}

int ni_protocol_parse(const char *s, int *ret)
{
	if (!strcmp(s, "tcp"))
		*ret = 6;
	else if (!strcmp(s, "udp"))
		*ret = 17;
	else
		return -EINVAL;
	return 0;
}

const char *ni_protocol_name(int protocol)
{
	return protocol == 6 ? "tcp" : protocol == 17 ? "udp" : NULL;
}

static const char *const status_names[NI_STATUS_COUNT] = { "running", "succeeded", "failed" };

const char *ni_status_name(enum ni_status s)
{
	return status_names[s];
}

int ni_status_parse(const char *s, enum ni_status *ret)
{
	for (int i = 0; i < NI_STATUS_COUNT; i++)
		if (!strcmp(s, status_names[i])) {
			*ret = (enum ni_status)i;
			return 0;
		}
	return -EINVAL;
}
