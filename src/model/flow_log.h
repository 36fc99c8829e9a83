// SPDX-License-Identifier: MIT
/* VPC Flow Logs: a flow log captures the IP traffic of a VPC's, a subnet's
 * or one network interface's ENIs (ACCEPT, REJECT or ALL) into a
 * destination, as records of the fields of its log format (by default
 * AWS's version 2).  Plain data and AWS's rules on it.  Pure. */
#ifndef MODEL_FLOW_LOG_H
#define MODEL_FLOW_LOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/resource.h"

struct eni;

enum fl_resource { FL_RES_VPC, FL_RES_SUBNET, FL_RES_ENI, FL_RES_COUNT };
enum fl_traffic { FL_TRAFFIC_ACCEPT, FL_TRAFFIC_REJECT, FL_TRAFFIC_ALL, FL_TRAFFIC_COUNT };
enum fl_dest { FL_DEST_CLOUDWATCH, FL_DEST_S3, FL_DEST_COUNT };

/* The fields of the default format, version 2, in AWS's order. */
enum fl_field {
	FL_F_VERSION,
	FL_F_ACCOUNT_ID,
	FL_F_INTERFACE_ID,
	FL_F_SRCADDR,
	FL_F_DSTADDR,
	FL_F_SRCPORT,
	FL_F_DSTPORT,
	FL_F_PROTOCOL,
	FL_F_PACKETS,
	FL_F_BYTES,
	FL_F_START,
	FL_F_END,
	FL_F_ACTION,
	FL_F_LOG_STATUS,
	FL_F_COUNT
};

#define FL_FORMAT_FIELDS_MAX 64
#define FL_INTERVAL_DEFAULT_S 600 /* AWS: MaxAggregationInterval defaults to 600 */

struct flow_log {
	struct res_head head;           /* fl-… */
	char resource_id[ID_MAX];       /* vpc-, subnet- or eni- */
	enum fl_resource resource_type;
	enum fl_traffic traffic;
	enum fl_dest dest_type;
	const char *log_destination;    /* s3: arn:aws:s3:::bucket[/prefix]; cw: the group's ARN */
	const char *log_group;          /* cloud-watch-logs: the group name; "" for s3 */
	const char *deliver_arn;        /* DeliverLogsPermissionArn, "" for s3 */
	const char *log_format;         /* "${version} ${account-id} …" */
	int max_interval_s;             /* 60 or 600 */
	int64_t create_time;            /* unix ms */
};

const char *fl_resource_name(enum fl_resource r); /* "VPC", "Subnet", "NetworkInterface" */
int fl_resource_parse(const char *s, enum fl_resource *ret);
const char *fl_traffic_name(enum fl_traffic t);   /* "ACCEPT", "REJECT", "ALL" */
int fl_traffic_parse(const char *s, enum fl_traffic *ret);
const char *fl_dest_name(enum fl_dest d);         /* "cloud-watch-logs", "s3" */
int fl_dest_parse(const char *s, enum fl_dest *ret);
/* "${version} …": the v2 field's name as it appears in a log format. */
const char *fl_field_name(enum fl_field f);

/* The default format (version 2). */
extern const char FL_FORMAT_V2[];

/* Parses a LogFormat ("${field} ${field} …", one space between) into field
 * numbers; 0, or -EINVAL with the first unknown token's offset in
 * *ret_bad (localvpc serves the version-2 fields only). */
int fl_format_parse(const char *s, enum fl_field *ret, size_t *ret_n, size_t *ret_bad);

/* An S3 destination "arn:aws:s3:::bucket[/prefix]": 0 with the bucket and
 * the prefix ("" when none) as offsets into arn, or -EINVAL.  AWS: the
 * bucket name is 3-63 lowercase letters, digits, dots and dashes; the
 * prefix may not be "AWSLogs" or start with "/". */
int fl_s3_parse(const char *arn, size_t *ret_bucket_len, const char **ret_prefix);

/* A CloudWatch Logs group name: AWS's 1-512 of [.-_/#A-Za-z0-9], and
 * (ours, it becomes directories) no empty, "." or ".." segment. */
bool fl_log_group_valid(const char *name);

/* True when the flow log captures e: its resource is e, e's subnet or e's
 * VPC. */
bool fl_covers(const struct flow_log *f, const struct eni *e);
/* True when a record with action ACCEPT (is_accept) or REJECT goes to f. */
bool fl_wants(const struct flow_log *f, bool is_accept);

#endif
