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
	/* pending-acceptance: it expires then; an ended state (rejected,
	 * expired, deleted, failed): it vanishes from Describe then; 0: never. */
	int64_t expire_time;
	bool requester_dns;          /* AllowDnsResolutionFromRemoteVpc, each side */
	bool accepter_dns;
};

const char *pcx_state_name(enum pcx_state s);
int pcx_state_parse(const char *s, enum pcx_state *ret);

#define PCX_EXPIRY_S_DEFAULT (7 * 24 * 3600) /* PCX-2: 168 h unaccepted */

/* What a caller asks of a peering. */
enum pcx_op {
	PCX_OP_ACCEPT,
	PCX_OP_REJECT,
	PCX_OP_DELETE,
	PCX_OP_MODIFY,
	PCX_OP_COUNT
};

/* True while the peering holds its pair of VPCs (PCX-9: at most one such
 * peering between two VPCs): pending-acceptance, provisioning, active. */
bool pcx_is_live(enum pcx_state s);
/* True for the states that end a peering's life (it only vanishes later). */
bool pcx_is_ended(enum pcx_state s);
/* PCX-5..7, PCX-15: may `op` be applied in state `s`?  Returns 0 and the
 * state it leads to (Modify: s itself), or -EPERM (InvalidStateTransition). */
int pcx_transition(enum pcx_state s, enum pcx_op op, enum pcx_state *ret);
/* PCX-3, same account: how long an ended peering stays visible. */
int64_t pcx_visible_s(enum pcx_state s);
/* The status message AWS shows with each state. */
const char *pcx_state_message(enum pcx_state s, const char *account_id, char *buf, size_t size);
/* True when p joins vpc_a and vpc_b, in either direction. */
bool pcx_joins(const struct peering *p, const char *vpc_a, const char *vpc_b);
/* The VPC on the other side of p from vpc, or NULL when p does not hold vpc. */
const char *pcx_other_vpc(const struct peering *p, const char *vpc);

#endif
