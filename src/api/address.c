// SPDX-License-Identifier: MIT
/* Elastic IPs over the EC2 Query API (spec §12): Allocate, Associate,
 * Disassociate, Release, Describe.  Addresses come from the daemon's public
 * pool and never collide with auto-assigned ones; an associated address is
 * written to its ENI's public_ip, which the reconciler maps at the internet
 * gateway after the call commits. */
#include "api/address.h"

#include <errno.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/instance.h"
#include "api/network_interface.h"
#include "model/instance.h"
#include "model/nat_gateway.h"
#include "store/igw.h"
#include "store/instance.h"
#include "store/nat_gateway.h"
#include "store/store.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_eip_load(struct api_call *c, const char *id, struct eip **ret)
{
	int r = store_eip_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_EIP_ALLOC_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

const struct eip *api_eip_of_eni(struct api_call *c, const char *eni_id)
{
	struct eip *p;
	return store_eip_by_eni(c->st, c->arena, eni_id, &p) == 0 ? p : NULL;
}

static bool is_nat_gateway_eni(const struct eni *e)
{
	return e->interface_type && !strcmp(e->interface_type, "nat_gateway");
}

/* EIP-6: an ENI that had an auto-assigned public IPv4 gets a new one when
 * its Elastic IP leaves, while its instance runs (a stopped one gets it at
 * start, instance_state.c). */
static int restore_auto_ip(struct api_call *c, struct eni *e)
{
	struct instance *in;
	int r;
	e->public_ip = 0;
	if (store_eni_update(c->st, e) < 0)
		return internal(c);
	if (!e->wants_public_ip || !e->instance_id[0])
		return 0;
	r = store_instance_get(c->st, c->arena, e->instance_id, &in);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return internal(c);
	if (in->state != INSTANCE_RUNNING && in->state != INSTANCE_PENDING)
		return 0;
	if ((r = api_public_ip_alloc(c, &e->public_ip)) < 0)
		return r;
	return store_eni_update(c->st, e) < 0 ? internal(c) : 0;
}

static int disassociate(struct api_call *c, struct eip *p, bool restore)
{
	struct eni *e = NULL;
	int r = p->eni_id[0] ? store_eni_get(c->st, c->arena, p->eni_id, &e) : -ENOENT;
	if (r < 0 && r != -ENOENT)
		return internal(c);
	p->association_id[0] = p->eni_id[0] = p->instance_id[0] = '\0';
	p->private_ip = 0;
	if (store_eip_set_association(c->st, p) < 0)
		return internal(c);
	if (r == -ENOENT)
		return 0;
	if (restore)
		return restore_auto_ip(c, e);
	e->public_ip = 0;
	return store_eni_update(c->st, e) < 0 ? internal(c) : 0;
}

int api_eip_associate(struct api_call *c, struct eip *p, struct eni *e)
{
	struct eip *other;
	int r;
	if (p->eni_id[0] && strcmp(p->eni_id, e->head.id) != 0 &&
	    (r = disassociate(c, p, true)) < 0)
		return r;
	r = store_eip_by_eni(c->st, c->arena, e->head.id, &other);
	if (r < 0 && r != -ENOENT)
		return internal(c);
	if (r == 0 && strcmp(other->head.id, p->head.id) != 0) {
		/* EIP-4: the old address stays allocated. */
		other->association_id[0] = other->eni_id[0] = '\0';
		other->private_ip = 0;
		if (store_eip_set_association(c->st, other) < 0)
			return internal(c);
	}
	/* EIP-6: the auto-assigned address goes back to the pool. */
	e->public_ip = p->public_ip;
	if (store_eni_update(c->st, e) < 0)
		return internal(c);
	id_new("eipassoc", p->association_id);
	memcpy(p->eni_id, e->head.id, sizeof(p->eni_id));
	memcpy(p->instance_id, e->instance_id, sizeof(p->instance_id));
	p->private_ip = e->private_ip;
	return store_eip_set_association(c->st, p) < 0 ? internal(c) : 0;
}

/* An IPv4 string parameter (InvalidAddress.Malformed otherwise). */
static int get_public_ip(struct api_call *c, const char *name, uint32_t *ret, bool *given)
{
	const char *v = params_get(c->p, name);
	*given = v != NULL;
	if (v && ip4_parse(v, ret) < 0)
		return api_fail(c, ERR_ADDRESS_MALFORMED, v);
	return 0;
}

static int load_by_ip(struct api_call *c, uint32_t ip, struct eip **ret)
{
	char buf[IP4_STR_MAX];
	int r = store_eip_by_public_ip(c->st, c->arena, ip, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_ADDRESS_NOT_FOUND, ip4_format(ip, buf));
	return r < 0 ? internal(c) : 0;
}

/* AllocateAddress */

static int check_region_param(struct api_call *c, const char *name)
{
	const char *v = params_get(c->p, name);
	if (v && strcmp(v, c->cfg->region) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for %s: this endpoint "
						       "serves %s", v, name, c->cfg->region));
	return 0;
}

