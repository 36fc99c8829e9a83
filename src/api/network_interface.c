// SPDX-License-Identifier: MIT
/* Network interfaces over the EC2 Query API (spec §6): Create, Describe,
 * Attach, Detach, Delete and the attributes.  An instance's primary ENI
 * (device 0) is made by RunInstances and is listed and modified here too.
 * Only the store changes; the reconciler wires attached ENIs afterwards. */
#include "api/network_interface.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "api/address.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/instance.h"
#include "api/subnet.h"
#include "model/instance.h"
#include "model/nat_gateway.h"
#include "model/security_group.h"
#include "model/subnet.h"
#include "store/instance.h"
#include "store/security_group.h"
#include "store/store.h"
#include "util/arena.h"

#define DESCRIPTION_MAX 255 /* characters, as AWS limits an ENI's description */
#define TOKEN_META_PREFIX "eni-client-token:"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_eni_load(struct api_call *c, const char *id, struct eni **ret)
{
	int r = store_eni_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_ENI_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

size_t api_ids_dedupe(const char **v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = strcmp(v[j], v[i]) == 0;
		if (!seen)
			v[k++] = v[i];
	}
	return k;
}

/* ENI-6: interfaces AWS made for a service (NAT gateway, endpoints). */
static bool requester_managed(const struct eni *e)
{
	return e->interface_type && strcmp(e->interface_type, "interface") != 0;
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

/* SG-16 and ENI-3: at most five groups (after removing repeats), each of
 * them in the ENI's VPC (SG-2). */
static int check_groups(struct api_call *c, const char **ids, size_t *n, const char *vpc_id)
{
	*n = api_ids_dedupe(ids, *n);
	if (*n > SG_GROUPS_PER_ENI)
		return api_fail(c, ERR_SG_PER_ENI_LIMIT);
	for (size_t i = 0; i < *n; i++) {
		const char *vpc;
		int r = store_sg_vpc(c->st, c->arena, ids[i], &vpc);
		if (r == -ENOENT || (r == 0 && strcmp(vpc, vpc_id) != 0))
			return api_fail(c, ERR_SG_NOT_FOUND_ID, ids[i], vpc_id);
		if (r < 0)
			return internal(c);
	}
	return 0;
}

static void write_groups(struct api_call *c, const struct eni *e)
{
	xml_open(c->x, "groupSet");
	for (size_t i = 0; i < e->n_groups; i++) {
		xml_open(c->x, "item");
		xml_str(c->x, "groupId", e->group_ids[i]);
		if (e->group_names && e->group_names[i][0])
			xml_str(c->x, "groupName", e->group_names[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
}

/* attach_time: seconds since the epoch, 0 when unknown (omitted). */
static void write_attachment(struct api_call *c, const struct eni *e, int64_t attach_time)
{
	xml_open(c->x, "attachment");
	if (attach_time)
		xml_str(c->x, "attachTime", iso(c, attach_time));
	xml_str(c->x, "attachmentId", e->attachment_id);
	xml_bool(c->x, "deleteOnTermination", e->delete_on_termination);
	xml_int(c->x, "deviceIndex", e->device_index);
	xml_int(c->x, "networkCardIndex", 0);
	xml_str(c->x, "instanceId", e->instance_id);
	xml_str(c->x, "instanceOwnerId", c->cfg->account_id);
	xml_str(c->x, "status", "attached");
	xml_close(c->x);
}

static void write_association(struct api_call *c, const struct eni *e)
{
	char pub[IP4_STR_MAX], dns[96];
	if (!e->public_ip)
		return;
	ip4_format(e->public_ip, pub);
	instance_public_dns(e->public_ip, c->cfg->region, dns);
	/* An Elastic IP is the account's, with its allocation and association. */
	const struct eip *p = api_eip_of_eni(c, e->head.id);
	xml_open(c->x, "association");
	if (p) {
		xml_str(c->x, "allocationId", p->head.id);
		xml_str(c->x, "associationId", p->association_id);
	}
	xml_str(c->x, "ipOwnerId", p ? c->cfg->account_id : "amazon");
	xml_str(c->x, "publicDnsName", dns);
	xml_str(c->x, "publicIp", pub);
	xml_close(c->x);
}

/* The body of one NetworkInterface (networkInterfaceSet item or the
 * networkInterface of CreateNetworkInterface). */
static void write_eni(struct api_call *c, const struct eni *e, int64_t attach_time)
{
	char priv[IP4_STR_MAX], pdns[96];
	bool attached = e->instance_id[0] != '\0';
	ip4_format(e->private_ip, priv);
	instance_private_dns(e->private_ip, c->cfg->region, pdns);
	if (attached)
		write_attachment(c, e, attach_time);
	write_association(c, e);
	xml_str(c->x, "availabilityZone", e->az);
	xml_str(c->x, "description", e->description ? e->description : "");
	write_groups(c, e);
	xml_str(c->x, "interfaceType", e->interface_type ? e->interface_type : "interface");
	xml_empty(c->x, "ipv6AddressesSet");
	xml_str(c->x, "macAddress", e->mac);
	xml_str(c->x, "networkInterfaceId", e->head.id);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_str(c->x, "privateDnsName", pdns);
	xml_str(c->x, "privateIpAddress", priv);
	xml_open(c->x, "privateIpAddressesSet");
	xml_open(c->x, "item");
	write_association(c, e);
	xml_bool(c->x, "primary", true);
	xml_str(c->x, "privateDnsName", pdns);
	xml_str(c->x, "privateIpAddress", priv);
	xml_close(c->x);
	xml_close(c->x);
	xml_bool(c->x, "requesterManaged", requester_managed(e));
	xml_bool(c->x, "sourceDestCheck", e->source_dest_check);
	/* A service's interface (a NAT gateway's) is in use by it. */
	xml_str(c->x, "status", attached || requester_managed(e) ? "in-use" : "available");
	xml_str(c->x, "subnetId", e->subnet_id);
	api_write_tags(c, &e->head.tags);
	xml_str(c->x, "vpcId", e->vpc_id);
}

/* CreateNetworkInterface */

static int check_description(struct api_call *c, const char *d)
{
	size_t n = 0;
	for (const char *p = d; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	if (n > DESCRIPTION_MAX)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Description must be at most 255 characters");
	return 0;
}

/* Parameters of the model this control plane does not serve yet. */
static int refuse_unsupported(struct api_call *c)
{
	static const char *const names[] = {
		"PrivateIpAddresses", "SecondaryPrivateIpAddressCount", "Ipv6AddressCount",
		"Ipv6Addresses", "Ipv4Prefix", "Ipv4PrefixCount", "Ipv6Prefix", "Ipv6PrefixCount",
		"InterfaceType",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (params_get(c->p, names[i]) || params_has_prefix(c->p, names[i]))
			return api_fail(c, ERR_UNSUPPORTED_OPERATION,
					arena_printf(c->arena, "%s is not supported by localvpc: "
							       "an ENI has one private IPv4 address",
						     names[i]));
	return 0;
}

/* API-17: a token seen before answers with the interface it made, while
 * that interface exists. */
static int replay(struct api_call *c, const char *token, bool *done)
{
	const char *id;
	struct eni *e;
	*done = false;
	const char *key = arena_printf(c->arena, TOKEN_META_PREFIX "%s", token);
	int r = store_meta_get(c->st, c->arena, key, &id);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return internal(c);
	r = store_eni_get(c->st, c->arena, id, &e);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return internal(c);
	if ((r = api_dry_run(c)) < 0)
		return r;
	xml_open(c->x, "networkInterface");
	write_eni(c, e, 0);
	xml_close(c->x);
	xml_str(c->x, "clientToken", token);
	*done = true;
	return 0;
}

static int create_eni(struct api_call *c)
{
	const char *subnet_id, *description = "", *token = NULL;
	const char **groups;
	size_t n_groups;
	struct tag_list tags = { 0 };
	uint32_t ip = 0;
	struct subnet *s;
	int r;

	if ((r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, true, &subnet_id)) < 0 ||
	    (r = api_get_str(c, "Description", false, &description)) < 0 ||
	    (r = api_get_ip(c, "PrivateIpAddress", false, &ip)) < 0 ||
	    (r = api_get_id_list(c, "SecurityGroupId", "sg", ERR_SG_MALFORMED, &groups,
				 &n_groups)) < 0 ||
	    (r = api_get_tag_specs(c, "network-interface", &tags)) < 0 ||
	    (r = api_get_client_token(c, &token)) < 0 || (r = refuse_unsupported(c)) < 0 ||
	    (r = check_description(c, description)) < 0)
		return r;
	if ((r = api_subnet_load(c, subnet_id, &s)) < 0)
		return r;
	if (token) {
		bool done;
		if ((r = replay(c, token, &done)) < 0 || done)
			return r;
	}
	if ((r = check_groups(c, groups, &n_groups, s->vpc_id)) < 0)
		return r;
	if (!n_groups) {
		/* ENI-3: the VPC's default group when none is given. */
		const char *id;
		if (store_sg_find(c->st, c->arena, s->vpc_id, "default", &id) < 0)
			return internal(c);
		groups = arena_alloc_array(c->arena, 1, sizeof(*groups));
		groups[0] = id;
		n_groups = 1;
	}
	if (ip)
		r = api_private_ip_check(c, s, ip);
	else
		r = api_private_ip_alloc(c, s, NULL, 0, &ip);
	if (r < 0 || (r = api_dry_run(c)) < 0)
		return r;

	struct eni *e = arena_alloc(c->arena, sizeof(*e));
	id_new("eni", e->head.id);
	memcpy(e->subnet_id, s->head.id, sizeof(e->subnet_id));
	memcpy(e->vpc_id, s->vpc_id, sizeof(e->vpc_id));
	memcpy(e->az, s->az, sizeof(e->az));
	e->private_ip = ip;
	api_mac_new(e->mac);
	e->device_index = -1;
	e->source_dest_check = true; /* ENI-4 */
	e->description = description;
	e->interface_type = "interface";
	e->group_ids = groups;
	e->n_groups = n_groups;
	e->head.tags = tags;
	if (store_eni_insert(c->st, e) < 0 || store_tags_set(c->st, e->head.id, &tags) < 0)
		return internal(c);
	if (token && store_meta_set(c->st, arena_printf(c->arena, TOKEN_META_PREFIX "%s", token),
				    e->head.id) < 0)
		return internal(c);
	/* Reload: the group names and the AZ come from the store. */
	if ((r = api_eni_load(c, e->head.id, &e)) < 0)
		return r;
	xml_open(c->x, "networkInterface");
	write_eni(c, e, 0);
	xml_close(c->x);
	if (token)
		xml_str(c->x, "clientToken", token);
	return 0;
}

/* DescribeNetworkInterfaces */

struct eni_item {
	struct res_head head; /* a copy of the ENI's, for the engine */
	const struct eni *e;
	int64_t attach_time;  /* 0: unknown */
};

static const char *const eni_filters[] = {
	"network-interface-id", "subnet-id", "vpc-id", "status", "private-ip-address",
	"addresses.private-ip-address", "addresses.primary", "private-dns-name", "group-id",
	"group-name", "attachment.instance-id", "attachment.instance-owner-id",
	"attachment.device-index", "attachment.attachment-id", "attachment.status",
	"attachment.delete-on-termination", "attachment.network-card-index",
	"association.public-ip", "association.public-dns-name", "association.ip-owner-id",
	"availability-zone", "description", "source-dest-check", "interface-type",
	"requester-managed", "mac-address", "owner-id", NULL,
};

static void eni_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct eni *e = ((const struct eni_item *)item)->e;
	bool attached = e->instance_id[0] != '\0';
	char buf[96];
	if (!strcmp(name, "network-interface-id"))
		strv_add(c, out, e->head.id);
	else if (!strcmp(name, "subnet-id"))
		strv_add(c, out, e->subnet_id);
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, e->vpc_id);
	else if (!strcmp(name, "status"))
		strv_add(c, out, attached || requester_managed(e) ? "in-use" : "available");
	else if (!strcmp(name, "private-ip-address") ||
		 !strcmp(name, "addresses.private-ip-address"))
		strv_add(c, out, arena_strdup(c->arena, ip4_format(e->private_ip, buf)));
	else if (!strcmp(name, "addresses.primary"))
		strv_add(c, out, "true");
	else if (!strcmp(name, "private-dns-name")) {
		instance_private_dns(e->private_ip, c->cfg->region, buf);
		strv_add(c, out, arena_strdup(c->arena, buf));
	} else if (!strcmp(name, "group-id")) {
		for (size_t i = 0; i < e->n_groups; i++)
			strv_add(c, out, e->group_ids[i]);
	} else if (!strcmp(name, "group-name")) {
		for (size_t i = 0; e->group_names && i < e->n_groups; i++)
			strv_add(c, out, e->group_names[i]);
	} else if (!strcmp(name, "availability-zone"))
		strv_add(c, out, e->az);
	else if (!strcmp(name, "description"))
		strv_add(c, out, e->description);
	else if (!strcmp(name, "source-dest-check"))
		strv_add_bool(c, out, e->source_dest_check);
	else if (!strcmp(name, "interface-type"))
		strv_add(c, out, e->interface_type);
	else if (!strcmp(name, "requester-managed"))
		strv_add_bool(c, out, requester_managed(e));
	else if (!strcmp(name, "mac-address"))
		strv_add(c, out, e->mac);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
	if (e->public_ip) {
		if (!strcmp(name, "association.public-ip"))
			strv_add(c, out, arena_strdup(c->arena, ip4_format(e->public_ip, buf)));
		else if (!strcmp(name, "association.public-dns-name")) {
			instance_public_dns(e->public_ip, c->cfg->region, buf);
			strv_add(c, out, arena_strdup(c->arena, buf));
		} else if (!strcmp(name, "association.ip-owner-id"))
			strv_add(c, out, api_eip_of_eni(c, e->head.id) ? c->cfg->account_id
								       : "amazon");
	}
	if (!attached)
		return;
	if (!strcmp(name, "attachment.instance-id"))
		strv_add(c, out, e->instance_id);
	else if (!strcmp(name, "attachment.instance-owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "attachment.device-index"))
		strv_add(c, out, arena_printf(c->arena, "%d", e->device_index));
	else if (!strcmp(name, "attachment.attachment-id"))
		strv_add(c, out, e->attachment_id);
	else if (!strcmp(name, "attachment.status"))
		strv_add(c, out, "attached");
	else if (!strcmp(name, "attachment.delete-on-termination"))
		strv_add_bool(c, out, e->delete_on_termination);
	else if (!strcmp(name, "attachment.network-card-index"))
		strv_add(c, out, "0");
}

static void eni_item_write(struct api_call *c, const void *item)
{
	const struct eni_item *it = item;
	write_eni(c, it->e, it->attach_time);
}

/* The primary ENI was attached when its instance launched. */
static int64_t attach_time_of(const struct eni *e, const struct instance *v, size_t n)
{
	if (e->device_index != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].head.id, e->instance_id))
			return v[i].launch_time;
	return 0;
}

static int describe_enis(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "NetworkInterfaceId",
		.id_prefix = "eni",
		.malformed = ERR_ENI_MALFORMED,
		.not_found = ERR_ENI_NOT_FOUND,
		.filters = eni_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "networkInterfaceSet",
		.item_size = sizeof(struct eni_item),
		.values = eni_values,
		.write = eni_item_write,
	};
	struct eni *e;
	struct instance *in;
	size_t n, n_in;
	if (store_eni_list(c->st, c->arena, NULL, &e, &n) < 0 ||
	    store_instance_list(c->st, c->arena, &in, &n_in) < 0)
		return internal(c);
	struct eni_item *items = arena_alloc_array(c->arena, n + 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].head = e[i].head;
		items[i].e = &e[i];
		items[i].attach_time = attach_time_of(&e[i], in, n_in);
	}
	return api_describe(c, &spec, items, n);
}

/* AttachNetworkInterface, DetachNetworkInterface */

static int attach_eni(struct api_call *c)
{
	const char *eni_id, *iid;
	long index = -1, card = 0;
	struct instance *in;
	struct eni *e;
	int r;

	r = api_get_id(c, "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, true, &eni_id);
	if (r < 0 ||
	    (r = api_get_id(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, true, &iid)) < 0 ||
	    (r = api_get_int(c, "DeviceIndex", 0, ENI_DEVICE_INDEX_MAX, &index)) < 0 ||
	    (r = api_get_int(c, "NetworkCardIndex", 0, 0, &card)) < 0)
		return r;
	if (index < 0)
		return api_fail(c, ERR_MISSING_PARAMETER, "DeviceIndex");
	if ((r = api_eni_load(c, eni_id, &e)) < 0 ||
	    (r = api_instance_load(c, iid, &in)) < 0)
		return r;
	if (in->state == INSTANCE_TERMINATED || in->state == INSTANCE_SHUTTING_DOWN)
		return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, iid, "attached to");
	if (e->instance_id[0])
		return api_fail(c, ERR_ENI_IN_USE,
				arena_printf(c->arena, "Interface: [%s] in use.", eni_id));
	if (strcmp(e->vpc_id, in->vpc_id) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				arena_printf(c->arena, "The network interface %s and the instance "
						       "%s are not in the same VPC.",
					     eni_id, iid));
	if (strcmp(e->az, in->az) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"You may not attach a network interface to an instance if they are "
				"not in the same availability zone");
	for (size_t i = 0; i < in->n_enis; i++)
		if (in->enis[i]->device_index == index)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Instance '%s' already has an "
							       "interface attached at device index "
							       "'%ld'.", iid, index));
	int max = instance_type_max_enis(in->instance_type);
	if ((long)in->n_enis + 1 > max)
		return api_fail(c, ERR_ENI_LIMIT_INSTANCE,
				arena_printf(c->arena, "%zu", in->n_enis + 1), in->instance_type);
	if ((r = api_dry_run(c)) < 0)
		return r;
	memcpy(e->instance_id, in->head.id, sizeof(e->instance_id));
	id_new("eni-attach", e->attachment_id);
	e->device_index = (int)index;
	e->delete_on_termination = false; /* AWS's default for an attached ENI */
	if (store_eni_update(c->st, e) < 0)
		return internal(c);
	xml_str(c->x, "attachmentId", e->attachment_id);
	xml_int(c->x, "networkCardIndex", 0);
	return 0;
}

