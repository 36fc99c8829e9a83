// SPDX-License-Identifier: MIT
/* VPC peering over the EC2 Query API (spec §13): the handshake between two
 * VPCs of this account and region, its options and its end.  Validates
 * (the state machine lives in model/peering.c), honours DryRun, then writes
 * the pcx rows the data plane wires its veths from; never touches the kernel. */
#include "api/peering.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "api/bootstrap.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/vpc.h"
#include "model/peering.h"
#include "model/security_group.h"
#include "model/vpc.h"
#include "store/peering.h"
#include "store/security_group.h"
#include "store/store.h"
#include "store/vpc.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static int64_t expiry_s(const struct api_call *c)
{
	return c->cfg->peering_expiry_s > 0 ? c->cfg->peering_expiry_s : PCX_EXPIRY_S_DEFAULT;
}

/* PCX-3: an ended peering vanishes once its visibility window is over. */
static bool is_visible(const struct api_call *c, const struct peering *p)
{
	return !pcx_is_ended(p->state) || !p->expire_time || p->expire_time > (int64_t)c->now;
}

int api_pcx_refresh(struct api_call *c)
{
	return store_pcx_expire(c->st, (int64_t)c->now, pcx_visible_s(PCX_EXPIRED)) < 0
		       ? internal(c)
		       : 0;
}

/* The visible peerings, refreshed first (arena). */
static int list_visible(struct api_call *c, struct peering **ret, size_t *ret_n)
{
	struct peering *v;
	size_t n, k = 0;
	int r;
	if ((r = api_pcx_refresh(c)) < 0)
		return r;
	if (store_pcx_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++)
		if (is_visible(c, &v[i]))
			v[k++] = v[i];
	*ret = v;
	*ret_n = k;
	return 0;
}

int api_pcx_load(struct api_call *c, const char *id, struct peering **ret)
{
	struct peering *v;
	size_t n;
	int r = list_visible(c, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].head.id, id)) {
			*ret = &v[i];
			return 0;
		}
	return api_fail(c, ERR_PCX_NOT_FOUND, id);
}

int api_pcx_between(struct api_call *c, const char *vpc_a, const char *vpc_b, bool active_only,
		    struct peering **ret)
{
	struct peering *v, *found = NULL;
	size_t n;
	int r;
	if ((r = api_pcx_refresh(c)) < 0)
		return r;
	if (store_pcx_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++) /* creation order: the last match is the newest */
		if (pcx_joins(&v[i], vpc_a, vpc_b) && (!active_only || v[i].state == PCX_ACTIVE))
			found = &v[i];
	if (!found)
		return -ENOENT;
	*ret = found;
	return 0;
}

static void set_state(struct api_call *c, struct peering *p, enum pcx_state s)
{
	char buf[64];
	p->state = s;
	p->state_message = arena_strdup(c->arena,
					pcx_state_message(s, c->cfg->account_id, buf, sizeof(buf)));
	/* An ended peering keeps expire_time as the end of its visibility. */
	p->expire_time = pcx_is_ended(s) ? (int64_t)c->now + pcx_visible_s(s) : 0;
}

int api_pcx_delete_in_vpc(struct api_call *c, const char *vpc_id)
{
	struct peering *v;
	size_t n;
	int r;
	if ((r = api_pcx_refresh(c)) < 0)
		return r;
	if (store_pcx_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++) {
		if (!pcx_other_vpc(&v[i], vpc_id) || !pcx_is_live(v[i].state))
			continue;
		set_state(c, &v[i], PCX_DELETED);
		if (store_pcx_update(c->st, &v[i]) < 0)
			return internal(c);
	}
	return 0;
}

/* ---- Writers ---- */

static const char *iso(struct api_call *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return arena_strdup(c->arena, buf);
}

/* The VPC's associated blocks, primary first; NULL when the VPC is gone. */
static const struct vpc *load_vpc(struct api_call *c, const char *id)
{
	struct vpc *v;
	return store_vpc_get(c->st, c->arena, id, &v) == 0 ? v : NULL;
}

static void write_options(struct api_call *c, const char *name, bool dns)
{
	xml_open(c->x, name);
	xml_bool(c->x, "allowDnsResolutionFromRemoteVpc", dns);
	xml_bool(c->x, "allowEgressFromLocalClassicLinkToRemoteVpc", false);
	xml_bool(c->x, "allowEgressFromLocalVpcToRemoteClassicLink", false);
	xml_close(c->x);
}

