// SPDX-License-Identifier: MIT
/* RunInstances, DescribeInstances and ModifyInstanceAttribute (spec §14).
 * An instance is a row plus its primary network interface; the reconciler
 * turns it into a sandbox with a veth eth0 after the call commits. */
#include "api/instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/address.h"
#include "api/bootstrap.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/key_lookup.h"
#include "api/network_interface.h"
#include "api/subnet.h"
#include "model/instance.h"
#include "model/user_data.h"
#include "model/security_group.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "store/instance.h"
#include "store/security_group.h"
#include "store/store.h"
#include "store/subnet.h"
#include "util/arena.h"

#define INSTANCES_MAX 1000  /* per daemon; AWS's vCPU quota is per account */

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_instance_load(struct api_call *c, const char *id, struct instance **ret)
{
	int r = store_instance_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_INSTANCE_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The lowest address in [lo, hi] that is in neither list and not
 * reserved(s, ip); false when there is none.  The lists are merged and
 * sorted once and walked beside the candidates, so a subnet holding
 * thousands of interfaces costs n log n per allocation, not n² (RunInstances
 * of 100 into a subnet of 3,000 used to compare 10⁹ pairs). */
static bool first_free(struct arena *a, uint32_t lo, uint32_t hi, const uint32_t *used, size_t n,
		       const uint32_t *taken, size_t n_taken, const struct subnet *s, uint32_t *ret)
{
	size_t total = n + n_taken, k = 0;
	uint32_t *all = arena_alloc_array(a, total ? total : 1, sizeof(*all));
	if (n)
		memcpy(all, used, n * sizeof(*all));
	if (n_taken)
		memcpy(all + n, taken, n_taken * sizeof(*all));
	qsort(all, total, sizeof(*all), cmp_u32);
	for (uint64_t ip = lo; ip <= hi; ip++) {
		while (k < total && all[k] < ip)
			k++;
		if ((k < total && all[k] == ip) || (s && subnet_addr_reserved(s, (uint32_t)ip)))
			continue;
		*ret = (uint32_t)ip;
		return true;
	}
	return false;
}

static bool in_list(const uint32_t *v, size_t n, uint32_t ip)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == ip)
			return true;
	return false;
}

int api_public_ip_alloc(struct api_call *c, uint32_t *ret)
{
	uint32_t *used;
	size_t n;
	if (store_public_ips(c->st, c->arena, &used, &n) < 0)
		return internal(c);
	const struct cidr *pool = &c->cfg->public_pool;
	/* Skip the pool's network and broadcast addresses; the rest is ours. */
	if (pool->len < 31 &&
	    first_free(c->arena, pool->addr + 1, cidr_last(pool) - 1, used, n, NULL, 0, NULL, ret))
		return 0;
	return api_fail(c, ERR_INSUFFICIENT_ADDRESSES, "The public IPv4 pool is exhausted");
}

int api_private_ip_alloc(struct api_call *c, const struct subnet *s, const uint32_t *taken,
			 size_t n_taken, uint32_t *ret)
{
	uint32_t *used;
	size_t n;
	if (store_eni_ips_in_subnet(c->st, c->arena, s->head.id, &used, &n) < 0)
		return internal(c);
	if (first_free(c->arena, s->cidr.addr, cidr_last(&s->cidr), used, n, taken, n_taken, s, ret))
		return 0;
	return api_fail(c, ERR_INSUFFICIENT_ADDRESSES,
			arena_printf(c->arena, "There are not enough free addresses in subnet "
					       "'%s' to satisfy the requested number of instances.",
				     s->head.id));
}

int api_private_ip_check(struct api_call *c, const struct subnet *s, uint32_t ip)
{
	char buf[IP4_STR_MAX];
	uint32_t *used;
	size_t n;
	ip4_format(ip, buf);
	if (!cidr_contains_ip(&s->cidr, ip) || subnet_addr_reserved(s, ip))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Address %s does not fall within the "
						       "subnet's address range", buf));
	if (store_eni_ips_in_subnet(c->st, c->arena, s->head.id, &used, &n) < 0)
		return internal(c);
	if (in_list(used, n, ip))
		return api_fail(c, ERR_IP_IN_USE, buf);
	return 0;
}

