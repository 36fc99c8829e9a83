// SPDX-License-Identifier: MIT
/* VPC Flow Logs over the EC2 Query API: Create, Describe, Delete.  A flow
 * log is a row; the daemon's collector (dataplane/nflog.c) turns the
 * router's NFLOG copies of the covered ENIs' packets into records at its
 * destination, emulated below STATE_DIR/flow-logs/ (docs/architecture.md).
 * Create and Delete answer per item (AWS's Unsuccessful set) rather than
 * failing the whole call for one unknown resource or ID. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "model/flow_log.h"
#include "model/instance.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "store/flow_log.h"
#include "store/instance.h"
#include "store/store.h"
#include "store/subnet.h"
#include "store/vpc.h"
#include "util/arena.h"

#define RESOURCE_IDS_MAX 1000 /* bounded by the parameter decoder too */

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static int bad(struct api_call *c, const char *msg)
{
	return api_fail(c, ERR_INVALID_PARAMETER, msg);
}

/* An errors.def message with its "%s"s replaced by a and b (arena). */
static const char *message(struct api_call *c, enum api_err e, const char *a, const char *b)
{
	const char *t = api_err_template(e), *p;
	const char *args[2] = { a, b };
	size_t k = 0;
	char *out = arena_strdup(c->arena, "");
	while ((p = strstr(t, "%s"))) {
		out = arena_printf(c->arena, "%s%.*s%s", out, (int)(p - t), t,
				   k < 2 && args[k] ? args[k] : "");
		k++;
		t = p + 2;
	}
	return arena_printf(c->arena, "%s%s", out, t);
}

struct unsuccessful {
	const char *resource_id;
	const char *code, *message;
};

static void write_unsuccessful(struct api_call *c, const struct unsuccessful *v, size_t n)
{
	xml_open(c->x, "unsuccessful");
	for (size_t i = 0; i < n; i++) {
		xml_open(c->x, "item");
		xml_open(c->x, "error");
		xml_str(c->x, "code", v[i].code);
		xml_str(c->x, "message", v[i].message);
		xml_close(c->x);
		xml_str(c->x, "resourceId", v[i].resource_id);
		xml_close(c->x);
	}
	xml_close(c->x);
}

static const char *iso_ms(struct api_call *c, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[40];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return arena_printf(c->arena, "%s.%03dZ", buf, (int)(ms % 1000));
}

static void write_flow_log(struct api_call *c, const void *item)
{
	const struct flow_log *f = item;
	xml_str(c->x, "creationTime", iso_ms(c, f->create_time));
	if (f->deliver_arn[0])
		xml_str(c->x, "deliverLogsPermissionArn", f->deliver_arn);
	xml_str(c->x, "deliverLogsStatus", "SUCCESS");
	xml_str(c->x, "flowLogId", f->head.id);
	xml_str(c->x, "flowLogStatus", "ACTIVE");
	if (f->log_group[0])
		xml_str(c->x, "logGroupName", f->log_group);
	xml_str(c->x, "resourceId", f->resource_id);
	xml_str(c->x, "trafficType", fl_traffic_name(f->traffic));
	xml_str(c->x, "logDestinationType", fl_dest_name(f->dest_type));
	xml_str(c->x, "logDestination", f->log_destination);
	xml_str(c->x, "logFormat", f->log_format);
	api_write_tags(c, &f->head.tags);
	xml_int(c->x, "maxAggregationInterval", f->max_interval_s);
	if (f->dest_type == FL_DEST_S3) {
		/* Records are written as plain text (docs/architecture.md). */
		xml_open(c->x, "destinationOptions");
		xml_str(c->x, "fileFormat", "plain-text");
		xml_bool(c->x, "hiveCompatiblePartitions", false);
		xml_bool(c->x, "perHourPartition", false);
		xml_close(c->x);
	}
}

/* CreateFlowLogs */

