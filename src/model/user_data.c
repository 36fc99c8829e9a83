// SPDX-License-Identifier: MIT
/* User data's base64; see user_data.h.  OpenSSL decodes; this file only
 * applies EC2's limits and removes the padding OpenSSL counts as data. */
#include "model/user_data.h"

#include <limits.h>
#include <openssl/evp.h>

#include "util/arena.h"

enum user_data_status user_data_decode(struct arena *a, const char *b64, size_t len,
				       unsigned char **ret, size_t *ret_size)
{
	if (len % 4)
		return USER_DATA_MALFORMED;
	if (len / 4 * 3 > USER_DATA_MAX + 3)
		return USER_DATA_TOO_LONG;
	unsigned char *out = arena_alloc(a, len / 4 * 3 + 1);
	int n = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len);
	if (n < 0)
		return USER_DATA_MALFORMED;
	/* EVP_DecodeBlock counts the padding as data: remove it. */
	if (len && b64[len - 1] == '=')
		n--;
	if (len > 1 && b64[len - 2] == '=')
		n--;
	if (n < 0)
		return USER_DATA_MALFORMED;
	if ((size_t)n > USER_DATA_MAX)
		return USER_DATA_TOO_LONG;
	*ret = out;
	*ret_size = (size_t)n;
	return USER_DATA_OK;
}
