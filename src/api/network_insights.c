// SPDX-License-Identifier: MIT
/* Reachability Analyzer over the EC2 Query API: Create/Describe/Delete
 * NetworkInsightsPath, Start/Describe/Delete NetworkInsightsAnalysis.  A
 * path is a row; an analysis runs analyze/ over the snapshot of the store
 * inside the call's transaction and keeps the AWS-shaped result
 * (api/network_insights_result.c), so later Describes answer the same
 * whatever changed since.  AWS runs an analysis asynchronously: Start
 * answers with Status "running" and a Describe afterwards shows
 * "succeeded" with the result.  Here the result is computed during Start
 * and stored as succeeded; only Start's own answer says "running". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/network_insights.h"
#include "model/network_insights.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "store/network_insights.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/cidr.h"

#define PORT_CANDIDATES_MAX 64

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static int bad_value(struct api_call *c, const char *msg)
{
	return api_fail(c, ERR_INVALID_PARAMETER_VALUE, msg);
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

static const char *arn(struct api_call *c, const char *type, const char *id)
{
	return arena_printf(c->arena, "arn:aws:ec2:%s:%s:%s/%s", c->cfg->region,
			    c->cfg->account_id, type, id);
}

static const char *res_arn_type(const char *id)
{
	switch (ni_res_of_id(id)) {
	case NI_RES_INSTANCE:
		return "instance";
	case NI_RES_ENI:
		return "network-interface";
	case NI_RES_IGW:
		return "internet-gateway";
	default:
		return "resource";
	}
}

static void write_path(struct api_call *c, const void *item)
{
	const struct ni_path *p = item;
	char ip[IP4_STR_MAX];
	xml_str(c->x, "networkInsightsPathId", p->head.id);
	xml_str(c->x, "networkInsightsPathArn", arn(c, "network-insights-path", p->head.id));
	xml_str(c->x, "createdDate", iso_ms(c, p->created_ms));
	xml_str(c->x, "source", p->source);
	xml_str(c->x, "sourceArn", arn(c, res_arn_type(p->source), p->source));
	if (p->destination[0]) {
		xml_str(c->x, "destination", p->destination);
		xml_str(c->x, "destinationArn",
			arn(c, res_arn_type(p->destination), p->destination));
	}
	if (p->source_ip)
		xml_str(c->x, "sourceIp", ip4_format(p->source_ip, ip));
	if (p->destination_ip)
		xml_str(c->x, "destinationIp", ip4_format(p->destination_ip, ip));
	xml_str(c->x, "protocol", ni_protocol_name(p->protocol));
	if (p->destination_port >= 0)
		xml_int(c->x, "destinationPort", p->destination_port);
	api_write_tags(c, &p->head.tags);
}

/* CreateNetworkInsightsPath */

/* Checks one end of a path: an ID of a kind localvpc models that exists. */
static int check_end(struct api_call *c, const char *name, const char *id)
{
	enum api_err nf;
	switch (ni_res_of_id(id)) {
	case NI_RES_INSTANCE:
		nf = ERR_INSTANCE_NOT_FOUND;
		break;
	case NI_RES_ENI:
		nf = ERR_ENI_NOT_FOUND;
		break;
	case NI_RES_IGW:
		nf = ERR_IGW_NOT_FOUND;
		break;
	case NI_RES_UNSUPPORTED:
		return bad_value(c, arena_printf(c->arena,
						 "%s: %s is a resource type localvpc does not model "
						 "(supported: instance, network interface, internet "
						 "gateway)",
						 name, id));
	default:
		return bad_value(c, arena_printf(c->arena, "Invalid value '%s' for %s", id, name));
	}
	if (strlen(id) >= ID_MAX || !store_resource_exists(c->st, id))
		return api_fail(c, nf, id);
	return 0;
}

static bool same_path(const struct ni_path *x, const struct ni_path *y)
{
	return !strcmp(x->source, y->source) && !strcmp(x->destination, y->destination) &&
	       x->source_ip == y->source_ip && x->destination_ip == y->destination_ip &&
	       x->protocol == y->protocol && x->destination_port == y->destination_port;
}

