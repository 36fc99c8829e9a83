// SPDX-License-Identifier: MIT
/* Key-pair rows: the public half of each EC2 key pair (spec INS-13..18).
 * The private key CreateKeyPair returns is never stored (checklist 25).
 * Rows read come back on the caller's arena, tags loaded. */
#ifndef STORE_KEY_PAIR_H
#define STORE_KEY_PAIR_H
#include <stddef.h>

struct store;
struct arena;
struct key_pair;

/* Inserts k (its head.id, name, type, fingerprint, public_key and
 * create_time) and sets k->head.seq.  Tags are stored apart
 * (store_tags_set).  Returns 0 or a negative errno. */
int store_key_pair_insert(struct store *st, struct key_pair *k);
/* Deletes the key pair `id` and its tags.  Returns 0 (also when absent). */
int store_key_pair_delete(struct store *st, const char *id);
/* Every key pair in creation order. */
int store_key_pair_list(struct store *st, struct arena *a, struct key_pair **ret, size_t *ret_n);
/* One key pair by name or by ID; -ENOENT when absent.  The instance side
 * reads public_key from here for authorized_keys and the metadata service. */
int store_key_pair_get_by_name(struct store *st, struct arena *a, const char *name,
			       struct key_pair **ret);
int store_key_pair_get_by_id(struct store *st, struct arena *a, const char *id,
			     struct key_pair **ret);
int store_key_pair_count(struct store *st, size_t *ret);

#endif