static int check_pool_address(struct api_call *c, uint32_t ip)
{
	char buf[IP4_STR_MAX];
	const struct cidr *pool = &c->cfg->public_pool;
	uint32_t *used;
	size_t n;
	ip4_format(ip, buf);
	if (!cidr_contains_ip(pool, ip) || ip == pool->addr || ip == cidr_last(pool))
		return api_fail(c, ERR_ADDRESS_NOT_FOUND, buf);
	if (store_public_ips(c->st, c->arena, &used, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++)
		if (used[i] == ip)
			return api_fail(c, ERR_IP_IN_USE, buf);
	return 0;
}

static int allocate_address(struct api_call *c)
{
	const char *domain = "vpc", *pool = NULL;
	struct tag_list tags = { 0 };
	uint32_t ip = 0;
	bool given;
	size_t n;
	int r;

	if ((r = api_get_str(c, "Domain", false, &domain)) < 0 ||
	    (r = get_public_ip(c, "Address", &ip, &given)) < 0 ||
	    (r = api_get_str(c, "PublicIpv4Pool", false, &pool)) < 0 ||
	    (r = check_region_param(c, "NetworkBorderGroup")) < 0 ||
	    (r = api_get_tag_specs(c, "elastic-ip", &tags)) < 0)
		return r;
	/* EIP-13 and VPC-only accounts: only "vpc" addresses. */
	if (strcmp(domain, "vpc") != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for domain.", domain));
	if (pool && strcmp(pool, "amazon") != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "The public IPv4 pool '%s' does not exist",
					     pool));
	if (params_get(c->p, "CustomerOwnedIpv4Pool"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"Customer-owned IPv4 pools are not supported by localvpc");
	if (store_eip_count(c->st, &n) < 0)
		return internal(c);
	if (n >= c->cfg->limits.eips) /* EIP-1 */
		return api_fail(c, ERR_ADDRESS_LIMIT);
	if (given)
		r = check_pool_address(c, ip);
	else
		r = api_public_ip_alloc(c, &ip);
	if (r < 0 || (r = api_dry_run(c)) < 0)
		return r;

	struct eip *p = arena_alloc(c->arena, sizeof(*p));
	char buf[IP4_STR_MAX];
	id_new("eipalloc", p->head.id);
	p->public_ip = ip;
	p->head.tags = tags;
	if (store_eip_insert(c->st, p) < 0 || store_tags_set(c->st, p->head.id, &tags) < 0)
		return internal(c);
	xml_str(c->x, "publicIp", ip4_format(ip, buf));
	xml_str(c->x, "domain", "vpc");
	xml_str(c->x, "allocationId", p->head.id);
	xml_str(c->x, "publicIpv4Pool", "amazon");
	xml_str(c->x, "networkBorderGroup", c->cfg->region);
	return 0;
}

/* AssociateAddress */

/* The ENI the call names: NetworkInterfaceId, or the instance's only one
 * (EIP-2). */
static int target_eni(struct api_call *c, struct eni **ret)
{
	const char *iid = NULL, *eni_id = NULL;
	struct instance *in;
	int r;
	if ((r = api_get_id(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, false, &iid)) < 0 ||
	    (r = api_get_id(c, "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, false, &eni_id)) < 0)
		return r;
	if (iid && eni_id)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"You may specify either an instance or a network interface, but "
				"not both");
	if (!iid && !eni_id)
		return api_fail(c, ERR_MISSING_PARAMETER, "InstanceId or NetworkInterfaceId");
	if (eni_id)
		return api_eni_load(c, eni_id, ret);
	if ((r = api_instance_load(c, iid, &in)) < 0)
		return r;
	if (in->state == INSTANCE_TERMINATED || in->state == INSTANCE_SHUTTING_DOWN || !in->eni)
		return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, iid, "associated with an address");
	if (in->n_enis > 1)
		return api_fail(c, ERR_INSTANCE_MULTI_ENI, iid);
	*ret = in->eni;
	return 0;
}

static int associate_address(struct api_call *c)
{
	const char *alloc_id = NULL;
	bool allow = false, has_ip, has_priv;
	uint32_t pub = 0, priv = 0;
	struct eip *p;
	struct eni *e;
	struct igw *g;
	int r;

	if ((r = api_get_id(c, "AllocationId", "eipalloc", ERR_EIP_ALLOC_MALFORMED, false,
			    &alloc_id)) < 0 ||
	    (r = get_public_ip(c, "PublicIp", &pub, &has_ip)) < 0 ||
	    (r = api_get_bool(c, "AllowReassociation", &allow)) < 0)
		return r;
	has_priv = params_get(c->p, "PrivateIpAddress") != NULL;
	if (has_priv && (r = api_get_ip(c, "PrivateIpAddress", true, &priv)) < 0)
		return r;
	if (alloc_id && has_ip)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"You may specify either a public IP or an allocation ID, but not "
				"both");
	if (!alloc_id && !has_ip)
		return api_fail(c, ERR_MISSING_PARAMETER, "AllocationId");
	if ((r = target_eni(c, &e)) < 0)
		return r;
	if ((r = alloc_id ? api_eip_load(c, alloc_id, &p) : load_by_ip(c, pub, &p)) < 0)
		return r;
	char buf[IP4_STR_MAX];
	if (has_priv && priv != e->private_ip)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "The private IP address %s is not assigned "
						       "to network interface %s",
					     ip4_format(priv, buf), e->head.id));
	if (is_nat_gateway_eni(e))
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				arena_printf(c->arena, "The network interface %s is managed by a "
						       "NAT gateway", e->head.id));
	bool same = !strcmp(p->eni_id, e->head.id);
	if (p->association_id[0] && !same) {
		struct eni *cur;
		if (store_eni_get(c->st, c->arena, p->eni_id, &cur) == 0 && is_nat_gateway_eni(cur))
			return api_fail(c, ERR_IP_IN_USE, ip4_format(p->public_ip, buf));
		/* EIP-3: moving an associated address needs AllowReassociation. */
		if (!allow)
			return api_fail(c, ERR_ALREADY_ASSOCIATED,
					arena_printf(c->arena, "resource %s is already associated "
							       "with associate-id %s",
						     p->head.id, p->association_id));
	}
	/* EIP-5: the VPC must reach the internet. */
	r = store_igw_of_vpc(c->st, c->arena, e->vpc_id, &g);
	if (r == -ENOENT)
		return api_fail(c, ERR_EIP_NO_IGW, e->vpc_id);
	if (r < 0)
		return internal(c);
	if ((r = api_dry_run(c)) < 0)
		return r;
	/* EIP-3: associating again where it is is idempotent. */
	if (!same && (r = api_eip_associate(c, p, e)) < 0)
		return r;
	xml_str(c->x, "associationId", p->association_id);
	api_write_return(c);
	return 0;
}

