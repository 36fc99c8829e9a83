// SPDX-License-Identifier: MIT
/* EC2 Instance Connect rows: keys pushed by SendSSHPublicKey, each for one
 * instance and OS user until its expiry.  The store keeps no clock: the
 * caller says what "now" is.  Rows read come back on the caller's arena. */
#ifndef STORE_PUSHED_KEY_H
#define STORE_PUSHED_KEY_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct arena;
struct pushed_key;

/* Inserts k.  Returns 0 or a negative errno. */
int store_pushed_key_insert(struct store *st, const struct pushed_key *k);
/* Deletes every row with expires_at <= now.  Returns 0 or -EIO. */
int store_pushed_key_prune(struct store *st, int64_t now);
/* How many keys of the instance are still usable at now (expires_at > now). */
int store_pushed_key_count_active(struct store *st, const char *instance_id, int64_t now,
				  size_t *ret);
/* Every row, expired ones too, ordered by instance ID then push order, so
 * one instance's keys are contiguous (the data plane's snapshot). */
int store_pushed_key_list(struct store *st, struct arena *a, struct pushed_key **ret,
			  size_t *ret_n);

#endif