/* PCX-1: the accepter's blocks show once the peering is active; the
 * requester's always. */
static void write_vpc_info(struct api_call *c, const char *name, const struct peering *p,
			   bool requester)
{
	const char *vpc_id = requester ? p->requester_vpc : p->accepter_vpc;
	const struct vpc *v = load_vpc(c, vpc_id);
	bool show_blocks = v && (requester || p->state == PCX_ACTIVE);
	char buf[CIDR_STR_MAX];

	xml_open(c->x, name);
	if (show_blocks) {
		xml_str(c->x, "cidrBlock", cidr_format(&v->cidr, buf));
		xml_open(c->x, "cidrBlockSet");
		for (size_t i = 0; i < v->n_assocs; i++) {
			if (v->assocs[i].state != CIDR_ASSOCIATED)
				continue;
			xml_open(c->x, "item");
			xml_str(c->x, "cidrBlock", cidr_format(&v->assocs[i].cidr, buf));
			xml_close(c->x);
		}
		xml_close(c->x);
	}
	xml_str(c->x, "ownerId", c->cfg->account_id);
	if (p->state == PCX_ACTIVE)
		write_options(c, "peeringOptions", requester ? p->requester_dns : p->accepter_dns);
	xml_str(c->x, "vpcId", vpc_id);
	xml_str(c->x, "region", c->cfg->region);
	xml_close(c->x);
}

/* Writes the peering's fields; `shown` is the state the response reports
 * (Create answers initiating-request, Accept provisioning, as AWS does). */
static void write_pcx(struct api_call *c, const struct peering *p, enum pcx_state shown)
{
	char buf[64];
	write_vpc_info(c, "accepterVpcInfo", p, false);
	if (p->state == PCX_PENDING_ACCEPTANCE && p->expire_time)
		xml_str(c->x, "expirationTime", iso(c, p->expire_time));
	write_vpc_info(c, "requesterVpcInfo", p, true);
	xml_open(c->x, "status");
	xml_str(c->x, "code", pcx_state_name(shown));
	xml_str(c->x, "message",
		shown == p->state && p->state_message && *p->state_message
			? p->state_message
			: pcx_state_message(shown, c->cfg->account_id, buf, sizeof(buf)));
	xml_close(c->x);
	api_write_tags(c, &p->head.tags);
	xml_str(c->x, "vpcPeeringConnectionId", p->head.id);
}

static void write_pcx_elem(struct api_call *c, const struct peering *p, enum pcx_state shown)
{
	xml_open(c->x, "vpcPeeringConnection");
	write_pcx(c, p, shown);
	xml_close(c->x);
}

/* ---- Create ---- */

/* PCX-4: any associated block of one VPC overlapping any of the other. */
static bool blocks_overlap(const struct vpc *a, const struct vpc *b)
{
	for (size_t i = 0; i < a->n_assocs; i++)
		for (size_t j = 0; j < b->n_assocs; j++)
			if (a->assocs[i].state == CIDR_ASSOCIATED &&
			    b->assocs[j].state == CIDR_ASSOCIATED &&
			    cidr_overlaps(&a->assocs[i].cidr, &b->assocs[j].cidr))
				return true;
	return false;
}

static int count_active(const struct peering *v, size_t n, const char *vpc_id)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += v[i].state == PCX_ACTIVE && pcx_other_vpc(&v[i], vpc_id) != NULL;
	return k;
}

/* PCX-10: neither VPC may already hold the maximum of active peerings. */
static int check_limit(struct api_call *c, const struct peering *v, size_t n, const char *a,
		       const char *b)
{
	if ((unsigned)count_active(v, n, a) >= c->cfg->limits.pcx_active_per_vpc)
		return api_fail(c, ERR_PCX_LIMIT, a);
	if ((unsigned)count_active(v, n, b) >= c->cfg->limits.pcx_active_per_vpc)
		return api_fail(c, ERR_PCX_LIMIT, b);
	return 0;
}

/* Where the accepter lies: 0 here, 1 unreachable (another account or
 * region: the request is created and fails, as AWS's does when it finds no
 * such VPC), or the call's failure. */