void api_mac_new(char *out)
{
	char id[ID_MAX];
	/* 0e: locally administered unicast, as AWS's own MACs are. */
	id_new("m", id);
	snprintf(out, MAC_STR_MAX, "0e:%.2s:%.2s:%.2s:%.2s:%.2s", id + 2, id + 4, id + 6, id + 8,
		 id + 10);
}

/* Decodes base64 user data (model/user_data.h). */
static int get_user_data(struct api_call *c, const char *name, void **ret, size_t *ret_size)
{
	const char *b64 = params_get(c->p, name);
	unsigned char *out;
	if (!b64)
		return 0;
	switch (user_data_decode(c->arena, b64, strlen(b64), &out, ret_size)) {
	case USER_DATA_MALFORMED:
		return api_fail(c, ERR_USER_DATA_MALFORMED, "Invalid BASE64 encoding of user data.");
	case USER_DATA_TOO_LONG:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE, "User data is limited to 16384 bytes");
	case USER_DATA_OK:
		break;
	}
	*ret = out;
	return 0;
}

struct run_args {
	long min, max;
	const char *image_id, *type, *subnet_id, *key_name, *client_token;
	const char *key_public;
	uint32_t private_ip;
	int public_ip; /* -1: the subnet decides */
	const char **group_ids, **group_names;
	size_t n_group_ids, n_group_names;
	void *user_data;
	size_t user_data_size;
	const char *http_tokens, *http_endpoint;
	long hop_limit;
	struct tag_list tags, eni_tags;
};

static int get_network_interface(struct api_call *c, struct run_args *a)
{
	size_t n = params_list_len(c->p, "NetworkInterface");
	if (!n)
		return 0;
	if (n > 1)
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"localvpc instances have one network interface");
	long index = 0;
	bool pub = false;
	int r;
	if ((r = api_get_int(c, "NetworkInterface.1.DeviceIndex", 0, 0, &index)) < 0)
		return r;
	if (params_get(c->p, "NetworkInterface.1.AssociatePublicIpAddress")) {
		if ((r = api_get_bool(c, "NetworkInterface.1.AssociatePublicIpAddress", &pub)) < 0)
			return r;
		a->public_ip = pub;
	}
	const char *sn = NULL;
	if ((r = api_get_id(c, "NetworkInterface.1.SubnetId", "subnet", ERR_SUBNET_MALFORMED, false,
			    &sn)) < 0)
		return r;
	if (sn) {
		if (a->subnet_id && strcmp(a->subnet_id, sn))
			return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
					"Network interfaces and an instance-level subnet ID may "
					"not be specified on the same request");
		a->subnet_id = sn;
	}
	if (params_get(c->p, "NetworkInterface.1.PrivateIpAddress") &&
	    (r = api_get_ip(c, "NetworkInterface.1.PrivateIpAddress", false, &a->private_ip)) < 0)
		return r;
	if (params_list_len(c->p, "NetworkInterface.1.SecurityGroupId")) {
		if (a->n_group_ids)
			return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
					"Network interfaces and an instance-level security groups "
					"may not be specified on the same request");
		r = api_get_id_list(c, "NetworkInterface.1.SecurityGroupId", "sg", ERR_SG_MALFORMED,
				    &a->group_ids, &a->n_group_ids);
	}
	return r;
}