static int create_path(struct api_call *c)
{
	const char *src = NULL, *dst = NULL, *proto = NULL, *token = NULL;
	long port = -1;
	struct ni_path p;
	int r;
	memset(&p, 0, sizeof(p));
	if ((r = api_get_str(c, "Source", true, &src)) < 0 ||
	    (r = api_get_str(c, "Destination", false, &dst)) < 0 ||
	    (r = api_get_ip(c, "SourceIp", false, &p.source_ip)) < 0 ||
	    (r = api_get_ip(c, "DestinationIp", false, &p.destination_ip)) < 0 ||
	    (r = api_get_str(c, "Protocol", true, &proto)) < 0 ||
	    (r = api_get_int(c, "DestinationPort", 0, 65535, &port)) < 0 ||
	    (r = api_get_client_token(c, &token)) < 0 ||
	    (r = api_get_tag_specs(c, "network-insights-path", &p.head.tags)) < 0)
		return r;
	if (ni_protocol_parse(proto, &p.protocol) < 0)
		return bad_value(c, arena_printf(c->arena,
						 "Invalid value '%s' for Protocol. Valid values: "
						 "tcp | udp",
						 proto));
	p.destination_port = (int)port;
	if (!dst && !p.destination_ip)
		return api_fail(c, ERR_MISSING_PARAMETER, "Destination");
	if ((r = check_end(c, "Source", src)) < 0 || (dst && (r = check_end(c, "Destination", dst)) < 0))
		return r;
	if (dst && !strcmp(src, dst))
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"The source and destination must be different resources.");
	if (ni_res_of_id(src) == NI_RES_IGW && (!dst || ni_res_of_id(dst) == NI_RES_IGW))
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"A path from an internet gateway must end inside a VPC.");
	snprintf(p.source, sizeof(p.source), "%s", src);
	snprintf(p.destination, sizeof(p.destination), "%s", dst ? dst : "");
	/* AWS API-17: a token seen before answers with the path it made. */
	if (token) {
		struct ni_path *old;
		r = store_ni_path_by_token(c->st, c->arena, token, &old);
		if (r < 0 && r != -ENOENT)
			return internal(c);
		if (r == 0) {
			if (!same_path(old, &p))
				return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
						arena_printf(c->arena,
							     "The client token %s was used with "
							     "other parameters",
							     token));
			if ((r = api_dry_run(c)) < 0)
				return r;
			xml_open(c->x, "networkInsightsPath");
			write_path(c, old);
			xml_close(c->x);
			return 0;
		}
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	id_new("nip", p.head.id);
	p.created_ms = (int64_t)c->now * 1000;
	if (store_ni_path_insert(c->st, &p, token) < 0 ||
	    store_tags_set(c->st, p.head.id, &p.head.tags) < 0)
		return internal(c);
	xml_open(c->x, "networkInsightsPath");
	write_path(c, &p);
	xml_close(c->x);
	return 0;
}

/* DescribeNetworkInsightsPaths */

static const char *const path_filters[] = {
	"destination",
	"protocol",
	"source",
	/* AWS's filters on FilterAtSource/FilterAtDestination: localvpc's
	 * paths have none, so these match nothing. */
	"filter-at-source.source-address",
	"filter-at-source.source-port-range",
	"filter-at-source.destination-address",
	"filter-at-source.destination-port-range",
	"filter-at-destination.source-address",
	"filter-at-destination.source-port-range",
	"filter-at-destination.destination-address",
	"filter-at-destination.destination-port-range",
	NULL,
};

static void path_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct ni_path *p = item;
	if (!strcmp(name, "destination") && p->destination[0])
		strv_add(c, out, p->destination);
	else if (!strcmp(name, "protocol"))
		strv_add(c, out, ni_protocol_name(p->protocol));
	else if (!strcmp(name, "source"))
		strv_add(c, out, p->source);
}