static int load_attachment(struct api_call *c, const char *name, bool required, struct eni **ret,
			   const char **ret_id)
{
	const char *id = NULL;
	int r = api_get_id(c, name, "eni-attach", ERR_ENI_ATTACHMENT_MALFORMED, required, &id);
	if (r < 0 || !id)
		return r;
	r = store_eni_by_attachment(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_ENI_ATTACHMENT_NOT_FOUND, id);
	if (r < 0)
		return internal(c);
	*ret_id = id;
	return 0;
}

static int detach_eni(struct api_call *c)
{
	const char *id;
	bool force = false;
	struct eni *e;
	int r;
	if ((r = load_attachment(c, "AttachmentId", true, &e, &id)) < 0 ||
	    (r = api_get_bool(c, "Force", &force)) < 0)
		return r;
	/* ENI-1: the primary interface lives and dies with its instance. */
	if (e->device_index == 0)
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				"The network interface at device index 0 and networkCard index 0 "
				"cannot be detached.");
	if ((r = api_dry_run(c)) < 0)
		return r;
	e->instance_id[0] = '\0';
	e->attachment_id[0] = '\0';
	e->device_index = -1;
	e->delete_on_termination = false;
	if (store_eni_update(c->st, e) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

/* DeleteNetworkInterface */

static int delete_eni(struct api_call *c)
{
	const char *id;
	struct eni *e;
	int r;
	if ((r = api_get_id(c, "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, true, &id)) < 0 ||
	    (r = api_eni_load(c, id, &e)) < 0)
		return r;
	if (requester_managed(e)) /* ENI-6 */
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				arena_printf(c->arena, "You are not allowed to delete the "
						       "requester-managed network interface '%s'.",
					     id));
	if (e->instance_id[0])
		return api_fail(c, ERR_ENI_IN_USE,
				arena_printf(c->arena, "The network interface '%s' is currently "
						       "in use.", id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_eni_delete(c->st, id) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

/* ModifyNetworkInterfaceAttribute, DescribeNetworkInterfaceAttribute */

static int modify_eni_attribute(struct api_call *c)
{
	const char *id, *description = NULL, *attach_id = NULL;
	const char **groups;
	size_t n_groups;
	bool sdc = true, dot = false;
	bool has_sdc = params_get(c->p, "SourceDestCheck.Value") != NULL;
	bool has_attach = params_has_prefix(c->p, "Attachment");
	bool has_dot = params_get(c->p, "Attachment.DeleteOnTermination") != NULL;
	struct eni *e, *other;
	int r;

	if ((r = api_get_id(c, "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, true, &id)) < 0 ||
	    (has_sdc && (r = api_get_bool(c, "SourceDestCheck.Value", &sdc)) < 0) ||
	    (r = api_get_str(c, "Description.Value", false, &description)) < 0 ||
	    (r = api_get_id_list(c, "SecurityGroupId", "sg", ERR_SG_MALFORMED, &groups,
				 &n_groups)) < 0 ||
	    (has_dot && (r = api_get_bool(c, "Attachment.DeleteOnTermination", &dot)) < 0))
		return r;
	/* ENI-5: exactly one attribute per call. */
	int given = has_sdc + (description != NULL) + (n_groups > 0) + has_attach;
	if (!given)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"No attribute specified: give one of SourceDestCheck, Description, "
				"SecurityGroupId or Attachment");
	if (given > 1)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Only one attribute can be modified at a time");
	if (has_attach) {
		if ((r = load_attachment(c, "Attachment.AttachmentId", true, &other, &attach_id)) <
		    0)
			return r;
		if (!has_dot)
			return api_fail(c, ERR_MISSING_PARAMETER, "Attachment.DeleteOnTermination");
	}
	if ((r = api_eni_load(c, id, &e)) < 0)
		return r;
	if (requester_managed(e)) /* ENI-6 */
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				arena_printf(c->arena, "You are not allowed to modify the "
						       "requester-managed network interface '%s'.",
					     id));
	if (attach_id && strcmp(e->attachment_id, attach_id) != 0)
		return api_fail(c, ERR_ENI_ATTACHMENT_NOT_FOUND, attach_id);
	if (description && (r = check_description(c, description)) < 0)
		return r;
	if (n_groups && (r = check_groups(c, groups, &n_groups, e->vpc_id)) < 0)
		return r;
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (has_sdc)
		e->source_dest_check = sdc;
	if (description)
		e->description = description;
	if (n_groups) {
		e->group_ids = groups;
		e->n_groups = n_groups;
	}
	if (has_attach)
		e->delete_on_termination = dot;
	if (store_eni_update(c->st, e) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static int describe_eni_attribute(struct api_call *c)
{
	const char *id, *attr;
	struct eni *e;
	int r;
	if ((r = api_get_id(c, "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, true, &id)) < 0 ||
	    (r = api_get_str(c, "Attribute", true, &attr)) < 0)
		return r;
	if (strcmp(attr, "description") && strcmp(attr, "groupSet") &&
	    strcmp(attr, "sourceDestCheck") && strcmp(attr, "attachment"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value (%s) for parameter attribute is "
						       "invalid. Unknown attribute.", attr));
	if ((r = api_eni_load(c, id, &e)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	xml_str(c->x, "networkInterfaceId", e->head.id);
	if (!strcmp(attr, "description")) {
		xml_open(c->x, "description");
		xml_str(c->x, "value", e->description);
		xml_close(c->x);
	} else if (!strcmp(attr, "sourceDestCheck")) {
		xml_open(c->x, "sourceDestCheck");
		xml_bool(c->x, "value", e->source_dest_check);
		xml_close(c->x);
	} else if (!strcmp(attr, "groupSet")) {
		write_groups(c, e);
	} else if (e->instance_id[0]) {
		int64_t t = 0;
		struct instance *in;
		if (e->device_index == 0 &&
		    store_instance_get(c->st, c->arena, e->instance_id, &in) == 0)
			t = in->launch_time;
		write_attachment(c, e, t);
	}
	return 0;
}

const struct api_action api_network_interface_actions[] = {
	{ "CreateNetworkInterface", create_eni,
	  API_PARAMS("SubnetId", "Description", "PrivateIpAddress", "SecurityGroupId",
		     "TagSpecification", "ClientToken", "PrivateIpAddresses",
		     "SecondaryPrivateIpAddressCount", "Ipv6AddressCount", "Ipv6Addresses",
		     "Ipv4Prefix", "Ipv4PrefixCount", "Ipv6Prefix", "Ipv6PrefixCount",
		     "InterfaceType") },
	{ "DescribeNetworkInterfaces", describe_enis,
	  API_PARAMS("NetworkInterfaceId", "Filter", "MaxResults", "NextToken") },
	{ "AttachNetworkInterface", attach_eni,
	  API_PARAMS("NetworkInterfaceId", "InstanceId", "DeviceIndex", "NetworkCardIndex") },
	{ "DetachNetworkInterface", detach_eni, API_PARAMS("AttachmentId", "Force") },
	{ "DeleteNetworkInterface", delete_eni, API_PARAMS("NetworkInterfaceId") },
	{ "ModifyNetworkInterfaceAttribute", modify_eni_attribute,
	  API_PARAMS("NetworkInterfaceId", "SourceDestCheck", "Description", "SecurityGroupId",
		     "Attachment") },
	{ "DescribeNetworkInterfaceAttribute", describe_eni_attribute,
	  API_PARAMS("NetworkInterfaceId", "Attribute") },
	{ NULL, NULL, NULL },
};
