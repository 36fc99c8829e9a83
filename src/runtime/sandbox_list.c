// SPDX-License-Identifier: MIT
/* Which instance state dirs exist (the reconciler sweeps the ones the store
 * no longer names). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/sandbox.h"
#include "util/xalloc.h"

int sandbox_list(const char *base, char ***ret, size_t *ret_n)
{
	DIR *d = opendir(base);
	char **v = NULL;
	size_t n = 0, cap = 0;
	if (!d) {
		*ret = NULL;
		*ret_n = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "i-", 2) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc_array(v, cap, sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}
