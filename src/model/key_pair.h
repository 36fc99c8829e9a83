// SPDX-License-Identifier: MIT
/* EC2 key pairs (spec INS-13..18): the public half and AWS's rules for
 * names, imported keys and fingerprints.  Pure: no I/O, no globals, no clock;
 * the keys themselves are util/ssh_key's. */
#ifndef MODEL_KEY_PAIR_H
#define MODEL_KEY_PAIR_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"
#include "util/ssh_key.h"

#define KEY_NAME_MAX 255      /* AWS: up to 255 ASCII characters */
#define KEY_PAIRS_MAX 5000    /* AWS quota per region (spec §22) */
#define KEY_PAIR_RSA_BITS 2048 /* CreateKeyPair's RSA keys */

struct key_pair {
	struct res_head head;
	const char *name;
	const char *type;        /* "rsa" | "ed25519" */
	const char *fingerprint; /* as AWS shows it: see key_pair_fingerprint_kind() */
	const char *public_key;  /* the OpenSSH line, commented with the key name */
	int64_t create_time;
};

/* AWS: 1..255 printable ASCII characters, no leading or trailing space. */
bool key_pair_name_valid(const char *name);

/* "rsa" / "ed25519" (KeyType) ↔ the key algorithm.  parse returns 0 or
 * -EINVAL. */
const char *key_pair_type_name(enum ssh_key_type type);
int key_pair_type_parse(const char *s, enum ssh_key_type *ret);

/* AWS (INS-14): may ImportKeyPair take a key of this algorithm, size and
 * form?  RSA of 1024..4096 bits in any form; ED25519 in the OpenSSH form
 * only.  Other algorithms never reach here (util refuses them). */
bool key_pair_import_allowed(enum ssh_key_type type, unsigned bits, enum ssh_key_format format);

/* AWS (INS-15): the fingerprint EC2 shows for a key pair. */
enum ssh_fp key_pair_fingerprint_kind(enum ssh_key_type type, bool is_imported);

#endif