static int peer_location(struct api_call *c, const char **owner)
{
	const char *region = NULL;
	int r;
	if ((r = api_get_str(c, "PeerOwnerId", false, owner)) < 0 ||
	    (r = api_get_str(c, "PeerRegion", false, &region)) < 0)
		return r;
	if (region && strcmp(region, c->cfg->region) != 0) {
		if (!bootstrap_region_known(region))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid region: %s", region));
		return 1;
	}
	if (*owner && strcmp(*owner, c->cfg->account_id) != 0)
		return 1;
	return 0;
}

static int create_pcx(struct api_call *c)
{
	const char *vpc_id, *peer_id, *owner = NULL;
	struct tag_list tags = { 0 };
	struct vpc *req, *acc = NULL;
	struct peering *all, *p;
	size_t n;
	int r, remote;

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = api_get_id(c, "PeerVpcId", "vpc", ERR_VPC_MALFORMED, true, &peer_id)) < 0 ||
	    (r = api_get_tag_specs(c, "vpc-peering-connection", &tags)) < 0)
		return r;
	if ((remote = peer_location(c, &owner)) < 0)
		return remote;
	if ((r = api_vpc_load(c, vpc_id, &req)) < 0)
		return r;
	if (!remote && !strcmp(vpc_id, peer_id))
		return api_fail(c, ERR_PCX_SAME_VPC, vpc_id);
	if (!remote && (r = api_vpc_load(c, peer_id, &acc)) < 0)
		return r;
	if ((r = list_visible(c, &all, &n)) < 0)
		return r;
	/* PCX-9: one live peering per pair.  Asked again in the same direction,
	 * AWS answers with the connection that exists (Terraform documents
	 * this); the reverse direction is refused. */
	for (size_t i = 0; !remote && i < n; i++) {
		if (!pcx_joins(&all[i], vpc_id, peer_id) || !pcx_is_live(all[i].state))
			continue;
		if (strcmp(all[i].requester_vpc, vpc_id) != 0)
			return api_fail(c, ERR_PCX_ALREADY_EXISTS, vpc_id, peer_id, all[i].head.id);
		if ((r = api_dry_run(c)) < 0)
			return r;
		write_pcx_elem(c, &all[i], all[i].state);
		return 0;
	}
	if (!remote && (r = check_limit(c, all, n, vpc_id, peer_id)) < 0)
		return r;
	if ((r = api_dry_run(c)) < 0)
		return r;

	p = arena_alloc(c->arena, sizeof(*p));
	id_new("pcx", p->head.id);
	p->head.tags = tags;
	snprintf(p->requester_vpc, sizeof(p->requester_vpc), "%s", vpc_id);
	snprintf(p->accepter_vpc, sizeof(p->accepter_vpc), "%s", peer_id);
	p->create_time = (int64_t)c->now;
	if (remote || blocks_overlap(req, acc)) {
		/* PCX-4: overlapping blocks do not fail the call; the connection
		 * is created and goes to failed. */
		set_state(c, p, PCX_FAILED);
	} else {
		set_state(c, p, PCX_PENDING_ACCEPTANCE);
		p->expire_time = (int64_t)c->now + expiry_s(c);
	}
	if (store_pcx_insert(c->st, p) < 0 || store_tags_set(c->st, p->head.id, &tags) < 0)
		return internal(c);
	/* PCX-2: the stored state is pending-acceptance at once; the response
	 * shows initiating-request as AWS's does. */
	write_pcx_elem(c, p, p->state == PCX_FAILED ? PCX_FAILED : PCX_INITIATING_REQUEST);
	return 0;
}

/* ---- Accept, reject, delete ---- */

static int get_pcx(struct api_call *c, struct peering **ret)
{
	const char *id;
	int r;
	if ((r = api_get_id(c, "VpcPeeringConnectionId", "pcx", ERR_PCX_MALFORMED, true, &id)) < 0)
		return r;
	return api_pcx_load(c, id, ret);
}

static int transition(struct api_call *c, struct peering *p, enum pcx_op op, enum pcx_state *ret)
{
	if (pcx_transition(p->state, op, ret) < 0)
		return api_fail(c, ERR_PCX_INVALID_STATE,
				arena_printf(c->arena,
					     "Invalid state transition for %s, attempted to "
					     "transition from %s to %s",
					     p->head.id, pcx_state_name(p->state),
					     op == PCX_OP_ACCEPT   ? "active"
					     : op == PCX_OP_REJECT ? "rejected"
					     : op == PCX_OP_DELETE ? "deleted"
								   : "modified"));
	return 0;
}

