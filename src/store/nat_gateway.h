// SPDX-License-Identifier: MIT
/* NAT-gateway and Elastic-IP rows (tables natgw, eip). */
#ifndef STORE_NAT_GATEWAY_H
#define STORE_NAT_GATEWAY_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct arena;
struct nat_gateway;
struct eip;

/* Every NAT gateway (creation order), deleted ones included, with tags.
 * Arena-owned.  compile/ reads this through the snapshot. */
int store_natgw_list(struct store *st, struct arena *a, struct nat_gateway **ret, size_t *ret_n);

/* Inserts g (head.id, subnet, vpc, state, addresses, times); client_token
 * may be NULL.  Sets g->head.seq. */
int store_natgw_insert(struct store *st, struct nat_gateway *g, const char *client_token);
/* Writes state and delete_time. */
int store_natgw_set_state(struct store *st, const struct nat_gateway *g);
/* The gateway created with ClientToken token (arena), -ENOENT if none. */
int store_natgw_by_token(struct store *st, struct arena *a, const char *token, const char **ret);
/* Removes deleted and failed gateways whose delete_time is before `before`
 * (NAT-3: they vanish after about an hour), with their tags. */
int store_natgw_purge(struct store *st, int64_t before);
/* Gateways in state pending, available or deleting (NAT-15). */
int store_natgw_count_live_in_az(struct store *st, const char *az, size_t *ret);
int store_natgw_count_live_in_subnet(struct store *st, const char *subnet_id, size_t *ret);
int store_natgw_count_live_in_vpc(struct store *st, const char *vpc_id, size_t *ret);

/* Elastic IPs.  Lists and lookups fill instance_id from the associated
 * ENI; arena-owned; lookups return -ENOENT when nothing matches. */
int store_eip_list(struct store *st, struct arena *a, struct eip **ret, size_t *ret_n);
int store_eip_get(struct store *st, struct arena *a, const char *id, struct eip **ret);
int store_eip_by_public_ip(struct store *st, struct arena *a, uint32_t ip, struct eip **ret);
int store_eip_by_association(struct store *st, struct arena *a, const char *assoc_id,
			     struct eip **ret);
int store_eip_by_eni(struct store *st, struct arena *a, const char *eni_id, struct eip **ret);
/* Inserts an unassociated allocation (head.id, public_ip); sets head.seq. */
int store_eip_insert(struct store *st, struct eip *p);
/* Writes association_id, eni_id and private_ip ("" association: none). */
int store_eip_set_association(struct store *st, const struct eip *p);
int store_eip_delete(struct store *st, const char *id);
int store_eip_count(struct store *st, size_t *ret);

#endif