struct create_args {
	const char **ids;
	size_t n_ids;
	struct flow_log proto; /* everything but the ID and the resource */
	const char *token;
};

/* "arn:aws:logs:<region>:<account>:log-group:<name>[:*]" → name. */
static const char *log_group_of_arn(struct api_call *c, const char *arn)
{
	const char *p = strstr(arn, ":log-group:");
	if (strncmp(arn, "arn:aws:logs:", 13) || !p)
		return NULL;
	const char *name = arena_strdup(c->arena, p + 11);
	size_t n = strlen(name);
	if (n >= 2 && !strcmp(name + n - 2, ":*"))
		name = arena_printf(c->arena, "%.*s", (int)(n - 2), name);
	return name;
}

static int get_destination(struct api_call *c, struct flow_log *f)
{
	const char *dtype = NULL, *dest = NULL, *group = NULL, *perm = NULL, *cross = NULL;
	int r;
	if ((r = api_get_str(c, "LogDestinationType", false, &dtype)) < 0 ||
	    (r = api_get_str(c, "LogDestination", false, &dest)) < 0 ||
	    (r = api_get_str(c, "LogGroupName", false, &group)) < 0 ||
	    (r = api_get_str(c, "DeliverLogsPermissionArn", false, &perm)) < 0 ||
	    (r = api_get_str(c, "DeliverCrossAccountRole", false, &cross)) < 0)
		return r;
	f->dest_type = FL_DEST_CLOUDWATCH; /* AWS's default */
	if (dtype && fl_dest_parse(dtype, &f->dest_type) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Invalid value '%s' for LogDestinationType: "
					     "supported are cloud-watch-logs and s3",
					     dtype));
	if (cross)
		return bad(c, "DeliverCrossAccountRole is not supported: one account only");
	f->log_group = "";
	f->deliver_arn = "";
	if (f->dest_type == FL_DEST_S3) {
		size_t blen;
		const char *prefix;
		if (group)
			return bad(c, "LogGroupName is not applicable for s3 delivery");
		if (perm)
			return bad(c, "DeliverLogsPermissionArn is not applicable for s3 delivery");
		if (!dest)
			return api_fail(c, ERR_MISSING_PARAMETER, "LogDestination");
		if (fl_s3_parse(dest, &blen, &prefix) < 0)
			return bad(c, arena_printf(c->arena,
						   "LogDestination: %s is not a valid S3 bucket ARN",
						   dest));
		f->log_destination = dest;
		return 0;
	}
	if (group && dest)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Please only provide LogGroupName or only provide LogDestination.");
	if (dest && !(group = log_group_of_arn(c, dest)))
		return bad(c, arena_printf(c->arena,
					   "LogDestination: %s is not a valid CloudWatch Logs log "
					   "group ARN",
					   dest));
	if (!group)
		return api_fail(c, ERR_MISSING_PARAMETER, "LogGroupName");
	if (!fl_log_group_valid(group))
		return bad(c, arena_printf(c->arena, "Invalid LogGroupName: %s", group));
	if (!perm)
		return bad(c, "DeliverLogsPermissionArn is required for cloud-watch-logs delivery");
	if (strncmp(perm, "arn:aws:iam::", 13))
		return bad(c, arena_printf(c->arena,
					   "DeliverLogsPermissionArn: %s is not a valid IAM role ARN",
					   perm));
	f->log_group = group;
	f->deliver_arn = perm;
	f->log_destination = arena_printf(c->arena, "arn:aws:logs:%s:%s:log-group:%s",
					  c->cfg->region, c->cfg->account_id, group);
	return 0;
}

