// SPDX-License-Identifier: MIT
/* The public key of a key pair, for RunInstances (ec2-user's
 * authorized_keys and the metadata service). */
#ifndef API_KEY_LOOKUP_H
#define API_KEY_LOOKUP_H

struct api_call;

/* The OpenSSH public-key line of key pair `name` into *ret (arena);
 * fails the call with InvalidKeyPair.NotFound. */
int api_key_public(struct api_call *c, const char *name, const char **ret);

#endif
