// SPDX-License-Identifier: MIT
/* EC2 key pairs (the public half; spec §14). */
#ifndef MODEL_KEY_PAIR_H
#define MODEL_KEY_PAIR_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"

#define KEY_NAME_MAX 255 /* AWS: up to 255 ASCII characters */

struct key_pair {
	struct res_head head;
	const char *name;
	const char *type;        /* "rsa" | "ed25519" */
	const char *fingerprint;
	const char *public_key;  /* the OpenSSH line */
	int64_t create_time;
};

/* AWS accepts printable ASCII names of 1..255 characters. */
bool key_pair_name_valid(const char *name);

#endif
