// SPDX-License-Identifier: MIT
/* VPC peering connections (spec §13): a handshake between two VPCs of this
 * account and region; traffic flows only while active, never transits.
 * Plain data.  Pure. */
#ifndef MODEL_PEERING_H
#define MODEL_PEERING_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"

enum pcx_state {
	PCX_INITIATING_REQUEST,
	PCX_PENDING_ACCEPTANCE,
	PCX_ACTIVE,
	PCX_REJECTED,
	PCX_EXPIRED,
	PCX_DELETED,
	PCX_FAILED,
	PCX_PROVISIONING,
	PCX_DELETING,
	PCX_STATE_COUNT
};

struct peering {
	struct res_head head;
	char requester_vpc[ID_MAX];
	char accepter_vpc[ID_MAX];
	enum pcx_state state;
	const char *state_message;
	int64_t create_time;
	int64_t expire_time;         /* pending-acceptance expires then (0: never) */
	bool requester_dns;          /* AllowDnsResolutionFromRemoteVpc, each side */
	bool accepter_dns;
};

const char *pcx_state_name(enum pcx_state s);
int pcx_state_parse(const char *s, enum pcx_state *ret);

#endif