static int describe_paths(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "NetworkInsightsPathId",
		.id_prefix = "nip",
		.malformed = ERR_NIP_NOT_FOUND,
		.not_found = ERR_NIP_NOT_FOUND,
		.filters = path_filters,
		.max_results_min = 1,
		.max_results_max = 100,
		.set_name = "networkInsightsPathSet",
		.item_size = sizeof(struct ni_path),
		.values = path_values,
		.write = write_path,
	};
	struct ni_path *v;
	size_t n;
	if (store_ni_path_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	return api_describe(c, &spec, v, n);
}

/* DeleteNetworkInsightsPath */

static int get_path(struct api_call *c, struct ni_path **ret)
{
	const char *id = NULL;
	int r;
	if ((r = api_get_str(c, "NetworkInsightsPathId", true, &id)) < 0)
		return r;
	r = strncmp(id, "nip-", 4) || strlen(id) >= ID_MAX ? -ENOENT
							  : store_ni_path_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_NIP_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

static int delete_path(struct api_call *c)
{
	struct ni_path *p;
	size_t n;
	int r;
	if ((r = get_path(c, &p)) < 0)
		return r;
	if (store_ni_analysis_count(c->st, p->head.id, &n) < 0)
		return internal(c);
	/* AWS: a path with analyses cannot be deleted; they go first. */
	if (n)
		return api_fail(c, ERR_NIP_HAS_ANALYSES, p->head.id);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_ni_path_delete(c->st, p->head.id) < 0)
		return internal(c);
	xml_str(c->x, "networkInsightsPathId", p->head.id);
	return 0;
}

/* StartNetworkInsightsAnalysis */

static void end_of(const char *id, uint32_t ip, struct endpoint *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->ip = ip;
	if (!*id) {
		ret->kind = EP_IP;
		return;
	}
	snprintf(ret->id, sizeof(ret->id), "%s", id);
	switch (ni_res_of_id(id)) {
	case NI_RES_INSTANCE:
		ret->kind = EP_INSTANCE;
		break;
	case NI_RES_ENI:
		ret->kind = EP_ENI;
		break;
	default:
		ret->kind = EP_IGW;
		break;
	}
}

/* AWS: a path without DestinationPort asks whether any port gets
 * through.  The ports that can matter are those some rule opens; each is
 * tried (the first that gets through is the answer), else the first. */
static int analyze_any_port(const struct snapshot *s, struct probe *p, struct arena *a,
			    struct analysis *ret)
{
	int ports[PORT_CANDIDATES_MAX];
	size_t n = 0;
	ports[n++] = 1;
	for (size_t g = 0; g < s->n_sgs; g++)
		for (size_t i = 0; i < s->sgs[g].n_rules; i++) {
			const struct sg_rule *r = &s->sgs[g].rules[i];
			if (r->is_egress || r->protocol != p->protocol || r->from_port < 0)
				continue;
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = ports[k] == r->from_port;
			if (!seen && n < PORT_CANDIDATES_MAX)
				ports[n++] = r->from_port;
		}
	struct analysis first;
	int r = -EINVAL;
	for (size_t k = 0; k < n; k++) {
		p->port = ports[k];
		if ((r = analyze_path(s, p, a, ret)) < 0)
			return r;
		if (ret->found)
			return 0;
		if (k == 0)
			first = *ret;
	}
	p->port = ports[0];
	*ret = first;
	return 0;
}

static void write_analysis(struct api_call *c, const void *item)
{
	const struct ni_analysis *an = item;
	xml_str(c->x, "networkInsightsAnalysisId", an->head.id);
	xml_str(c->x, "networkInsightsAnalysisArn",
		arn(c, "network-insights-analysis", an->head.id));
	xml_str(c->x, "networkInsightsPathId", an->path_id);
	xml_str(c->x, "startDate", iso_ms(c, an->start_ms));
	xml_str(c->x, "status", ni_status_name(an->status));
	if (an->status == NI_STATUS_FAILED)
		xml_str(c->x, "statusMessage", an->status_message);
	/* A damaged result row shows as no result rather than failing the
	 * whole Describe. */
	if (an->status == NI_STATUS_SUCCEEDED && an->result[0])
		(void)api_ni_result_write(c, an->result);
	api_write_tags(c, &an->head.tags);
}

