// SPDX-License-Identifier: MIT
/* Instance names and states; see instance.h.  Pure. */
#include "model/instance.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int code;
} states[INSTANCE_STATE_COUNT] = {
	[INSTANCE_PENDING] = { "pending", 0 },
	[INSTANCE_RUNNING] = { "running", 16 },
	[INSTANCE_SHUTTING_DOWN] = { "shutting-down", 32 },
	[INSTANCE_TERMINATED] = { "terminated", 48 },
	[INSTANCE_STOPPING] = { "stopping", 64 },
	[INSTANCE_STOPPED] = { "stopped", 80 },
};

const char *instance_state_name(enum instance_state s)
{
	return s < INSTANCE_STATE_COUNT ? states[s].name : "terminated";
}

int instance_state_code(enum instance_state s)
{
	return s < INSTANCE_STATE_COUNT ? states[s].code : 48;
}

int instance_state_parse(const char *s, enum instance_state *ret)
{
	for (int i = 0; i < INSTANCE_STATE_COUNT; i++) {
		if (strcmp(states[i].name, s) == 0) {
			*ret = (enum instance_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

int instance_type_max_enis(const char *type)
{
	/* AWS: "Maximum network interfaces" per type in the EC2 user guide. */
	static const struct {
		const char *name;
		int max;
	} t[] = {
		{ "t2.small", 3 },  { "t2.medium", 3 }, { "t3.small", 3 }, { "t3.medium", 3 },
		{ "t3.large", 3 },  { "m5.large", 3 },  { "c5.large", 3 },
		{ "m5.4xlarge", 8 }, { "c5.4xlarge", 8 }, { "c5.24xlarge", 15 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, type) == 0)
			return t[i].max;
	return 2; /* m1.small, t2.nano, t2.micro, t3.nano, t3.micro */
}

static void dashed(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u-%u-%u-%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

void instance_hostname(uint32_t private_ip, char out[32])
{
	char d[16];
	dashed(private_ip, d);
	snprintf(out, 32, "ip-%s", d);
}

void instance_private_dns(uint32_t private_ip, const char *region, char out[96])
{
	char d[16];
	dashed(private_ip, d);
	if (strcmp(region, "us-east-1") == 0)
		snprintf(out, 96, "ip-%s.ec2.internal", d);
	else
		snprintf(out, 96, "ip-%s.%s.compute.internal", d, region);
}

void instance_public_dns(uint32_t public_ip, const char *region, char out[96])
{
	char d[16];
	dashed(public_ip, d);
	if (strcmp(region, "us-east-1") == 0)
		snprintf(out, 96, "ec2-%s.compute-1.amazonaws.com", d);
	else
		snprintf(out, 96, "ec2-%s.%s.compute.amazonaws.com", d, region);
}
