// SPDX-License-Identifier: MIT
/* Where things are: defaults of the daemon's settings and the files that
 * travel with the binary. */
#ifndef CLI_PATHS_H
#define CLI_PATHS_H
#include <stddef.h>

#define IMAGE_ROOT_DEFAULT "/var/cache/localvpc/images/debian-12/root"
#define PUBLIC_POOL_DEFAULT "198.18.0.0/15"
#define HOST_IP_DEFAULT "192.0.2.1"

/* build/localvpc-init, next to the running binary.  Returns 0 or -ENOENT. */
int paths_init_binary(char *out, size_t size);
/* Writes the instance boot script (compiled in from src/runtime/boot.sh)
 * to path, mode 0755.  Returns 0 or -errno. */
int paths_write_boot(const char *path);
/* The instance state dir of id under state_dir. */
void paths_instance_dir(const char *state_dir, const char *id, char *out, size_t size);

#endif