static int get_run_args(struct api_call *c, struct run_args *a)
{
	int r;
	a->type = "m1.small"; /* AWS's default when InstanceType is omitted */
	a->public_ip = -1;
	a->http_tokens = "optional";
	a->http_endpoint = "enabled";
	a->hop_limit = 1;
	if ((r = api_get_int(c, "MinCount", 1, INSTANCES_MAX, &a->min)) < 0 ||
	    (r = api_get_int(c, "MaxCount", 1, INSTANCES_MAX, &a->max)) < 0)
		return r;
	if (!params_get(c->p, "MinCount"))
		return api_fail(c, ERR_MISSING_PARAMETER, "MinCount");
	if (!params_get(c->p, "MaxCount"))
		return api_fail(c, ERR_MISSING_PARAMETER, "MaxCount");
	if (a->min > a->max)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"MinCount must be less than or equal to MaxCount");
	if ((r = api_get_id(c, "ImageId", "ami", ERR_AMI_MALFORMED, true, &a->image_id)) < 0 ||
	    (r = api_get_str(c, "InstanceType", false, &a->type)) < 0 ||
	    (r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, false, &a->subnet_id)) < 0 ||
	    (r = api_get_str(c, "KeyName", false, &a->key_name)) < 0 ||
	    (r = api_get_str(c, "ClientToken", false, &a->client_token)) < 0 ||
	    (r = api_get_id_list(c, "SecurityGroupId", "sg", ERR_SG_MALFORMED, &a->group_ids,
				 &a->n_group_ids)) < 0 ||
	    (r = api_get_str_list(c, "SecurityGroup", &a->group_names, &a->n_group_names)) < 0 ||
	    (r = get_user_data(c, "UserData", &a->user_data, &a->user_data_size)) < 0)
		return r;
	if (params_get(c->p, "PrivateIpAddress") &&
	    (r = api_get_ip(c, "PrivateIpAddress", false, &a->private_ip)) < 0)
		return r;
	if ((r = get_network_interface(c, a)) < 0)
		return r;
	if (a->client_token && strlen(a->client_token) > 64)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"ClientToken must be at most 64 characters");
	if (strcmp(a->image_id, DEFAULT_IMAGE_ID) != 0)
		return api_fail(c, ERR_AMI_NOT_FOUND, a->image_id);
	if (!api_instance_type_known(a->type))
		return api_fail(c, ERR_INVALID_INSTANCE_TYPE, a->type);
	if (a->private_ip && a->max > 1)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Cannot specify a private IP address when launching more than "
				"one instance");
	const char *v;
	if ((v = params_get(c->p, "MetadataOptions.HttpTokens"))) {
		if (strcmp(v, "optional") && strcmp(v, "required"))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid value '%s' for HttpTokens", v));
		a->http_tokens = v;
	}
	if ((v = params_get(c->p, "MetadataOptions.HttpEndpoint"))) {
		if (strcmp(v, "enabled") && strcmp(v, "disabled"))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid value '%s' for HttpEndpoint",
						     v));
		a->http_endpoint = v;
	}
	if ((r = api_get_int(c, "MetadataOptions.HttpPutResponseHopLimit", 1, 64, &a->hop_limit)) < 0)
		return r;
	/* TagSpecification: "instance" tags the instance, "network-interface"
	 * its ENI; "volume" is accepted and has nothing to tag here. */
	size_t n = params_list_len(c->p, "TagSpecification");
	for (size_t i = 1; i <= n; i++) {
		char *prefix = arena_printf(c->arena, "TagSpecification.%zu.", i);
		const char *type = params_get(c->p, arena_printf(c->arena, "%sResourceType", prefix));
		if (!type)
			return api_fail(c, ERR_MISSING_PARAMETER,
					arena_printf(c->arena, "%sResourceType", prefix));
		if (!strcmp(type, "instance"))
			r = api_get_tags(c, prefix, &a->tags);
		else if (!strcmp(type, "network-interface"))
			r = api_get_tags(c, prefix, &a->eni_tags);
		else if (!strcmp(type, "volume"))
			r = 0;
		else
			r = api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				     arena_printf(c->arena, "'%s' is not a valid taggable resource "
							    "type for this operation.", type));
		if (r < 0)
			return r;
	}
	return 0;
}

/* Resolves the security groups of the launch (IDs or names, default: the
 * VPC's default group), all in the subnet's VPC. */
