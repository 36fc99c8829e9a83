// SPDX-License-Identifier: MIT
/* EC2 user data as RunInstances takes it: base64 (botocore and the aws CLI
 * encode it), at most 16 KiB once decoded (spec §22).  Pure; fuzzed by
 * tests/fuzz/fuzz_user_data.c. */
#ifndef MODEL_USER_DATA_H
#define MODEL_USER_DATA_H
#include <stddef.h>

struct arena;

#define USER_DATA_MAX 16384 /* bytes, decoded */

enum user_data_status {
	USER_DATA_OK,
	USER_DATA_MALFORMED, /* not base64: InvalidUserData.Malformed */
	USER_DATA_TOO_LONG,  /* over USER_DATA_MAX: InvalidParameterValue */
};

/* Decodes b64 (len bytes) onto a: *ret and *ret_size on USER_DATA_OK.
 * The sizes are checked before anything is allocated. */
enum user_data_status user_data_decode(struct arena *a, const char *b64, size_t len,
				       unsigned char **ret, size_t *ret_size);

#endif