/* DisassociateAddress */

static int disassociate_address(struct api_call *c)
{
	const char *assoc = NULL;
	uint32_t pub = 0;
	bool has_ip;
	struct eip *p;
	struct eni *e;
	int r;
	if ((r = api_get_id(c, "AssociationId", "eipassoc", ERR_EIP_ASSOC_MALFORMED, false,
			    &assoc)) < 0 ||
	    (r = get_public_ip(c, "PublicIp", &pub, &has_ip)) < 0)
		return r;
	if (assoc && has_ip)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"You may specify either a public IP or an association ID, but not "
				"both");
	if (!assoc && !has_ip)
		return api_fail(c, ERR_MISSING_PARAMETER, "AssociationId");
	if (assoc) {
		r = store_eip_by_association(c->st, c->arena, assoc, &p);
		if (r == -ENOENT)
			return api_fail(c, ERR_EIP_ASSOC_NOT_FOUND, assoc);
		if (r < 0)
			return internal(c);
	} else if ((r = load_by_ip(c, pub, &p)) < 0) {
		return r;
	}
	if (p->eni_id[0] && store_eni_get(c->st, c->arena, p->eni_id, &e) == 0 &&
	    is_nat_gateway_eni(e))
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				arena_printf(c->arena, "The address %s is used by a NAT gateway; "
						       "delete the gateway instead", p->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	/* EIP-7: an address that is not associated stays so. */
	if (p->association_id[0] && (r = disassociate(c, p, true)) < 0)
		return r;
	api_write_return(c);
	return 0;
}

