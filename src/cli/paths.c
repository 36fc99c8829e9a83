// SPDX-License-Identifier: MIT
/* See paths.h. */
#include "cli/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char boot_sh[] =
#include "boot_sh.h"
	;

int paths_init_binary(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(out, size, "%s/localvpc-init", exe);
	return access(out, X_OK) == 0 ? 0 : -ENOENT;
}

int paths_write_boot(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0)
		return -errno;
	size_t size = sizeof(boot_sh) - 1, off = 0;
	while (off < size) {
		ssize_t w = write(fd, boot_sh + off, size - off);
		if (w < 0) {
			int r = -errno;
			close(fd);
			return r;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0755) < 0 || close(fd) < 0)
		return -errno;
	return rename(tmp, path) < 0 ? -errno : 0;
}

void paths_instance_dir(const char *state_dir, const char *id, char *out, size_t size)
{
	snprintf(out, size, "%s/instances/%s", state_dir, id);
}
