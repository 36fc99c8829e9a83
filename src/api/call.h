// SPDX-License-Identifier: MIT
/* One API call as a handler sees it: decoded parameters, the store (inside
 * the call's transaction), the response being written and, on failure, the
 * AWS error.  Handlers validate everything first, then check DryRun, then
 * write; the dispatcher commits only when the handler returns 0, so a failed
 * call leaves nothing behind (spec API-16, checklist 21). */
#ifndef API_CALL_H
#define API_CALL_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "api/errors.h"
#include "api/params.h"
#include "api/xml.h"
#include "model/resource.h"
#include "util/cidr.h"

struct arena;
struct store;
struct priv_executor;

/* Account quotas (spec §22), configurable per daemon. */
struct api_limits {
	unsigned vpcs;
	unsigned cidrs_per_vpc;
	unsigned subnets_per_vpc;
	unsigned igws;
	unsigned route_tables_per_vpc;
	unsigned routes_per_table;
	unsigned sgs;                   /* security groups per region */
	unsigned sg_rules_per_direction; /* per group, per direction (IPv4) */
	unsigned nacls_per_vpc;        /* NACL-18, the default one included */
	unsigned nacl_entries_per_list; /* NACL-18, per direction, the `*` rule included */
	unsigned eips;                 /* Elastic IPs per region (EIP-1) */
	unsigned natgws_per_az;        /* NAT-15: pending, available and deleting ones */
	unsigned natgw_gone_after_s;   /* NAT-3: deleted/failed gateways stay visible this long */
	unsigned pcx_active_per_vpc;    /* PCX-10: active peerings per VPC */
};

struct api_config {
	const char *region;      /* the one region this daemon serves */
	const char *account_id;  /* OwnerId on every resource */
	struct api_limits limits;
	int64_t peering_expiry_s; /* PCX-2: an unaccepted request expires after this */
	int64_t instance_connect_ttl_s; /* SendSSHPublicKey: a key's life (AWS: 60 s) */
	struct cidr public_pool; /* auto-assigned public IPv4s and Elastic IPs come from here */
	const struct priv_executor *priv; /* the data plane; NULL: API only */
};

struct api_call {
	struct arena *arena;       /* dies with the response */
	const struct params *p;
	struct store *st;
	const struct api_config *cfg;
	struct xml *x;             /* root element already open */
	const char *action;
	char request_id[37];
	bool dry_run;
	time_t now;
	enum api_err err;          /* set by api_fail() */
	const char *err_msg;
};

/* Records an AWS error on the call; each "%s" of the message template takes
 * the next argument.  Returns -EINVAL so handlers can `return api_fail(…)`. */
int api_fail_(struct api_call *c, enum api_err e, const char *const *args);
#define api_fail(c, e, ...) api_fail_((c), (e), (const char *const[]){ __VA_ARGS__ __VA_OPT__(, ) NULL })

/* DryRun (API-16): call after validation, before any write.  Returns 0 to go
 * on, or the DryRunOperation failure. */
int api_dry_run(struct api_call *c);

/* Parameter getters.  Each returns 0 (value in *ret, or absent when not
 * required: *ret untouched) or fails the call with the AWS error. */
int api_get_str(struct api_call *c, const char *name, bool required, const char **ret);
int api_get_bool(struct api_call *c, const char *name, bool *ret);
int api_get_int(struct api_call *c, const char *name, long min, long max, long *ret);
int api_get_cidr(struct api_call *c, const char *name, bool required, struct cidr *ret);
int api_get_ip(struct api_call *c, const char *name, bool required, uint32_t *ret);
/* An ID with the right prefix (GEN-2); `malformed` is the family's code. */
int api_get_id(struct api_call *c, const char *name, const char *prefix, enum api_err malformed,
	       bool required, const char **ret);
/* The list name.1 … name.N of IDs, each with the prefix. */
int api_get_id_list(struct api_call *c, const char *name, const char *prefix,
		    enum api_err malformed, const char ***ret, size_t *ret_n);
/* The list name.1 … name.N of plain strings. */
int api_get_str_list(struct api_call *c, const char *name, const char ***ret, size_t *ret_n);

/* ClientToken (API-17): absent (*ret untouched), or up to 64 printable
 * ASCII characters; else InvalidParameterValue. */
#define API_CLIENT_TOKEN_MAX 64
int api_get_client_token(struct api_call *c, const char **ret);

/* TagSpecification.N for a create of `resource_type` (API-26): collects the
 * tags meant for it; another type → InvalidParameterValue. */
int api_get_tag_specs(struct api_call *c, const char *resource_type, struct tag_list *ret);
/* Reads <prefix>Tag.1..N (Key, Value) into out, appending; a repeated key
 * overwrites.  Fails on a bad key or past the 50-tag limit. */
int api_get_tags(struct api_call *c, const char *prefix, struct tag_list *out);
/* Checks a tag key/value against API-23/24; fails the call. */
int api_check_tag(struct api_call *c, const char *key, const char *value);

/* Writes <tagSet> for a resource. */
void api_write_tags(struct api_call *c, const struct tag_list *tags);
/* Writes <name>true</name> style "return" element. */
void api_write_return(struct api_call *c);

#endif
