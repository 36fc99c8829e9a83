// SPDX-License-Identifier: MIT
/* The credentials file of a daemon (checklist 25: mode 0600). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"

int api_load_credentials(struct api_ctx *ctx, const char *path)
{
	struct stat sb;
	char line[512];
	int r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	if (fstat(fd, &sb) < 0 || (sb.st_mode & 077)) {
		close(fd);
		return -EPERM;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	ctx->n_creds = 0;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *key, *secret, *extra;
		if (!strchr(line, '\n') && !feof(f)) {
			r = -EINVAL;
			break;
		}
		key = strtok_r(line, " \t\r\n", &save);
		if (!key || key[0] == '#')
			continue;
		secret = strtok_r(NULL, " \t\r\n", &save);
		extra = strtok_r(NULL, " \t\r\n", &save);
		if (!secret || extra || strlen(key) >= sizeof(ctx->creds[0].access_key) ||
		    strlen(secret) >= sizeof(ctx->creds[0].secret) ||
		    ctx->n_creds == API_CREDENTIALS_MAX) {
			r = -EINVAL;
			break;
		}
		snprintf(ctx->creds[ctx->n_creds].access_key, sizeof(ctx->creds[0].access_key), "%s", key);
		snprintf(ctx->creds[ctx->n_creds].secret, sizeof(ctx->creds[0].secret), "%s", secret);
		ctx->n_creds++;
	}
	fclose(f);
	if (!r && !ctx->n_creds)
		r = -EINVAL;
	return r;
}