static int start_analysis(struct api_call *c)
{
	struct ni_path *path;
	struct ni_analysis an;
	const char **accounts, **arns, *token = NULL;
	size_t n_accounts, n_arns;
	int r;
	memset(&an, 0, sizeof(an));
	if ((r = get_path(c, &path)) < 0 ||
	    (r = api_get_str_list(c, "AdditionalAccount", &accounts, &n_accounts)) < 0 ||
	    (r = api_get_str_list(c, "FilterInArn", &arns, &n_arns)) < 0 ||
	    (r = api_get_client_token(c, &token)) < 0 ||
	    (r = api_get_tag_specs(c, "network-insights-analysis", &an.head.tags)) < 0)
		return r;
	for (size_t i = 0; i < n_accounts; i++)
		if (strcmp(accounts[i], c->cfg->account_id))
			return bad_value(c, arena_printf(c->arena,
							 "AdditionalAccount %s: localvpc serves "
							 "one account",
							 accounts[i]));
	if (n_arns)
		return bad_value(c, "FilterInArns is not supported by localvpc");
	if (token) {
		struct ni_analysis *old;
		r = store_ni_analysis_by_token(c->st, c->arena, token, &old);
		if (r < 0 && r != -ENOENT)
			return internal(c);
		if (r == 0) {
			if (strcmp(old->path_id, path->head.id))
				return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
						arena_printf(c->arena,
							     "The client token %s was used with "
							     "other parameters",
							     token));
			if ((r = api_dry_run(c)) < 0)
				return r;
			xml_open(c->x, "networkInsightsAnalysis");
			write_analysis(c, old);
			xml_close(c->x);
			return 0;
		}
	}
	if ((r = api_dry_run(c)) < 0)
		return r;

	struct snapshot s;
	if (store_snapshot_load_in_tx(c->st, c->arena, &s) < 0)
		return internal(c);
	struct probe p;
	struct analysis res;
	memset(&p, 0, sizeof(p));
	end_of(path->source, path->source_ip, &p.src);
	end_of(path->destination, path->destination_ip, &p.dst);
	p.protocol = path->protocol;
	p.port = path->destination_port;
	r = p.port >= 0 ? analyze_path(&s, &p, c->arena, &res)
			: analyze_any_port(&s, &p, c->arena, &res);
	id_new("nia", an.head.id);
	snprintf(an.path_id, sizeof(an.path_id), "%s", path->head.id);
	an.start_ms = (int64_t)c->now * 1000;
	if (r == 0) {
		an.status = NI_STATUS_SUCCEEDED;
		an.found = res.found;
		an.result = api_ni_result_build(c, &s, &p, &res);
	} else {
		/* The path's ends were checked at create; one may be gone. */
		an.status = NI_STATUS_FAILED;
		an.status_message = r == -ENOENT ? "The source or the destination of the path "
						   "no longer exists."
						 : "The path cannot be analyzed.";
	}
	if (store_ni_analysis_insert(c->st, &an, token) < 0 ||
	    store_tags_set(c->st, an.head.id, &an.head.tags) < 0)
		return internal(c);
	/* AWS answers Start while the analysis runs (see the file comment). */
	struct ni_analysis shown = an;
	shown.status = NI_STATUS_RUNNING;
	xml_open(c->x, "networkInsightsAnalysis");
	write_analysis(c, &shown);
	xml_close(c->x);
	return 0;
}

/* DescribeNetworkInsightsAnalyses */

static const char *const analysis_filters[] = { "path-found", "status", NULL };

static void analysis_values(struct api_call *c, const void *item, const char *name,
			    struct strv *out)
{
	const struct ni_analysis *an = item;
	if (!strcmp(name, "path-found") && an->status == NI_STATUS_SUCCEEDED)
		strv_add_bool(c, out, an->found);
	else if (!strcmp(name, "status"))
		strv_add(c, out, ni_status_name(an->status));
}