static int get_create_args(struct api_call *c, struct create_args *a)
{
	const char *rtype = NULL, *traffic = NULL, *format = NULL;
	long interval = FL_INTERVAL_DEFAULT_S;
	struct flow_log *f = &a->proto;
	int r;
	if ((r = api_get_str_list(c, "ResourceId", &a->ids, &a->n_ids)) < 0 ||
	    (r = api_get_str(c, "ResourceType", true, &rtype)) < 0 ||
	    (r = api_get_str(c, "TrafficType", false, &traffic)) < 0 ||
	    (r = api_get_str(c, "LogFormat", false, &format)) < 0 ||
	    (r = api_get_int(c, "MaxAggregationInterval", 0, 1000000, &interval)) < 0 ||
	    (r = api_get_client_token(c, &a->token)) < 0 ||
	    (r = api_get_tag_specs(c, "vpc-flow-log", &f->head.tags)) < 0)
		return r;
	if (!a->n_ids)
		return api_fail(c, ERR_MISSING_PARAMETER, "ResourceId");
	if (fl_resource_parse(rtype, &f->resource_type) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Invalid value '%s' for ResourceType: supported are "
					     "VPC, Subnet and NetworkInterface",
					     rtype));
	/* AWS: TrafficType is required for VPC, subnet and ENI flow logs. */
	if (!traffic)
		return api_fail(c, ERR_MISSING_PARAMETER, "TrafficType");
	if (fl_traffic_parse(traffic, &f->traffic) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for TrafficType", traffic));
	if (interval != 60 && interval != 600)
		return bad(c, "Invalid MaxAggregationInterval. Valid values: 60 | 600");
	f->max_interval_s = (int)interval;
	if (format) {
		enum fl_field fields[FL_FORMAT_FIELDS_MAX];
		size_t n, at;
		if (fl_format_parse(format, fields, &n, &at) < 0)
			return bad(c, arena_printf(c->arena,
						   "Unknown fields provided in LogFormat near '%.40s' "
						   "(localvpc serves the version 2 fields)",
						   format + at));
	}
	f->log_format = format ? format : FL_FORMAT_V2;
	return get_destination(c, f);
}

/* AWS API-17: a token seen before answers with the flow logs it made. */
static int replay(struct api_call *c, const struct create_args *a, bool *done)
{
	const char **ids;
	size_t n;
	*done = false;
	if (store_flow_log_by_token(c->st, c->arena, a->token, &ids, &n) < 0)
		return internal(c);
	if (!n)
		return 0;
	struct flow_log *v;
	size_t nv;
	if (store_flow_log_list(c->st, c->arena, &v, &nv) < 0)
		return internal(c);
	for (size_t i = 0; i < nv; i++) {
		bool mine = false;
		for (size_t k = 0; k < n && !mine; k++)
			mine = !strcmp(v[i].head.id, ids[k]);
		if (mine && (v[i].traffic != a->proto.traffic ||
			     v[i].resource_type != a->proto.resource_type ||
			     v[i].dest_type != a->proto.dest_type ||
			     strcmp(v[i].log_destination, a->proto.log_destination)))
			return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
					arena_printf(c->arena,
						     "The client token %s was used with other "
						     "parameters",
						     a->token));
	}
	int r = api_dry_run(c);
	if (r < 0)
		return r;
	xml_str(c->x, "clientToken", a->token);
	xml_open(c->x, "flowLogIdSet");
	for (size_t i = 0; i < n; i++)
		xml_str(c->x, "item", ids[i]);
	xml_close(c->x);
	write_unsuccessful(c, NULL, 0);
	*done = true;
	return 0;
}

