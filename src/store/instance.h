// SPDX-License-Identifier: MIT
/* Instance and network-interface rows. */
#ifndef STORE_INSTANCE_H
#define STORE_INSTANCE_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct arena;
struct instance;
struct eni;

int store_instance_insert(struct store *st, struct instance *in);
/* Writes state, state_reason and state_time. */
int store_instance_set_state(struct store *st, const struct instance *in);
/* Writes the attributes ModifyInstanceAttribute may change. */
int store_instance_update(struct store *st, const struct instance *in);
int store_instance_delete(struct store *st, const char *id);
/* Every instance (creation order) with its ENIs (primary in ->eni, all
 * attached ones in ->enis by device index) and tags. */
int store_instance_list(struct store *st, struct arena *a, struct instance **ret, size_t *ret_n);
/* The same without ENIs (->eni NULL, ->n_enis 0), for a caller that loads
 * every ENI anyway and attaches them itself (the snapshot). */
int store_instance_rows(struct store *st, struct arena *a, struct instance **ret, size_t *ret_n);
int store_instance_get(struct store *st, struct arena *a, const char *id, struct instance **ret);
/* The instance launched with this ClientToken, -ENOENT if none. */
int store_instance_by_token(struct store *st, struct arena *a, const char *token,
			    struct instance **ret);

int store_eni_insert(struct store *st, struct eni *e);
/* Writes public_ip, wants_public_ip, source_dest_check, description,
 * delete_on_termination, the instance attachment (device_index -1 and ""
 * IDs: detached) and groups. */
int store_eni_update(struct store *st, const struct eni *e);
int store_eni_delete(struct store *st, const char *id);
/* Every ENI (creation order) with groups and tags; of one VPC when vpc_id. */
int store_eni_list(struct store *st, struct arena *a, const char *vpc_id, struct eni **ret,
		   size_t *ret_n);
int store_eni_get(struct store *st, struct arena *a, const char *id, struct eni **ret);
/* The ENI holding attachment_id (eni-attach-…), -ENOENT if none. */
int store_eni_by_attachment(struct store *st, struct arena *a, const char *attachment_id,
			    struct eni **ret);
/* Private IPs in use in a subnet (host order, arena). */
int store_eni_ips_in_subnet(struct store *st, struct arena *a, const char *subnet_id,
			    uint32_t **ret, size_t *ret_n);
/* Public IPs in use: on ENIs, and every Elastic IP (host order, arena). */
int store_public_ips(struct store *st, struct arena *a, uint32_t **ret, size_t *ret_n);
/* ENIs of the VPC with a public IPv4 (auto-assigned or Elastic). */
int store_public_ips_in_vpc(struct store *st, const char *vpc_id, size_t *ret);
int store_eni_count_in_subnet(struct store *st, const char *subnet_id, size_t *ret);

#endif
