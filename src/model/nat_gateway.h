// SPDX-License-Identifier: MIT
/* NAT gateways (spec §10) and Elastic IPs (spec §12).  Plain data.  Pure. */
#ifndef MODEL_NAT_GATEWAY_H
#define MODEL_NAT_GATEWAY_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"

enum natgw_state {
	NATGW_PENDING,
	NATGW_AVAILABLE,
	NATGW_DELETING,
	NATGW_DELETED,
	NATGW_FAILED,
	NATGW_STATE_COUNT
};

struct nat_gateway {
	struct res_head head;
	char subnet_id[ID_MAX];
	char vpc_id[ID_MAX];
	bool is_private;             /* ConnectivityType=private: no EIP, no internet */
	enum natgw_state state;
	const char *failure_code;    /* NULL unless failed */
	const char *failure_message;
	char allocation_id[ID_MAX];  /* "" when private */
	char eni_id[ID_MAX];         /* its requester-managed ENI */
	uint32_t private_ip;
	uint32_t public_ip;          /* the EIP's address, 0 when private */
	int64_t create_time;
	int64_t delete_time;         /* 0 unless deleted */
};

struct eip {
	struct res_head head;        /* id = allocation ID, eipalloc-… */
	uint32_t public_ip;
	char association_id[ID_MAX]; /* "" when not associated */
	char eni_id[ID_MAX];
	char instance_id[ID_MAX];    /* the ENI's instance, "" when none */
	uint32_t private_ip;
};

const char *natgw_state_name(enum natgw_state s);
int natgw_state_parse(const char *s, enum natgw_state *ret);

#endif