/* Whether the resource exists; on false *ret_err is its NotFound. */
static int resource_exists(struct api_call *c, enum fl_resource t, const char *id, bool *ret,
			   enum api_err *ret_err)
{
	int r;
	switch (t) {
	case FL_RES_VPC: {
		struct vpc *v;
		*ret_err = ERR_VPC_NOT_FOUND;
		r = strncmp(id, "vpc-", 4) ? -ENOENT : store_vpc_get(c->st, c->arena, id, &v);
		break;
	}
	case FL_RES_SUBNET: {
		struct subnet *s;
		*ret_err = ERR_SUBNET_NOT_FOUND;
		r = strncmp(id, "subnet-", 7) ? -ENOENT
					      : store_subnet_get(c->st, c->arena, id, &s);
		break;
	}
	default: {
		struct eni *e;
		*ret_err = ERR_ENI_NOT_FOUND;
		r = strncmp(id, "eni-", 4) ? -ENOENT : store_eni_get(c->st, c->arena, id, &e);
		break;
	}
	}
	if (r < 0 && r != -ENOENT)
		return internal(c);
	*ret = r == 0;
	return 0;
}

static bool same_config(const struct flow_log *x, const struct flow_log *y)
{
	return !strcmp(x->resource_id, y->resource_id) && x->traffic == y->traffic &&
	       x->dest_type == y->dest_type && !strcmp(x->log_destination, y->log_destination);
}

static int create_flow_logs(struct api_call *c)
{
	struct create_args a;
	struct flow_log *old;
	size_t n_old;
	int r;
	memset(&a, 0, sizeof(a));
	if ((r = get_create_args(c, &a)) < 0)
		return r;
	if (a.n_ids > RESOURCE_IDS_MAX)
		return bad(c, "Too many ResourceIds");
	if (a.token) {
		bool done;
		if ((r = replay(c, &a, &done)) < 0 || done)
			return r;
	}
	if (store_flow_log_purge_orphans(c->st) < 0 ||
	    store_flow_log_list(c->st, c->arena, &old, &n_old) < 0)
		return internal(c);
	struct flow_log *made = arena_alloc_array(c->arena, a.n_ids, sizeof(*made));
	struct unsuccessful *bad_v = arena_alloc_array(c->arena, a.n_ids, sizeof(*bad_v));
	size_t n_made = 0, n_bad = 0;
	for (size_t i = 0; i < a.n_ids; i++) {
		bool exists = false, dup = false;
		enum api_err nf;
		if ((r = resource_exists(c, a.proto.resource_type, a.ids[i], &exists, &nf)) < 0)
			return r;
		if (!exists) {
			bad_v[n_bad++] = (struct unsuccessful){
				a.ids[i], api_err_code(nf), message(c, nf, a.ids[i], NULL)
			};
			continue;
		}
		struct flow_log *f = &made[n_made];
		*f = a.proto;
		snprintf(f->resource_id, sizeof(f->resource_id), "%s", a.ids[i]);
		for (size_t k = 0; k < n_old && !dup; k++)
			dup = same_config(&old[k], f);
		for (size_t k = 0; k < n_made && !dup; k++)
			dup = same_config(&made[k], f);
		if (dup) {
			bad_v[n_bad++] = (struct unsuccessful){
				a.ids[i], api_err_code(ERR_FLOW_LOG_EXISTS),
				api_err_template(ERR_FLOW_LOG_EXISTS)
			};
			continue;
		}
		n_made++;
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n_made; i++) {
		struct flow_log *f = &made[i];
		id_new("fl", f->head.id);
		f->create_time = (int64_t)c->now * 1000;
		if (store_flow_log_insert(c->st, f, a.token) < 0 ||
		    store_tags_set(c->st, f->head.id, &f->head.tags) < 0)
			return internal(c);
	}
	if (a.token)
		xml_str(c->x, "clientToken", a.token);
	xml_open(c->x, "flowLogIdSet");
	for (size_t i = 0; i < n_made; i++)
		xml_str(c->x, "item", made[i].head.id);
	xml_close(c->x);
	write_unsuccessful(c, bad_v, n_bad);
	return 0;
}

/* DeleteFlowLogs */