static int resolve_groups(struct api_call *c, struct run_args *a, const char *vpc_id,
			  const char ***ret, size_t *ret_n)
{
	a->n_group_ids = api_ids_dedupe(a->group_ids, a->n_group_ids);
	a->n_group_names = api_ids_dedupe(a->group_names, a->n_group_names);
	size_t n = a->n_group_ids + a->n_group_names;
	/* SG-16, before any lookup. */
	if (n > SG_GROUPS_PER_ENI)
		return api_fail(c, ERR_SG_PER_INSTANCE_LIMIT);
	const char **ids = arena_alloc_array(c->arena, n + 1, sizeof(*ids));
	for (size_t i = 0; i < a->n_group_ids; i++) {
		const char *vpc;
		int r = store_sg_vpc(c->st, c->arena, a->group_ids[i], &vpc);
		if (r == -ENOENT || (r == 0 && strcmp(vpc, vpc_id)))
			return api_fail(c, ERR_SG_NOT_FOUND_ID, a->group_ids[i], vpc_id);
		if (r < 0)
			return internal(c);
		ids[i] = a->group_ids[i];
	}
	for (size_t i = 0; i < a->n_group_names; i++) {
		const char *id;
		int r = store_sg_find(c->st, c->arena, vpc_id, a->group_names[i], &id);
		if (r == -ENOENT)
			return api_fail(c, ERR_SG_NOT_FOUND_ID, a->group_names[i], vpc_id);
		if (r < 0)
			return internal(c);
		ids[a->n_group_ids + i] = id;
	}
	if (!n) {
		const char *id;
		if (store_sg_find(c->st, c->arena, vpc_id, "default", &id) < 0)
			return internal(c);
		ids[0] = id;
		n = 1;
	}
	/* A group named twice (by ID and by name) is one group. */
	n = api_ids_dedupe(ids, n);
	if (n > SG_GROUPS_PER_ENI) /* SG-16 */
		return api_fail(c, ERR_SG_PER_INSTANCE_LIMIT);
	*ret = ids;
	*ret_n = n;
	return 0;
}

static void write_reservation(struct api_call *c, struct instance *v, size_t n, const char *state)
{
	xml_str(c->x, "reservationId", v[0].reservation_id);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_empty(c->x, "groupSet");
	xml_open(c->x, "instancesSet");
	for (size_t i = 0; i < n; i++) {
		xml_open(c->x, "item");
		api_instance_write(c, &v[i], state);
		xml_close(c->x);
	}
	xml_close(c->x);
}

/* ClientToken (API-17): a repeated launch answers the first one. */
static int replay(struct api_call *c, const char *token, bool *done)
{
	struct instance *all, *first;
	size_t n, k = 0;
	int r = store_instance_by_token(c->st, c->arena, token, &first);
	*done = false;
	if (r == -ENOENT)
		return 0;
	if (r < 0 || store_instance_list(c->st, c->arena, &all, &n) < 0)
		return internal(c);
	struct instance *same = arena_alloc_array(c->arena, n, sizeof(*same));
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].reservation_id, first->reservation_id))
			same[k++] = all[i];
	write_reservation(c, same, k, NULL);
	*done = true;
	return 0;
}