static int accept_pcx(struct api_call *c)
{
	struct peering *p, *all;
	enum pcx_state to;
	size_t n;
	int r;
	if ((r = get_pcx(c, &p)) < 0 || (r = transition(c, p, PCX_OP_ACCEPT, &to)) < 0 ||
	    (r = list_visible(c, &all, &n)) < 0 ||
	    (r = check_limit(c, all, n, p->requester_vpc, p->accepter_vpc)) < 0 ||
	    (r = api_dry_run(c)) < 0)
		return r;
	set_state(c, p, to);
	if (store_pcx_update(c->st, p) < 0)
		return internal(c);
	write_pcx_elem(c, p, PCX_PROVISIONING);
	return 0;
}

static int end_pcx(struct api_call *c, enum pcx_op op)
{
	struct peering *p;
	enum pcx_state to;
	int r;
	if ((r = get_pcx(c, &p)) < 0 || (r = transition(c, p, op, &to)) < 0 ||
	    (r = api_dry_run(c)) < 0)
		return r;
	set_state(c, p, to);
	if (store_pcx_update(c->st, p) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static int reject_pcx(struct api_call *c)
{
	return end_pcx(c, PCX_OP_REJECT);
}

static int delete_pcx(struct api_call *c)
{
	return end_pcx(c, PCX_OP_DELETE);
}

/* ---- Options ---- */

/* PCX-15: DNS resolution needs DNS support and hostnames in both VPCs. */
static int check_dns(struct api_call *c, const struct peering *p)
{
	const char *ids[2] = { p->requester_vpc, p->accepter_vpc };
	for (size_t i = 0; i < 2; i++) {
		const struct vpc *v = load_vpc(c, ids[i]);
		if (v && (!v->dns_support || !v->dns_hostnames))
			return api_fail(c, ERR_PCX_DNS_HOSTNAMES,
					arena_printf(c->arena,
						     "Enabling DNS resolution for peering "
						     "connection %s requires DNS hostnames and DNS "
						     "support enabled for VPC %s.",
						     p->head.id, ids[i]));
	}
	return 0;
}

static int get_options(struct api_call *c, const char *prefix, bool *has, bool *dns)
{
	*has = params_has_prefix(c->p, prefix);
	if (!*has)
		return 0;
	static const char *const unsupported[] = { "AllowEgressFromLocalClassicLinkToRemoteVpc",
						   "AllowEgressFromLocalVpcToRemoteClassicLink" };
	for (size_t i = 0; i < 2; i++) {
		bool v = false;
		const char *name = arena_printf(c->arena, "%s.%s", prefix, unsupported[i]);
		int r = api_get_bool(c, name, &v);
		if (r < 0)
			return r;
		if (v) /* EC2-Classic is gone */
			return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
					"ClassicLink is not supported; only "
					"AllowDnsResolutionFromRemoteVpc can be set");
	}
	return api_get_bool(c, arena_printf(c->arena, "%s.AllowDnsResolutionFromRemoteVpc", prefix),
			    dns);
}

static int modify_pcx_options(struct api_call *c)
{
	struct peering *p;
	enum pcx_state to;
	bool has_acc, has_req;
	int r;
	if ((r = get_pcx(c, &p)) < 0)
		return r;
	bool acc = p->accepter_dns, req = p->requester_dns;
	if ((r = get_options(c, "AccepterPeeringConnectionOptions", &has_acc, &acc)) < 0 ||
	    (r = get_options(c, "RequesterPeeringConnectionOptions", &has_req, &req)) < 0)
		return r;
	if (!has_acc && !has_req)
		return api_fail(c, ERR_MISSING_PARAMETER,
				"AccepterPeeringConnectionOptions or "
				"RequesterPeeringConnectionOptions");
	if ((r = transition(c, p, PCX_OP_MODIFY, &to)) < 0)
		return r;
	if ((acc || req) && (r = check_dns(c, p)) < 0)
		return r;
	if ((r = api_dry_run(c)) < 0)
		return r;
	p->accepter_dns = acc;
	p->requester_dns = req;
	if (store_pcx_update(c->st, p) < 0)
		return internal(c);
	if (has_acc)
		write_options(c, "accepterPeeringConnectionOptions", acc);
	if (has_req)
		write_options(c, "requesterPeeringConnectionOptions", req);
	return 0;
}

/* ---- Describe ---- */

static const char *const pcx_filters[] = {
	"accepter-vpc-info.cidr-block", "accepter-vpc-info.owner-id", "accepter-vpc-info.vpc-id",
	"expiration-time", "requester-vpc-info.cidr-block", "requester-vpc-info.owner-id",
	"requester-vpc-info.vpc-id", "status-code", "status-message", "vpc-peering-connection-id",
	NULL,
};

static void add_blocks(struct api_call *c, const char *vpc_id, struct strv *out)
{
	const struct vpc *v = load_vpc(c, vpc_id);
	char buf[CIDR_STR_MAX];
	for (size_t i = 0; v && i < v->n_assocs; i++)
		if (v->assocs[i].state == CIDR_ASSOCIATED)
			strv_add(c, out, arena_strdup(c->arena, cidr_format(&v->assocs[i].cidr, buf)));
}

static void pcx_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct peering *p = item;
	if (!strcmp(name, "accepter-vpc-info.cidr-block")) {
		if (p->state == PCX_ACTIVE)
			add_blocks(c, p->accepter_vpc, out);
	} else if (!strcmp(name, "requester-vpc-info.cidr-block")) {
		add_blocks(c, p->requester_vpc, out);
	} else if (!strcmp(name, "accepter-vpc-info.owner-id") ||
		   !strcmp(name, "requester-vpc-info.owner-id")) {
		strv_add(c, out, c->cfg->account_id);
	} else if (!strcmp(name, "accepter-vpc-info.vpc-id")) {
		strv_add(c, out, p->accepter_vpc);
	} else if (!strcmp(name, "requester-vpc-info.vpc-id")) {
		strv_add(c, out, p->requester_vpc);
	} else if (!strcmp(name, "expiration-time")) {
		if (p->state == PCX_PENDING_ACCEPTANCE && p->expire_time)
			strv_add(c, out, iso(c, p->expire_time));
	} else if (!strcmp(name, "status-code")) {
		strv_add(c, out, pcx_state_name(p->state));
	} else if (!strcmp(name, "status-message")) {
		strv_add(c, out, p->state_message ? p->state_message : "");
	} else if (!strcmp(name, "vpc-peering-connection-id")) {
		strv_add(c, out, p->head.id);
	}
}