/* ReleaseAddress */

static int release_address(struct api_call *c)
{
	const char *alloc_id = NULL;
	uint32_t pub = 0;
	bool has_ip;
	struct eip *p;
	int r;
	if ((r = api_get_id(c, "AllocationId", "eipalloc", ERR_EIP_ALLOC_MALFORMED, false,
			    &alloc_id)) < 0 ||
	    (r = get_public_ip(c, "PublicIp", &pub, &has_ip)) < 0 ||
	    (r = check_region_param(c, "NetworkBorderGroup")) < 0)
		return r;
	if (alloc_id && has_ip) /* EIP-8 */
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"You may specify either a public IP or an allocation ID, but not "
				"both");
	if (!alloc_id && !has_ip)
		return api_fail(c, ERR_MISSING_PARAMETER, "AllocationId");
	if ((r = alloc_id ? api_eip_load(c, alloc_id, &p) : load_by_ip(c, pub, &p)) < 0)
		return r;
	char buf[IP4_STR_MAX];
	if (p->association_id[0]) /* EIP-8: disassociate first */
		return api_fail(c, ERR_IP_IN_USE, ip4_format(p->public_ip, buf));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_eip_delete(c->st, p->head.id) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

/* DescribeAddresses */

static const char *const eip_filters[] = {
	"allocation-id", "association-id", "domain", "instance-id", "network-interface-id",
	"network-interface-owner-id", "private-ip-address", "public-ip", "network-border-group",
	"public-ipv4-pool", NULL,
};

