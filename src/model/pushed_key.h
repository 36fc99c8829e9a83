// SPDX-License-Identifier: MIT
/* EC2 Instance Connect (SendSSHPublicKey): a public key pushed for one OS
 * user of one instance, usable until expires_at (AWS: 60 seconds).  AWS's
 * rules for the user name and the key.  Pure: no I/O, no globals, no clock;
 * the caller passes the time. */
#ifndef MODEL_PUSHED_KEY_H
#define MODEL_PUSHED_KEY_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"

#define PUSHED_KEY_TTL_S 60        /* AWS: "The key remains for 60 seconds." */
#define PUSHED_KEY_USER_MAX 32     /* InstanceOSUser: 1..32 characters */
#define PUSHED_KEY_MIN_LEN 80      /* SSHPublicKey: 80..4096 characters */
#define PUSHED_KEY_MAX_LEN 4096
#define PUSHED_KEY_PER_INSTANCE_MAX 20 /* unexpired keys per instance; more is throttled */

struct pushed_key {
	char instance_id[ID_MAX];
	const char *os_user;
	const char *public_key; /* one OpenSSH line, no newline */
	char request_id[37];    /* the SendSSHPublicKey call that pushed it */
	int64_t expires_at;     /* unix seconds; usable while now < expires_at */
};

/* AWS's InstanceOSUser: 1..32 characters matching
 * ^[A-Za-z_][A-Za-z0-9\@\._-]{0,30}[A-Za-z0-9\$_-]?$ */
bool pushed_key_user_valid(const char *user);

/* AWS's AvailabilityZone shape: 6..32 characters matching
 * ^(\w+-){2,3}\d+\w+$ */
bool pushed_key_az_valid(const char *az);

/* SSHPublicKey: 80..4096 characters, one OpenSSH public key line of
 * ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521, optionally with a
 * comment; blank space around it is allowed, options ("command=…") and a
 * second key are not.  Returns 0 and the length of the line without the
 * surrounding blanks in *ret_start / *ret_len, or -EINVAL. */
int pushed_key_check(const char *key, size_t *ret_start, size_t *ret_len);

/* Is the key usable at `now`? */
bool pushed_key_active(const struct pushed_key *k, int64_t now);

#endif
