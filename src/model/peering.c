// SPDX-License-Identifier: MIT
/* Peering states by name; see peering.h.  Pure. */
#include "model/peering.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[PCX_STATE_COUNT] = {
	[PCX_INITIATING_REQUEST] = "initiating-request",
	[PCX_PENDING_ACCEPTANCE] = "pending-acceptance",
	[PCX_ACTIVE] = "active",
	[PCX_REJECTED] = "rejected",
	[PCX_EXPIRED] = "expired",
	[PCX_DELETED] = "deleted",
	[PCX_FAILED] = "failed",
	[PCX_PROVISIONING] = "provisioning",
	[PCX_DELETING] = "deleting",
};

const char *pcx_state_name(enum pcx_state s)
{
	return s < PCX_STATE_COUNT ? names[s] : "failed";
}

int pcx_state_parse(const char *s, enum pcx_state *ret)
{
	for (int i = 0; i < PCX_STATE_COUNT; i++)
		if (!strcmp(s, names[i])) {
			*ret = (enum pcx_state)i;
			return 0;
		}
	return -EINVAL;
}

bool pcx_is_live(enum pcx_state s)
{
	return s == PCX_INITIATING_REQUEST || s == PCX_PENDING_ACCEPTANCE ||
	       s == PCX_PROVISIONING || s == PCX_ACTIVE;
}

bool pcx_is_ended(enum pcx_state s)
{
	return s == PCX_REJECTED || s == PCX_EXPIRED || s == PCX_DELETED || s == PCX_FAILED;
}

int pcx_transition(enum pcx_state s, enum pcx_op op, enum pcx_state *ret)
{
	enum pcx_state to;
	switch (op) {
	case PCX_OP_ACCEPT: /* PCX-5 */
		if (s != PCX_PENDING_ACCEPTANCE)
			return -EPERM;
		to = PCX_ACTIVE;
		break;
	case PCX_OP_REJECT: /* PCX-6 */
		if (s != PCX_PENDING_ACCEPTANCE)
			return -EPERM;
		to = PCX_REJECTED;
		break;
	case PCX_OP_DELETE: /* PCX-7: active or pending; never failed or rejected */
		if (s != PCX_ACTIVE && s != PCX_PENDING_ACCEPTANCE)
			return -EPERM;
		to = PCX_DELETED;
		break;
	case PCX_OP_MODIFY: /* PCX-15: options only on an active peering */
		if (s != PCX_ACTIVE)
			return -EPERM;
		to = s;
		break;
	default:
		return -EPERM;
	}
	*ret = to;
	return 0;
}

int64_t pcx_visible_s(enum pcx_state s)
{
	/* PCX-3 with both sides in one account: failed, rejected and deleted
	 * 2 h; expired 2 days. */
	return s == PCX_EXPIRED ? 2 * 24 * 3600 : 2 * 3600;
}

const char *pcx_state_message(enum pcx_state s, const char *account_id, char *buf, size_t size)
{
	switch (s) {
	case PCX_INITIATING_REQUEST:
		snprintf(buf, size, "Initiating Request to %s", account_id);
		return buf;
	case PCX_PENDING_ACCEPTANCE:
		snprintf(buf, size, "Pending Acceptance by %s", account_id);
		return buf;
	case PCX_ACTIVE: return "Active";
	case PCX_PROVISIONING: return "Provisioning";
	case PCX_REJECTED: return "Rejected";
	case PCX_EXPIRED: return "Expired";
	case PCX_DELETING: return "Deleting";
	case PCX_DELETED:
		snprintf(buf, size, "Deleted by %s", account_id);
		return buf;
	case PCX_FAILED:
	default: return "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range";
	}
}

bool pcx_joins(const struct peering *p, const char *vpc_a, const char *vpc_b)
{
	return (!strcmp(p->requester_vpc, vpc_a) && !strcmp(p->accepter_vpc, vpc_b)) ||
	       (!strcmp(p->requester_vpc, vpc_b) && !strcmp(p->accepter_vpc, vpc_a));
}

const char *pcx_other_vpc(const struct peering *p, const char *vpc)
{
	if (!strcmp(p->requester_vpc, vpc))
		return p->accepter_vpc;
	if (!strcmp(p->accepter_vpc, vpc))
		return p->requester_vpc;
	return NULL;
}
