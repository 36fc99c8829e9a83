// SPDX-License-Identifier: MIT
/* Instances, their network interfaces and the lifecycle AWS gives them
 * (spec §14): pending → running → stopping → stopped → pending → running,
 * shutting-down → terminated.  Pure. */
#ifndef MODEL_INSTANCE_H
#define MODEL_INSTANCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/resource.h"

enum instance_state {
	INSTANCE_PENDING,
	INSTANCE_RUNNING,
	INSTANCE_SHUTTING_DOWN,
	INSTANCE_TERMINATED,
	INSTANCE_STOPPING,
	INSTANCE_STOPPED,
	INSTANCE_STATE_COUNT
};

#define MAC_STR_MAX 18
#define INSTANCE_TYPE_MAX 32

struct eni {
	struct res_head head;
	char subnet_id[ID_MAX];
	char vpc_id[ID_MAX];
	uint32_t private_ip;
	char mac[MAC_STR_MAX];
	char instance_id[ID_MAX];   /* "" when not attached */
	char attachment_id[ID_MAX];
	int device_index;           /* -1 when not attached */
	bool source_dest_check;
	uint32_t public_ip;         /* 0 = none */
	const char *description;
	const char *interface_type; /* "interface" | "nat_gateway" */
	bool delete_on_termination;
	bool wants_public_ip;       /* an auto-assigned public IPv4 at each start */
	const char **group_ids;     /* security groups (arena) */
	const char **group_names;   /* parallel to group_ids; "" when the group is gone */
	size_t n_groups;
	char az[32];                /* the subnet's availability zone (read-only) */
};

struct instance {
	struct res_head head;
	char reservation_id[ID_MAX];
	char image_id[ID_MAX];
	char instance_type[INSTANCE_TYPE_MAX];
	char subnet_id[ID_MAX];
	char vpc_id[ID_MAX];
	char az[32];                /* the subnet's availability zone */
	const char *key_name;       /* NULL when none */
	const char *key_public;     /* the key pair's OpenSSH public key, NULL when none */
	enum instance_state state;
	const char *state_reason;
	int64_t launch_time;        /* seconds since the epoch */
	int64_t state_time;         /* when the state last changed */
	int launch_index;
	const void *user_data;      /* raw bytes (decoded), NULL when none */
	size_t user_data_size;
	const char *client_token;
	const char *http_tokens;    /* "optional" | "required" */
	int hop_limit;              /* 1..64 */
	const char *http_endpoint;  /* "enabled" | "disabled" */
	int64_t boot_gen;           /* bumped by RebootInstances */
	struct eni *eni;            /* the primary ENI (device 0), loaded with it */
	struct eni **enis;          /* every attached ENI by device index (enis[0] == eni) */
	size_t n_enis;
};

/* AWS's maximum number of network interfaces for an instance type
 * (the EC2 user guide); 2 for a type it does not know. */
int instance_type_max_enis(const char *type);
/* Highest DeviceIndex AttachNetworkInterface accepts. */
#define ENI_DEVICE_INDEX_MAX 31

const char *instance_state_name(enum instance_state s);
int instance_state_code(enum instance_state s);
int instance_state_parse(const char *s, enum instance_state *ret);
/* "ip-10-0-1-5": the guest hostname (DNS-5). */
void instance_hostname(uint32_t private_ip, char out[32]);
/* "ip-10-0-1-5.ec2.internal" or "ip-….<region>.compute.internal" (DNS-5). */
void instance_private_dns(uint32_t private_ip, const char *region, char out[96]);
/* "ec2-198-18-0-4.compute-1.amazonaws.com" (DNS-6). */
void instance_public_dns(uint32_t public_ip, const char *region, char out[96]);

#endif