static int run_instances(struct api_call *c)
{
	struct run_args a;
	struct subnet *s;
	struct vpc *dv;
	const char **groups = NULL;
	size_t n_groups = 0, count;
	int r;

	memset(&a, 0, sizeof(a));
	if ((r = get_run_args(c, &a)) < 0)
		return r;
	if (a.client_token) {
		bool done;
		if ((r = replay(c, a.client_token, &done)) < 0 || done)
			return r;
	}
	if (!a.subnet_id) {
		/* No subnet: the default subnet of the first zone of the default VPC. */
		struct subnet *all;
		size_t n;
		r = api_default_vpc_find(c, &dv);
		if (r == -ENOENT)
			return api_fail(c, ERR_DEFAULT_VPC_MISSING);
		if (r < 0)
			return r;
		if (store_subnet_list(c->st, c->arena, dv->head.id, &all, &n) < 0)
			return internal(c);
		for (size_t i = 0; i < n && !a.subnet_id; i++)
			if (all[i].default_for_az)
				a.subnet_id = all[i].head.id;
		if (!a.subnet_id)
			return api_fail(c, ERR_MISSING_PARAMETER, "SubnetId");
	}
	if ((r = api_subnet_load(c, a.subnet_id, &s)) < 0)
		return r;
	if (a.key_name && (r = api_key_public(c, a.key_name, &a.key_public)) < 0)
		return r;
	if ((r = resolve_groups(c, &a, s->vpc_id, &groups, &n_groups)) < 0)
		return r;
	if (a.private_ip && (r = api_private_ip_check(c, s, a.private_ip)) < 0)
		return r;
	/* Launch as many as fit between MinCount and MaxCount. */
	uint64_t free_addrs = subnet_available_addrs(s);
	if (free_addrs < (uint64_t)a.min)
		return api_fail(c, ERR_INSUFFICIENT_ADDRESSES,
				arena_printf(c->arena, "There are not enough free addresses in "
						       "subnet '%s' to satisfy the requested number "
						       "of instances.", s->head.id));
	count = (size_t)(free_addrs < (uint64_t)a.max ? free_addrs : (uint64_t)a.max);
	if ((r = api_dry_run(c)) < 0)
		return r;

	bool want_public = a.public_ip < 0 ? s->map_public_ip : a.public_ip;
	struct instance *v = arena_alloc_array(c->arena, count, sizeof(*v));
	uint32_t *taken = arena_alloc_array(c->arena, count, sizeof(*taken));
	char reservation[ID_MAX];
	id_new("r", reservation);
	for (size_t i = 0; i < count; i++) {
		struct instance *in = &v[i];
		struct eni *e = arena_alloc(c->arena, sizeof(*e));
		id_new("i", in->head.id);
		memcpy(in->reservation_id, reservation, sizeof(reservation));
		snprintf(in->image_id, sizeof(in->image_id), "%s", a.image_id);
		snprintf(in->instance_type, sizeof(in->instance_type), "%s", a.type);
		memcpy(in->subnet_id, s->head.id, sizeof(in->subnet_id));
		memcpy(in->vpc_id, s->vpc_id, sizeof(in->vpc_id));
		memcpy(in->az, s->az, sizeof(in->az));
		in->key_name = a.key_name;
		in->state = INSTANCE_RUNNING; /* the desired state; the answer says pending */
		in->launch_time = c->now;
		in->state_time = c->now;
		in->launch_index = (int)i;
		in->user_data = a.user_data;
		in->user_data_size = a.user_data_size;
		in->client_token = a.client_token;
		in->http_tokens = a.http_tokens;
		in->hop_limit = (int)a.hop_limit;
		in->http_endpoint = a.http_endpoint;
		in->head.tags = a.tags;

		id_new("eni", e->head.id);
		memcpy(e->subnet_id, s->head.id, sizeof(e->subnet_id));
		memcpy(e->vpc_id, s->vpc_id, sizeof(e->vpc_id));
		if (a.private_ip)
			e->private_ip = a.private_ip;
		else if ((r = api_private_ip_alloc(c, s, taken, i, &e->private_ip)) < 0)
			return r;
		taken[i] = e->private_ip;
		api_mac_new(e->mac);
		memcpy(e->instance_id, in->head.id, sizeof(e->instance_id));
		id_new("eni-attach", e->attachment_id);
		e->device_index = 0;
		e->source_dest_check = true;
		e->delete_on_termination = true;
		e->description = "";
		e->interface_type = "interface";
		e->group_ids = groups;
		e->n_groups = n_groups;
		e->head.tags = a.eni_tags;
		e->wants_public_ip = want_public;
		if (want_public && (r = api_public_ip_alloc(c, &e->public_ip)) < 0)
			return r;
		if (store_instance_insert(c->st, in) < 0 || store_eni_insert(c->st, e) < 0 ||
		    store_tags_set(c->st, in->head.id, &in->head.tags) < 0 ||
		    store_tags_set(c->st, e->head.id, &e->head.tags) < 0)
			return internal(c);
		/* The groups as Describe shows them: with names, in store order. */
		struct eni *stored;
		if (store_eni_get(c->st, c->arena, e->head.id, &stored) < 0)
			return internal(c);
		e->group_ids = stored->group_ids;
		e->group_names = stored->group_names;
		e->n_groups = stored->n_groups;
		in->eni = e;
		in->enis = arena_alloc_array(c->arena, 1, sizeof(*in->enis));
		in->enis[0] = e;
		in->n_enis = 1;
	}
	write_reservation(c, v, count, "pending"); /* GEN-4 */
	return 0;
}

static void write_state(struct api_call *c, const char *name, enum instance_state st)
{
	xml_open(c->x, name);
	xml_int(c->x, "code", instance_state_code(st));
	xml_str(c->x, "name", instance_state_name(st));
	xml_close(c->x);
}

static const char *iso(struct api_call *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return arena_strdup(c->arena, buf);
}