static void eip_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct eip *p = item;
	char buf[IP4_STR_MAX];
	bool assoc = p->association_id[0] != '\0';
	if (!strcmp(name, "allocation-id"))
		strv_add(c, out, p->head.id);
	else if (!strcmp(name, "domain"))
		strv_add(c, out, "vpc");
	else if (!strcmp(name, "public-ip"))
		strv_add(c, out, arena_strdup(c->arena, ip4_format(p->public_ip, buf)));
	else if (!strcmp(name, "network-border-group"))
		strv_add(c, out, c->cfg->region);
	else if (!strcmp(name, "public-ipv4-pool"))
		strv_add(c, out, "amazon");
	else if (!assoc)
		return;
	else if (!strcmp(name, "association-id"))
		strv_add(c, out, p->association_id);
	else if (!strcmp(name, "instance-id") && p->instance_id[0])
		strv_add(c, out, p->instance_id);
	else if (!strcmp(name, "network-interface-id"))
		strv_add(c, out, p->eni_id);
	else if (!strcmp(name, "network-interface-owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "private-ip-address"))
		strv_add(c, out, arena_strdup(c->arena, ip4_format(p->private_ip, buf)));
}

static void eip_item(struct api_call *c, const void *item)
{
	const struct eip *p = item;
	char buf[IP4_STR_MAX];
	if (p->instance_id[0] && p->association_id[0])
		xml_str(c->x, "instanceId", p->instance_id);
	xml_str(c->x, "publicIp", ip4_format(p->public_ip, buf));
	xml_str(c->x, "allocationId", p->head.id);
	if (p->association_id[0]) {
		xml_str(c->x, "associationId", p->association_id);
		xml_str(c->x, "networkInterfaceId", p->eni_id);
		xml_str(c->x, "networkInterfaceOwnerId", c->cfg->account_id);
		xml_str(c->x, "privateIpAddress", ip4_format(p->private_ip, buf));
	}
	xml_str(c->x, "domain", "vpc");
	api_write_tags(c, &p->head.tags);
	xml_str(c->x, "publicIpv4Pool", "amazon");
	xml_str(c->x, "networkBorderGroup", c->cfg->region);
}

static int describe_addresses(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "AllocationId",
		.id_prefix = "eipalloc",
		.malformed = ERR_EIP_ALLOC_MALFORMED,
		.not_found = ERR_EIP_ALLOC_NOT_FOUND,
		.filters = eip_filters,
		.set_name = "addressesSet", /* EIP-12: no pagination */
		.item_size = sizeof(struct eip),
		.values = eip_values,
		.write = eip_item,
	};
	const char **ips;
	size_t n, n_ips, k = 0;
	struct eip *v;
	int r;
	if ((r = api_get_str_list(c, "PublicIp", &ips, &n_ips)) < 0)
		return r;
	uint32_t *want = arena_alloc_array(c->arena, n_ips + 1, sizeof(*want));
	for (size_t i = 0; i < n_ips; i++)
		if (ip4_parse(ips[i], &want[i]) < 0)
			return api_fail(c, ERR_ADDRESS_MALFORMED, ips[i]);
	if (store_eip_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	/* PublicIp.N: each must exist (API-19), then only those are listed. */
	for (size_t i = 0; i < n_ips; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = v[j].public_ip == want[i];
		if (!found)
			return api_fail(c, ERR_ADDRESS_NOT_FOUND, ips[i]);
	}
	for (size_t j = 0; j < n && n_ips; j++) {
		bool wanted = false;
		for (size_t i = 0; i < n_ips && !wanted; i++)
			wanted = v[j].public_ip == want[i];
		if (wanted)
			v[k++] = v[j];
	}
	return api_describe(c, &spec, v, n_ips ? k : n);
}

const struct api_action api_address_actions[] = {
	{ "AllocateAddress", allocate_address,
	  API_PARAMS("Domain", "Address", "PublicIpv4Pool", "NetworkBorderGroup",
		     "CustomerOwnedIpv4Pool", "TagSpecification") },
	{ "AssociateAddress", associate_address,
	  API_PARAMS("AllocationId", "InstanceId", "PublicIp", "AllowReassociation",
		     "NetworkInterfaceId", "PrivateIpAddress") },
	{ "DisassociateAddress", disassociate_address, API_PARAMS("AssociationId", "PublicIp") },
	{ "ReleaseAddress", release_address,
	  API_PARAMS("AllocationId", "PublicIp", "NetworkBorderGroup") },
	{ "DescribeAddresses", describe_addresses,
	  API_PARAMS("Filter", "PublicIp", "AllocationId") },
	{ NULL, NULL, NULL },
};
