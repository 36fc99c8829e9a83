// SPDX-License-Identifier: MIT
/* Key-pair rules; see key_pair.h.  Pure. */
#include "model/key_pair.h"

#include <string.h>

bool key_pair_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > KEY_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}