static int delete_flow_logs(struct api_call *c)
{
	const char **ids;
	size_t n_ids, n_old;
	struct flow_log *old;
	int r;
	if ((r = api_get_str_list(c, "FlowLogId", &ids, &n_ids)) < 0)
		return r;
	if (!n_ids)
		return api_fail(c, ERR_MISSING_PARAMETER, "FlowLogId");
	if (store_flow_log_purge_orphans(c->st) < 0 ||
	    store_flow_log_list(c->st, c->arena, &old, &n_old) < 0)
		return internal(c);
	bool *found = arena_alloc_array(c->arena, n_ids, sizeof(*found));
	for (size_t i = 0; i < n_ids; i++)
		for (size_t k = 0; k < n_old && !found[i]; k++)
			found[i] = !strcmp(old[k].head.id, ids[i]);
	if ((r = api_dry_run(c)) < 0)
		return r;
	struct unsuccessful *bad_v = arena_alloc_array(c->arena, n_ids, sizeof(*bad_v));
	size_t n_bad = 0;
	for (size_t i = 0; i < n_ids; i++) {
		if (found[i]) {
			if (store_flow_log_delete(c->st, ids[i]) < 0)
				return internal(c);
			continue;
		}
		/* AWS names the one missing ID in its own item. */
		bad_v[n_bad++] = (struct unsuccessful){
			ids[i], api_err_code(ERR_FLOW_LOG_NOT_FOUND),
			message(c, ERR_FLOW_LOG_NOT_FOUND, "1", ids[i])
		};
	}
	write_unsuccessful(c, bad_v, n_bad);
	return 0;
}

/* DescribeFlowLogs */

static const char *const fl_filters[] = {
	"deliver-log-status", "log-destination-type", "flow-log-id", "log-group-name",
	"resource-id",	      "traffic-type",	      NULL,
};

static void fl_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct flow_log *f = item;
	if (!strcmp(name, "deliver-log-status"))
		strv_add(c, out, "SUCCESS");
	else if (!strcmp(name, "log-destination-type"))
		strv_add(c, out, fl_dest_name(f->dest_type));
	else if (!strcmp(name, "flow-log-id"))
		strv_add(c, out, f->head.id);
	else if (!strcmp(name, "log-group-name") && f->log_group[0])
		strv_add(c, out, f->log_group);
	else if (!strcmp(name, "resource-id"))
		strv_add(c, out, f->resource_id);
	else if (!strcmp(name, "traffic-type"))
		strv_add(c, out, fl_traffic_name(f->traffic));
}

static int describe_flow_logs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.filters = fl_filters,
		.max_results_min = 1,
		.max_results_max = 1000,
		.set_name = "flowLogSet",
		.item_size = sizeof(struct flow_log),
		.values = fl_values,
		.write = write_flow_log,
	};
	struct flow_log *v;
	const char **ids;
	size_t n, n_ids, k = 0;
	int r;
	if ((r = api_get_str_list(c, "FlowLogId", &ids, &n_ids)) < 0)
		return r;
	if (store_flow_log_purge_orphans(c->st) < 0 ||
	    store_flow_log_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	/* AWS: IDs that name no flow log are left out, not an error. */
	for (size_t i = 0; i < n; i++) {
		bool keep = !n_ids;
		for (size_t j = 0; j < n_ids && !keep; j++)
			keep = !strcmp(v[i].head.id, ids[j]);
		if (keep)
			v[k++] = v[i];
	}
	return api_describe(c, &spec, v, k);
}

const struct api_action api_flow_log_actions[] = {
	{ "CreateFlowLogs", create_flow_logs,
	  API_PARAMS("ResourceId", "ResourceType", "TrafficType", "LogDestinationType",
		     "LogDestination", "LogGroupName", "DeliverLogsPermissionArn",
		     "DeliverCrossAccountRole", "LogFormat", "MaxAggregationInterval",
		     "TagSpecification", "ClientToken") },
	{ "DeleteFlowLogs", delete_flow_logs, API_PARAMS("FlowLogId") },
	{ "DescribeFlowLogs", describe_flow_logs,
	  API_PARAMS("FlowLogId", "Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