/* A timestamp as botocore sends it ("2024-05-01T10:00:00Z", fractions
 * and an offset of Z allowed) → unix ms. */
static int get_time(struct api_call *c, const char *name, int64_t *ret)
{
	const char *v = params_get(c->p, name);
	struct tm tm;
	if (!v)
		return 0;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end && *end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	if (!end || (*end && strcmp(end, "Z") && strcmp(end, "+00:00")))
		return bad_value(c, arena_printf(c->arena, "Invalid value '%s' for %s", v, name));
	*ret = (int64_t)timegm(&tm) * 1000;
	return 0;
}

static int describe_analyses(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "NetworkInsightsAnalysisId",
		.id_prefix = "nia",
		.malformed = ERR_NIA_NOT_FOUND,
		.not_found = ERR_NIA_NOT_FOUND,
		.filters = analysis_filters,
		.max_results_min = 1,
		.max_results_max = 100,
		.set_name = "networkInsightsAnalysisSet",
		.item_size = sizeof(struct ni_analysis),
		.values = analysis_values,
		.write = write_analysis,
	};
	struct ni_analysis *v;
	const char *path_id = NULL;
	int64_t from = INT64_MIN, to = INT64_MAX;
	size_t n, k = 0;
	int r;
	if ((r = api_get_str(c, "NetworkInsightsPathId", false, &path_id)) < 0 ||
	    (r = get_time(c, "AnalysisStartTime", &from)) < 0 ||
	    (r = get_time(c, "AnalysisEndTime", &to)) < 0)
		return r;
	if (store_ni_analysis_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++) {
		/* Start times are kept in ms, the bounds come in whole seconds. */
		int64_t start_s = v[i].start_ms / 1000 * 1000;
		bool keep = (!path_id || !strcmp(v[i].path_id, path_id)) && start_s >= from &&
			    start_s <= to;
		if (keep)
			v[k++] = v[i];
	}
	return api_describe(c, &spec, v, k);
}

/* DeleteNetworkInsightsAnalysis */

static int delete_analysis(struct api_call *c)
{
	const char *id = NULL;
	struct ni_analysis *v;
	size_t n;
	bool found = false;
	int r;
	if ((r = api_get_str(c, "NetworkInsightsAnalysisId", true, &id)) < 0)
		return r;
	if (store_ni_analysis_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n && !found; i++)
		found = !strcmp(v[i].head.id, id);
	if (!found)
		return api_fail(c, ERR_NIA_NOT_FOUND, id);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_ni_analysis_delete(c->st, id) < 0)
		return internal(c);
	xml_str(c->x, "networkInsightsAnalysisId", id);
	return 0;
}

const struct api_action api_network_insights_actions[] = {
	{ "CreateNetworkInsightsPath", create_path,
	  API_PARAMS("Source", "Destination", "SourceIp", "DestinationIp", "Protocol",
		     "DestinationPort", "TagSpecification", "ClientToken") },
	{ "DescribeNetworkInsightsPaths", describe_paths,
	  API_PARAMS("NetworkInsightsPathId", "Filter", "MaxResults", "NextToken") },
	{ "DeleteNetworkInsightsPath", delete_path, API_PARAMS("NetworkInsightsPathId") },
	{ "StartNetworkInsightsAnalysis", start_analysis,
	  API_PARAMS("NetworkInsightsPathId", "AdditionalAccount", "FilterInArn",
		     "TagSpecification", "ClientToken") },
	{ "DescribeNetworkInsightsAnalyses", describe_analyses,
	  API_PARAMS("NetworkInsightsAnalysisId", "NetworkInsightsPathId", "AnalysisStartTime",
		     "AnalysisEndTime", "Filter", "MaxResults", "NextToken") },
	{ "DeleteNetworkInsightsAnalysis", delete_analysis,
	  API_PARAMS("NetworkInsightsAnalysisId") },
	{ NULL, NULL, NULL },
};