static void write_groups(struct api_call *c, const struct eni *e)
{
	xml_open(c->x, "groupSet");
	for (size_t i = 0; e && i < e->n_groups; i++) {
		xml_open(c->x, "item");
		xml_str(c->x, "groupId", e->group_ids[i]);
		if (e->group_names && e->group_names[i][0])
			xml_str(c->x, "groupName", e->group_names[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
}

/* One item of an instance's networkInterfaceSet. */
static void write_instance_eni(struct api_call *c, const struct instance *in, const struct eni *e)
{
	char priv[IP4_STR_MAX], pub[IP4_STR_MAX], pdns[96], dns[96];
	/* An Elastic IP is the account's; an auto-assigned one Amazon's. */
	const char *owner = "amazon";
	if (e->public_ip && api_eip_of_eni(c, e->head.id))
		owner = c->cfg->account_id;
	ip4_format(e->private_ip, priv);
	instance_private_dns(e->private_ip, c->cfg->region, pdns);
	if (e->public_ip) {
		ip4_format(e->public_ip, pub);
		instance_public_dns(e->public_ip, c->cfg->region, dns);
	}
	xml_open(c->x, "item");
	xml_str(c->x, "networkInterfaceId", e->head.id);
	xml_str(c->x, "subnetId", e->subnet_id);
	xml_str(c->x, "vpcId", e->vpc_id);
	xml_str(c->x, "description", e->description);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_str(c->x, "status", "in-use");
	xml_str(c->x, "macAddress", e->mac);
	xml_str(c->x, "privateIpAddress", priv);
	xml_str(c->x, "privateDnsName", pdns);
	xml_bool(c->x, "sourceDestCheck", e->source_dest_check);
	write_groups(c, e);
	xml_open(c->x, "attachment");
	xml_str(c->x, "attachmentId", e->attachment_id);
	xml_int(c->x, "deviceIndex", e->device_index);
	xml_str(c->x, "status", "attached");
	/* The primary ENI was attached at launch; a secondary ENI's attach
	 * time is not stored, so it is omitted rather than invented. */
	if (e->device_index == 0)
		xml_str(c->x, "attachTime", iso(c, in->launch_time));
	xml_bool(c->x, "deleteOnTermination", e->delete_on_termination);
	xml_int(c->x, "networkCardIndex", 0);
	xml_close(c->x);
	if (e->public_ip) {
		xml_open(c->x, "association");
		xml_str(c->x, "publicIp", pub);
		xml_str(c->x, "publicDnsName", dns);
		xml_str(c->x, "ipOwnerId", owner);
		xml_close(c->x);
	}
	xml_open(c->x, "privateIpAddressesSet");
	xml_open(c->x, "item");
	xml_str(c->x, "privateIpAddress", priv);
	xml_str(c->x, "privateDnsName", pdns);
	xml_bool(c->x, "primary", true);
	if (e->public_ip) {
		xml_open(c->x, "association");
		xml_str(c->x, "publicIp", pub);
		xml_str(c->x, "publicDnsName", dns);
		xml_str(c->x, "ipOwnerId", owner);
		xml_close(c->x);
	}
	xml_close(c->x);
	xml_close(c->x);
	xml_empty(c->x, "ipv6AddressesSet");
	xml_str(c->x, "interfaceType", e->interface_type);
	xml_close(c->x);
}

void api_instance_write(struct api_call *c, const struct instance *in, const char *state_override)
{
	const struct eni *e = in->eni;
	char priv[IP4_STR_MAX], pub[IP4_STR_MAX], pdns[96], dns[96];
	bool running = in->state != INSTANCE_TERMINATED;
	enum instance_state st = in->state;

	if (state_override)
		(void)instance_state_parse(state_override, &st);
	xml_str(c->x, "instanceId", in->head.id);
	xml_str(c->x, "imageId", in->image_id);
	write_state(c, "instanceState", st);
	if (e && running) {
		ip4_format(e->private_ip, priv);
		instance_private_dns(e->private_ip, c->cfg->region, pdns);
		xml_str(c->x, "privateDnsName", pdns);
	} else {
		xml_str(c->x, "privateDnsName", "");
	}
	if (e && e->public_ip && running) {
		ip4_format(e->public_ip, pub);
		instance_public_dns(e->public_ip, c->cfg->region, dns);
		xml_str(c->x, "dnsName", dns);
	} else {
		xml_str(c->x, "dnsName", "");
	}
	xml_str(c->x, "reason", in->state_reason ? in->state_reason : "");
	xml_str(c->x, "keyName", in->key_name);
	xml_int(c->x, "amiLaunchIndex", in->launch_index);
	xml_empty(c->x, "productCodes");
	xml_str(c->x, "instanceType", in->instance_type);
	xml_str(c->x, "launchTime", iso(c, in->launch_time));
	xml_open(c->x, "placement");
	xml_str(c->x, "availabilityZone", in->az);
	xml_str(c->x, "groupName", "");
	xml_str(c->x, "tenancy", "default");
	xml_close(c->x);
	xml_open(c->x, "monitoring");
	xml_str(c->x, "state", "disabled");
	xml_close(c->x);
	if (running) {
		xml_str(c->x, "subnetId", in->subnet_id);
		xml_str(c->x, "vpcId", in->vpc_id);
		if (e)
			xml_str(c->x, "privateIpAddress", priv);
		if (e && e->public_ip)
			xml_str(c->x, "ipAddress", pub);
	}
	if (e)
		xml_bool(c->x, "sourceDestCheck", e->source_dest_check);
	write_groups(c, running ? e : NULL);
	if (in->state == INSTANCE_STOPPED || in->state == INSTANCE_TERMINATED) {
		xml_open(c->x, "stateReason");
		xml_str(c->x, "code", "Client.UserInitiatedShutdown");
		xml_str(c->x, "message", "Client.UserInitiatedShutdown: User initiated shutdown");
		xml_close(c->x);
	}
	xml_str(c->x, "architecture", "x86_64");
	xml_str(c->x, "rootDeviceType", "ebs");
	xml_str(c->x, "rootDeviceName", "/dev/xvda");
	xml_empty(c->x, "blockDeviceMapping");
	xml_str(c->x, "virtualizationType", "hvm");
	xml_str(c->x, "clientToken", in->client_token ? in->client_token : "");
	api_write_tags(c, &in->head.tags);
	xml_str(c->x, "hypervisor", "xen");
	xml_open(c->x, "networkInterfaceSet");
	if (running && in->n_enis)
		for (size_t i = 0; i < in->n_enis; i++)
			write_instance_eni(c, in, in->enis[i]);
	else if (running && e)
		write_instance_eni(c, in, e);
	xml_close(c->x);
	xml_bool(c->x, "ebsOptimized", false);
	xml_bool(c->x, "enaSupport", true);
	xml_open(c->x, "metadataOptions");
	xml_str(c->x, "state", "applied");
	xml_str(c->x, "httpTokens", in->http_tokens);
	xml_int(c->x, "httpPutResponseHopLimit", in->hop_limit);
	xml_str(c->x, "httpEndpoint", in->http_endpoint);
	xml_str(c->x, "httpProtocolIpv6", "disabled");
	xml_str(c->x, "instanceMetadataTags", "disabled");
	xml_close(c->x);
	xml_str(c->x, "platformDetails", "Linux/UNIX");
	xml_str(c->x, "usageOperation", "RunInstances");
	xml_str(c->x, "bootMode", "uefi-preferred");
	xml_str(c->x, "currentInstanceBootMode", "uefi");
	xml_open(c->x, "privateDnsNameOptions");
	xml_str(c->x, "hostnameType", "ip-name");
	xml_bool(c->x, "enableResourceNameDnsARecord", false);
	xml_bool(c->x, "enableResourceNameDnsAAAARecord", false);
	xml_close(c->x);
}

static const char *const instance_filters[] = {
	"instance-id", "instance-state-name", "instance-state-code", "instance-type", "image-id",
	"key-name", "vpc-id", "subnet-id", "private-ip-address", "ip-address",
	"private-dns-name", "dns-name", "instance.group-id", "availability-zone",
	"reservation-id", "source-dest-check", "network-interface.network-interface-id",
	"network-interface.subnet-id", "network-interface.vpc-id",
	"network-interface.addresses.private-ip-address",
	"network-interface.mac-address", "owner-id", "launch-index", "architecture",
	"root-device-type", "client-token", NULL,
};

static void instance_values(struct api_call *c, const void *item, const char *name,
			    struct strv *out)
{
	const struct instance *in = item;
	const struct eni *e = in->eni;
	char buf[96];
	if (!strcmp(name, "instance-id"))
		strv_add(c, out, in->head.id);
	else if (!strcmp(name, "instance-state-name"))
		strv_add(c, out, instance_state_name(in->state));
	else if (!strcmp(name, "instance-state-code"))
		strv_add(c, out, arena_printf(c->arena, "%d", instance_state_code(in->state)));
	else if (!strcmp(name, "instance-type"))
		strv_add(c, out, in->instance_type);
	else if (!strcmp(name, "image-id"))
		strv_add(c, out, in->image_id);
	else if (!strcmp(name, "key-name"))
		strv_add(c, out, in->key_name);
	else if (!strcmp(name, "vpc-id") || !strcmp(name, "network-interface.vpc-id"))
		strv_add(c, out, in->vpc_id);
	else if (!strcmp(name, "subnet-id") || !strcmp(name, "network-interface.subnet-id"))
		strv_add(c, out, in->subnet_id);
	else if (!strcmp(name, "availability-zone"))
		strv_add(c, out, in->az);
	else if (!strcmp(name, "reservation-id"))
		strv_add(c, out, in->reservation_id);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "launch-index"))
		strv_add(c, out, arena_printf(c->arena, "%d", in->launch_index));
	else if (!strcmp(name, "architecture"))
		strv_add(c, out, "x86_64");
	else if (!strcmp(name, "root-device-type"))
		strv_add(c, out, "ebs");
	else if (!strcmp(name, "client-token"))
		strv_add(c, out, in->client_token);
	if (!e)
		return;
	if (!strcmp(name, "private-ip-address"))
		strv_add(c, out, arena_strdup(c->arena, ip4_format(e->private_ip, buf)));
	else if (!strcmp(name, "ip-address") && e->public_ip)
		strv_add(c, out, arena_strdup(c->arena, ip4_format(e->public_ip, buf)));
	else if (!strcmp(name, "private-dns-name")) {
		instance_private_dns(e->private_ip, c->cfg->region, buf);
		strv_add(c, out, arena_strdup(c->arena, buf));
	} else if (!strcmp(name, "dns-name") && e->public_ip) {
		instance_public_dns(e->public_ip, c->cfg->region, buf);
		strv_add(c, out, arena_strdup(c->arena, buf));
	} else if (!strcmp(name, "instance.group-id")) {
		for (size_t i = 0; i < e->n_groups; i++)
			strv_add(c, out, e->group_ids[i]);
	} else if (!strcmp(name, "source-dest-check"))
		strv_add_bool(c, out, e->source_dest_check);
	else if (!strcmp(name, "network-interface.network-interface-id"))
		for (size_t i = 0; i < in->n_enis; i++)
			strv_add(c, out, in->enis[i]->head.id);
	else if (!strcmp(name, "network-interface.mac-address"))
		for (size_t i = 0; i < in->n_enis; i++)
			strv_add(c, out, in->enis[i]->mac);
	else if (!strcmp(name, "network-interface.addresses.private-ip-address"))
		for (size_t i = 0; i < in->n_enis; i++)
			strv_add(c, out, arena_strdup(c->arena,
						      ip4_format(in->enis[i]->private_ip, buf)));
}

static const char *reservation_of(const void *item)
{
	return ((const struct instance *)item)->reservation_id;
}

static void reservation_write(struct api_call *c, const void *item)
{
	xml_str(c->x, "reservationId", reservation_of(item));
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_empty(c->x, "groupSet");
}

static void instance_item(struct api_call *c, const void *item)
{
	api_instance_write(c, item, NULL);
}

static int describe_instances(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "InstanceId",
		.id_prefix = "i",
		.malformed = ERR_INSTANCE_MALFORMED,
		.not_found = ERR_INSTANCE_NOT_FOUND,
		.filters = instance_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "reservationSet",
		.item_size = sizeof(struct instance),
		.values = instance_values,
		.write = instance_item,
		.group_of = reservation_of,
		.group_write = reservation_write,
		.group_list = "instancesSet",
	};
	struct instance *v;
	size_t n;
	if (store_instance_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	return api_describe(c, &spec, v, n);
}

const struct api_action api_instance_actions[] = {
	{ "RunInstances", run_instances,
	  API_PARAMS("ImageId", "InstanceType", "MinCount", "MaxCount", "SubnetId", "KeyName",
		     "SecurityGroupId", "SecurityGroup", "UserData", "PrivateIpAddress",
		     "NetworkInterface", "TagSpecification", "MetadataOptions", "ClientToken",
		     "Placement", "Monitoring", "EbsOptimized", "DisableApiTermination",
		     "InstanceInitiatedShutdownBehavior") },
	{ "DescribeInstances", describe_instances,
	  API_PARAMS("InstanceId", "Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