static void pcx_item(struct api_call *c, const void *item)
{
	const struct peering *p = item;
	write_pcx(c, p, p->state);
}

static int describe_pcxs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "VpcPeeringConnectionId",
		.id_prefix = "pcx",
		.malformed = ERR_PCX_MALFORMED,
		.not_found = ERR_PCX_NOT_FOUND,
		.filters = pcx_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "vpcPeeringConnectionSet",
		.item_size = sizeof(struct peering),
		.values = pcx_values,
		.write = pcx_item,
	};
	struct peering *v;
	size_t n;
	int r;
	if ((r = list_visible(c, &v, &n)) < 0)
		return r;
	return api_describe(c, &spec, v, n);
}

/* ---- Stale security groups (SG-11) ---- */

/* A rule is stale when the group it names is gone, or lives in a VPC that
 * is no longer peered with the rule's VPC through an active peering. */
static bool is_stale(struct api_call *c, const struct security_group *g, const struct sg_rule *r,
		     const char **ret_vpc)
{
	const char *vpc = NULL;
	struct peering *p;
	if (r->peer != SG_PEER_GROUP)
		return false;
	int e = store_sg_vpc(c->st, c->arena, r->ref_group_id, &vpc);
	*ret_vpc = e == 0 ? vpc : NULL;
	if (e == -ENOENT)
		return true;
	if (e < 0 || !strcmp(vpc, g->vpc_id))
		return false;
	return api_pcx_between(c, g->vpc_id, vpc, true, &p) == -ENOENT;
}

static void write_stale_perms(struct api_call *c, const char *name, const struct security_group *g,
			      bool egress)
{
	char proto[SG_PROTO_NAME_MAX];
	struct peering *p;
	xml_open(c->x, name);
	for (size_t i = 0; i < g->n_rules; i++) {
		const struct sg_rule *r = &g->rules[i];
		const char *vpc;
		if (r->is_egress != egress || !is_stale(c, g, r, &vpc))
			continue;
		xml_open(c->x, "item");
		xml_str(c->x, "ipProtocol", sg_protocol_name(r->protocol, proto));
		if (sg_protocol_has_ports(r->protocol)) {
			xml_int(c->x, "fromPort", r->from_port);
			xml_int(c->x, "toPort", r->to_port);
		}
		xml_open(c->x, "groups");
		xml_open(c->x, "item");
		xml_str(c->x, "groupId", r->ref_group_id);
		xml_str(c->x, "userId", c->cfg->account_id);
		if (vpc) {
			xml_str(c->x, "vpcId", vpc);
			if (api_pcx_between(c, g->vpc_id, vpc, false, &p) == 0) {
				xml_str(c->x, "vpcPeeringConnectionId", p->head.id);
				xml_str(c->x, "peeringStatus", pcx_state_name(p->state));
			}
		}
		xml_close(c->x);
		xml_close(c->x);
		xml_empty(c->x, "ipRanges");
		xml_empty(c->x, "prefixListIds");
		xml_close(c->x);
	}
	xml_close(c->x);
}

static bool group_is_stale(struct api_call *c, const struct security_group *g)
{
	const char *vpc;
	for (size_t i = 0; i < g->n_rules; i++)
		if (is_stale(c, g, &g->rules[i], &vpc))
			return true;
	return false;
}

static int describe_stale_sgs(struct api_call *c)
{
	const char *vpc_id, *token = NULL;
	struct security_group *v;
	struct vpc *owner;
	long max = 255;
	int64_t after = 0;
	size_t n, sent = 0;
	int r;
	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = api_get_int(c, "MaxResults", 5, 255, &max)) < 0 ||
	    (r = api_get_str(c, "NextToken", false, &token)) < 0)
		return r;
	if (token) {
		char *end;
		after = strtoll(token, &end, 10);
		if (!*token || *end || after < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid NextToken '%s'", token));
	}
	if ((r = api_vpc_load(c, vpc_id, &owner)) < 0 || (r = api_pcx_refresh(c)) < 0 ||
	    (r = api_dry_run(c)) < 0)
		return r;
	if (store_sg_list(c->st, c->arena, vpc_id, &v, &n) < 0)
		return internal(c);
	xml_open(c->x, "staleSecurityGroupSet");
	size_t i = 0;
	for (; i < n && sent < (size_t)max; i++) {
		if (v[i].head.seq <= after || !group_is_stale(c, &v[i]))
			continue;
		xml_open(c->x, "item");
		xml_str(c->x, "description", v[i].description);
		xml_str(c->x, "groupId", v[i].head.id);
		xml_str(c->x, "groupName", v[i].name);
		write_stale_perms(c, "staleIpPermissions", &v[i], false);
		write_stale_perms(c, "staleIpPermissionsEgress", &v[i], true);
		xml_str(c->x, "vpcId", vpc_id);
		xml_close(c->x);
		sent++;
		after = v[i].head.seq;
	}
	xml_close(c->x);
	for (; i < n; i++)
		if (group_is_stale(c, &v[i])) {
			xml_str(c->x, "nextToken", arena_printf(c->arena, "%lld", (long long)after));
			break;
		}
	return 0;
}

const struct api_action api_peering_actions[] = {
	{ "CreateVpcPeeringConnection", create_pcx,
	  API_PARAMS("VpcId", "PeerVpcId", "PeerOwnerId", "PeerRegion", "TagSpecification") },
	{ "AcceptVpcPeeringConnection", accept_pcx, API_PARAMS("VpcPeeringConnectionId") },
	{ "RejectVpcPeeringConnection", reject_pcx, API_PARAMS("VpcPeeringConnectionId") },
	{ "DeleteVpcPeeringConnection", delete_pcx, API_PARAMS("VpcPeeringConnectionId") },
	{ "ModifyVpcPeeringConnectionOptions", modify_pcx_options,
	  API_PARAMS("VpcPeeringConnectionId", "AccepterPeeringConnectionOptions",
		     "RequesterPeeringConnectionOptions") },
	{ "DescribeVpcPeeringConnections", describe_pcxs,
	  API_PARAMS("VpcPeeringConnectionId", "Filter", "MaxResults", "NextToken") },
	{ "DescribeStaleSecurityGroups", describe_stale_sgs,
	  API_PARAMS("VpcId", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
